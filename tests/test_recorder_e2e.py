"""Recording for real: the `record` command on Xvfb, driven by xdotool against the office form.

Real pynput listener, real X input (XTEST through xdotool), real mss grabs, real SQLite.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import time

import cv2
import numpy as np
import pytest
from conftest import run_cli
from targets.form_fixture import OfficeForm, office_form, xdotool
from targets.recorder_process import Recorder

from app.recorder.session import RecorderSettings
from app.storage.database import open_database
from app.storage.macros import MacroStore

__all__ = ["office_form"]  # a fixture used below


@pytest.fixture
def db(tmp_path):
    return tmp_path / "rpa.db"


def shown(db, name) -> list[str]:
    result = run_cli("macros", "show", name, db=db)
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if not line.startswith("#")]


def without_anchor_ids(lines: list[str]) -> list[str]:
    return [re.sub(r'anchor "[0-9a-f]{8}"', 'anchor "ID"', line) for line in lines]


def test_record_clicks_typing_hotkey_drag_and_scroll(office_form: OfficeForm, db):
    name_x, name_y = office_form.point("name")
    notes_x, notes_y = office_form.point("notes")
    recorder = Recorder(db, "Fill the form")
    try:
        recorder.wait_armed()
        office_form.click("name")
        time.sleep(0.2)
        xdotool("type", "--delay", "30", "Hello, World!")
        time.sleep(0.2)
        xdotool("key", "ctrl+a")
        time.sleep(0.2)
        xdotool("mousemove", notes_x - 80, notes_y - 50, "mousedown", "1")
        xdotool("mousemove", notes_x - 20, notes_y - 40, "mousemove", notes_x + 60, notes_y + 30)
        xdotool("mouseup", "1")
        time.sleep(0.2)
        for _ in range(3):
            xdotool("click", "5")
        time.sleep(0.2)
        xdotool("key", "ctrl+alt+q")
        assert recorder.finish() == 0, recorder.lines
    finally:
        recorder.kill()
    assert recorder.lines[-1] == 'saved "Fill the form": 5 steps', recorder.lines
    assert without_anchor_ids(shown(db, "Fill the form")) == [
        f'click {name_x} {name_y} anchor "ID"',
        'type "Hello, World!"',
        "hotkey ctrl+a",
        f"drag {notes_x - 80} {notes_y - 50} to {notes_x + 60} {notes_y + 30}",
        f"scroll -3 at {notes_x + 60} {notes_y + 30}",
    ]
    # the form really received it all, so the listener did not swallow input
    office_form.click("submit")
    assert office_form.result()["name"] == "Hello, World!"

    # the anchor is the screen around the click, grabbed before the UI reacted
    db_handle = open_database(db)
    macro = MacroStore(db_handle).load("Fill the form")
    db_handle.close()
    (anchor,) = macro.anchors
    assert macro.steps[0].anchor == anchor.id
    assert (anchor.w, anchor.h) == (RecorderSettings().anchor_size,) * 2
    assert (anchor.x + anchor.w // 2, anchor.y + anchor.h // 2) == (name_x, name_y)
    patch = cv2.imdecode(np.frombuffer(anchor.png, np.uint8), cv2.IMREAD_COLOR)
    assert patch.std() > 5  # a picture of the field, not a blank square
    assert macro.screen == (1280, 800) or macro.screen[0] > 0


def test_stop_hotkey_alone_gives_an_empty_macro_and_is_not_recorded(db):
    recorder = Recorder(db, "Nothing")
    try:
        recorder.wait_armed()
        xdotool("key", "ctrl+alt+q")
        assert recorder.finish() == 0
    finally:
        recorder.kill()
    assert recorder.lines[-1] == 'saved "Nothing": 0 steps'
    assert shown(db, "Nothing") == []


def test_configured_stop_hotkey_and_no_anchors(office_form: OfficeForm, db):
    recorder = Recorder(db, "Plain", "--no-anchors", "--stop-hotkey", "ctrl+shift+x")
    try:
        recorder.wait_armed()
        assert "press ctrl+shift+x to stop" in recorder.lines[-1]
        office_form.click("email")
        time.sleep(0.2)
        xdotool("key", "ctrl+alt+q")  # not the stop hotkey now: an ordinary chord
        time.sleep(0.2)
        xdotool("key", "ctrl+shift+x")
        assert recorder.finish() == 0
    finally:
        recorder.kill()
    x, y = office_form.point("email")
    assert shown(db, "Plain") == [f"click {x} {y}", "hotkey ctrl+alt+q"]


def test_secret_mode_keeps_the_password_out_of_the_database(office_form: OfficeForm, db):
    recorder = Recorder(db, "Login")
    try:
        recorder.wait_armed()
        office_form.click("name")
        time.sleep(0.2)
        xdotool("key", "ctrl+alt+p")
        xdotool("type", "--delay", "30", "zqxj7")
        xdotool("key", "ctrl+alt+p")
        xdotool("type", "--delay", "30", "ok")
        time.sleep(0.5)  # committed by now (every 0.1 s)
        stored = sqlite3.connect(db)
        chars = {
            row[0]
            for row in stored.execute(
                "select json_extract(data, '$.char') from raw_events where kind = 'key_down' "
                "and json_extract(data, '$.char') is not null"
            )
        }
        stored.close()
        xdotool("key", "ctrl+alt+q")
        assert recorder.finish() == 0
    finally:
        recorder.kill()
    assert chars == {"o", "k"}  # nothing typed in secret mode reached the database
    x, y = office_form.point("name")
    assert without_anchor_ids(shown(db, "Login")) == [
        f'click {x} {y} anchor "ID"',
        'type secret "Login secret 1"',
        'type "ok"',
    ]
    assert any('the secret "Login secret 1"' in line for line in recorder.lines)
    office_form.click("submit")
    assert office_form.result()["name"] == "zqxj7ok"  # the app itself got every key


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 0), (signal.SIGINT, 130)])
def test_signals_save_what_was_recorded(office_form: OfficeForm, db, signum, code):
    recorder = Recorder(db, "Signalled")
    try:
        recorder.wait_armed()
        office_form.click("subscribe")
        time.sleep(0.3)
        recorder.proc.send_signal(signum)
        assert recorder.finish() == code
    finally:
        recorder.kill()
    assert recorder.lines[-1] == 'saved "Signalled": 1 step'
    x, y = office_form.point("subscribe")
    assert without_anchor_ids(shown(db, "Signalled")) == [f'click {x} {y} anchor "ID"']


def test_stop_after_and_an_existing_name(db):
    recorder = Recorder(db, "Timed", "--stop-after", "0.5")
    try:
        recorder.wait_armed()
        assert recorder.finish() == 0
    finally:
        recorder.kill()
    assert recorder.lines[-1] == 'saved "Timed": 0 steps'
    again = run_cli("record", "Timed", "--stop-after", "0.5", db=db)
    assert again.returncode == 1
    assert "a macro named 'Timed' already exists" in again.stderr


def test_flood_of_5000_events_is_stored_completely(db):
    recorder = Recorder(db, "Flood", "--no-anchors")
    try:
        recorder.wait_armed()
        xdotool("mousemove", 600, 400)
        moves = []
        for _ in range(2500):
            moves += ["mousemove_relative", "--", "1", "0", "mousemove_relative", "--", "-1", "0"]
        for start in range(0, len(moves), 2000):
            xdotool(*moves[start : start + 2000], timeout=60)
        deadline = time.monotonic() + 10
        count = 0
        while time.monotonic() < deadline:
            stored = sqlite3.connect(db)
            count = stored.execute(
                "select count(*) from raw_events e join recordings r on r.id = e.recording_id "
                "where r.name = 'Flood' and e.kind = 'move'"
            ).fetchone()[0]
            stored.close()
            if count >= 5001:
                break
            time.sleep(0.2)
        xdotool("key", "ctrl+alt+q")
        assert recorder.finish() == 0
    finally:
        recorder.kill()
    assert count == 5001  # the first absolute move plus 5,000 relative ones: none lost


def test_kill_9_loses_at_most_half_a_second_and_is_recovered(office_form: OfficeForm, db):
    recorder = Recorder(db, "Crashed")
    try:
        recorder.wait_armed()
        office_form.click("name")
        time.sleep(0.2)
        xdotool("type", "--delay", "30", "Saved before the crash")
        xdotool("key", "Tab")
        time.sleep(0.5)
        os.kill(recorder.proc.pid, signal.SIGKILL)
        recorder.finish()
    finally:
        recorder.kill()
    listed = run_cli("macros", "list", db=db)
    assert "Crashed" not in listed.stdout

    notice = run_cli("record", "Later", "--stop-after", "0.3", db=db)
    assert 'an interrupted recording "Crashed"' in notice.stderr
    recovered = run_cli("record", "--recover", db=db)
    assert recovered.returncode == 0, recovered.stderr
    assert recovered.stdout.startswith('recovered "Crashed": 3 steps')
    x, y = office_form.point("name")
    assert without_anchor_ids(shown(db, "Crashed")) == [
        f'click {x} {y} anchor "ID"',
        'type "Saved before the crash"',
        "press tab",
    ]
    again = run_cli("record", "--recover", db=db)
    assert "no interrupted recording" in again.stderr


def test_without_a_display_recording_is_refused_cleanly(db):
    result = run_cli("record", "Headless", db=db, env={"DISPLAY": ""})
    assert result.returncode == 5
    assert result.stderr.strip() == (
        "error: no display: DISPLAY is not set. Recording needs an X11 desktop session "
        "(on Wayland, run the app under XWayland)"
    )
    assert run_cli("record", "--recover", db=db).stderr.strip() == (
        "no interrupted recording to recover"
    )
