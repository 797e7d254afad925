"""Which saved macro names the model is shown: only those the command may be talking about.

The model reads the names as part of its prompt, and a name full of words that mean
something else ("Confirm save dialog") pulls a small model toward them ("press enter" came
out as `hotkey ctrl+s`). So the prompt carries only the names that share a word stem with
the command (the first five letters of a word, or two Chinese characters), best first, at
most MAX_SHOWN: "run the invoice macro" still sees "Invoice entry"; "press enter" sees none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

MAX_SHOWN = 6
_LATIN_WORD = re.compile(r"[^\W\d_]{3,}")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
# words that say "a macro" rather than which one
_IGNORED = frozenset(
    "the and for then with please macro macros run play start execute launch call".split()
)


def stems(text: str) -> set[str]:
    """Word stems of `text`: Latin words by their first five letters, Chinese by pairs."""
    low = text.lower()
    found = {w[:5] for w in _LATIN_WORD.findall(low) if w not in _IGNORED}
    for run in _CJK_RUN.findall(low):
        found.update(run[i : i + 2] for i in range(max(1, len(run) - 1)))
    return found


def relevant_macros(command: str, macros: Sequence[str], limit: int = MAX_SHOWN) -> list[str]:
    """The names sharing most word stems with `command`, in their given order among equals."""
    wanted = stems(command)
    if not wanted:
        return []
    scored = [(len(wanted & stems(name)), i, name) for i, name in enumerate(macros) if name]
    best = sorted((s for s in scored if s[0] > 0), key=lambda s: (-s[0], s[1]))
    return [name for _, _, name in best[:limit]]
