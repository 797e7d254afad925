"""The GBNF grammar generated from the step language (app/core/gbnf.py), checked by
llama.cpp's own grammar engine: every line the formatter writes is accepted, and lines
that are not canonical step lines are not."""

from __future__ import annotations

import ctypes
import math

import llama_cpp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_language import STEPS

from app.core.gbnf import step_grammar
from app.core.language import format_step
from app.core.resources import resource_path
from app.nl.llama_backend import load_llama


@pytest.fixture(scope="module")
def llama():
    """Our model's GGUF file: llama.cpp checks a grammar against a model's vocabulary."""
    return load_llama(resource_path("models") / "model-q8_0.gguf")


def accepts(llama, text: str) -> bool:
    """Does the grammar let `text` be written, token by token, and then end?"""
    vocab = llama_cpp.llama_model_get_vocab(llama.model)
    sampler = llama_cpp.llama_sampler_init_grammar(vocab, step_grammar().encode(), b"root")
    assert sampler, "llama.cpp could not parse the grammar"
    try:
        tokens = llama.tokenize(text.encode("utf-8"), add_bos=False, special=False)
        for token in [*tokens, llama.token_eos()]:
            candidate = (llama_cpp.llama_token_data * 1)(
                llama_cpp.llama_token_data(token, 0.0, 0.0)
            )
            array = llama_cpp.llama_token_data_array(candidate, 1, -1, False)
            llama_cpp.llama_sampler_apply(sampler, ctypes.byref(array))
            if math.isinf(candidate[0].logit):
                return False
            llama_cpp.llama_sampler_accept(sampler, token)
        return True
    finally:
        llama_cpp.llama_sampler_free(sampler)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(STEPS, min_size=1, max_size=3))
def test_every_line_the_formatter_writes_is_accepted(llama, steps):
    answer = "".join(format_step(step) + "\n" for step in steps)
    assert accepts(llama, answer), answer


def test_no_lines_at_all_is_an_answer_not_understood(llama):
    assert accepts(llama, "")


@pytest.mark.parametrize(
    "text",
    [
        "click 10 20",  # no newline: a line is not finished
        "click 010 20\n",  # a leading zero
        "click 10\n",  # a point needs two numbers
        "click  10 20\n",  # two spaces
        "wait 0.50\n",  # a trailing zero
        "wait 1.2345\n",  # more than milliseconds
        "press foo\n",  # no such key
        "press enter times 0\n",
        "hotkey ctrl\n",  # a chord joins two keys or more
        'type "a\n',  # an open string
        'type "tab\there"\n',  # a control character unescaped
        "type hello\n",  # text is quoted
        'run "Invoice" times\n',
        "Click 10 20\n",
        "scroll down\n",
        "drag 1 2 3 4\n",  # "to" between the points
        "open notepad\n",
    ],
)
def test_lines_that_are_not_canonical_steps_are_refused(llama, text):
    assert not accepts(llama, text)
