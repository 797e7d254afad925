"""The ONNX model through onnxruntime, one KV-cached decoding session at a time.

Providers: CUDA when onnxruntime-gpu finds a GPU, else the CPU; which one runs is reported.
Threads are capped and do not spin, so the model leaves the UI and the player their CPU.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from app.core.errors import EnvironmentProblem


class OnnxModel:
    def __init__(self, model_dir: Path, provider: str = "auto", file: str = "model.onnx"):
        import onnxruntime as ort

        path = model_dir / file
        if not path.is_file():
            raise EnvironmentProblem(
                f"{path}: the language model is missing; run: python -m "
                "training all (or reinstall the app)"
            )
        self.config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        available = ort.get_available_providers()
        wanted = {
            "auto": ["CUDAExecutionProvider", "CPUExecutionProvider"],
            "cuda": ["CUDAExecutionProvider", "CPUExecutionProvider"],
            "cpu": ["CPUExecutionProvider"],
        }[provider]
        providers = [p for p in wanted if p in available]
        self.notice = None
        if provider == "cuda" and "CUDAExecutionProvider" not in available:
            self.notice = "CUDA was asked for but is not available: running on the CPU"
        options = ort.SessionOptions()
        options.intra_op_num_threads = min(4, os.cpu_count() or 1)
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(path), options, providers=providers)
        self.provider = self.session.get_providers()[0]
        cuda_failed = "CUDAExecutionProvider" in providers and self.provider != providers[0]
        if cuda_failed and not self.notice:
            self.notice = "the CUDA provider did not start: running on the CPU"
        shape = self.config["model"]
        self.n_layer, self.n_head = shape["n_layer"], shape["n_head"]
        self.head_dim = shape["n_embd"] // shape["n_head"]
        self.max_positions = shape["n_positions"]
        self._outputs = [o.name for o in self.session.get_outputs()]
        self._empty = [np.zeros((1, self.n_head, 0, self.head_dim), np.float32)] * (
            2 * self.n_layer
        )

    def advance(self, state, ids: Sequence[int]) -> tuple[np.ndarray, tuple]:
        """Feed `ids` after `state` (None: the empty state): the logits of the last one and
        the new state. States are never changed in place, so a search can branch from one."""
        past, length = state or (self._empty, 0)
        new = len(ids)
        feeds = {
            "input_ids": np.asarray([ids], np.int64),
            "attention_mask": np.ones((1, length + new), np.int64),
            "position_ids": np.arange(length, length + new, dtype=np.int64)[None],
        }
        for i in range(self.n_layer):
            feeds[f"past.{i}.key"] = past[2 * i]
            feeds[f"past.{i}.value"] = past[2 * i + 1]
        logits, *present = self.session.run(self._outputs, feeds)
        return logits[0, -1], (present, length + new)
