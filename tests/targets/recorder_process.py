"""`python -m app record ...` in its own process, as the tests drive it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

ARMED = re.compile(r'recording "(.+)" — press (\S+) to stop')


class Recorder:
    """`python -m app record ...` as a child process, its stderr collected line by line."""

    def __init__(self, db, name, *options, program=(sys.executable, "-m", "app")):
        """`program` is the command that starts the app (the packaged binary, for one)."""
        env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
        self.proc = subprocess.Popen(
            [*program, "--db", str(db), "record", name, *options],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))

    def wait_armed(self, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(ARMED.fullmatch(line) for line in self.lines):
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        self.proc.kill()
        raise AssertionError(f"the recorder did not arm: {self.lines}")

    def finish(self, timeout=30) -> int:
        code = self.proc.wait(timeout)
        self._reader.join(5)
        return code

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
