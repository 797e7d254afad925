"""The Runs dock: the history the player writes, filtered by the open macro, with step
times and the failure screenshot."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PySide6.QtWidgets import QMessageBox
from ui_support import Dialogs, database, settings_file, show_window

from app.core.language import parse_steps
from app.core.macro import Macro
from app.storage.database import open_database
from app.storage.macros import MacroStore, now
from app.storage.runs import RunStore
from app.ui.runs_panel import RUN_COLUMNS, STEP_COLUMNS

SCREENSHOT = cv2.imencode(".png", np.full((40, 64, 3), (30, 120, 200), np.uint8))[1].tobytes()
INVOICE = Macro("Invoice entry", tuple(parse_steps("press tab\nwait 1\npress enter\n")))
REPORT = Macro("Daily report", tuple(parse_steps("press f5\n")))


@pytest.fixture
def store(tmp_path):
    db = open_database(database(tmp_path / "rpa.db", INVOICE, REPORT))
    store = MacroStore(db)
    runs = RunStore(db)
    # a run that went well, one that failed at step 2, one of another macro
    ok = runs.start("Invoice entry", store.id_of("Invoice entry"))
    runs.step(ok, 0, "ok", now(), 52.5)
    runs.step(ok, 1, "ok", now(), 1003.0)
    runs.step(ok, 2, "ok", now(), 40.0)
    runs.finish(ok, "ok")
    failed = runs.start("Invoice entry", store.id_of("Invoice entry"))
    runs.step(failed, 0, "ok", now(), 30.0)
    runs.step(failed, 1, "failed", now(), 12.0, 'image "logo" not found')
    runs.finish(failed, "failed", 'step 2 (click image "logo"): image "logo" not found', SCREENSHOT)
    other = runs.start("Daily report", store.id_of("Daily report"))
    runs.step(other, 0, "ok", now(), 8.0)
    runs.finish(other, "ok")
    yield store
    db.close()


@pytest.fixture
def window(qtbot, store, tmp_path, monkeypatch):
    dialogs = Dialogs(monkeypatch)
    win = show_window(qtbot, store, settings_file(tmp_path))
    yield win
    dialogs.answers.append(QMessageBox.StandardButton.Discard)
    win.close()


def cells(table, row: int) -> list[str]:
    return [table.item(row, column).text() for column in range(table.columnCount())]


def test_the_runs_of_the_open_macro_newest_first(qtbot, window, store):
    panel = window.runs_panel
    assert panel.isVisible()
    window.open_macro("Invoice entry")
    runs = RunStore(store.db).summaries("Invoice entry")
    assert panel.shown_runs() == [run.id for run in runs] and len(runs) == 2
    table = panel.run_table
    assert [table.horizontalHeaderItem(c).text() for c in range(len(RUN_COLUMNS))] == list(
        RUN_COLUMNS
    )
    newest = cells(table, 0)
    assert newest[1:5] == ["Invoice entry", "failed", "2", "42 ms"]
    assert newest[5] == 'step 2 (click image "logo"): image "logo" not found'
    assert newest[0].count(":") == 2  # a local start time to the second
    assert cells(table, 1)[1:5] == ["Invoice entry", "ok", "3", "1.1 s"]

    # the newest is selected: its steps, their times, and the screenshot of the failure
    steps = panel.step_table
    assert [steps.horizontalHeaderItem(c).text() for c in range(len(STEP_COLUMNS))] == list(
        STEP_COLUMNS
    )
    assert [cells(steps, r) for r in range(steps.rowCount())] == [
        ["1", "ok", "30 ms", ""],
        ["2", "failed", "12 ms", 'image "logo" not found'],
    ]
    assert panel.screenshot.isVisible() and not panel.screenshot.pixmap().isNull()
    assert (panel.screenshot.pixmap().width(), panel.screenshot.pixmap().height()) == (64, 40)

    table.selectRow(1)  # the run that went well has no screenshot
    assert steps.rowCount() == 3 and cells(steps, 1)[2] == "1003 ms"
    assert not panel.screenshot.isVisible()


def test_filter_follows_the_open_macro_and_can_be_turned_off(qtbot, window, store):
    panel = window.runs_panel
    window.open_macro("Daily report")
    (only,) = RunStore(store.db).summaries("Daily report")
    assert panel.shown_runs() == [only.id]
    panel.only_macro.setChecked(False)
    assert len(panel.shown_runs()) == 3
    assert {cells(panel.run_table, r)[1] for r in range(3)} == {"Invoice entry", "Daily report"}
    panel.only_macro.setChecked(True)
    assert panel.shown_runs() == [only.id]


def test_a_macro_without_runs_says_so(qtbot, window, store):
    store.save(Macro("Fresh", tuple(parse_steps("wait 1\n"))))
    window._refresh_list()
    window.open_macro("Fresh")
    panel = window.runs_panel
    assert panel.shown_runs() == [] and panel.step_table.rowCount() == 0
    assert panel.empty_note.isVisible() and panel.empty_note.text() == "No runs of 'Fresh' yet."
