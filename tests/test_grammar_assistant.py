"""A GGUF model that is not ours (app/nl/grammar_assistant.py): it gets the step language
described in words and its chat template, and llama.cpp holds what it writes to the step
grammar, so whatever it writes parses. The model here is our own, renamed and given a
longer position table: it does not understand this prompt, which is the point: even a
model that writes nonsense can only write steps."""

from __future__ import annotations

import json

import gguf
import numpy as np
import pytest

from app.core.errors import EnvironmentProblem
from app.core.language import parse_steps
from app.core.resources import resource_path
from app.nl.grammar_assistant import GrammarAssistant, llama_assistant
from app.nl.service import LlamaAssistant
from training.gguf_export import write_gguf

MODELS = resource_path("models")


def foreign_model(path, positions: int):
    """Our shipped GGUF as someone else's model, with `positions` learned positions."""
    reader = gguf.GGUFReader(MODELS / "model-q8_0.gguf")
    tensors = {t.name: gguf.quants.dequantize(t.data, t.tensor_type) for t in reader.tensors}
    table = tensors["position_embd.weight"]
    tensors["position_embd.weight"] = np.resize(table, (positions, table.shape[1]))
    shape = json.loads((MODELS / "config.json").read_text())["model"]
    config = {**shape, "n_positions": positions, "bos_token_id": 3, "eos_token_id": 3}
    return write_gguf(tensors, MODELS / "tokenizer.json", config, path, "q8_0", "Someone's model")


@pytest.fixture(scope="module")
def foreign(tmp_path_factory):
    return foreign_model(tmp_path_factory.mktemp("gguf") / "other.gguf", 1024)


def test_a_model_that_is_not_ours_gets_the_grammar_and_ours_gets_our_decoding(foreign):
    assert isinstance(llama_assistant(foreign), GrammarAssistant)
    assert isinstance(llama_assistant(MODELS / "model-q8_0.gguf"), LlamaAssistant)
    assert isinstance(llama_assistant(None), LlamaAssistant)  # the shipped file


@pytest.mark.parametrize(
    "command", ["open notepad", "打开记事本，然后输入你好", "run the invoice macro twice", ""]
)
def test_whatever_a_foreign_model_writes_is_steps_or_not_understood(foreign, command):
    answer = llama_assistant(foreign).ask(command, ["Invoice entry"])
    assert answer.backend == "llama"
    if answer.text:
        assert parse_steps(answer.text) == answer.steps
    else:
        assert answer.steps == []


def test_a_model_too_short_for_the_guide_says_so_and_does_not_crash(tmp_path):
    short = foreign_model(tmp_path / "short.gguf", 256)  # GPT-2 aborts past its positions
    with pytest.raises(EnvironmentProblem, match="reads 256 tokens at most"):
        llama_assistant(short).ask("open notepad")
