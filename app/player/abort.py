"""The stop hotkey during a run: a global listener that sets the player's abort flag.

It listens to the same input stream as the recorder, so it works while the player itself
holds the mouse or types; the flag is checked between steps and inside every wait.
"""

from __future__ import annotations

import threading
import time

from app.input.hotkeys import ChordTracker
from app.input.listener import InputListener, make_listener


class AbortWatcher:
    def __init__(self, chord: tuple[str, ...], abort: threading.Event):
        self.abort = abort
        self.pressed_at: float | None = None  # monotonic time the chord went down
        self._tracker = ChordTracker({chord: "abort"})
        self._listener: InputListener = make_listener(self._on_input)

    def start(self) -> None:
        self._listener.start()

    def stop(self) -> None:
        self._listener.stop()

    def _on_input(self, kind: str, data: dict, when: float) -> None:
        action, _ = self._tracker.feed(kind, data)
        if action and not self.abort.is_set():
            self.pressed_at = when
            self.abort.set()

    def __enter__(self) -> AbortWatcher:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def seconds_since(moment: float | None) -> float | None:
    return None if moment is None else time.monotonic() - moment
