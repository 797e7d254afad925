"""A GGUF model through llama.cpp (llama-cpp-python), one decoding at a time.

`LlamaModel.advance` has the ONNX model's contract (`app.nl.onnx_backend`), so our own
model converted to GGUF (`training.gguf_export`) runs under the same constrained, grounded
search. llama.cpp keeps one sequence in its cache: a search that branches back to an
earlier answer has the tokens after their common start evaluated again (a few tokens, for
answers that differ only in their last line).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from app.core.errors import EnvironmentProblem

INSTALL_HINT = "install it with: pip install -e '.[llama]' (it compiles llama.cpp: minutes)"


def load_llama(path: Path, gpu: bool = False, n_ctx: int = 0):
    """A `llama_cpp.Llama` for `path`, with a clear error for a missing package or file."""
    try:
        import llama_cpp
    except ImportError as missing:
        raise EnvironmentProblem(f"the llama backend needs llama-cpp-python; {INSTALL_HINT}") from (
            missing
        )
    if not path.is_file():
        raise EnvironmentProblem(f"{path}: no such GGUF model file")
    try:
        return llama_cpp.Llama(
            model_path=str(path),
            n_ctx=n_ctx,
            n_threads=min(4, os.cpu_count() or 1),
            n_gpu_layers=-1 if gpu else 0,
            logits_all=True,
            verbose=False,
        )
    except (ValueError, RuntimeError) as bad:
        raise EnvironmentProblem(f"{path}: llama.cpp could not load this model ({bad})") from bad


OUR_MODEL_NAME = "RPA Assistant steps model"  # general.name of `training.gguf_export`'s files


def gpu_offload() -> bool:
    """Was this llama.cpp built with a GPU backend (CUDA, Metal, …)?"""
    try:
        import llama_cpp
    except ImportError:
        return False  # load_llama says what to install
    return bool(llama_cpp.llama_supports_gpu_offload())


def is_our_model(path: Path) -> bool:
    """Was `path` written by `training.gguf_export`? Its name is among the first key-values
    of the file's header, so a look at the start of the file tells."""
    try:
        with path.open("rb") as file:
            return OUR_MODEL_NAME.encode() in file.read(1 << 16)
    except OSError:
        return False


class LlamaModel:
    """Our model's GGUF file: the engine under `OnnxAssistant` when it runs on llama.cpp."""

    def __init__(self, path: Path, provider: str = "cpu"):
        gpu = provider in ("auto", "cuda") and gpu_offload()
        self.llama = load_llama(path, gpu)
        name = self.llama.metadata.get("general.name", "")
        if name != OUR_MODEL_NAME:
            raise EnvironmentProblem(
                f"{path}: not RPA Assistant's own model (its name is {name!r}): it would need "
                "our prompt and tokenizer; write ours with python -m training gguf"
            )
        self.max_positions = self.llama.n_ctx()
        self.notice = None
        if provider == "cuda" and not gpu:
            self.notice = "this llama.cpp was built without GPU support: running on the CPU"
        self.provider = "llama.cpp " + ("GPU" if gpu else "CPU")

    def advance(self, state, ids: Sequence[int]) -> tuple[np.ndarray, tuple]:
        """Feed `ids` after `state` (None: empty): the logits of the last one and the new
        state, the whole token sequence."""
        tokens = (*(state or ()), *ids)
        llama = self.llama
        same = 0
        limit = min(llama.n_tokens, len(tokens))
        while same < limit and llama.input_ids[same] == tokens[same]:
            same += 1
        llama.n_tokens = same  # what follows the common start is dropped from the cache
        if same < len(tokens):  # else an answer already evaluated: its logits are kept
            llama.eval(list(tokens[same:]))
        return np.array(llama.scores[len(tokens) - 1], dtype=np.float32), tokens
