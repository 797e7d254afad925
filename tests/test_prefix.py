"""The decoding constraint: every prefix of a canonical line passes, nothing else does."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from test_language import STEPS

from app.core.language import format_step
from app.core.prefix import can_stop, line_complete, prefix_ok


@settings(max_examples=300, deadline=None)
@given(STEPS, STEPS)
def test_every_prefix_of_canonical_lines_is_allowed(first, second):
    text = format_step(first) + "\n" + format_step(second) + "\n"
    for end in range(len(text) + 1):
        assert prefix_ok(text[:end]), repr(text[:end])
    assert can_stop(text)
    assert not can_stop(text[:-1])


@pytest.mark.parametrize(
    "text",
    [
        "clack",
        "click  10",  # two spaces
        " click",
        "click 10 20 30",
        "click abc",
        "click 010",  # not canonical
        "click 10 20 anchor 5",
        'type "abc" x',
        'type "a\\q',
        'type "a\\u00e9"',  # json.dumps writes é as itself
        "press entr ",
        "press enterr",
        "hotkey ctrl+ctrl+",
        "hotkey ctrl+shft",
        "wait 1.5000",
        "wait -1",
        "scroll 0\n",
        'type secret ""',
        'launch " "',
        'click image "bad id',
        "click 10 20\nclick 5\n",
        "click 10 20 \n",
    ],
)
def test_what_cannot_become_a_step_is_refused(text):
    assert not prefix_ok(text)


def test_stopping_needs_whole_lines():
    assert can_stop("")
    assert can_stop('type "done"\n')
    assert not can_stop('type "done"')
    assert not can_stop("press enter times 1\n")  # parses, but is not canonical
    assert line_complete("press enter times 2")
