"""The machine a benchmark ran on, for the line above its table, and a private display."""

from __future__ import annotations

import contextlib
import os
import platform
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(errors="replace").splitlines():
            if line.lower().startswith(("model name", "hardware", "cpu model")):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _display_in_use(n: int) -> bool:
    return Path(f"/tmp/.X{n}-lock").exists() or Path(f"/tmp/.X11-unix/X{n}").exists()


@contextlib.contextmanager
def xvfb(size: str) -> Iterator[str]:
    """A private Xvfb of `size` (WxH); yields its DISPLAY."""
    if not shutil.which("Xvfb"):
        raise SystemExit("Xvfb is missing: apt-get install xvfb")
    for n in range(160, 230):
        if _display_in_use(n):
            continue
        # -noreset: Xvfb otherwise resets whenever its last client disconnects.
        command = ["Xvfb", f":{n}", "-screen", "0", f"{size}x24", "-nolisten", "tcp", "-noreset"]
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while server.poll() is None and time.monotonic() < deadline:
            done = subprocess.run(
                ["xdpyinfo"], env={**os.environ, "DISPLAY": f":{n}"}, capture_output=True
            )
            if done.returncode == 0:
                break
            time.sleep(0.1)
        if server.poll() is not None:
            continue  # taken meanwhile by someone else: try the next number
        try:
            yield f":{n}"
        finally:
            stop_process(server, 5)
        return
    raise SystemExit("no free X display number for Xvfb")


def stop_process(process: subprocess.Popen, timeout: float = 10) -> None:
    """Terminate, and kill if it has not exited within `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout)
