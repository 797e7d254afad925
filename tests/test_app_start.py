"""`python -m app` with no command opens the desktop app; without a display it says why."""

from __future__ import annotations

import subprocess
import sys
import time

from conftest import ROOT, run_cli


def test_no_command_opens_the_main_window(tmp_path):
    app = subprocess.Popen(
        [sys.executable, "-m", "app", "--db", str(tmp_path / "rpa.db")],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline, found = time.monotonic() + 20, ""
        while time.monotonic() < deadline and not found:
            search = subprocess.run(
                ["xdotool", "search", "--onlyvisible", "--name", "RPA Assistant"],
                capture_output=True,
                text=True,
            )
            found = search.stdout.strip()
            time.sleep(0.1)
        assert found, app.stderr.read1().decode() if app.poll() is not None else "no window"
        assert app.poll() is None
    finally:
        app.terminate()
        app.wait(10)


def test_without_a_display_the_app_says_so(tmp_path):
    result = run_cli(db=tmp_path / "rpa.db", env={"DISPLAY": ""})
    assert result.returncode == 5
    assert result.stderr.startswith("error: no display: the desktop app needs a desktop session")
