"""Replaying for real on Xvfb: record the office form with the recorder, play it back with
PyAutoGUI into fresh, moved and differently-sized screens, and compare what the form got.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from targets.form_fixture import OfficeForm, start_office_form, xdotool
from targets.recorder_process import Recorder

FORM_ENTRIES = {
    "name": "Ada Lovelace",
    "email": "ada@example.com",
    "city": "London",
    "subscribe": True,
    "notes": "First line\nSecond line",
}


def record_form_filling(db: Path, form: OfficeForm, name: str = "Fill the form") -> dict:
    """Record a person filling the whole form and submitting it; returns what was submitted."""
    recorder = Recorder(db, name)
    try:
        recorder.wait_armed()
        form.click("name")
        xdotool("type", "--delay", "25", FORM_ENTRIES["name"])
        form.click("email")
        xdotool("type", "--delay", "25", FORM_ENTRIES["email"])
        form.click("city")
        time.sleep(0.3)  # the list opens
        xdotool("key", "Down")
        xdotool("key", "Return")
        time.sleep(0.2)
        form.click("subscribe")
        form.click("notes")
        xdotool("type", "--delay", "25", "First line")
        xdotool("key", "Return")
        xdotool("type", "--delay", "25", "Second line")
        form.click("submit")
        time.sleep(0.3)
        xdotool("key", "ctrl+alt+q")
        assert recorder.finish() == 0, recorder.lines
    finally:
        recorder.kill()
    submitted = form.result()
    assert {k: submitted[k] for k in FORM_ENTRIES} == FORM_ENTRIES
    return submitted


def play(db: Path, name: str, *options: str, env: dict | None = None, timeout: float = 120):
    return run_cli("run", name, *options, db=db, env=env or {}, timeout=timeout)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """One real recording of the form at (100, 100), shared by the replay tests."""
    folder = tmp_path_factory.mktemp("recorded")
    db = folder / "rpa.db"
    with start_office_form(folder / "recording.json") as form:
        submitted = record_form_filling(db, form)
    return db, submitted


def test_replay_into_a_fresh_window_submits_the_same(recorded, tmp_path):
    db, submitted = recorded
    with start_office_form(tmp_path / "replay.json") as form:
        result = play(db, "Fill the form")
        assert result.returncode == 0, result.stderr
        assert form.result() == submitted
    assert "warning" not in result.stderr  # every anchor was found


def test_replay_after_the_window_moved_200_px_uses_the_anchors(recorded, tmp_path):
    db, submitted = recorded
    with start_office_form(tmp_path / "moved.json", x=300, y=100) as form:
        result = play(db, "Fill the form")
        assert result.returncode == 0, result.stderr
        assert form.result() == submitted
    history = sqlite3.connect(db)
    details = [
        row[0]
        for row in history.execute(
            "select detail from run_steps where run_id = (select max(id) from runs) "
            "and detail is not null"
        )
    ]
    history.close()
    assert details and all(d.startswith("image found") for d in details), details


def test_replay_on_a_screen_of_another_size(recorded, tmp_path, monkeypatch):
    db, submitted = recorded
    display = _free_display()
    xvfb = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1600x1000x24", "-nolisten", "tcp", "-noreset"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_display(display)
        monkeypatch.setenv("DISPLAY", display)
        with start_office_form(tmp_path / "bigger.json", x=160, y=125) as form:
            result = play(db, "Fill the form", env={"DISPLAY": display})
            assert result.returncode == 0, result.stderr
            assert form.result() == submitted
    finally:
        xvfb.terminate()
        xvfb.wait(10)


def test_chinese_and_emoji_arrive_exactly(tmp_path):
    db = tmp_path / "rpa.db"
    text = "你好，世界 café 😀 — «ok»"
    with start_office_form(tmp_path / "form.json") as form:
        (x, y), (sx, sy) = form.point("name"), form.point("submit")
        macro = tmp_path / "unicode.txt"
        macro.write_text(
            f'# name: Unicode\nclick {x} {y}\ntype "{text}"\nclick {sx} {sy}\n', encoding="utf-8"
        )
        assert run_cli("macros", "import", macro, db=db).returncode == 0
        result = play(db, "Unicode")
        assert result.returncode == 0, result.stderr
        assert form.result()["name"] == text


def test_each_pasted_piece_waits_for_a_slow_application_to_read_it(tmp_path):
    """The form is busy for 0.4 s on every ctrl+v before it reads the clipboard: a player
    that put the next piece on the clipboard meanwhile would paste the wrong one."""
    db = tmp_path / "rpa.db"
    text = "é1ü2ö3 你4好5 ß"  # five pieces to paste, each between typed ones
    with start_office_form(tmp_path / "form.json", paste_delay_ms=400) as form:
        (x, y), (sx, sy) = form.point("name"), form.point("submit")
        macro = tmp_path / "slow.txt"
        macro.write_text(
            f'# name: Slow paste\nclick {x} {y}\ntype "{text}"\nclick {sx} {sy}\n',
            encoding="utf-8",
        )
        assert run_cli("macros", "import", macro, db=db).returncode == 0
        result = play(db, "Slow paste")
        assert result.returncode == 0, result.stderr
        assert form.result()["name"] == text


def test_abort_hotkey_stops_a_long_wait_quickly(tmp_path):
    db = tmp_path / "rpa.db"
    macro = tmp_path / "slow.txt"
    macro.write_text("# name: Slow\nwait 30\nclick 5 5\n")
    assert run_cli("macros", "import", macro, db=db).returncode == 0
    child = subprocess.Popen(
        [sys.executable, "-m", "app", "--db", str(db), "run", "Slow"],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        assert child.stderr.readline().startswith('playing "Slow"')
        time.sleep(0.5)
        pressed = time.monotonic()
        xdotool("key", "ctrl+alt+q")
        code = child.wait(10)
        exited = time.monotonic() - pressed
        message = child.stderr.read()
    finally:
        child.kill()
    assert code == 4, message
    latency = int(re.search(r"\((\d+) ms after the hotkey went down\)", message).group(1))
    print(f"abort latency during wait 30: {latency} ms (process gone after {exited:.2f} s)")
    assert latency < 200
    history = sqlite3.connect(db)
    status, error = history.execute("select status, error from runs").fetchone()
    history.close()
    assert status == "aborted" and "stopped by ctrl+alt+q" in error


def test_a_failing_step_says_which_and_why_and_keeps_a_screenshot(tmp_path):
    db = tmp_path / "rpa.db"
    zip_path = ROOT / "recordings" / "confirm-dialog.zip"  # its images are not on this screen
    assert run_cli("macros", "import", zip_path, db=db).returncode == 0
    result = play(db, "Confirm save dialog")
    assert result.returncode == 3
    line = result.stderr.strip().splitlines()[-1]
    assert re.fullmatch(
        r'error: step \d+ \((click image|wait_for image) "\w+".*\): image "\w+" '
        r"(not found on the screen|did not appear within [\d.]+ s) "
        r"\(best score \d\.\d\d, needed 0\.80\)",
        line,
    ), line
    shot = tmp_path / "failure.png"
    listed = run_cli("runs", db=db)
    run_id = listed.stdout.split()[0]
    assert "failed" in listed.stdout
    saved = run_cli("runs", "--id", run_id, "--screenshot", shot, db=db)
    assert saved.returncode == 0, saved.stderr
    assert shot.read_bytes().startswith(b"\x89PNG")


def test_missing_program_and_self_calling_macros_fail_clearly(tmp_path):
    db = tmp_path / "rpa.db"
    for name, body in {
        "Typo": 'launch "notepadd"',
        "Ping": 'run "Pong"',
        "Pong": 'run "Ping"',
    }.items():
        path = tmp_path / f"{name}.txt"
        path.write_text(f"# name: {name}\n{body}\n")
        assert run_cli("macros", "import", path, db=db).returncode == 0
    typo = play(db, "Typo")
    assert typo.returncode == 3
    assert typo.stderr.strip().endswith(
        'error: step 1 (launch "notepadd"): program "notepadd" not found (not a file, and not '
        "on PATH)"
    )
    loop = play(db, "Ping")
    assert loop.returncode == 3
    assert 'macro "Ping" calls itself: Ping → Pong → Ping' in loop.stderr


def test_data_rows_speed_times_and_dry_run(tmp_path):
    db = tmp_path / "rpa.db"
    with start_office_form(tmp_path / "form.json") as form:
        (x, y), (sx, sy) = form.point("name"), form.point("submit")
        macro = tmp_path / "rows.txt"
        macro.write_text(
            f'# name: Rows\nclick {x} {y}\nhotkey ctrl+a\ntype "{{{{name}}}}"\nwait 1\n'
            f"click {sx} {sy}\n"
        )
        data = tmp_path / "people.csv"
        data.write_text("name,city\nJosé Álvarez,Madrid\n王小明,上海\n", encoding="utf-8")
        assert run_cli("macros", "import", macro, db=db).returncode == 0

        dry = run_cli("run", "Rows", "--data", data, "--dry-run", db=db, env={"DISPLAY": ""})
        assert dry.returncode == 0, dry.stderr
        assert '3. type "王小明"' in dry.stdout
        assert form.lines.count("SUBMITTED 1") == 0  # nothing was touched

        result = play(db, "Rows", "--data", str(data), "--speed", "4")
        assert result.returncode == 0, result.stderr
        assert form.result(submits=2) == {**form.result(submits=2), "name": "王小明"}
        twice = play(db, "Rows", "--data", str(data), "--times", "2", "--speed", "10")
        assert twice.returncode == 0
        assert form.result(submits=6)["submits"] == 6
    history = sqlite3.connect(db)
    wait_ms = history.execute(
        "select ms from run_steps where run_id = 1 and position = 3"
    ).fetchall()
    runs = history.execute("select count(*) from runs").fetchone()[0]
    history.close()
    assert runs == 2  # the dry run left no history
    assert [round(ms / 250) for (ms,) in wait_ms] == [1, 1]  # `wait 1` at 4× speed


def test_secrets_come_from_the_keyring(tmp_path):
    db = tmp_path / "rpa.db"
    keyring_env = {
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    with start_office_form(tmp_path / "form.json") as form:
        (x, y), (sx, sy) = form.point("name"), form.point("submit")
        macro = tmp_path / "login.txt"
        macro.write_text(f'# name: Login\nclick {x} {y}\ntype secret "bank"\nclick {sx} {sy}\n')
        assert run_cli("macros", "import", macro, db=db).returncode == 0
        missing = play(db, "Login", env=keyring_env)
        assert missing.returncode == 3
        assert 'no secret named "bank" in the system keyring' in missing.stderr
        stored = run_cli("secret", "set", "bank", env=keyring_env, input="s3cr3t-pässword\n")
        assert stored.returncode == 0, stored.stderr
        result = play(db, "Login", env=keyring_env)
        assert result.returncode == 0, result.stderr
        assert form.result()["name"] == "s3cr3t-pässword"
    assert b"s3cr3t" not in db.read_bytes()


def test_without_a_display_only_dry_runs_work(tmp_path):
    db = tmp_path / "rpa.db"
    macro = tmp_path / "m.txt"
    macro.write_text("# name: M\nclick 1 2\n")
    assert run_cli("macros", "import", macro, db=db).returncode == 0
    result = play(db, "M", env={"DISPLAY": ""})
    assert result.returncode == 5
    assert "no display" in result.stderr
    assert run_cli("run", "M", "--dry-run", db=db, env={"DISPLAY": ""}).stdout == "1. click 1 2\n"


def _free_display() -> str:
    for number in range(150, 250):
        if not os.path.exists(f"/tmp/.X{number}-lock"):
            return f":{number}"
    raise RuntimeError("no free X display number")


def _wait_for_display(display: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        probe = subprocess.run(
            ["xdpyinfo"], env={**os.environ, "DISPLAY": display}, capture_output=True
        )
        if probe.returncode == 0:
            return
        time.sleep(0.1)
    raise RuntimeError(f"Xvfb {display} did not start")
