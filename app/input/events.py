"""Raw input events as the recorder stores them, and key names in PyAutoGUI's spelling.

A raw event is `(t, kind, data)`: `t` is seconds since the recording started (monotonic
clock), `kind` one of the constants below, `data` a small JSON-ready dict. This module is
pure: the pynput adapter translates its objects into these names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.core.keys import KEY_NAMES

MOVE = "move"  # {x, y}
DOWN = "down"  # {x, y, button: left|right|middle, anchor?: id}
UP = "up"  # {x, y, button}
SCROLL = "scroll"  # {x, y, dx, dy}: wheel clicks, dy > 0 = up
KEY_DOWN = "key_down"  # {key}: a key name of the step language, or {char} for text
KEY_UP = "key_up"  # {key} or {char}
ANCHOR = "anchor"  # {id, x, y, w, h, png}: the patch grabbed at a button press, png in base64
SECRET = "secret"  # {name}: secret mode began; what is typed until SECRET_END is not recorded
SECRET_END = "secret_end"  # {}
HOTKEY = "hotkey"  # {keys: [...], action}: a control chord of the recorder (never a step)
STOP = "stop"  # {reason}

KINDS = frozenset(
    {MOVE, DOWN, UP, SCROLL, KEY_DOWN, KEY_UP, ANCHOR, SECRET, SECRET_END, HOTKEY, STOP}
)


@dataclass(frozen=True, slots=True)
class RawEvent:
    t: float
    kind: str
    data: dict[str, Any] = field(default_factory=dict)


# pynput's special-key names → the step language's (PyAutoGUI's). Left/right variants fold
# into one name: a macro should say `shift`, not `shift_r`.
PYNPUT_KEY_NAMES = {
    "alt": "alt",
    "alt_l": "alt",
    "alt_r": "alt",
    "alt_gr": "altright",
    "backspace": "backspace",
    "caps_lock": "capslock",
    "cmd": "win",
    "cmd_l": "win",
    "cmd_r": "win",
    "ctrl": "ctrl",
    "ctrl_l": "ctrl",
    "ctrl_r": "ctrl",
    "delete": "delete",
    "down": "down",
    "end": "end",
    "enter": "enter",
    "esc": "esc",
    "home": "home",
    "insert": "insert",
    "left": "left",
    "menu": "apps",
    "num_lock": "numlock",
    "page_down": "pagedown",
    "page_up": "pageup",
    "pause": "pause",
    "print_screen": "printscreen",
    "right": "right",
    "scroll_lock": "scrolllock",
    "shift": "shift",
    "shift_l": "shift",
    "shift_r": "shift",
    "space": "space",
    "tab": "tab",
    "up": "up",
    "media_play_pause": "playpause",
    "media_volume_mute": "volumemute",
    "media_volume_down": "volumedown",
    "media_volume_up": "volumeup",
    "media_previous": "prevtrack",
    "media_next": "nexttrack",
    **{f"f{n}": f"f{n}" for n in range(1, 25)},
}

MODIFIER_ORDER = ("ctrl", "alt", "shift", "win")
MODIFIERS = frozenset(MODIFIER_ORDER)


def parse_chord(text: str) -> tuple[str, ...]:
    """`"ctrl+alt+q"` → `("ctrl", "alt", "q")`; raises ValueError for a malformed chord."""
    keys = tuple(part.strip().lower() for part in text.split("+"))
    if len(keys) < 2 or not all(keys) or keys[-1] in MODIFIERS:
        raise ValueError(f"a hotkey is modifiers then one key, like ctrl+alt+q; got {text!r}")
    if not set(keys[:-1]) <= MODIFIERS:
        raise ValueError(f"only ctrl, alt, shift and win can hold a hotkey; got {text!r}")
    return keys


def key_of_char(char: str | None) -> str | None:
    """The key that types `char`: 'A' → 'a'; ctrl turns letters into control codes on Windows."""
    if not char:
        return None
    if len(char) == 1 and 1 <= ord(char) <= 26:
        return chr(ord(char) + 96)
    key = char.lower()
    if key == "+":
        return "plus"
    return key if key in KEY_NAMES else None
