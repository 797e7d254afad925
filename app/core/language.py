"""Parse and format the step language (DESIGN §2), driven by the forms in `grammar.py`.

One step per line. Words are separated by spaces or tabs; strings are double-quoted with
JSON escapes; a word starting with `#` begins a comment that runs to the end of the line.
Errors name the line and column and say what was expected and what was found.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, fields
from typing import Any

from app.core.errors import StepSyntaxError
from app.core.grammar import FORM_OF, FORMS, STEP_WORDS, Arg, ArgType, Form, Lit, Opt
from app.core.keys import KEY_NAMES
from app.core.steps import InvalidStep, Step

_ESCAPES = set('"\\/bfnrtu')
_HEX = set("0123456789abcdefABCDEF")
_SPACE = " \t"


@dataclass(frozen=True, slots=True)
class Token:
    """A word or a string on one line; `col` is 1-based, `end` the column just past it."""

    text: str  # the word, or the decoded string
    col: int
    end: int
    quoted: bool

    def shown(self) -> str:
        """How an error message shows what was found."""
        if self.quoted:
            text = self.text if len(self.text) <= 40 else self.text[:37] + "..."
            return "the string " + json.dumps(text, ensure_ascii=False)
        return json.dumps(self.text, ensure_ascii=False)


class _Fail(Exception):
    def __init__(self, index: int, message: str, col_offset: int = 0):
        self.index, self.message, self.col_offset = index, message, col_offset


# ---------------------------------------------------------------- tokenizing


def tokenize(line: str, lineno: int = 1) -> list[Token]:
    """Split one line into tokens; raises StepSyntaxError for a malformed string."""
    tokens: list[Token] = []
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if c in _SPACE:
            i += 1
        elif c == "#":
            break
        elif c == '"':
            end = _string_end(line, i, lineno)
            tokens.append(Token(json.loads(line[i:end]), i + 1, end + 1, True))
            if end < n and line[end] not in _SPACE:
                raise StepSyntaxError(
                    f"expected a space after the string, got {json.dumps(line[end])}",
                    lineno,
                    end + 1,
                )
            i = end
        else:
            j = i
            while j < n and line[j] not in _SPACE:
                if line[j] == '"':
                    raise StepSyntaxError(
                        'a string must start after a space (strings are "quoted")', lineno, j + 1
                    )
                j += 1
            tokens.append(Token(line[i:j], i + 1, j + 1, False))
            i = j
    return tokens


def _string_end(line: str, start: int, lineno: int) -> int:
    """Index just past the closing quote of the string opening at `start`."""
    i, n = start + 1, len(line)
    while i < n:
        c = line[i]
        if c == '"':
            return i + 1
        if c == "\\":
            escape = line[i + 1 : i + 2]
            if escape not in _ESCAPES or not escape:
                shown = json.dumps("\\" + escape) if escape else "a lone \\ at the end of the line"
                raise StepSyntaxError(
                    f"bad escape {shown} in string "
                    '(allowed: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)',
                    lineno,
                    i + 1,
                )
            if escape == "u":
                digits = line[i + 2 : i + 6]
                if len(digits) != 4 or not set(digits) <= _HEX:
                    raise StepSyntaxError(
                        "bad escape in string: \\u takes four hex digits, like \\u00e9",
                        lineno,
                        i + 1,
                    )
                i += 6
            else:
                i += 2
        elif ord(c) < 0x20:
            raise StepSyntaxError(
                f"control character U+{ord(c):04X} in string; write it as an escape "
                f"({json.dumps(c)})",
                lineno,
                i + 1,
            )
        else:
            i += 1
    raise StepSyntaxError(
        'unterminated string: it opens here but has no closing " on this line', lineno, start + 1
    )


# ---------------------------------------------------------------- parsing


def parse_line(line: str, lineno: int = 1) -> Step | None:
    """Parse one line into a step, or None for a blank or comment line."""
    tokens = tokenize(line.rstrip("\r"), lineno)
    if not tokens:
        return None
    head = tokens[0]
    if head.quoted:
        raise StepSyntaxError(
            f"a line starts with a step name (like click or type), got {head.shown()}",
            lineno,
            head.col,
        )
    forms = [form for form in FORMS if form.word == head.text]
    if not forms:
        raise StepSyntaxError(_unknown_step(head.text), lineno, head.col)
    best: _Fail | None = None
    for form in forms:
        try:
            return _build(form, tokens, lineno)
        except _Fail as fail:
            if best is None or fail.index > best.index:
                best = fail
    assert best is not None
    col = tokens[best.index].col if best.index < len(tokens) else tokens[-1].end + 1
    raise StepSyntaxError(best.message, lineno, col + best.col_offset)


def parse_steps(text: str, first_line: int = 1) -> list[Step]:
    """Parse step-language text, one step per non-blank, non-comment line."""
    result = []
    for lineno, line in enumerate(text.split("\n"), start=first_line):
        step = parse_line(line, lineno)
        if step is not None:
            result.append(step)
    return result


def _unknown_step(word: str) -> str:
    message = f"unknown step {json.dumps(word, ensure_ascii=False)}"
    close = difflib.get_close_matches(word.lower(), STEP_WORDS, n=1, cutoff=0.6)
    if close:
        message += f" (did you mean '{close[0]}'?)"
    return message + "; steps are: " + ", ".join(STEP_WORDS)


def _build(form: Form, tokens: list[Token], lineno: int) -> Step:
    values: dict[str, Any] = {}
    where: dict[str, int] = {}
    index = _match(form.items[1:], tokens, 1, values, where)
    if index < len(tokens):
        skipped = [item.word for item in _trailing_options(form, values)]
        expected = " or ".join([f"'{w}'" for w in skipped] + ["the end of the line"])
        said = " ".join(_brief(t) for t in tokens[:index])
        raise _Fail(
            index, f"unexpected {tokens[index].shown()} after '{said}' (expected {expected})"
        )
    try:
        return form.cls(**values)
    except InvalidStep as bad:
        raise _Fail(where.get(bad.field, 0), str(bad)) from None


def _brief(token: Token) -> str:
    """A token as written, shortened, for "after '...'" in messages."""
    if not token.quoted:
        return token.text
    text = json.dumps(token.text, ensure_ascii=False)
    return text if len(text) <= 24 else text[:20] + '..."'


def _trailing_options(form: Form, values: dict[str, Any]) -> list[Opt]:
    """Optional groups at the end of the form that the line did not use."""
    result: list[Opt] = []
    for item in reversed(form.items):
        if not isinstance(item, Opt):
            break
        if not any(isinstance(a, Arg) and a.field in values for a in item.items):
            result.insert(0, item)
    return result


def _match(items, tokens: list[Token], index: int, values: dict, where: dict) -> int:
    for item in items:
        if isinstance(item, Opt):
            token = tokens[index] if index < len(tokens) else None
            if token is not None and not token.quoted and token.text == item.word:
                index = _match(item.items, tokens, index, values, where)
            continue
        prev_text = _brief(tokens[index - 1])
        found = tokens[index].shown() if index < len(tokens) else "the end of the line"
        if isinstance(item, Lit):
            token = tokens[index] if index < len(tokens) else None
            if token is None or token.quoted or token.text != item.word:
                raise _Fail(index, f"expected '{item.word}' after '{prev_text}', got {found}")
        else:
            if index >= len(tokens):
                raise _Fail(
                    index, f"expected {item.type.description} after '{prev_text}', got {found}"
                )
            values[item.field] = _convert(item, tokens[index], index, prev_text)
            where[item.field] = index
        index += 1
    return index


def _convert(arg: Arg, token: Token, index: int, prev_text: str) -> Any:
    expected = f"expected {arg.type.description} after '{prev_text}', got {token.shown()}"
    if arg.type.quoted:
        if not token.quoted:
            raise _Fail(index, expected)
        return token.text
    if token.quoted or not arg.type.regex.fullmatch(token.text):
        raise _Fail(index, expected)
    match arg.type:
        case ArgType.SECONDS:
            return float(token.text)
        case ArgType.KEY:
            _check_key_name(token.text, index, 0)
            return token.text
        case ArgType.CHORD:
            return _chord(token.text, index)
        case _:
            return int(token.text)


def _chord(text: str, index: int) -> tuple[str, ...]:
    keys = tuple(text.split("+"))
    offset = 0
    for key in keys:
        if not key:
            raise _Fail(
                index,
                "empty key in a hotkey: keys are joined by single '+' (write the + key as 'plus')",
                offset,
            )
        _check_key_name(key, index, offset)
        offset += len(key) + 1
    return keys


def _check_key_name(key: str, index: int, offset: int) -> None:
    if key in KEY_NAMES:
        return
    message = f"unknown key {json.dumps(key, ensure_ascii=False)}"
    close = difflib.get_close_matches(key.lower(), sorted(KEY_NAMES), n=1, cutoff=0.6)
    if key.lower() in KEY_NAMES:
        message += f" (key names are lower case: '{key.lower()}')"
    elif close:
        message += f" (did you mean '{close[0]}'?)"
    raise _Fail(index, message, offset)


# ---------------------------------------------------------------- formatting


def format_step(step: Step) -> str:
    """The one canonical line for a step; `parse_line(format_step(s)) == s`."""
    form = FORM_OF[type(step)]
    defaults = {f.name: f.default for f in fields(step)}
    words: list[str] = []
    for item in form.items:
        if isinstance(item, Opt):
            args = [a for a in item.items if isinstance(a, Arg)]
            if all(getattr(step, a.field) == defaults[a.field] for a in args):
                continue
            words.extend(_format_item(step, sub) for sub in item.items)
        else:
            words.append(_format_item(step, item))
    return " ".join(words)


def format_steps(steps) -> str:
    return "".join(format_step(step) + "\n" for step in steps)


def _format_item(step: Step, item: Lit | Arg) -> str:
    if isinstance(item, Lit):
        return item.word
    value = getattr(step, item.field)
    match item.type:
        case ArgType.STRING | ArgType.ANCHOR:
            return json.dumps(value, ensure_ascii=False)
        case ArgType.SECONDS:
            return format_seconds(value)
        case ArgType.CHORD:
            return "+".join(value)
        case _:
            return str(value)


def format_seconds(value: float) -> str:
    """Seconds with up to millisecond precision and no trailing zeros: 2, 0.5, 1.25."""
    return f"{value:.3f}".rstrip("0").rstrip(".")
