"""Our model as a GGUF file through llama.cpp (app/nl/llama_backend.py): the same prompt,
tokenizer and constrained, grounded search as the ONNX model, so the same answers."""

from __future__ import annotations

import pytest
from conftest import ROOT

from app.core.errors import EnvironmentProblem
from app.core.language import parse_steps
from app.core.resources import resource_path
from app.nl.service import LlamaAssistant, OnnxAssistant
from training.evaluate import read_jsonl

GGUF = resource_path("models") / "model-q8_0.gguf"
DEV = ROOT / "tests" / "data" / "nl_dev.jsonl"


@pytest.fixture(scope="module")
def llama():
    return LlamaAssistant(GGUF)


@pytest.mark.parametrize(
    ("command", "steps"),
    [
        ("open notepad and type hello world", 'launch "notepad"\ntype "hello world"\n'),
        ("在（100，200）双击，然后保存为“report.txt”",
         'double_click 100 200\nhotkey ctrl+s\ntype "report.txt"\npress enter\n'),
        ("hit f2 9 times", "press f2 times 9\n"),
    ],
)  # fmt: skip
def test_the_gguf_model_answers_in_english_and_chinese(llama, command, steps):
    answer = llama.ask(command)
    assert answer.text == steps
    assert answer.backend == "llama"
    assert parse_steps(answer.text) == answer.steps


def test_the_gguf_model_answers_the_dev_set_as_the_onnx_model_does(llama):
    onnx = OnnxAssistant(provider="cpu")
    records = read_jsonl(DEV)
    differ = [
        r["command"]
        for r in records
        if llama.ask(r["command"], r.get("macros", [])).text
        != onnx.ask(r["command"], r.get("macros", [])).text
    ]
    assert len(differ) <= len(records) // 30, differ  # int8 and q8_0 round differently


def test_a_missing_or_broken_model_file_says_so(tmp_path):
    with pytest.raises(EnvironmentProblem, match="no such GGUF model file"):
        LlamaAssistant(tmp_path / "nothing.gguf").ask("press enter")
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF" + b"\0" * 64)
    with pytest.raises(EnvironmentProblem, match="could not load this model"):
        LlamaAssistant(broken).ask("press enter")
