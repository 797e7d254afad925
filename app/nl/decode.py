"""Beam search constrained to the step language.

At each position every answer still in the running is extended by its most likely tokens,
skipping those that would make the text something that can no longer become canonical step
lines (`app.core.prefix`); the `width` best extensions (by the summed log-probability of
the answer) go on. The end token is allowed only after whole lines. The first answer to end
with a score no answer in the running can still beat is the result, so width 1 is greedy
decoding. Whatever happens, the result parses: if no allowed token is left, the answer is
cut back to its last complete line.

The model writes its answers in its own form (`app.nl.prompt.model_answer`); every check
and the result are on the step-language text that form stands for.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.core.prefix import can_stop, prefix_ok, string_after
from app.nl.clauses import OPENERS
from app.nl.grounding import answer_ok, mentions
from app.nl.prompt import copying_head, steps_from_model

# (state, new token ids) → (logits [vocab] of the last one, the state after them); a state
# is never changed in place, and None is the empty one
Advance = Callable[[Any, Sequence[int]], tuple[np.ndarray, Any]]
CANDIDATES = 64  # how far down each answer's ranking to look for allowed tokens
# what the rules turn down goes to what they allow, up to this much (nats) per token: enough
# to carry the model past a line it may not write (9 in 10 of its weight), not enough to
# lift an answer whose every token is a guess. Inside a copy there is no cap: the command
# says what the copy holds, so only the model's say on where it ends counts
REFUSED_BACK_CAP = 2.5
MAX_LINES = 24


@dataclass
class Decoded:
    text: str  # step lines, each ending in "\n"; "" when the model gave no steps
    tokens: int  # tokens generated
    cut: bool  # True if the answer had to be cut back to its last whole line


@dataclass
class _Answer:
    """One answer in the running."""

    out: bytes
    score: float  # summed log-probability of its tokens
    state: Any
    logits: np.ndarray


def byte_table(tokenizer) -> list[bytes | None]:
    """Each token id's bytes (byte-level BPE); None for special tokens."""
    decode = {c: b for b, c in _bytes_to_unicode().items()}
    vocab = tokenizer.get_vocab()
    specials = {t.content for t in tokenizer.get_added_tokens_decoder().values()}
    table: list[bytes | None] = [None] * (max(vocab.values()) + 1)
    for token, index in vocab.items():
        if token not in specials:
            table[index] = bytes(decode[c] for c in token)
    return table


def constrained_search(
    advance: Advance,
    prompt_ids: Sequence[int],
    table: Sequence[bytes | None],
    end_id: int,
    max_new_tokens: int,
    tags: dict[int, bytes] | None = None,
    macros: Sequence[str] = (),
    source: str | None = None,
    width: int = 1,
) -> Decoded:
    """`tags` gives the bytes the literal tags of this prompt stand for (token id → bytes);
    a tag not in it may not be written. A `run` step may only name one of `macros` (the
    saved macros), exactly. With `source` (the command), the text a step copies from the
    command (what to type, a URL, a secret's or a screenshot's name) must be found in it
    word for word: the model chooses where a copy starts and ends, never what it holds.
    `width` answers stay in the running (1: greedy)."""
    names = tuple(json.dumps(m, ensure_ascii=False)[1:-1] for m in macros)
    if tags:
        table = list(table)
        for token, piece in tags.items():
            table[token] = piece

    said = mentions(source) if source is not None else None
    copyable = source.encode("utf-8") if source is not None else b""
    named = _macros_named(source, macros) if source is not None else ()

    def allowed(written: bytes) -> bool:
        candidate = steps_from_model(written)
        return (
            _allowed(candidate)
            and _names_ok(candidate, names)
            and (
                said is None
                or (_copies_ok(candidate, source) and answer_ok(_text(candidate), said))
            )
        )

    def may_end(out: bytes) -> bool:
        text = _text(steps_from_model(out))
        return (
            can_stop(text)
            and (said is None or answer_ok(text, said, final=True))
            and all(name in text for name in named)
        )

    logits, state = advance(None, prompt_ids)
    running = [_Answer(b"", 0.0, state, logits)]
    best: tuple[float, Decoded] | None = None  # the best answer that ended
    for count in range(max_new_tokens):
        options: list[tuple[float, _Answer, int | None]] = []  # None: the end token
        for answer in running:
            options += _extensions(answer, table, end_id, width, allowed, may_end, copyable)
        options.sort(key=lambda o: -o[0])
        going: list[tuple[float, _Answer, int]] = []
        for score, answer, token in options[:width]:
            if token is not None:
                going.append((score, answer, token))
            elif best is None or score > best[0]:
                best = (score, Decoded(_text(steps_from_model(answer.out)), count, cut=False))
        if best is not None and (not going or best[0] >= going[0][0]):
            return best[1]
        if not going:
            break
        running = []
        for score, answer, token in going:
            out = answer.out + table[token]
            if out.count(b"\n") >= MAX_LINES:
                return _cut(out, max_new_tokens)
            logits, state = advance(answer.state, [token])
            running.append(_Answer(out, score, state, logits))
    if best is not None:
        return best[1]
    return _cut(running[0].out, max_new_tokens)


def _extensions(
    answer: _Answer,
    table: Sequence[bytes | None],
    end_id: int,
    width: int,
    allowed: Callable[[bytes], bool],
    may_end: Callable[[bytes], bool],
    copyable: bytes = b"",
) -> list[tuple[float, _Answer, int | None]]:
    """Up to `width` allowed next tokens of `answer`, most likely first, with the score
    the answer would have after each. `copyable` is the command, for `_rest_of_ranking`."""
    logits = answer.logits
    shifted = logits - logits.max()
    log_probs = shifted - np.log(np.exp(shifted).sum())
    ranked = np.argpartition(-logits, CANDIDATES)[:CANDIDATES]
    ranked = ranked[np.argsort(-logits[ranked])]
    found: list[tuple[float, _Answer, int | None]] = []
    refused = 0.0  # the probability of the tokens the rules turned down
    rest = _rest_of_ranking(logits, ranked, found, table, copyable)
    for token in itertools.chain(map(int, ranked), rest):
        if token == end_id:
            if may_end(answer.out):
                found.append((answer.score + float(log_probs[token]), answer, None))
        else:
            piece = table[token] if token < len(table) else None
            if piece is None or not allowed(answer.out + piece):
                refused += float(np.exp(log_probs[token]))
                continue
            found.append((answer.score + float(log_probs[token]), answer, token))
        if len(found) == width:
            break
    # an answer the rules corrected ("type Hello" made to go on to "Hello team") is not an
    # unlikely one: the model's choice among what the rules allow counts, not against all;
    # inside a copy it is all that counts, for the command says what the copy holds
    if _copying(answer.out) and found:
        more = -float(np.log(sum(np.exp(score - answer.score) for score, _, _ in found)))
    else:
        more = min(-float(np.log1p(-min(refused, 0.999))), REFUSED_BACK_CAP)
    return [(score + more, answer, token) for score, answer, token in found]


def _copying(out: bytes) -> bool:
    """Is the answer inside a copy it has begun (`type " Zhang`), where what comes next is
    the command's text, and the model only says where the copy ends?"""
    line = _text(steps_from_model(out)).rpartition("\n")[2]
    head = copying_head(line)
    if head is None:
        return False
    body, closed = string_after(line, head)
    return bool(body) and not closed


def _rest_of_ranking(
    logits: np.ndarray,
    ranked: np.ndarray,
    found: list,
    table: Sequence[bytes | None],
    copyable: bytes,
) -> Iterator[int]:
    """The pieces of the command among the tokens below the first CANDIDATES, most likely
    first, looked at only when none of those was allowed: a copy the rules keep going
    ("Hello" of "type Hello team" may not end there) can need a token the model ranks
    lower, even near the bottom ("(" of "type ORDER #A-77812 (urgent)"). Only a piece of
    the command can go on with a copy, and checking only those keeps a stuck answer
    cheap."""
    if found or not copyable:
        return
    seen = set(map(int, ranked))
    for token in map(int, np.argsort(-logits)):
        piece = table[token] if token < len(table) else None
        if piece and token not in seen and piece in copyable:
            yield token


def _cut(out: bytes, tokens: int) -> Decoded:
    """An answer that could not end well, cut back to its last whole line."""
    text = _text(steps_from_model(out))
    return Decoded(text[: text.rfind("\n") + 1], tokens, cut=True)


def _allowed(candidate: bytes) -> bool:
    try:
        return prefix_ok(candidate.decode("utf-8"))
    except UnicodeDecodeError as bad:
        if bad.reason != "unexpected end of data":
            return False  # not a UTF-8 sequence at all
        # a character split across tokens: judge the text before it, which must be
        # inside a string (the only place such a character may stand)
        text = candidate[: bad.start].decode("utf-8", errors="strict")
        line = text[text.rfind("\n") + 1 :]
        return prefix_ok(text) and line.count('"') % 2 == 1


def _macros_named(source: str, macros: Sequence[str]) -> tuple[str, ...]:
    """The saved macros `source` names in full, as the answer writes them: a command that
    says "Do the send purchase orders 2025 for me" is not done (nor "not understood")
    until its answer holds "Send purchase orders 2025". Only a name of two words or more,
    or of three Chinese characters or more: a macro called "Save" or "Timesheet" may be
    named by chance ("save the timesheet")."""
    low = source.lower()
    return tuple(
        json.dumps(name, ensure_ascii=False)[1:-1]
        for name in macros
        if _distinctive(name)
        and re.search(rf"(?<![a-z0-9]){re.escape(name.lower())}(?![a-z0-9])", low)
    )


def _distinctive(name: str) -> bool:
    return len(name.split()) >= 2 or sum("\u4e00" <= c <= "\u9fff" for c in name) >= 3


def _names_ok(candidate: bytes, names: tuple[str, ...]) -> bool:
    """Does every `run` step written so far name a saved macro (the last one: so far)?"""
    *whole, partial = candidate.decode("utf-8", errors="ignore").split("\n")
    return all(_run_name_ok(line, names, whole=True) for line in whole) and _run_name_ok(
        partial, names, whole=False
    )


def _run_name_ok(line: str, names: tuple[str, ...], whole: bool) -> bool:
    if not line.startswith(_RUN):
        return True
    written, closed = string_after(line, _RUN)
    if not closed:
        return not whole and any(name.startswith(written) for name in names)
    return written in names


_RUN = 'run "'


def _copies_ok(candidate: bytes, source: str) -> bool:
    """Is the string of every copying step written so far a piece of `source`?"""
    whole_chars, tail = _split_partial(candidate)
    lines = whole_chars.decode("utf-8").split("\n")
    for number, line in enumerate(lines):
        head = copying_head(line)
        if head is None:
            continue
        body, closed = string_after(line, head)
        partial = tail if number == len(lines) - 1 else b""
        if not _copied(_unescaped(body), source, whole=closed, partial=partial):
            return False
    return True


def _split_partial(data: bytes) -> tuple[bytes, bytes]:
    """(whole characters, the start of a character cut off at the end)."""
    for cut in range(1, min(4, len(data)) + 1):
        lead = data[-cut]
        if lead & 0xC0 != 0x80:  # the first byte of the last character
            size = 1 if lead < 0x80 else 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
            return (data, b"") if size <= cut else (data[:-cut], data[-cut:])
    return data, b""


def _copied(value: str, source: str, whole: bool, partial: bytes = b"") -> bool:
    """Is `value` in `source`, starting (and, when `whole`, ending) where a piece of text
    can: after a space, a quote or a comma, not inside "pepper" (its "er"), "$49.99" (the
    number without its dollar) or "2024-03-15" (the year alone)? `partial`, the first
    bytes of a character still being written, must begin the character that follows."""
    if value[:1].isspace() or (whole and value[-1:].isspace()):
        return False
    at = source.find(value)
    while at >= 0:
        end = at + len(value)
        first = (value or source[end : end + 1])[:1]  # a copy's first character
        starts = at == 0 or not (
            (_glued(source[at - 1]) and _glued(first)) or _in_number(source, at - 1)
        )
        ends = (
            not whole
            or end == len(source)
            or not ((_glued(source[end]) and _glued(value[-1:])) or _in_number(source, end))
        )
        goes_on = not partial or source[end : end + 1].encode("utf-8").startswith(partial)
        bare = at == 0 or source[at - 1] not in _OPENING_QUOTES
        if bare and whole and not _REQUEST_GOES_ON.match(source, end):
            ends = False  # "type Hello team": not "Hello", whose request goes on
        if bare and source[at - 1 : at] == " " and _CODE_BEFORE.search(source, 0, at - 1):
            starts = False  # "type Q1 Sales": not "Sales", as if "Q1" were not part of it
        request = _request_start(source)
        if at < request or (at == request and any(c.isspace() for c in source[at:].strip())):
            starts = False  # "(then) type hi": not "type hi", something asks for the text first
        if starts and ends and goes_on:
            return True
        at = source.find(value, at + 1)
    return False


_OPENING_QUOTES = frozenset("\"'`“‘「『《")
# what may follow text copied without quotes, in the part of a command that asks for it:
# nothing but the sentence's end, where it goes ("in the text box", "here"), what it is
# ("password"), or the Chinese that says so ("的密码", "填进去")
_REQUEST_GOES_ON = re.compile(
    r"[\s.!?。！？…]*$|\s+(?:in|into|here|pass\w*|cred\w*|secr\w*)\b|\s*[的密填输写放贴]",
    re.IGNORECASE,
)
# a word with a digit in it ("Q1", "v2"), right before a space: it begins the text that
# follows, for what asks to copy it (the verb) has no digit
_CODE_BEFORE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]*[0-9][A-Za-z0-9]*$")
# where one piece of text may end and another begin
_EDGES = frozenset(" \t`\"'“”‘’「」『』()[]{}<>（）【】《》,.;:!?，。；：！？、…")


def _request_start(source: str) -> int:
    """Where the request itself begins: after leading spaces and openers ("then", "然后")."""
    opener = OPENERS.match(source)
    return opener.end() if opener else len(source) - len(source.lstrip())


def _in_number(source: str, at: int) -> bool:
    """Is `source[at]` a point, comma or colon between two digits ("23.11.2026", "1,250",
    "10:00"): part of the number, not where a piece of text ends?"""
    return (
        0 < at < len(source) - 1
        and source[at] in ".,:"
        and source[at - 1].isdigit()
        and source[at + 1].isdigit()
    )


def _glued(c: str) -> bool:
    """Is `c` part of a word-like run ("INV-2024", "$49", "e@x")? Not a space, a quote or
    punctuation, nor a Chinese character (Chinese does not space its words)."""
    return c != "" and c not in _EDGES and not c.isspace() and c < "\u3000"


def _unescaped(body: str) -> str:
    """String content as text; an escape cut off at the end (`\\`, `\\u00`) is dropped."""
    for cut in range(min(6, len(body)) + 1):
        try:
            return json.loads('"' + body[: len(body) - cut] + '"')
        except json.JSONDecodeError:
            continue
    return body


def _text(out: bytes) -> str:
    return out.decode("utf-8", errors="ignore")


def _bytes_to_unicode() -> dict[int, str]:
    """GPT-2's reversible map from bytes to printable characters (byte-level BPE)."""
    printable = [
        *range(ord("!"), ord("~") + 1),
        *range(ord("¡"), ord("¬") + 1),
        *range(ord("®"), ord("ÿ") + 1),
    ]
    chars = list(printable)
    extra = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + extra)
            extra += 1
    return {b: chr(c) for b, c in zip(printable, chars, strict=True)}
