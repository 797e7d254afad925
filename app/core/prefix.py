"""Is this text the beginning of valid step lines? — the constraint behind model decoding.

A language model writes step lines a token at a time. Before each token the decoder asks
`prefix_ok(text + token)`: only continuations that can still become canonical step lines
(exactly as `format_step` writes them: one space between words, canonical numbers) are
allowed, so the finished output always parses. The check walks the same forms as the
parser (`grammar.FORMS`), so the language is still defined in one place.
"""

from __future__ import annotations

import json
import re
from functools import cache

from app.core.errors import StepSyntaxError
from app.core.grammar import FORMS, Arg, ArgType, Lit, Opt
from app.core.keys import KEY_NAMES
from app.core.language import format_seconds, format_step, parse_line
from app.core.steps import ANCHOR_ID

_INT = re.compile(r"-?(0|[1-9][0-9]*)")
_INT_PREFIX = re.compile(r"-?(0|[1-9][0-9]{0,5})?")
_COUNT = re.compile(r"[1-9][0-9]*")
_COUNT_PREFIX = re.compile(r"([1-9][0-9]{0,4})?")
_SECONDS_PREFIX = re.compile(r"((0|[1-9][0-9]{0,4})(\.[0-9]{0,3})?)?")
_ANCHOR_CHARS = re.compile(r"[A-Za-z0-9_-]*")
_CONTROL_ESCAPE = re.compile(r"(0(0([01][0-9a-f]?)?)?)?")  # a prefix of 00XX, XX < 0x20
_KEYS = sorted(KEY_NAMES)


def prefix_ok(text: str) -> bool:
    """Can `text` be extended into canonical step lines, each ending in a newline?"""
    *complete, partial = text.split("\n")
    return all(line_complete(line) for line in complete) and (
        partial == "" or line_prefix_ok(partial)
    )


def can_stop(text: str) -> bool:
    """Is `text` a whole answer: nothing, or complete lines ending in a newline?"""
    return text == "" or (text.endswith("\n") and prefix_ok(text))


@cache
def line_complete(line: str) -> bool:
    """Is `line` exactly one step as `format_step` writes it?"""
    try:
        step = parse_line(line)
    except StepSyntaxError:
        return False
    return step is not None and format_step(step) == line


def line_prefix_ok(partial: str) -> bool:
    """Can `partial` (no newline) grow into one canonical step line?"""
    if not partial or partial.startswith(" ") or "  " in partial:
        return partial == ""
    split = _split(partial)
    if split is None:
        return False
    tokens, open_end = split
    return any(_fits(sequence, tokens, open_end) for sequence in _sequences())


def _split(partial: str) -> tuple[list[str], bool] | None:
    """Raw tokens (strings keep their quotes); `open_end`: the last token may still grow."""
    tokens: list[str] = []
    i, n = 0, len(partial)
    while i < n:
        if partial[i] == " ":
            i += 1
            continue
        if partial[i] == '"':
            end = string_end(partial, i)
            if end is None:  # an open string: only valid as the last token
                tokens.append(partial[i:])
                return tokens, True
            tokens.append(partial[i:end])
            if end < n and partial[end] != " ":
                return None
            i = end
        else:
            j = partial.find(" ", i)
            j = n if j < 0 else j
            if '"' in partial[i:j]:
                return None
            tokens.append(partial[i:j])
            i = j
    return tokens, not partial.endswith(" ")


def string_end(text: str, start: int) -> int | None:
    """Index just past the string literal opened by the quote at `start`; None while open."""
    i = start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2 if text[i + 1 : i + 2] != "u" else 6
        elif text[i] == '"':
            return i + 1
        else:
            i += 1
    return None


def string_after(line: str, head: str) -> tuple[str, bool]:
    """The string `line` opens with `head` (which ends in its opening quote), as written so
    far, and whether it is closed."""
    end = string_end(line, len(head) - 1)
    return line[len(head) : len(line) if end is None else end - 1], end is not None


@cache
def _sequences() -> tuple[tuple[Lit | Arg, ...], ...]:
    """Every form with its optional group left out and put in: flat item sequences."""
    result = []
    for form in FORMS:
        variants: list[tuple] = [()]
        for item in form.items:
            if isinstance(item, Opt):
                variants = [v + extra for v in variants for extra in ((), item.items)]
            else:
                variants = [(*v, item) for v in variants]
        result.extend(variants)
    return tuple(result)


def _fits(sequence, tokens: list[str], open_end: bool) -> bool:
    if len(tokens) > len(sequence) or (not open_end and len(tokens) == len(sequence)):
        return False  # too long, or a space after the last word where nothing can follow
    last = len(tokens) - 1
    for index, token in enumerate(tokens):
        item = sequence[index]
        growing = open_end and index == last
        if not (_item_prefix(item, token) if growing else _item_whole(item, token)):
            return False
    return True


def _item_whole(item: Lit | Arg, token: str) -> bool:
    if isinstance(item, Lit):
        return token == item.word
    kind = item.type
    if kind.quoted:
        try:
            value = json.loads(token)
        except json.JSONDecodeError:
            return False
        if not isinstance(value, str):
            return False
        if kind is ArgType.ANCHOR:
            return bool(ANCHOR_ID.fullmatch(value))
        if item.field != "text" and not value.strip():
            return False  # only `type` takes empty text
        return json.dumps(value, ensure_ascii=False) == token
    if kind in (ArgType.COORD, ArgType.SIGNED):
        return bool(_INT.fullmatch(token)) and token != "-0"
    if kind is ArgType.COUNT:
        return bool(_COUNT.fullmatch(token))
    if kind is ArgType.SECONDS:
        try:
            return format_seconds(round(float(token), 3)) == token
        except ValueError:
            return False
    if kind is ArgType.KEY:
        return token in KEY_NAMES
    keys = token.split("+")  # CHORD
    return len(keys) >= 2 and len(set(keys)) == len(keys) and all(k in KEY_NAMES for k in keys)


def _item_prefix(item: Lit | Arg, token: str) -> bool:
    if isinstance(item, Lit):
        return item.word.startswith(token)
    kind = item.type
    if kind.quoted:
        if not token.startswith('"'):
            return False
        if string_end(token, 0) == len(token):  # closed: it must be whole now
            return _item_whole(item, token)
        return _open_string_ok(token[1:], kind is ArgType.ANCHOR)
    if kind in (ArgType.COORD, ArgType.SIGNED):
        return bool(_INT_PREFIX.fullmatch(token))
    if kind is ArgType.COUNT:
        return bool(_COUNT_PREFIX.fullmatch(token))
    if kind is ArgType.SECONDS:
        return bool(_SECONDS_PREFIX.fullmatch(token))
    if kind is ArgType.KEY:
        return _key_prefix(token)
    *whole, last = token.split("+")  # CHORD
    return (
        all(k in KEY_NAMES for k in whole)
        and len(set(whole)) == len(whole)
        and ((last == "" and bool(whole)) or _key_prefix(last))
    )


@cache
def _key_prefix(text: str) -> bool:
    return any(key.startswith(text) for key in _KEYS)


def _open_string_ok(body: str, anchor: bool) -> bool:
    """The inside of a string not yet closed: escapes so far valid, no raw control chars."""
    if anchor:
        return bool(_ANCHOR_CHARS.fullmatch(body)) and len(body) < 64
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            escape = body[i + 1 : i + 2]
            if escape == "":
                return True  # the escape is still being written
            if escape == "u":  # json.dumps writes \u only for control characters
                digits = body[i + 2 : i + 6]
                if not _CONTROL_ESCAPE.fullmatch(digits):
                    return False
                i += 6
                continue
            if escape not in '"\\bfnrt':
                return False
            i += 2
        elif ord(c) < 0x20:
            return False
        else:
            i += 1
    return True
