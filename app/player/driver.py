"""The input edge of the player: an `InputDriver` protocol and its PyAutoGUI implementation.

The player owns all timing, so PyAutoGUI's own pause is 0; its failsafe stays on (the
pointer pushed into a screen corner stops a run). `pyautogui.write` silently drops
non-ASCII characters, so text outside ASCII is pasted through the clipboard instead,
which also works in browsers where key-by-key Unicode typing loses characters.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Sequence
from typing import Protocol

from app.player.clipboard import HeldText, hold_text

log = logging.getLogger(__name__)

# The step language spells two keys differently from PyAutoGUI (see app/core/keys.py).
_PYAUTOGUI_NAMES = {"plus": "+"}
_TYPABLE = frozenset(chr(c) for c in range(0x20, 0x7F))  # what pyautogui.write can type
_MODIFIERS = ("ctrl", "alt", "shift", "win")


class FailsafeTriggered(Exception):
    """The user pushed the pointer into a screen corner."""


class InputDriver(Protocol):
    def move(self, x: int, y: int) -> None: ...
    def click(self, x: int, y: int, button: str = "left", clicks: int = 1) -> None: ...
    def drag(self, x1: int, y1: int, x2: int, y2: int, seconds: float) -> None: ...
    def scroll(self, amount: int, x: int | None = None, y: int | None = None) -> None: ...
    def type_text(self, text: str, should_stop: Callable[[], bool]) -> None: ...
    def press(self, key: str, times: int = 1) -> None: ...
    def hotkey(self, keys: Sequence[str]) -> None: ...
    def release_all(self) -> None: ...


def key_for_pyautogui(key: str) -> str:
    return _PYAUTOGUI_NAMES.get(key, key)


def text_runs(text: str) -> list[tuple[str, str]]:
    """Split text into ("keys", ascii), ("paste", other) and ("press", enter|tab) runs."""
    runs: list[tuple[str, str]] = []
    for char in text:
        if char == "\n":
            kind, piece = "press", "enter"
        elif char == "\t":
            kind, piece = "press", "tab"
        elif char in _TYPABLE:
            kind, piece = "keys", char
        else:
            kind, piece = "paste", char
        if runs and runs[-1][0] == kind and kind != "press":
            runs[-1] = (kind, runs[-1][1] + piece)
        else:
            runs.append((kind, piece))
    return runs


class PyAutoGuiDriver:
    """Real mouse and keyboard input through PyAutoGUI (XTEST on X11, SendInput on Windows)."""

    CHUNK = 16  # characters typed between two looks at the abort flag
    PASTE_TIMEOUT = 3.0  # seconds for the target app to read a paste before the run goes on

    def __init__(self):
        import pyautogui

        pyautogui.PAUSE = 0  # the player owns all timing
        pyautogui.FAILSAFE = True
        self._pg = pyautogui
        self._paste = ("command", "v") if sys.platform == "darwin" else ("ctrl", "v")
        self._button_down = False
        self._held: HeldText | None = None  # what the last paste put on the clipboard

    def _guard(self, action: Callable[[], None]) -> None:
        try:
            action()
        except self._pg.FailSafeException:
            raise FailsafeTriggered() from None

    def move(self, x, y):
        self._guard(lambda: self._pg.moveTo(x, y))

    def click(self, x, y, button="left", clicks=1):
        self._guard(lambda: self._pg.click(x, y, clicks=clicks, interval=0.05, button=button))

    def drag(self, x1, y1, x2, y2, seconds):
        def drag():
            self._pg.moveTo(x1, y1)
            self._pg.mouseDown(button="left")
            self._button_down = True
            # a few intermediate moves, so the application sees a drag and not a jump
            self._pg.moveTo(x2, y2, duration=max(0.1, seconds))
            self._pg.mouseUp(button="left")
            self._button_down = False

        self._guard(drag)

    def scroll(self, amount, x=None, y=None):
        self._guard(lambda: self._pg.scroll(amount, x=x, y=y))

    def type_text(self, text, should_stop):
        for kind, piece in text_runs(text):
            if should_stop():
                return
            if kind == "press":
                self.press(piece)
            elif kind == "keys":
                for start in range(0, len(piece), self.CHUNK):
                    if should_stop():
                        return
                    self._guard(lambda p=piece[start : start + self.CHUNK]: self._pg.write(p))
            else:
                self._paste_text(piece)

    def _paste_text(self, text: str) -> None:
        """Paste `text`, and go on only once the target has read it from the clipboard."""
        held = hold_text(text)
        if self._held is not None:
            self._held.release()
        self._held = held
        before = held.reads()
        self._guard(lambda: self._pg.hotkey(*self._paste))
        if not held.wait_read(before, self.PASTE_TIMEOUT):
            log.warning(
                "the focused window did not read the clipboard within %g s: %r may be missing",
                self.PASTE_TIMEOUT,
                text,
            )

    def press(self, key, times=1):
        name = key_for_pyautogui(key)
        self._guard(lambda: self._pg.press(name, presses=times, interval=0.02))

    def hotkey(self, keys):
        self._guard(lambda: self._pg.hotkey(*[key_for_pyautogui(k) for k in keys]))

    def release_all(self):
        """Let go of every modifier and button: an aborted run must not leave one stuck."""
        failsafe, self._pg.FAILSAFE = self._pg.FAILSAFE, False  # cleaning up must not raise
        try:
            for key in _MODIFIERS:
                self._pg.keyUp(key)
            if self._button_down:
                self._pg.mouseUp(button="left")
                self._button_down = False
        finally:
            self._pg.FAILSAFE = failsafe
