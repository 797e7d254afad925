"""Literal tags: copying made a one-token job for the model.

A model this small copies a four-digit coordinate, a long URL or a Windows path unreliably,
digit by digit. So before the model sees a command, each literal in it (quoted text, web
and e-mail addresses, paths and file names, numbers) gets a numbered tag token in front:

    click at 905, 482 then type "Hello"  →  click at <|1|>905, <|2|>482 then type "<|3|>Hello"

The literal itself stays in place (the model still reads "500 ms" or a quoted program
name), but wherever the answer holds that literal exactly, the model is trained to write
the tag instead, and the decoder writes the literal (escaped as in a step-language string).
One token, copied by position, instead of a run of digits or letters.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

TAGS = tuple(f"<|{n}|>" for n in range(1, 33))
_TAG_LIKE = re.compile(r"<\|[^<>|\s]{1,16}\|>")

# opening quote → closing quote; ' and ` only count next to a non-letter (not O'Neil's)
_QUOTES = {'"': '"', "'": "'", "`": "`", "“": "”", "‘": "’", "「": "」", "『": "』"}
_WORD_BOUND_QUOTES = {"'", "`"}

_UNQUOTED = re.compile(
    r"""
      (?P<url>(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.)[^\s"“”'‘’，。；！？、（）《》「」]+)
    | (?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)
    | (?P<path>(?:[A-Za-z]:\\|\\\\)[^\s"“”'‘’，。；！？、]+
               (?:[ ](?=\S*\\|\S*\.[A-Za-z0-9]{2,5}(?:$|[\s,;，。；]))  # "Program Files\…"
                  [^\s"“”'‘’，。；！？、]+)*)
    | (?P<site>(?<![A-Za-z0-9_@.\\/\u00c0-\u024f-])[A-Za-z0-9_\u00c0-\u024f-]+
               (?:\.[A-Za-z0-9_\u00c0-\u024f-]+)*\.[a-z][a-z0-9]{1,5}
               (?:[/?#][^\s"“”'‘’，。；！？、（）《》「」]*)?(?![A-Za-z0-9_]))
    | (?P<date>(?<![A-Za-z0-9_.])[0-9]{1,4}(?P<sep>[./-])[0-9]{1,2}(?P=sep)[0-9]{1,4}
               (?![0-9]|\.[0-9]))  # 23.11.2026, 2026-11-23, 3/15/2026
    | (?P<number>(?<![A-Za-z0-9_.])[0-9]+(?:\.[0-9]+)?(?![0-9_]|\.[0-9]|[A-Za-rt-wyz]))  # 5s, 3x
    """,
    re.VERBOSE,
)
_TRAILING = ".,;:!?)]}>'\"”’。，；：！？）"
_CHINESE_CLAUSE = re.compile(r"[,;](?=[\u3400-\u9fff])")  # a Chinese clause after a comma


@dataclass(frozen=True, slots=True)
class Tagged:
    text: str  # the command with tags
    literals: tuple[str, ...]  # literals[i] is what TAGS[i] stands for


def strip_tags(text: str) -> str:
    """Tag-like markers a user typed are removed: only the tagger writes them."""
    return _TAG_LIKE.sub(" ", text)


def tag(command: str) -> Tagged:
    """Put a tag before each literal of `command`, in order, up to len(TAGS) of them."""
    spans = literal_spans(command)[: len(TAGS)]
    out, literals, at = [], [], 0
    for start, end in spans:
        out.append(command[at:start])
        out.append(TAGS[len(literals)])
        literals.append(command[start:end])
        at = start
    out.append(command[at:])
    return Tagged("".join(out), tuple(literals))


def expansion(literal: str) -> str:
    """What a tag stands for in an answer: the literal as step-language string content
    (for numbers and most text that is the literal itself)."""
    return json.dumps(literal, ensure_ascii=False)[1:-1]


def tag_answer(steps_text: str, literals: tuple[str, ...]) -> str:
    """The training answer: each exact occurrence of a literal becomes its tag.

    Longer literals first (a number inside a URL stays part of the URL); among equal ones,
    the earlier literal takes the earlier occurrence, so "click 10 10" keeps its order.
    """
    pieces: list[tuple[str, bool]] = [(steps_text, False)]  # (text, is a tag)
    order = sorted(range(len(literals)), key=lambda i: -len(expansion(literals[i])))
    for index in order:
        wanted = expansion(literals[index])
        for k, (text, is_tag) in enumerate(pieces):
            if is_tag:
                continue
            at = _find_whole(text, wanted)
            if at >= 0:
                pieces[k : k + 1] = [
                    (text[:at], False),
                    (TAGS[index], True),
                    (text[at + len(wanted) :], False),
                ]
                break
    return "".join(text for text, _ in pieces)


def literal_spans(command: str) -> list[tuple[int, int]]:
    """(start, end) of each literal in `command`, left to right: quoted text (quotes
    excluded), and outside quotes addresses, paths, file names and numbers."""
    spans: list[tuple[int, int]] = []
    at = 0
    for start, end in _quoted_spans(command):
        spans.extend(_unquoted_spans(command, at, start))
        spans.append((start, end))
        at = end
    spans.extend(_unquoted_spans(command, at, len(command)))
    return spans


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the text inside each pair of quotes, quotes excluded."""
    spans, i = [], 0
    while i < len(text):
        closer = _QUOTES.get(text[i])
        if closer and (text[i] not in _WORD_BOUND_QUOTES or not _is_word(text, i - 1)):
            end = text.find(closer, i + 1)
            while (
                end > 0 and text[i] in _WORD_BOUND_QUOTES and _is_word(text, end + 1)
            ):  # an apostrophe inside, not the closing quote
                end = text.find(closer, end + 1)
            if end > i + 1:
                spans.append((i + 1, end))
                i = end + 1
                continue
        i += 1
    return spans


def _unquoted_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    for match in _UNQUOTED.finditer(text, start, end):
        lo, hi = match.span()
        if match.lastgroup != "number":
            clause = _CHINESE_CLAUSE.search(text, lo, hi)
            if clause:
                hi = clause.start()  # "…?page=2,然后按回车": the address ends at the comma
            while hi > lo and text[hi - 1] in _TRAILING:
                hi -= 1  # sentence punctuation after an address is not part of it
        if hi > lo:
            spans.append((lo, hi))
    return spans


def _is_word(text: str, index: int) -> bool:
    return 0 <= index < len(text) and text[index].isascii() and text[index].isalnum()


def _find_whole(text: str, wanted: str) -> int:
    """First occurrence of `wanted` that is not part of a longer word or number."""
    at = text.find(wanted)
    while at >= 0:
        end = at + len(wanted)
        before_ok = not _is_word(text, at - 1) and not (
            text[at - 1 : at] == "." and _is_digit(text, at - 2)
        )
        after_ok = not _is_word(text, end) and not (
            text[end : end + 1] == "." and _is_digit(text, end + 1)
        )
        if before_ok and after_ok:
            return at
        at = text.find(wanted, at + 1)
    return -1


def _is_digit(text: str, index: int) -> bool:
    return 0 <= index < len(text) and text[index] in "0123456789"
