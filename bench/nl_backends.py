"""One table: the same model on every backend, the same commands, the same run.

    python bench/nl_backends.py [--n 1000]

Every row answers the held-out split (`tests/data/nl_eval.jsonl`) with the app's own
decoding (beam of 2, constrained to the step language, grounded in the command), so the
rows differ only in what computes the logits: onnxruntime (int8, fp32), PyTorch, llama.cpp
(q8_0, f16), and, on a machine with a GPU, onnxruntime's CUDA provider and llama.cpp with
its layers on the GPU. Columns: what actually ran (a provider that fell back to the CPU
says so), p50 / p95 ms per command, tokens generated per second,
the model file's size, exact-match accuracy, and commands per second over the first 100
commands asked one after another (what `ask --batch` does).

The fp32 ONNX, PyTorch and f16 GGUF copies are the ones `python -m training all` keeps in
training/out/; a row whose file is not there says so.
"""

from __future__ import annotations

import argparse
import copy
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from machine import cpu_model  # bench/ is on sys.path when run as a script
from nl_latency import percentile

from app.core.resources import resource_path
from app.nl.service import LlamaAssistant, OnnxAssistant
from training.evaluate import read_jsonl

ROOT = Path(__file__).resolve().parent.parent
KEPT = ROOT / "training" / "out"
SHIPPED = resource_path("models")
BATCH = 100


class TorchModel:
    """The PyTorch copy behind the `advance` contract of `app.nl.onnx_backend`."""

    def __init__(self, folder: Path):
        from transformers import GPT2LMHeadModel

        self.model = GPT2LMHeadModel.from_pretrained(folder).eval()
        self.max_positions = self.model.config.n_positions
        self.notice = None
        self.provider = "PyTorch CPU"

    def advance(self, state, ids):
        import torch

        past, length = state or (None, 0)
        with torch.no_grad():
            out = self.model(
                torch.tensor([list(ids)]),
                past_key_values=copy.deepcopy(past),  # a cache is changed in place
                position_ids=torch.arange(length, length + len(ids))[None],
                use_cache=True,
            )
        return out.logits[0, -1].numpy(), (out.past_key_values, length + len(ids))


class TorchAssistant(OnnxAssistant):
    backend = "pytorch"

    def _engine(self):
        return TorchModel(KEPT / "pytorch")


def rows_to_run(gpu: bool) -> list[tuple[str, object, Path]]:
    """(label, assistant, model file) of every row this machine can run."""
    rows = [
        ("ONNX int8, CPU (shipped)", OnnxAssistant(SHIPPED, provider="cpu"),
         SHIPPED / "model.onnx"),
        ("ONNX fp32, CPU", OnnxAssistant(KEPT, provider="cpu", file="model.fp32.onnx"),
         KEPT / "model.fp32.onnx"),
        ("PyTorch fp32, CPU", TorchAssistant(SHIPPED, provider="cpu"),
         KEPT / "pytorch" / "model.safetensors"),
        ("llama.cpp q8_0, CPU", LlamaAssistant(SHIPPED / "model-q8_0.gguf", provider="cpu"),
         SHIPPED / "model-q8_0.gguf"),
        ("llama.cpp f16, CPU", LlamaAssistant(KEPT / "model-f16.gguf", SHIPPED, provider="cpu"),
         KEPT / "model-f16.gguf"),
    ]  # fmt: skip
    if gpu:
        rows += [
            ("ONNX int8, CUDA", OnnxAssistant(SHIPPED, provider="cuda"), SHIPPED / "model.onnx"),
            ("ONNX fp32, CUDA", OnnxAssistant(KEPT, provider="cuda", file="model.fp32.onnx"),
             KEPT / "model.fp32.onnx"),
            ("llama.cpp q8_0, GPU", LlamaAssistant(SHIPPED / "model-q8_0.gguf", provider="cuda"),
             SHIPPED / "model-q8_0.gguf"),
            ("llama.cpp f16, GPU", LlamaAssistant(KEPT / "model-f16.gguf", SHIPPED,
                                                  provider="cuda"), KEPT / "model-f16.gguf"),
        ]  # fmt: skip
    return rows


def measure(assistant, records: list[dict]) -> dict:
    assistant.ask("warm up")
    times, tokens, right = [], 0, 0
    for record in records:
        started = time.perf_counter()
        answer = assistant.ask(record["command"], record.get("macros", []))
        times.append(time.perf_counter() - started)
        tokens += len(assistant._tokenizer.encode(answer.text).ids) + 1  # and the end token
        right += answer.text == record["steps"]
    return {
        "p50": statistics.median(times) * 1000,
        "p95": percentile(times, 0.95) * 1000,
        "tokens_per_s": tokens / sum(times),
        "accuracy": right / len(records),
        "batch_per_s": min(BATCH, len(times)) / sum(times[:BATCH]),
        "provider": assistant.provider,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000, help="held-out commands to answer")
    args = parser.parse_args()
    records = read_jsonl(ROOT / "tests" / "data" / "nl_eval.jsonl")[: args.n]
    gpu = _has_gpu()
    print(
        f"Language model backends — {platform.system()} {platform.machine()}, {cpu_model()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, GPU: {gpu or 'none'}; "
        f"{len(records)} held-out commands, beam of 2, constrained and grounded in every row\n"
    )
    print(
        "| backend | ran on | p50 ms | p95 ms | tokens/s | size MB | held-out | commands/s "
        "(100) |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    )
    for label, assistant, file in rows_to_run(bool(gpu)):
        if not file.exists():
            print(f"| {label} | not run: {file.relative_to(ROOT)} is not there | | | | | | |")
            continue
        m = measure(assistant, records)
        print(
            f"| {label} | {m['provider']} | {m['p50']:.1f} | {m['p95']:.1f} | "
            f"{m['tokens_per_s']:.0f} | {file.stat().st_size / 1e6:.1f} | {m['accuracy']:.1%} | "
            f"{m['batch_per_s']:.1f} |",
            flush=True,
        )
        del assistant
    return 0


def _has_gpu() -> str:
    """The GPU's name when one can run these rows, else ""."""
    try:
        import onnxruntime

        if "CUDAExecutionProvider" not in onnxruntime.get_available_providers():
            return ""
        names = subprocess.run(
            ["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"],
            capture_output=True,
            text=True,
            timeout=10,
        )
        return names.stdout.strip().splitlines()[0] if names.returncode == 0 else "CUDA"
    except (ImportError, OSError, IndexError, subprocess.SubprocessError):
        return ""


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
