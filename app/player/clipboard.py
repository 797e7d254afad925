"""The clipboard the player pastes through, and a way to know the target has read it.

The player pastes what the keyboard cannot type (see driver.py). The trap: an application
reads the clipboard only when it gets round to handling ctrl+v, and a busy one does that
late. A player that puts the next piece of text on the clipboard before then makes the
target paste the wrong piece ("héllo 你好" arrived as "h你好llo 你好").

On X11 the text is served by `xclip -verbose`, which stays in the foreground and prints
"Waiting for selection request number N" each time it has served a request for the text
(asking which formats are offered does not count). So the player can wait for the target's
read instead of guessing how long it takes. Elsewhere pyperclip copies the text and the
player waits a fixed settle time, the best a clipboard without read notices allows.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Protocol

_REQUEST_LINE = re.compile(rb"Waiting for selection request number (\d+)")


class ClipboardError(RuntimeError):
    """The text could not be put on the clipboard."""


class HeldText(Protocol):
    """Text on the clipboard, as the player holds it for one paste."""

    def reads(self) -> int:
        """How many times the text has been read so far."""

    def wait_read(self, after: int, timeout: float) -> bool:
        """Wait until the text has been read more than `after` times; False on timeout."""

    def release(self) -> None:
        """Stop serving the text once something else is on the clipboard."""


class XclipText:
    """Text served on the X11 CLIPBOARD by an `xclip -verbose` child that reports each read.

    xclip reports into an unlinked temporary file rather than a pipe: the last one outlives
    `rpa run` to keep serving the clipboard, and a pipe with no reader would kill it.
    """

    POLL = 0.005  # seconds between two looks at xclip's report

    def __init__(self, text: str, timeout: float = 5.0):
        self._text = text
        # lives as long as the xclip it hears from; release() closes it
        self._report = tempfile.TemporaryFile()  # noqa: SIM115
        self._proc = subprocess.Popen(
            ["xclip", "-selection", "clipboard", "-verbose"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=self._report,
        )
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write(text.encode("utf-8"))
            self._proc.stdin.close()
        except BrokenPipeError:
            pass  # xclip has already ended: _confirm_owner says why
        self._confirm_owner(timeout)

    def _said(self) -> bytes:
        return os.pread(self._report.fileno(), 1 << 20, 0)

    def _confirm_owner(self, timeout: float) -> None:
        """Read the clipboard back until it holds our text: then xclip surely owns it.

        xclip announces itself before its ownership request has reached the X server, so
        the announcement alone would leave a window in which ctrl+v pastes the old text.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._proc.poll() is None:
            back = subprocess.run(
                ["xclip", "-selection", "clipboard", "-out"],
                capture_output=True,
                timeout=max(0.1, deadline - time.monotonic()),
                check=False,
            )
            mine = back.stdout == self._text.encode("utf-8")
            # our own read counts as one: wait until xclip has reported it
            if mine and self.wait_read(0, max(0.0, deadline - time.monotonic())):
                return
            time.sleep(0.01)
        self._stop()
        said = _REQUEST_LINE.sub(b"", self._said()).decode("utf-8", "replace").split("\n")
        said_text = "; ".join(line.strip() for line in said if line.strip()) or "nothing"
        self.release()
        raise ClipboardError(
            f"could not put {self._text!r} on the clipboard with xclip within {timeout:g} s "
            f"(xclip said: {said_text}); check that the X display in DISPLAY is reachable"
        )

    def reads(self) -> int:
        numbers = _REQUEST_LINE.findall(self._said())
        return int(numbers[-1]) - 1 if numbers else 0

    def wait_read(self, after: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while self.reads() <= after:
            if self._proc.poll() is not None or time.monotonic() >= deadline:
                return self.reads() > after
            time.sleep(self.POLL)
        return True

    def release(self) -> None:
        self._stop()
        self._report.close()

    def _stop(self) -> None:
        """xclip leaves by itself when another owner takes the clipboard; make sure of it."""
        if self._proc.poll() is None:
            self._proc.terminate()
        try:
            self._proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()


class CopiedText:
    """Text copied with pyperclip: nothing reports reads, so a read is a settle time."""

    SETTLE = 0.15  # seconds for the target application to read the clipboard

    def __init__(self, text: str):
        import pyperclip

        pyperclip.copy(text)

    def reads(self) -> int:
        return 0

    def wait_read(self, after: int, timeout: float) -> bool:
        time.sleep(min(self.SETTLE, timeout))
        return True

    def release(self) -> None:
        pass


def hold_text(text: str) -> HeldText:
    """Put `text` on the clipboard, served until the next call replaces it."""
    if sys.platform.startswith("linux") and shutil.which("xclip"):
        return XclipText(text)
    return CopiedText(text)
