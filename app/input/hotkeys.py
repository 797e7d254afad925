"""Chords the app itself listens for (stop, abort, secret mode) in the global input stream."""

from __future__ import annotations

from typing import Any

from app.input import events as ev


class ChordTracker:
    """Follows the modifiers held down and reports when a chord of ours completes.

    A chord fires when its last key goes down while exactly its modifiers are held. The
    trigger key's events (down and the matching release) are reported as belonging to the
    chord, so a recorder can leave them out.
    """

    def __init__(self, chords: dict[tuple[str, ...], str]):
        self.chords = chords  # ("ctrl", "alt", "q") → "stop"
        self.held: set[str] = set()
        self.swallow: set[str] = set()

    def feed(self, kind: str, data: dict[str, Any]) -> tuple[str | None, bool]:
        """(the action of the chord this event completes, whether the event is part of one)."""
        key = data.get("key") or ev.key_of_char(data.get("char"))
        if key is None or kind not in (ev.KEY_DOWN, ev.KEY_UP):
            return None, False
        if kind == ev.KEY_UP:
            self.held.discard(key)
            if key in self.swallow:
                self.swallow.discard(key)
                return None, True
            return None, False
        if key in ev.MODIFIERS:
            self.held.add(key)
            return None, False
        for chord, action in self.chords.items():
            if key == chord[-1] and self.held == set(chord[:-1]):
                self.swallow.add(key)
                return action, True
        return None, False
