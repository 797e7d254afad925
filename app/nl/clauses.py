"""Clauses: a command of several steps cut where its parts join.

"open notepad, type Hello world and save it" is three requests. A model this small reads
one request well and loses its place in a long one: it skips a part, repeats one, or puts
them out of order. So the assistant cuts a command at the words and punctuation that join
requests (", then", " and ", "; ", "，然后", "再" after a comma, …) and asks the model part
by part; a part it cannot understand alone goes back to its neighbour
(`app.nl.service`).

Literals never get cut: quoted text, addresses and numbers are kept whole, and so is a
comma between two numbers ("click 420, 310", "在 150，230 处"), a drag or a shortcut told
in two halves ("press at 10, 20 and drag to 30, 40", "hold ctrl and press v"), and a name
given after a comma ("take a screenshot, call it before", "截图，叫做 报销单").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol, TypeVar

from app.nl.literals import literal_spans


class _HasText(Protocol):
    text: str  # "" when not understood


Answer = TypeVar("Answer", bound=_HasText)

# more parts than this is not a list of requests but a list of something else ("a, b, c,
# …" typed text, or noise); asking part by part would only cost time (each part not
# understood is asked again with its neighbour)
MAX_CLAUSES = 12

# a joint between two requests; what it matches is dropped
_JOINT = re.compile(
    r"""
      \s*(?:[,;，；。]|(?<!\bDr)(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bNo)(?<!\bNr)(?<!\bSt)\.(?=\s)
          |!(?=\s)|！|->|→|=>)\s*
        (?:(?:and\s+)?(?:then|after\s+that|afterwards|finally|next|lastly)\b[,:]?\s*)?
    | \s+(?:and\s+then|and\s+finally|and\s+after\s+that|and\s+next
           |and(?!\s+a\s+half\b)|then)\s+  # "two and a half seconds" is one length
    | (?<=\S)\s*(?:然后|接着|之后|随后)\s*
    | \s+再\s*  # "输入 张伟 再按回车"; not the 再 of 再见 or 不再
    """,
    re.VERBOSE | re.IGNORECASE,
)
# words that open a request only to say where it stands in the order
OPENERS = re.compile(
    r"\s*(?:(?:first(?:ly)?|then|next|finally|lastly|after\s+that|and)\b[,:]?\s*"
    r"|(?:首先|先|再(?![次见])|然后|最后|接着|之后|随后)\s*)+",
    re.IGNORECASE,
)
# the second half of one drag: "press at 10, 20 and drag to 30, 40", "hold the left button
# at … and release at …"
_GESTURE_END = re.compile(
    r"(?:drag(?:ging)?|release|drop|let\s+go)(?:\s+(?:it|the\s+mouse|the\s+button))?"
    r"\s+(?:to|at|on|over)\b",
    re.IGNORECASE,
)
# the first half of one shortcut: "hold ctrl and press v", "hold down control and shift
# and hit S", "按住 Ctrl 再按 S"
_MODIFIER = r"(?:ctrl|control|ctl|shift|alt|win|windows)"
_HELD = re.compile(
    rf"(?:\b(?:hold|keep)(?:ing)?(?:\s+down)?\s+(?:the\s+)?|按住\s*)"
    rf"{_MODIFIER}(?:\s*(?:[+＋]|and)\s*{_MODIFIER})*(?:\s*(?:keys?|键))?\s*$",
    re.IGNORECASE,
)
# a name given to what the clause before made: "take a screenshot, call it X", "截图，叫做X"
_NAMING = re.compile(
    r"(?:call\s+it|called|name\s+it|named|叫做|叫|命名为|命名|名字叫|名为|取名)",
    re.IGNORECASE,
)
_NUMBER_END = re.compile(r"(?:\d|[xy]\s*[=:]\s*-?\d+)\s*[\(\[（]?$", re.IGNORECASE)
_NUMBER_START = re.compile(r"^\s*(?:[\(\[（]\s*)?(?:-?\d|[xy]\s*[=:])", re.IGNORECASE)


def clause_spans(command: str) -> list[tuple[int, int]]:
    """(start, end) of each clause of `command`, in order; one span when nothing joins."""
    protected = literal_spans(command)
    spans, start = [], 0
    for joint in _JOINT.finditer(command):
        lo, hi = joint.span()
        if any(a < hi and lo < b for a, b in protected):
            continue  # inside quoted text or an address
        if (
            _between_numbers(command, lo, hi)
            or _GESTURE_END.match(command, hi)
            or _NAMING.match(command, hi)
            or _HELD.search(command, 0, lo)
        ):
            continue
        if command[start:lo].strip():
            spans.append((start, lo))
            start = hi
    if command[start:].strip():
        spans.append((start, len(command)))
    if len(spans) < 2:
        return [(0, len(command))]
    return [_without_opener(command, s, e) for s, e in spans]


def by_clauses(
    text: str, decode: Callable[[str], Answer], left_out: list[str] | None = None
) -> list[Answer] | None:
    """`decode` asked clause by clause, in order. A clause it cannot map alone joins the
    one before it (the first: the one after), and the joined text is asked again; when
    that answer is the one before's alone, the clause added nothing and goes to `left_out`,
    so the user can be told. None when `text` is one clause or more than MAX_CLAUSES, or
    some part means nothing even joined: then the caller asks about the whole."""
    spans = clause_spans(text)
    if not 2 <= len(spans) <= MAX_CLAUSES:
        return None
    groups: list[list[int]] = []  # [start, end] of each understood part
    answers: list[Answer] = []
    carry: int | None = None  # start of a leading part not understood alone
    for start, end in spans:
        if carry is not None:
            start, carry = carry, None
        answer = decode(text[start:end])
        if answer.text:
            groups.append([start, end])
            answers.append(answer)
        elif groups:
            groups[-1][1] = end
            before, answers[-1] = answers[-1], decode(text[groups[-1][0] : end])
            if left_out is not None and answers[-1].text == before.text:
                left_out.append(text[start:end])
        else:
            carry = start
    if carry is not None or not all(a.text for a in answers):
        return None
    return answers


def _between_numbers(command: str, lo: int, hi: int) -> bool:
    """A comma in a coordinate pair ("420, 310"), not a joint."""
    punct = command[lo:hi].strip()
    if punct not in (",", "，"):
        return False
    return bool(_NUMBER_END.search(command[:lo]) and _NUMBER_START.match(command[hi:]))


def _without_opener(command: str, start: int, end: int) -> tuple[int, int]:
    while start < end and command[start].isspace():
        start += 1
    opener = OPENERS.match(command, start, end)
    if opener and opener.end() < end:
        start = opener.end()
    return start, end
