"""Record, Play and Stop in the desktop app, for real: pynput and PyAutoGUI on the virtual
display, the office form driven by xdotool, the run history in a real SQLite file.
"""

from __future__ import annotations

import re
import time

import cv2
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMessageBox
from targets.form_fixture import OfficeForm, office_form, xdotool
from ui_support import Dialogs, database, settings_file, show_window

from app.core.language import format_step, parse_steps
from app.core.macro import Anchor, Macro
from app.core.steps import Type
from app.input import events as ev
from app.storage.database import open_database
from app.storage.macros import MacroStore
from app.storage.recordings import RecordingStore
from app.storage.runs import RunStore
from app.ui.step_model import COL_IMAGE, COL_STEP, PLAYING_BACKGROUND
from app.ui.tray import WINDOW

__all__ = ["office_form"]  # a fixture used below

DEAD_PID = 4_000_000  # above Linux's pid_max: no such process


@pytest.fixture
def dialogs(monkeypatch):
    return Dialogs(monkeypatch)


@pytest.fixture
def store(tmp_path):
    db = open_database(database(tmp_path / "rpa.db"))
    yield MacroStore(db)
    db.close()


@pytest.fixture
def window(qtbot, store, tmp_path, dialogs):
    win = show_window(qtbot, store, settings_file(tmp_path))
    # Right of the office form (x 100-620): the pointer and the keys must reach the form.
    for dock in win.findChildren(QDockWidget):  # a narrow window, the runs dock only
        dock.setVisible(dock is win.runs_panel)
    win.setGeometry(650, 30, 620, 700)
    qtbot.waitUntil(lambda: win.geometry().x() >= 640)
    yield win
    dialogs.answers.append(QMessageBox.StandardButton.Discard)
    win.close()


def form_macro(form: OfficeForm, name: str = "Fill the form") -> Macro:
    (nx, ny), (ex, ey), (sx, sy) = form.point("name"), form.point("email"), form.point("submit")
    text = (
        f'click {nx} {ny}\ntype "Grace Hopper"\nclick {ex} {ey}\ntype "grace@example.com"\n'
        f"click {sx} {sy}\n"
    )
    return Macro(name, tuple(parse_steps(text)))


def play_and_wait(qtbot, window, timeout=30_000) -> None:
    images = window.editor.table
    with qtbot.waitSignal(window.player.ended, timeout=timeout):
        window.play_action.trigger()
        assert window.player.is_running()
        # anchor pictures are off the screen while playing: the player must not find them
        assert images.isColumnHidden(COL_IMAGE)
    assert not images.isColumnHidden(COL_IMAGE)


def test_play_fills_the_form_and_highlights_each_step(qtbot, window, store, office_form):
    store.save(form_macro(office_form))
    window.open_macro("Fill the form")
    model = window.editor.model
    # an unsaved edit: Play runs what the editor shows, and leaves the saved macro alone
    assert model.setData(model.index(1, COL_STEP), 'type "Grace B. Hopper"')
    highlighted = []

    def on_step(position):
        row = model.active_row
        highlighted.append(
            (position, row, model.index(row, 2).data(Qt.ItemDataRole.BackgroundRole))
        )

    window.player.step.connect(on_step)
    assert not window.stop_action.isEnabled()
    play_and_wait(qtbot, window)

    assert office_form.result()["name"] == "Grace B. Hopper"
    assert office_form.result()["email"] == "grace@example.com"
    assert highlighted == [(n, n, PLAYING_BACKGROUND) for n in range(5)]
    assert model.active_row is None  # the highlight goes when the run ends
    assert store.load("Fill the form").steps[1] == Type("Grace Hopper")
    assert window.isWindowModified() and window.play_action.isEnabled()
    assert "Played 'Fill the form': 5 steps" in window.statusBar().currentMessage()
    (run,) = RunStore(store.db).summaries("Fill the form")
    assert (run.status, run.steps) == ("ok", 5)
    assert window.runs_panel.shown_runs() == [run.id]

    # from the selected step (the Submit click), twice
    highlighted.clear()
    window.editor.select_rows([4])
    window.from_selected.setChecked(True)
    window.times.setValue(2)
    play_and_wait(qtbot, window)
    assert office_form.result(submits=3)["submits"] == 3
    assert [position for position, _, _ in highlighted] == [4, 4]
    latest = RunStore(store.db).summaries("Fill the form")[0]
    assert (latest.status, latest.steps) == ("ok", 2)


def test_stop_ends_a_long_play_at_once(qtbot, window, store):
    store.save(Macro("Slow", tuple(parse_steps("press shift\nwait 30\nclick 5 5\n"))))
    window.open_macro("Slow")
    for stop_with in ("the Stop button", "the hotkey"):
        with qtbot.waitSignal(window.player.step, timeout=10_000, check_params_cb=lambda p: p == 1):
            window.play_action.trigger()
        assert window.stop_action.isEnabled() and not window.play_action.isEnabled()
        started = time.monotonic()
        with qtbot.waitSignal(window.player.ended, timeout=10_000):
            if stop_with == "the Stop button":
                window.stop_action.trigger()
            else:
                xdotool("key", "ctrl+alt+q")
        assert time.monotonic() - started < 2, stop_with
        message = window.statusBar().currentMessage()
        assert message.startswith("Stopped: stopped by ctrl+alt+q")
        if stop_with == "the hotkey":  # it says how fast it took effect
            assert re.search(r"\(\d+ ms after the hotkey went down\)", message), message
        assert not window.stop_action.isEnabled() and window.play_action.isEnabled()
    runs = RunStore(store.db).summaries("Slow")
    assert [(r.status, r.steps) for r in runs] == [("aborted", 2), ("aborted", 2)]


def test_a_failing_step_shows_the_step_why_and_the_screenshot(qtbot, window, store):
    noise = np.random.default_rng(7).integers(0, 255, (48, 48, 3), dtype=np.uint8)
    png = cv2.imencode(".png", noise)[1].tobytes()  # a picture that is nowhere on the screen
    steps = parse_steps('wait 0.1\nclick image "logo"\npress enter\n')
    store.save(Macro("Broken", tuple(steps), anchors=(Anchor.from_png("logo", png, 10, 10),)))
    window.open_macro("Broken")
    play_and_wait(qtbot, window)

    view = window.failure_view
    assert view is not None and view.isVisible()
    assert view.step_label.text() == 'Step 2: click image "logo"'
    assert view.why_label.text().startswith('image "logo" not found on the screen (best score')
    shot = view.screenshot.pixmap()
    assert not shot.isNull() and shot.width() > 300  # the screen, scaled to fit the view
    (run,) = RunStore(store.db).summaries("Broken")
    assert run.status == "failed" and RunStore(store.db).failure_screenshot(run.id)
    assert window.editor.selected_rows() == [1]  # the failed step is selected
    view.close()


def test_play_steps_runs_unsaved_steps_without_a_macro(qtbot, window, store, office_form):
    (nx, ny), (sx, sy) = office_form.point("name"), office_form.point("submit")
    steps = parse_steps(f'click {nx} {ny}\ntype "from the chat"\nclick {sx} {sy}\n')
    with qtbot.waitSignal(window.player.ended, timeout=30_000):
        window.chat_dock.run_requested.emit(steps)  # the chat's Run button
        assert window.player.is_running()
        assert not window.play_steps(steps)  # one run at a time
    assert office_form.result()["name"] == "from the chat"
    (run,) = RunStore(store.db).summaries("Chat")
    macro_id = store.db.execute("select macro_id from runs where id = ?", [run.id]).fetchone()[0]
    assert run.status == "ok" and macro_id is None


def test_record_through_the_toolbar(qtbot, window, store, dialogs, office_form):
    dialogs.names.append("")  # accept the suggested name
    with qtbot.waitSignal(window.recorder.armed, timeout=20_000):
        window.record_action.trigger()
    name = "Recording"
    indicator = window.recording_indicator
    assert indicator.kind == WINDOW  # no system tray on the virtual display: the banner
    assert indicator.is_visible() and "press ctrl+alt+q to stop" in indicator.banner.label.text()
    assert window.stop_action.isEnabled() and not window.record_action.isEnabled()

    office_form.click("name")
    time.sleep(0.2)
    xdotool("type", "--delay", "30", "Ada")
    time.sleep(0.2)
    with qtbot.waitSignal(window.recorder.ended, timeout=20_000):
        xdotool("key", "ctrl+alt+q")

    x, y = office_form.point("name")
    lines = [format_step(step) for step in store.load(name).steps]
    assert [re.sub(r'anchor "[0-9a-f]{8}"', 'anchor "ID"', line) for line in lines] == [
        f'click {x} {y} anchor "ID"',
        'type "Ada"',
    ]
    assert window.current_name() == name and not window.isWindowModified()
    assert window.editor.steps() == list(store.load(name).steps)
    assert not indicator.is_visible() and window.isVisible()
    assert window.record_action.isEnabled() and not window.stop_action.isEnabled()
    office_form.click("submit")
    assert office_form.result()["name"] == "Ada"  # the form got the input as well


def test_an_interrupted_recording_is_offered_for_recovery(qtbot, window, store, dialogs):
    recordings = RecordingStore(store.db)
    recording = recordings.start("Lost work", (1280, 800), DEAD_PID)  # its process is gone
    recordings.append(
        recording,
        [
            (0.1, ev.DOWN, {"x": 40, "y": 50, "button": "left"}),
            (0.2, ev.UP, {"x": 40, "y": 50, "button": "left"}),
            (0.5, ev.KEY_DOWN, {"key": "enter"}),
            (0.6, ev.KEY_UP, {"key": "enter"}),
        ],
    )
    dialogs.answers.append(QMessageBox.StandardButton.No)
    assert window.offer_recovery() == []  # declined: offered again next time
    assert "'Lost work'" in dialogs.questions[0] and "4 events" in dialogs.questions[0]
    dialogs.answers.append(QMessageBox.StandardButton.Yes)
    assert window.offer_recovery() == ["Lost work"]
    assert store.load("Lost work").steps == tuple(parse_steps("click 40 50\npress enter\n"))
    assert window.current_name() == "Lost work"
    assert window.offer_recovery() == []  # nothing left to recover
