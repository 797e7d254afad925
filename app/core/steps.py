"""The step types: one frozen dataclass per kind of step in the step language (DESIGN §2).

Every constructor validates its arguments, so an invalid step cannot exist, whether it comes
from a file, the database, the recorder or the language model. A bad argument raises
`InvalidStep` naming the field, so a parser can point at the exact column.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields
from typing import Any, ClassVar, get_args

from app.core.keys import KEY_NAMES

MAX_COORD = 100_000  # virtual desktops reach negative and large coordinates; beyond this is a typo
MAX_TIMES = 10_000
MAX_SCROLL = 10_000
MAX_SECONDS = 86_400.0  # a day
ANCHOR_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


class InvalidStep(ValueError):
    """An argument out of range; `field` names it."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _set(step: Any, name: str, value: Any) -> None:
    object.__setattr__(step, name, value)  # frozen dataclasses normalise in __post_init__


def _int(step: Any, name: str, low: int, high: int, what: str) -> None:
    value = getattr(step, name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidStep(name, f"{what} must be a whole number, got {value!r}")
    if not low <= value <= high:
        raise InvalidStep(name, f"{what} must be between {low} and {high}, got {value}")


def _coords(step: Any, *names: str) -> None:
    for name in names:
        _int(step, name, -MAX_COORD, MAX_COORD, f"coordinate {name}")


def _times(step: Any) -> None:
    _int(step, "times", 1, MAX_TIMES, "the repeat count")


def _seconds(step: Any, name: str) -> None:
    value = getattr(step, name)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidStep(name, f"{name} must be a number of seconds, got {value!r}")
    if not 0 <= value <= MAX_SECONDS:
        raise InvalidStep(
            name, f"{name} must be between 0 and {MAX_SECONDS:g} seconds, got {value}"
        )
    _set(step, name, round(float(value), 3))  # millisecond resolution keeps the text exact


def _text(step: Any, name: str, *, allow_empty: bool = True) -> None:
    value = getattr(step, name)
    if not isinstance(value, str):
        raise InvalidStep(name, f"{name} must be text, got {value!r}")
    if not allow_empty and not value.strip():
        raise InvalidStep(name, f"{name} must not be empty")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidStep(name, f"{name} holds a lone surrogate (\\ud800-\\udfff)") from None


def _anchor(step: Any, name: str) -> None:
    value = getattr(step, name)
    if value is None:
        return
    if not isinstance(value, str) or not ANCHOR_ID.fullmatch(value):
        raise InvalidStep(
            name, f"anchor id must be 1-64 letters, digits, '_' or '-', got {value!r}"
        )


def check_key(name: str, key: Any) -> None:
    """Raise InvalidStep unless `key` is a key name of the step language."""
    if not isinstance(key, str) or key not in KEY_NAMES:
        raise InvalidStep(name, f"unknown key {key!r}")


@dataclass(frozen=True, slots=True)
class _PointerClick:
    """A click of some kind at (x, y); with an anchor, the player looks for the image first."""

    x: int
    y: int
    anchor: str | None = None

    def __post_init__(self) -> None:
        _coords(self, "x", "y")
        _anchor(self, "anchor")


@dataclass(frozen=True, slots=True)
class Click(_PointerClick):
    kind: ClassVar[str] = "click"


@dataclass(frozen=True, slots=True)
class DoubleClick(_PointerClick):
    kind: ClassVar[str] = "double_click"


@dataclass(frozen=True, slots=True)
class RightClick(_PointerClick):
    kind: ClassVar[str] = "right_click"


@dataclass(frozen=True, slots=True)
class ClickImage:
    """Click the centre of wherever image `anchor` is on the screen."""

    kind: ClassVar[str] = "click_image"
    anchor: str

    def __post_init__(self) -> None:
        if self.anchor is None:
            raise InvalidStep("anchor", "click image needs an anchor id")
        _anchor(self, "anchor")


@dataclass(frozen=True, slots=True)
class Move:
    kind: ClassVar[str] = "move"
    x: int
    y: int

    def __post_init__(self) -> None:
        _coords(self, "x", "y")


@dataclass(frozen=True, slots=True)
class Drag:
    kind: ClassVar[str] = "drag"
    x1: int
    y1: int
    x2: int
    y2: int

    def __post_init__(self) -> None:
        _coords(self, "x1", "y1", "x2", "y2")


@dataclass(frozen=True, slots=True)
class Scroll:
    """Wheel clicks, positive = up; at (x, y) when given, else where the pointer is."""

    kind: ClassVar[str] = "scroll"
    amount: int
    x: int | None = None
    y: int | None = None

    def __post_init__(self) -> None:
        _int(self, "amount", -MAX_SCROLL, MAX_SCROLL, "the scroll amount")
        if self.amount == 0:
            raise InvalidStep("amount", "the scroll amount must not be 0 (up is positive)")
        if (self.x is None) != (self.y is None):
            raise InvalidStep("x", "scroll takes both x and y, or neither")
        if self.x is not None:
            _coords(self, "x", "y")


@dataclass(frozen=True, slots=True)
class Type:
    """Type text; `{{column}}` placeholders are filled from a data row when the macro runs."""

    kind: ClassVar[str] = "type"
    text: str

    def __post_init__(self) -> None:
        _text(self, "text")


@dataclass(frozen=True, slots=True)
class TypeSecret:
    """Type a stored credential; only its name is in the macro."""

    kind: ClassVar[str] = "type_secret"
    name: str

    def __post_init__(self) -> None:
        _text(self, "name", allow_empty=False)


@dataclass(frozen=True, slots=True)
class Press:
    kind: ClassVar[str] = "press"
    key: str
    times: int = 1

    def __post_init__(self) -> None:
        check_key("key", self.key)
        _times(self)


@dataclass(frozen=True, slots=True)
class Hotkey:
    """A chord of two or more keys pressed together, in order, and released in reverse."""

    kind: ClassVar[str] = "hotkey"
    keys: tuple[str, ...]

    def __post_init__(self) -> None:
        if isinstance(self.keys, list):
            _set(self, "keys", tuple(self.keys))
        if not isinstance(self.keys, tuple) or len(self.keys) < 2:
            raise InvalidStep("keys", "a hotkey joins two or more keys with '+', e.g. ctrl+s")
        for key in self.keys:
            check_key("keys", key)
        if len(set(self.keys)) != len(self.keys):
            raise InvalidStep("keys", f"a hotkey names each key once, got {'+'.join(self.keys)}")


@dataclass(frozen=True, slots=True)
class Wait:
    kind: ClassVar[str] = "wait"
    seconds: float

    def __post_init__(self) -> None:
        _seconds(self, "seconds")


@dataclass(frozen=True, slots=True)
class WaitFor:
    """Block until image `anchor` is visible; fail after `timeout` seconds."""

    kind: ClassVar[str] = "wait_for"
    anchor: str
    timeout: float

    def __post_init__(self) -> None:
        if self.anchor is None:
            raise InvalidStep("anchor", "wait_for needs an anchor id")
        _anchor(self, "anchor")
        _seconds(self, "timeout")


@dataclass(frozen=True, slots=True)
class Launch:
    kind: ClassVar[str] = "launch"
    program: str

    def __post_init__(self) -> None:
        _text(self, "program", allow_empty=False)


@dataclass(frozen=True, slots=True)
class OpenUrl:
    kind: ClassVar[str] = "open_url"
    url: str

    def __post_init__(self) -> None:
        _text(self, "url", allow_empty=False)


@dataclass(frozen=True, slots=True)
class RunMacro:
    """Call another saved macro by name."""

    kind: ClassVar[str] = "run"
    macro: str
    times: int = 1

    def __post_init__(self) -> None:
        _text(self, "macro", allow_empty=False)
        _times(self)


@dataclass(frozen=True, slots=True)
class Screenshot:
    """Save a screenshot into the run's record."""

    kind: ClassVar[str] = "screenshot"
    name: str

    def __post_init__(self) -> None:
        _text(self, "name", allow_empty=False)


Step = (
    Click
    | DoubleClick
    | RightClick
    | ClickImage
    | Move
    | Drag
    | Scroll
    | Type
    | TypeSecret
    | Press
    | Hotkey
    | Wait
    | WaitFor
    | Launch
    | OpenUrl
    | RunMacro
    | Screenshot
)

STEP_TYPES: dict[str, type] = {cls.kind: cls for cls in get_args(Step)}
_FIELD_DEFAULTS = {cls: tuple((f.name, f.default) for f in fields(cls)) for cls in get_args(Step)}


def step_args(step: Step) -> dict[str, Any]:
    """The step's arguments as a JSON-ready dict (defaults left out), for storage."""
    args: dict[str, Any] = {}
    for name, default in _FIELD_DEFAULTS[type(step)]:
        value = getattr(step, name)
        if value == default:
            continue
        args[name] = list(value) if isinstance(value, tuple) else value
    return args


def step_from_args(kind: str, args: dict[str, Any]) -> Step:
    """Rebuild a step from `kind` and `step_args` output; raises InvalidStep or KeyError."""
    cls = STEP_TYPES[kind]
    return cls(**args)


def anchor_ids(step: Step) -> list[str]:
    """The image anchors a step refers to (zero or one)."""
    anchor = getattr(step, "anchor", None)
    return [anchor] if anchor else []
