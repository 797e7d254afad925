"""The whole training pipeline on a tiny configuration: corpus → tokenizer → a few training
steps → ONNX export → int8 → constrained decoding. Quality is not the point here (see
test_nl_model.py for the shipped model); every stage running and the output parsing is."""

from __future__ import annotations

import json
from argparse import Namespace

from app.core.language import parse_steps
from app.nl.service import OnnxAssistant
from training.__main__ import build


def test_tiny_pipeline_builds_a_model_whose_answers_always_parse(tmp_path):
    args = Namespace(
        size="tiny",
        count=1500,
        epochs=1,
        lr=3e-3,
        seed=7,
        threads=None,
        out=tmp_path,
        eval_count=30,
        write_eval=False,
    )
    report = build(args)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "config.json",
        "model.onnx",
        "tokenizer.json",
    ]
    config = json.loads((tmp_path / "config.json").read_text())
    assert config["model"]["n_layer"] == 2
    assert len(config["corpus_hash"]) == 64
    assert 0 <= report["metrics"]["held_out"]["accuracy"] <= 1
    assistant = OnnxAssistant(tmp_path, provider="cpu")
    for command in ["open notepad and type hello", "点击 100 200", "", "x" * 5000]:
        answer = assistant.ask(command)
        assert answer.text == "" or parse_steps(answer.text)  # never free text
