"""Our model as a GGUF file through llama.cpp (app/nl/llama_backend.py): the same prompt,
tokenizer and constrained, grounded search as the ONNX model, so the same answers."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest
from conftest import ROOT, run_cli

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
    other = tmp_path / "other.gguf"  # a model that is not ours: our prompt would mean nothing
    other.write_bytes(GGUF.read_bytes().replace(b"RPA Assistant steps", b"Someone else's LLMs"))
    with pytest.raises(EnvironmentProblem, match="not RPA Assistant's own model"):
        LlamaAssistant(other).ask("press enter")


def test_ask_on_the_command_line_with_the_llama_backend(tmp_path):
    db = tmp_path / "rpa.db"
    result = run_cli("ask", "--backend", "llama", "打开记事本", db=db)
    assert result.returncode == 0, result.stderr
    assert result.stdout == 'launch "notepad"\n'
    chat = sqlite3.connect(db).execute("select backend from chat").fetchall()
    assert chat == [("llama",)]

    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text('{"command": "press enter twice"}\n', encoding="utf-8")
    copy = shutil.copy(GGUF, tmp_path / "mine.gguf")  # --model: any path to the file
    batch = run_cli("ask", "--backend", "llama", "--model", copy, "--batch", source, "--out", out,
                    db=db)  # fmt: skip
    assert batch.returncode == 0, batch.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["steps"] == "press enter times 2\n"


def test_the_command_line_names_a_bad_model_choice(tmp_path):
    missing = run_cli("ask", "--backend", "llama", "--model", tmp_path / "x.gguf", "press enter")
    assert missing.returncode != 0
    assert "x.gguf: no such GGUF model file" in missing.stderr
    alone = run_cli("ask", "--model", tmp_path / "x.gguf", "press enter")
    assert alone.returncode == 2
    assert "--model FILE.gguf goes with --backend llama" in alone.stderr


def test_asking_for_the_gpu_says_where_it_runs():
    import llama_cpp

    answer = LlamaAssistant(provider="cuda").ask("press enter")
    assert answer.text == "press enter\n"
    if llama_cpp.llama_supports_gpu_offload():
        assert LlamaAssistant(provider="cuda").provider == "llama.cpp GPU"
    else:  # a build for the CPU only: it says so, and answers all the same
        assert "built without GPU support: running on the CPU" in " ".join(answer.notices)
