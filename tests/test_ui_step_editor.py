"""The step editor and the main window, driven like a user with pytest-qt on a real display."""

from __future__ import annotations

import pytest
from conftest import PNG
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox
from ui_support import database

from app.core.language import format_steps, parse_line, parse_steps
from app.core.macro import Anchor, Macro
from app.core.steps import Click, DoubleClick, Press, Wait
from app.storage.database import open_database
from app.storage.macros import MacroStore
from app.ui.app import run_gui
from app.ui.main_window import MainWindow
from app.ui.step_editor import ERROR_BACKGROUND, StepEditor
from app.ui.step_model import (
    COL_DETAILS,
    COL_IMAGE,
    COL_STEP,
    MIME_TYPE,
    THUMBNAIL_SIZE,
    StepTableModel,
)

Button = QMessageBox.StandardButton
INVOICE = """launch "notepad"
wait 2
click 100 200 anchor "ok"
type "Invoice 2024-001"
press enter
"""
REPORT = 'open_url "https://example.com/report"\nwait 1\n'
BACKUP = 'run "Invoice entry" times 2\n'


def steps(text: str) -> list:
    return parse_steps(text)


@pytest.fixture
def db_path(tmp_path):
    return database(
        tmp_path / "rpa.db",
        Macro(
            "Invoice entry",
            tuple(steps(INVOICE)),
            "Types an invoice into the form",
            (1920, 1080),
            (Anchor.from_png("ok", PNG, 10, 20),),
        ),
        Macro("Daily report", tuple(steps(REPORT)), "Opens the sales report"),
        Macro("Backup files", tuple(steps(BACKUP))),
    )


@pytest.fixture
def store(db_path):
    db = open_database(db_path)
    yield MacroStore(db)
    db.close()


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


class Answers(list):
    """Buttons that QMessageBox.question will "click", in order; `asked` records the texts."""

    def __init__(self):
        super().__init__()
        self.asked: list[str] = []

    def question(self, parent, title, text, *args, **kwargs):
        self.asked.append(text)
        # No queued answer: Cancel, never a modal dialog that would block the test run.
        return self.pop(0) if self else QMessageBox.StandardButton.Cancel


@pytest.fixture(autouse=True)
def answers(monkeypatch):
    """No real dialog ever opens in these tests: questions are answered from this queue."""
    queue = Answers()
    monkeypatch.setattr(QMessageBox, "question", queue.question)
    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, lambda *a, **k: QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("", False))
    return queue


@pytest.fixture
def window(qtbot, store, settings, answers):
    win = MainWindow(store, settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    yield win
    answers.clear()
    answers.append(QMessageBox.StandardButton.Discard)
    win.close()


def click_macro(qtbot, window: MainWindow, name: str) -> None:
    item = window._item(name)
    assert item is not None and not item.isHidden()
    view = window.macro_list
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualItemRect(item).center()
    )


def open_invoice(qtbot, window: MainWindow) -> StepEditor:
    click_macro(qtbot, window, "Invoice entry")
    assert window.current_name() == "Invoice entry"
    return window.editor


def edit_cell(qtbot, editor: StepEditor, row: int, column: int, text: str) -> QLineEdit:
    """Select the cell, press F2, type over it and press Enter; returns the line edit."""
    table = editor.table
    index = editor.model.index(row, column)
    table.setFocus()
    table.setCurrentIndex(index)
    QTest.keyClick(table, Qt.Key.Key_F2)
    line = table.indexWidget(index)
    assert isinstance(line, QLineEdit)
    assert line.text() == index.data(Qt.ItemDataRole.EditRole)
    line.selectAll()
    QTest.keyClicks(line, text)
    QTest.keyClick(line, Qt.Key.Key_Return)
    # the delegate commits and closes the editor through a queued call
    qtbot.waitUntil(lambda: table.indexWidget(index) is not line)
    return line


def key(widget, k, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(widget, k, modifiers)


CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


# ---------------------------------------------------------------- editing cells


def test_select_macro_and_edit_a_cell(qtbot, window):
    editor = open_invoice(qtbot, window)
    model = editor.model
    assert model.steps() == steps(INVOICE)
    assert model.rowCount() == 5 and model.columnCount() == 4
    assert [model.index(2, c).data() for c in range(3)] == ["3", "click", '100 200 anchor "ok"']
    assert not window.isWindowModified()

    edit_cell(qtbot, editor, 2, COL_DETAILS, "300 400")
    assert model.step(2) == Click(300, 400)
    assert "click 300 400\n" in editor.text_edit.toPlainText()
    assert model.dirty and window.isWindowModified()
    assert window.windowTitle().startswith("Invoice entry[*]")

    # the "Step" column edits the whole line, so the kind of step can change
    edit_cell(qtbot, editor, 2, COL_STEP, "double_click 5 6")
    assert model.step(2) == DoubleClick(5, 6)
    assert editor.text_edit.toPlainText().splitlines()[2] == "double_click 5 6"

    key(editor.table, Qt.Key.Key_Z, CTRL)
    assert model.step(2) == Click(300, 400)
    key(editor.table, Qt.Key.Key_Z, CTRL)
    assert model.step(2) == Click(100, 200, "ok")
    assert not model.dirty and not window.isWindowModified()
    key(editor.table, Qt.Key.Key_Z, CTRL_SHIFT)
    assert model.step(2) == Click(300, 400)
    assert editor.text_edit.toPlainText().splitlines()[2] == "click 300 400"


def test_a_step_with_an_anchor_shows_its_picture(qtbot, window, store):
    import cv2
    import numpy as np

    patch = np.zeros((96, 96, 3), np.uint8)
    patch[20:70, 10:86] = (40, 160, 220)  # a button-like block
    real_png = cv2.imencode(".png", patch)[1].tobytes()
    store.save(
        Macro(
            "Pictured",
            tuple(steps('wait 1\nwait 2\nclick 5 6 anchor "ok"\n')),
            anchors=(Anchor.from_png("ok", real_png, 0, 0),),
        )
    )
    window._refresh_list()
    model = window.editor.model
    assert window.open_macro("Pictured")
    picture = model.index(2, COL_IMAGE).data(Qt.ItemDataRole.DecorationRole)
    assert picture is not None and not picture.isNull()
    assert max(picture.width(), picture.height()) == THUMBNAIL_SIZE
    assert "'ok'" in model.index(2, COL_IMAGE).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(1, COL_IMAGE).data(Qt.ItemDataRole.DecorationRole) is None  # a wait
    # an anchor the macro does not hold is named, not silently blank
    model.set_anchor_images({})
    assert model.index(2, COL_IMAGE).data() == "missing"
    assert "missing" in model.index(2, COL_IMAGE).data(Qt.ItemDataRole.ToolTipRole)


def test_invalid_cell_is_refused_with_the_column(qtbot, window):
    editor = open_invoice(qtbot, window)
    model = editor.model
    with qtbot.waitSignal(model.validationFailed) as signal:
        edit_cell(qtbot, editor, 1, COL_DETAILS, "abc")
    message = signal.args[0]
    assert message.startswith("step 2, col 1: expected a number of seconds")
    assert model.step(1) == Wait(2) and not model.dirty
    assert editor.table_error.isVisible() and editor.table_error.text() == message

    # the editor comes back with what was typed, the cursor at the error
    index = model.index(1, COL_DETAILS)
    qtbot.waitUntil(lambda: isinstance(editor.table.indexWidget(index), QLineEdit))
    line = editor.table.indexWidget(index)
    assert line.text() == "abc"
    key(line, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: editor.table.indexWidget(index) is None)
    assert model.step(1) == Wait(2)

    # in the whole-line column, the column counts from the start of the line
    with qtbot.waitSignal(model.validationFailed) as signal:
        assert not model.setData(model.index(2, COL_STEP), "click 10 abc")
    assert signal.args[0].startswith("step 3, col 10: expected a number after '10'")
    with qtbot.waitSignal(model.validationFailed) as signal:
        assert not model.setData(model.index(2, COL_DETAILS), "10 20 anchor ok")
    assert signal.args[0].startswith("step 3, col 14: expected an image id in quotes")
    with qtbot.waitSignal(model.validationFailed) as signal:
        assert not model.setData(model.index(2, COL_STEP), "  # just a comment")
    assert "empty" in signal.args[0]
    assert model.steps() == steps(INVOICE) and not model.dirty


# ---------------------------------------------------------------- structure edits


def test_add_delete_duplicate_move_with_undo_and_redo(qtbot, window):
    editor = open_invoice(qtbot, window)
    model, table = editor.model, editor.table
    original = steps(INVOICE)
    table.setFocus()

    # Add (Insert): a new step after the selection, opened for typing
    editor.select_rows([0])
    key(table, Qt.Key.Key_Insert)
    assert model.step(1) == Wait(1)
    line = table.indexWidget(model.index(1, COL_STEP))
    assert isinstance(line, QLineEdit) and line.text() == "wait 1"
    line.selectAll()
    QTest.keyClicks(line, "press tab times 3")
    key(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.indexWidget(model.index(1, COL_STEP)) is None)
    assert model.step(1) == Press("tab", 3)
    assert len(model.steps()) == 6
    table.setFocus()
    key(table, Qt.Key.Key_Z, CTRL)
    assert model.step(1) == Wait(1)
    key(table, Qt.Key.Key_Z, CTRL)
    assert model.steps() == original
    key(table, Qt.Key.Key_Z, CTRL_SHIFT)
    key(table, Qt.Key.Key_Z, CTRL_SHIFT)
    assert model.step(1) == Press("tab", 3)
    key(table, Qt.Key.Key_Z, CTRL)
    key(table, Qt.Key.Key_Z, CTRL)
    assert model.steps() == original

    # Delete (Del) two rows that are not next to each other
    editor.select_rows([1, 3])
    key(table, Qt.Key.Key_Delete)
    assert model.steps() == [original[0], original[2], original[4]]
    key(table, Qt.Key.Key_Z, CTRL)
    assert model.steps() == original
    key(table, Qt.Key.Key_Z, CTRL_SHIFT)
    assert model.steps() == [original[0], original[2], original[4]]
    key(table, Qt.Key.Key_Z, CTRL)

    # Duplicate (Ctrl+D): copies go after the last selected row and become the selection
    editor.select_rows([1, 2])
    key(table, Qt.Key.Key_D, CTRL)
    assert model.steps() == original[:3] + original[1:3] + original[3:]
    assert editor.selected_rows() == [3, 4]
    key(table, Qt.Key.Key_Z, CTRL)
    assert model.steps() == original
    editor.redo_action.trigger()
    assert len(model.steps()) == 7
    editor.undo_action.trigger()

    # Move up / down (Ctrl+Up / Ctrl+Down, and the tool bar actions): the selection follows
    editor.select_rows([2, 3])
    assert editor.move_up_action.isEnabled() and editor.move_down_action.isEnabled()
    key(table, Qt.Key.Key_Up, CTRL)
    assert model.steps() == [original[0], original[2], original[3], original[1], original[4]]
    assert editor.selected_rows() == [1, 2]
    editor.move_up_action.trigger()
    assert model.steps()[:2] == [original[2], original[3]]
    assert not editor.move_up_action.isEnabled()  # already at the top
    key(table, Qt.Key.Key_Down, CTRL)
    key(table, Qt.Key.Key_Down, CTRL)
    key(table, Qt.Key.Key_Down, CTRL)
    assert model.steps() == [original[0], original[1], original[4], original[2], original[3]]
    assert not editor.move_down_action.isEnabled()
    for _ in range(5):
        key(table, Qt.Key.Key_Z, CTRL)
    assert model.steps() == original and not model.dirty
    key(table, Qt.Key.Key_Z, CTRL_SHIFT)
    assert model.steps()[1:3] == [original[2], original[3]]
    assert model.undo_stack.count() == 5  # one command per move
    assert format_steps(model.steps()) in editor.text_edit.toPlainText()


def test_drag_and_drop_moves_rows_through_the_undo_stack(qtbot):
    model = StepTableModel(steps("wait 1\nwait 2\nwait 3\nwait 4\nwait 5\n"))
    data = model.mimeData([model.index(0, 1), model.index(0, 2), model.index(2, 1)])
    assert MIME_TYPE in data.formats() and data.text() == "wait 1\nwait 3\n"
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, 4, 0, model.index(-1, -1))
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, 4, 0, model.index(-1, -1))
    assert [s.seconds for s in model.steps()] == [2, 4, 1, 3, 5]
    assert model.dirty
    model.undo_stack.undo()
    assert [s.seconds for s in model.steps()] == [1, 2, 3, 4, 5] and not model.dirty
    # dropped at the end (row -1, no parent), and onto an item (before it)
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, model.index(-1, -1))
    assert [s.seconds for s in model.steps()] == [2, 4, 5, 1, 3]
    model.undo_stack.undo()
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, model.index(1, 1))
    assert [s.seconds for s in model.steps()] == [1, 3, 2, 4, 5]
    # rows from another model are refused; the view cannot delete rows behind our back
    other = StepTableModel(steps("wait 9\n"))
    foreign = other.mimeData([other.index(0, 0)])
    assert not model.dropMimeData(foreign, Qt.DropAction.MoveAction, 0, 0, model.index(-1, -1))
    assert not model.removeRows(0, 1)
    assert model.rowCount() == 5
    # the table's drag settings
    editor = StepEditor()
    qtbot.addWidget(editor)
    assert editor.table.dragDropMode() == editor.table.DragDropMode.InternalMove
    assert not editor.table.dragDropOverwriteMode()
    assert model.flags(model.index(-1, -1)) & Qt.ItemFlag.ItemIsDropEnabled
    assert not model.flags(model.index(0, 1)) & Qt.ItemFlag.ItemIsDropEnabled


# ---------------------------------------------------------------- saving


def test_ctrl_s_saves_and_keeps_the_rest_of_the_macro(qtbot, window, store, db_path):
    editor = open_invoice(qtbot, window)
    edit_cell(qtbot, editor, 1, COL_DETAILS, "0.5")
    editor.select_rows([4])
    editor.delete_action.trigger()
    assert window.isWindowModified()

    key(window, Qt.Key.Key_S, CTRL)
    assert not window.isWindowModified() and not editor.model.dirty
    expected = steps(INVOICE)[:4]
    expected[1] = Wait(0.5)
    db = open_database(db_path)  # a second connection sees what was committed
    try:
        saved = MacroStore(db).load("Invoice entry")
    finally:
        db.close()
    assert list(saved.steps) == expected
    assert saved.description == "Types an invoice into the form"
    assert saved.screen == (1920, 1080)
    assert [a.id for a in saved.anchors] == ["ok"]
    assert "Saved" in window.statusBar().currentMessage()
    # undo after a save makes it modified again; redo comes back to the saved state
    editor.undo_action.trigger()
    assert window.isWindowModified()
    editor.redo_action.trigger()
    assert not window.isWindowModified()


# ---------------------------------------------------------------- the text tab


def test_text_tab_shows_the_error_line_and_applies_as_one_undo(qtbot, window):
    editor = open_invoice(qtbot, window)
    tabs = editor.tabs
    tabs.setCurrentIndex(editor.TEXT_TAB)
    assert editor.text_edit.toPlainText() == INVOICE

    bad = 'launch "calc"\nwait 1\nclick 10 abc\npress enter\n'
    editor.text_edit.setPlainText(bad)
    assert window.isWindowModified()  # unapplied text counts as an unsaved change
    QTest.mouseClick(editor.apply_button, Qt.MouseButton.LeftButton)
    assert editor.text_error.text().startswith("line 3, col 10: expected a number after '10'")
    selections = editor.text_edit.extraSelections()
    assert len(selections) == 1
    assert selections[0].cursor.blockNumber() == 2
    assert selections[0].format.background().color() == ERROR_BACKGROUND
    assert editor.text_edit.textCursor().blockNumber() == 2
    assert editor.text_edit.textCursor().positionInBlock() == 9
    assert editor.model.steps() == steps(INVOICE)

    # leaving the tab does not drop the edits: it stays, the text is kept
    tabs.setCurrentIndex(editor.STEPS_TAB)
    assert tabs.currentIndex() == editor.TEXT_TAB
    assert editor.text_edit.toPlainText() == bad
    # Save refuses too, and says why
    key(window, Qt.Key.Key_S, CTRL)
    assert "Not saved" in window.statusBar().currentMessage()

    # fixed text applies when the tab is left, as one undoable change
    cursor = editor.text_edit.textCursor()
    cursor.movePosition(cursor.MoveOperation.EndOfBlock, cursor.MoveMode.KeepAnchor)
    editor.text_edit.setTextCursor(cursor)
    QTest.keyClicks(editor.text_edit, "200")
    tabs.setCurrentIndex(editor.STEPS_TAB)
    assert tabs.currentIndex() == editor.STEPS_TAB
    assert editor.text_error.text() == "" and editor.text_edit.extraSelections() == []
    assert editor.model.steps() == steps('launch "calc"\nwait 1\nclick 10 200\npress enter\n')
    editor.undo_action.trigger()
    assert editor.model.steps() == steps(INVOICE) and not window.isWindowModified()
    tabs.setCurrentIndex(editor.TEXT_TAB)
    assert editor.text_edit.toPlainText() == INVOICE


# ---------------------------------------------------------------- unsaved changes


def test_switching_macros_asks_save_discard_cancel(qtbot, window, store, answers):
    editor = open_invoice(qtbot, window)
    edit_cell(qtbot, editor, 1, COL_DETAILS, "9")

    answers.append(Button.Cancel)
    click_macro(qtbot, window, "Daily report")
    assert window.current_name() == "Invoice entry"
    assert window.macro_list.currentItem().text() == "Invoice entry"
    assert editor.model.step(1) == Wait(9) and window.isWindowModified()

    answers.append(Button.Discard)
    click_macro(qtbot, window, "Daily report")
    assert window.current_name() == "Daily report"
    assert editor.model.steps() == steps(REPORT) and not window.isWindowModified()
    assert store.load("Invoice entry").steps == tuple(steps(INVOICE))

    edit_cell(qtbot, editor, 1, COL_DETAILS, "3")
    answers.append(Button.Save)
    click_macro(qtbot, window, "Backup files")
    assert window.current_name() == "Backup files"
    assert store.load("Daily report").steps[1] == Wait(3)
    assert len(answers.asked) == 3 and "Invoice entry" in answers.asked[0]

    # no question when nothing changed
    click_macro(qtbot, window, "Invoice entry")
    assert len(answers.asked) == 3


def test_close_asks_and_the_window_remembers_its_layout(qtbot, window, store, settings, answers):
    editor = open_invoice(qtbot, window)
    window.resize(900, 600)
    window.splitter.setSizes([300, 600])
    edit_cell(qtbot, editor, 0, COL_DETAILS, '"calc"')

    answers.append(Button.Cancel)
    assert not window.close()
    assert window.isVisible() and editor.model.dirty
    answers.append(Button.Save)
    assert window.close()
    assert store.load("Invoice entry").steps[0] == parse_line('launch "calc"')
    assert settings.value("main_window/macro") == "Invoice entry"

    again = MainWindow(store, settings)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.current_name() == "Invoice entry"
    assert (again.width(), again.height()) == (900, 600)
    assert again.splitter.sizes()[0] == 300
    run_toolbar = again.findChild(type(again.run_toolbar), "run")
    assert [a.text() for a in run_toolbar.actions()][:3] == ["Record", "Play", "Stop"]


# ---------------------------------------------------------------- the macro list


def test_search_filters_the_list_as_you_type(qtbot, window):
    assert window.visible_names() == ["Backup files", "Daily report", "Invoice entry"]
    window.search.setFocus()
    QTest.keyClicks(window.search, "rep")
    assert window.visible_names() == ["Daily report"]
    QTest.keyClicks(window.search, "x")
    assert window.visible_names() == []
    window.search.clear()
    QTest.keyClicks(window.search, "INV")
    assert window.visible_names() == ["Invoice entry"]  # any case
    window.search.clear()
    QTest.keyClicks(window.search, "sales")  # the description counts too
    assert window.visible_names() == ["Daily report"]
    key(window.search, Qt.Key.Key_Return)
    assert window.current_name() == "Daily report"
    window.search.clear()
    assert len(window.visible_names()) == 3


def test_new_duplicate_rename_delete(qtbot, window, store, answers, monkeypatch):
    names: list[tuple[str, bool]] = []
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: names.pop(0))

    names.append(("Weekly", True))
    window.new_action.trigger()
    assert window.current_name() == "Weekly" and store.load("Weekly").steps == ()
    assert window.editor.model.rowCount() == 0

    click_macro(qtbot, window, "Invoice entry")
    names.append(("", True))
    window.duplicate_macro_action.trigger()  # an empty name is refused
    names.append(("Invoice copy", True))
    window.duplicate_macro_action.trigger()
    copy = store.load("Invoice copy")
    assert window.current_name() == "Invoice copy"
    assert copy.steps == tuple(steps(INVOICE)) and [a.id for a in copy.anchors] == ["ok"]

    click_macro(qtbot, window, "Invoice entry")
    names.append(("Invoice (old)", True))
    window.rename_action.trigger()
    assert window.current_name() == "Invoice (old)"
    assert not store.exists("Invoice entry")
    assert store.load("Backup files").steps[0] == parse_line('run "Invoice (old)" times 2')

    answers.append(Button.No)
    window.delete_macro_action.trigger()
    assert store.exists("Invoice (old)")
    answers.append(Button.Yes)
    window.delete_macro_action.trigger()
    assert not store.exists("Invoice (old)")
    assert "Backup files" in answers.asked[-1]  # it says who calls the deleted macro
    assert window.current_name() in store.names()
    assert "Invoice (old)" not in window.visible_names()


# ---------------------------------------------------------------- starting the app


def test_run_gui_shows_the_window_and_returns_the_exit_code(qtbot, db_path, settings):
    shown = []

    def close_it():
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                shown.append(widget.current_name())
                widget.close()
        QApplication.instance().exit(0)

    # Closing the last window would also post a Quit event that outlives this exec() and
    # ends the event loops of later tests (qtbot.wait, timers) at once.
    app = QApplication.instance()
    app.setQuitOnLastWindowClosed(False)
    try:
        QTimer.singleShot(0, close_it)
        assert run_gui(db_path, settings=settings) == 0
    finally:
        app.setQuitOnLastWindowClosed(True)
    assert shown == ["Backup files"]  # first by name when nothing was open before


def test_run_gui_reports_a_bad_database(qtbot, tmp_path, monkeypatch, capsys):
    bad = tmp_path / "not-a-db.db"
    bad.write_text("hello")
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(a[2]))
    assert run_gui(bad) == 5
    assert "not an SQLite database" in shown[0]
    assert capsys.readouterr().err.startswith("error: ")
    assert bad.read_text() == "hello"


def test_editor_widget_without_a_window(qtbot):
    """The editor works on its own (for dialogs that show generated steps, say)."""
    editor = StepEditor()
    qtbot.addWidget(editor)
    editor.set_steps(steps(INVOICE))
    assert editor.model.data(editor.model.index(0, 0)) == "1"
    assert editor.model.headerData(1, Qt.Orientation.Horizontal) == "Step"
    assert not editor.is_modified()
    assert "(Del)" in editor.delete_action.toolTip()
    assert editor.undo_action.toolTip() == "Nothing to undo (Ctrl+Z)"
    editor.model.move_rows([4], -1)
    assert editor.undo_action.toolTip() == "Undo: move up (Ctrl+Z)"
    assert editor.is_modified()
