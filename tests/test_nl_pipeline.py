"""The whole training pipeline on a tiny configuration: corpus → tokenizer → a few training
steps → ONNX export → int8, and GGUF for llama.cpp → constrained decoding. Quality is not
the point here (see test_nl_model.py for the shipped model); every stage running and the
output parsing is."""

from __future__ import annotations

import json
from argparse import Namespace

import numpy as np

from app.core.language import parse_steps
from app.nl.llama_backend import LlamaModel
from app.nl.onnx_backend import OnnxModel
from app.nl.service import LlamaAssistant, OnnxAssistant
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
        keep=tmp_path / "keep",
        eval_count=30,
        write_eval=False,
    )
    report = build(args)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "config.json",
        "keep",
        "model-q8_0.gguf",
        "model.onnx",
        "tokenizer.json",
    ]
    assert (tmp_path / "keep" / "model-f16.gguf").is_file()
    config = json.loads((tmp_path / "config.json").read_text())
    assert config["model"]["n_layer"] == 2
    assert len(config["corpus_hash"]) == 64
    assert 0 <= report["metrics"]["held_out"]["accuracy"] <= 1
    for assistant in (
        OnnxAssistant(tmp_path, provider="cpu"),
        LlamaAssistant(tmp_path / "model-q8_0.gguf", tmp_path),
    ):
        for command in ["open notepad and type hello", "点击 100 200", "", "x" * 5000]:
            answer = assistant.ask(command)
            assert answer.text == "" or parse_steps(answer.text)  # never free text

    # the GGUF file is the same model: llama.cpp's logits are the fp32 ONNX model's
    prompt = [5, 17, 42, 99, 3]
    fp32, _ = OnnxModel(tmp_path / "keep", "cpu", "model.fp32.onnx").advance(None, prompt)
    f16, _ = LlamaModel(tmp_path / "keep" / "model-f16.gguf").advance(None, prompt)
    assert np.abs(f16 - fp32).max() < 0.02 * np.abs(fp32).max()
