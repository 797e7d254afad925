"""The step language's grammar, written once as data.

Each step type has one *form*: a sequence of literal words, typed arguments and optional
groups. The parser and the formatter in `language.py` walk these forms; later, the GBNF
grammar for llama.cpp and the constrained decoder are generated from the same table, so the
language is defined in exactly one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from app.core import steps as s


class ArgType(Enum):
    """How one argument is written. `pattern` matches a bare token; strings are quoted tokens."""

    COORD = ("a number", r"-?[0-9]+")
    SIGNED = ("a whole number (positive = up)", r"-?[0-9]+")
    COUNT = ("a whole number of 1 or more", r"[0-9]+")
    SECONDS = ("a number of seconds (like 2 or 0.5)", r"[0-9]+(?:\.[0-9]+)?")
    KEY = ("a key name (like enter, tab, f5, a)", r"\S+")
    CHORD = ("keys joined by '+' (like ctrl+s)", r"\S+")
    STRING = ('a "quoted string"', None)
    ANCHOR = ('an image id in quotes (like "ok_button")', None)

    def __init__(self, description: str, pattern: str | None):
        self.description = description
        self.regex = re.compile(pattern) if pattern else None

    @property
    def quoted(self) -> bool:
        return self.regex is None


@dataclass(frozen=True)
class Lit:
    """A literal word: the step name or a keyword such as `to`, `times`, `anchor`."""

    word: str


@dataclass(frozen=True)
class Arg:
    """An argument stored in the step's dataclass field `field`."""

    field: str
    type: ArgType


@dataclass(frozen=True)
class Opt:
    """An optional group, written only when one of its arguments differs from its default."""

    items: tuple[Lit | Arg, ...]

    @property
    def word(self) -> str:
        first = self.items[0]
        assert isinstance(first, Lit), "an optional group starts with a keyword"
        return first.word


Item = Lit | Arg | Opt


@dataclass(frozen=True)
class Form:
    cls: type
    items: tuple[Item, ...]

    @property
    def word(self) -> str:
        first = self.items[0]
        assert isinstance(first, Lit)
        return first.word


_X, _Y = Arg("x", ArgType.COORD), Arg("y", ArgType.COORD)
_ANCHOR = Opt((Lit("anchor"), Arg("anchor", ArgType.ANCHOR)))
_TIMES = Opt((Lit("times"), Arg("times", ArgType.COUNT)))

# Order matters only where two forms share a first word: the first one listed wins a tie
# when neither matches, so its error message is the one shown.
FORMS: tuple[Form, ...] = (
    Form(s.Click, (Lit("click"), _X, _Y, _ANCHOR)),
    Form(s.ClickImage, (Lit("click"), Lit("image"), Arg("anchor", ArgType.ANCHOR))),
    Form(s.DoubleClick, (Lit("double_click"), _X, _Y, _ANCHOR)),
    Form(s.RightClick, (Lit("right_click"), _X, _Y, _ANCHOR)),
    Form(s.Move, (Lit("move"), _X, _Y)),
    Form(
        s.Drag,
        (
            Lit("drag"),
            Arg("x1", ArgType.COORD),
            Arg("y1", ArgType.COORD),
            Lit("to"),
            Arg("x2", ArgType.COORD),
            Arg("y2", ArgType.COORD),
        ),
    ),
    Form(s.Scroll, (Lit("scroll"), Arg("amount", ArgType.SIGNED), Opt((Lit("at"), _X, _Y)))),
    Form(s.Type, (Lit("type"), Arg("text", ArgType.STRING))),
    Form(s.TypeSecret, (Lit("type"), Lit("secret"), Arg("name", ArgType.STRING))),
    Form(s.Press, (Lit("press"), Arg("key", ArgType.KEY), _TIMES)),
    Form(s.Hotkey, (Lit("hotkey"), Arg("keys", ArgType.CHORD))),
    Form(s.Wait, (Lit("wait"), Arg("seconds", ArgType.SECONDS))),
    Form(
        s.WaitFor,
        (
            Lit("wait_for"),
            Lit("image"),
            Arg("anchor", ArgType.ANCHOR),
            Lit("timeout"),
            Arg("timeout", ArgType.SECONDS),
        ),
    ),
    Form(s.Launch, (Lit("launch"), Arg("program", ArgType.STRING))),
    Form(s.OpenUrl, (Lit("open_url"), Arg("url", ArgType.STRING))),
    Form(s.RunMacro, (Lit("run"), Arg("macro", ArgType.STRING), _TIMES)),
    Form(s.Screenshot, (Lit("screenshot"), Arg("name", ArgType.STRING))),
)

FORM_OF: dict[type, Form] = {form.cls: form for form in FORMS}
STEP_WORDS: tuple[str, ...] = tuple(dict.fromkeys(form.word for form in FORMS))

assert set(FORM_OF) == set(s.STEP_TYPES.values()), "every step type has exactly one form"
