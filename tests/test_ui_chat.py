"""The chat dock with the real ONNX model, driven like a user on a real display.

The model's accuracy is not tested here: each answer shown is compared with what the model
itself gives for the same command, and the commands are the simplest ones.
"""

from __future__ import annotations

import sqlite3
import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from ui_support import Dialogs, database, settings_file, show_window

from app.core.language import parse_steps
from app.core.macro import Macro
from app.nl.service import OnnxAssistant
from app.storage.chat import INSERT, RUN, SAVE
from app.storage.database import open_database
from app.storage.macros import MacroStore
from app.ui.chat_dock import NOT_UNDERSTOOD, TYPE_FIRST, ChatDock
from app.ui.main_window import MainWindow
from app.ui.model_runner import LOADING, THINKING, provider_name

INVOICE = 'launch "notepad"\nwait 2\ntype "Invoice 2024-001"\npress enter\n'


@pytest.fixture(scope="module")
def assistant():
    """The model as the command line uses it: what the dock must show, answer for answer."""
    return OnnxAssistant()


@pytest.fixture
def dialogs(monkeypatch):
    return Dialogs(monkeypatch)


@pytest.fixture
def db_path(tmp_path):
    return database(tmp_path / "rpa.db", Macro("Invoice entry", tuple(parse_steps(INVOICE))))


@pytest.fixture
def store(db_path):
    db = open_database(db_path)
    yield MacroStore(db)
    db.close()


@pytest.fixture
def window(qtbot, store, tmp_path, dialogs):
    window = show_window(qtbot, store, settings_file(tmp_path))
    yield window
    window.model_runner.wait()
    dialogs.answers.append(QMessageBox.StandardButton.Discard)  # if asked to save on close


def chat_rows(db_path) -> list[tuple]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(
            "select command, dsl, backend, accepted from chat order by id"
        ).fetchall()


def type_text(widget, text: str) -> None:
    """Type any text, Chinese and emoji included (QTest.keyClicks aborts on non-ASCII)."""
    widget.setFocus()
    for char in text:
        QTest.sendKeyEvent(
            QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, char, Qt.KeyboardModifier.NoModifier
        )


def ask(qtbot, dock: ChatDock, command: str, timeout: int = 30_000) -> None:
    """Type the command, press Enter and wait for the answer to be shown."""
    before = dock.history.count()
    type_text(dock.input, command)
    assert dock.input.text() == command
    QTest.keyClick(dock.input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dock.history.count() > before and not dock.busy(), timeout=timeout)


def test_the_preview_is_the_models_answer_and_saves_as_a_new_macro(
    qtbot, window, store, db_path, assistant, dialogs
):
    dock = window.chat_dock
    assert not dock.save_button.isEnabled()
    ask(qtbot, dock, "press enter")
    expected = assistant.ask("press enter", store.names())
    assert expected.understood, "the model no longer understands 'press enter'"
    assert dock.preview_steps() == expected.steps
    assert dock.preview_model.steps() == expected.steps
    assert all(button.isEnabled() for button in dock.action_buttons)
    assert chat_rows(db_path) == [("press enter", expected.text, "onnx", 0)]
    assert store.names() == ["Invoice entry"], "nothing is saved before the click"

    dialogs.names = ["Invoice entry", "  ", "Enter key"]
    QTest.mouseClick(dock.save_button, Qt.MouseButton.LeftButton)
    assert "A macro named 'Invoice entry' already exists" in dialogs.warnings[0]
    assert len(dialogs.warnings) == 2  # the clash, then the empty name
    assert store.load("Enter key").steps == tuple(dock.preview_steps())
    assert store.load("Invoice entry").steps == tuple(parse_steps(INVOICE)), "not overwritten"
    assert "Enter key" in [window.macro_list.item(r).text() for r in range(2)]
    assert chat_rows(db_path)[0][3] == SAVE
    assert dock.history.item(0).text().endswith("— saved")


def test_a_chinese_command_and_the_saved_macro_names_reach_the_model(
    qtbot, window, store, assistant
):
    dock = window.chat_dock
    for command in ("按回车键", "run the invoice macro"):
        ask(qtbot, dock, command)
        assert dock.preview_steps() == assistant.ask(command, ["Invoice entry"]).steps
        assert dock.history.currentItem().text().startswith(f"› {command}")


def test_insert_is_one_undoable_edit_after_the_selected_step(qtbot, window, db_path, assistant):
    dock, editor = window.chat_dock, window.editor
    assert window.current_name() == "Invoice entry"
    before = editor.steps()
    editor.select_rows([1])
    ask(qtbot, dock, "press enter")
    proposed = dock.preview_steps()
    assert proposed == assistant.ask("press enter", ["Invoice entry"]).steps and proposed

    QTest.mouseClick(dock.insert_button, Qt.MouseButton.LeftButton)
    assert editor.steps() == before[:2] + proposed + before[2:]
    assert editor.selected_rows() == list(range(2, 2 + len(proposed)))
    assert editor.is_modified() and window.isWindowModified()
    assert chat_rows(db_path)[0][3] == INSERT

    editor.undo_action.trigger()
    assert editor.steps() == before
    assert not editor.is_modified()
    editor.redo_action.trigger()
    assert editor.steps() == before[:2] + proposed + before[2:]
    editor.undo_action.trigger()


def test_run_waits_for_the_click_and_the_history_comes_back(
    qtbot, window, store, tmp_path, db_path, dialogs
):
    dock = window.chat_dock
    played: list[list] = []
    dock.run_requested.connect(played.append)
    ask(qtbot, dock, "press enter")
    ask(qtbot, dock, "type hello")
    assert played == [], "nothing runs by itself"
    second = dock.preview_steps()

    dock.history.setCurrentRow(0)  # back to the first question: its steps, ready again
    first = dock.preview_steps()
    assert first == parse_steps(chat_rows(db_path)[0][1])
    with qtbot.waitSignal(dock.run_requested) as signal:
        QTest.mouseClick(dock.run_button, Qt.MouseButton.LeftButton)
    assert signal.args == [first]
    assert [row[3] for row in chat_rows(db_path)] == [RUN, 0]

    window.close()
    again = show_window(qtbot, store, settings_file(tmp_path))
    history = again.chat_dock.history
    assert history.count() == 2
    assert history.item(0).text().startswith("› press enter")
    assert history.item(0).text().endswith("— run")
    assert history.item(1).text().startswith("› type hello")
    history.setCurrentRow(1)
    assert again.chat_dock.preview_steps() == second


def test_empty_and_emoji_commands_are_not_understood(qtbot, window, db_path):
    dock = window.chat_dock
    QTest.keyClick(dock.input, Qt.Key.Key_Return)
    assert dock.status.text() == TYPE_FIRST
    assert not any(button.isEnabled() for button in dock.action_buttons)
    assert chat_rows(db_path) == []

    ask(qtbot, dock, "😀🎉 …")
    assert dock.status.text() == NOT_UNDERSTOOD
    assert dock.preview_model.rowCount() == 0
    assert not any(button.isEnabled() for button in dock.action_buttons)
    assert "(not understood)" in dock.history.item(0).text()
    assert chat_rows(db_path) == [("😀🎉 …", "", None, 0)]


def test_the_window_stays_responsive_while_the_model_loads_and_thinks(qtbot, window, assistant):
    dock, runner = window.chat_dock, window.model_runner
    status = window.model_status_label
    assert status.text() == "Model: ONNX · not loaded yet"
    stages: list[str] = []
    runner.progress.connect(stages.append)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    try:
        type_text(dock.input, "press enter")
        started = time.perf_counter()
        QTest.keyClick(dock.input, Qt.Key.Key_Return)
        assert runner.is_busy() and not dock.ask_button.isEnabled()
        qtbot.waitUntil(lambda: not runner.is_busy(), timeout=30_000)
        ended = time.perf_counter()
    finally:
        timer.stop()
    assert stages == [LOADING, THINKING]
    during = [t for t in ticks if started <= t <= ended]
    busy_ms = (ended - started) * 1000
    # On the GUI thread the load would have held the event loop: no tick until it ended.
    assert len(during) >= 3, f"{len(during)} ticks in {busy_ms:.0f} ms"
    gaps = [b - a for a, b in zip([started, *during], [*during, ended], strict=True)]
    assert max(gaps) * 1000 < max(150, busy_ms / 2), f"longest freeze {max(gaps) * 1000:.0f} ms"
    assert status.text() == f"Model: ONNX · {provider_name(assistant.provider)}"
    assert dock.ask_button.isEnabled()

    stages.clear()
    ask(qtbot, dock, "type hello")
    assert stages == [THINKING], "the model loads once"


def test_a_question_in_progress_ends_before_the_window_closes(qtbot, window):
    dock = window.chat_dock
    type_text(dock.input, "press enter")
    QTest.keyClick(dock.input, Qt.Key.Key_Return)
    assert window.model_runner.is_busy()
    window.close()
    assert not window.isVisible()
    qtbot.waitUntil(lambda: not window.model_runner.is_busy(), timeout=30_000)


def test_the_dock_is_part_of_the_main_window(window):
    assert isinstance(window, MainWindow)
    assert window.dockWidgetArea(window.chat_dock) == Qt.DockWidgetArea.RightDockWidgetArea
    assert window.chat_dock.toggleViewAction() in window.edit_menu.actions()
    assert window.settings_action in window.edit_menu.actions()


def test_insert_needs_an_open_macro(qtbot, tmp_path, dialogs):
    db = open_database(database(tmp_path / "empty.db"))
    try:
        window = show_window(qtbot, MacroStore(db), settings_file(tmp_path))
        assert window.current_name() is None
        dock = window.chat_dock
        ask(qtbot, dock, "press enter")
        assert dock.insert_button.isEnabled()
        QTest.mouseClick(dock.insert_button, Qt.MouseButton.LeftButton)
        assert dock.status.text() == "Open a macro first, or save these steps as a new macro."
        assert window.editor.steps() == []
        assert chat_rows(tmp_path / "empty.db")[0][3] == 0
        window.model_runner.wait()
        window.close()
    finally:
        db.close()
