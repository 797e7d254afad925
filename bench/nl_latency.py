"""Milliseconds per command for the language model, in one run on one machine.

    python bench/nl_latency.py [--n 60]

Rows: the shipped int8 ONNX model with constrained decoding (what the app runs), the same
file decoded by the plain greedy loop the reference rows use, the same model in fp32 ONNX,
the same model in PyTorch (`generate` with its KV cache, greedy, the same number of new
tokens), and a GPT-2-small-shaped model (124M parameters, random weights) in PyTorch and
int8 ONNX, generating as many tokens, as the reference point. The fp32 and PyTorch copies
are the ones `python -m training all` keeps in training/out/.
Goal: ≤ 50 ms p50 per command on a 2-core CPU, ≥ 10× faster than GPT-2 small.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from machine import cpu_model  # bench/ is on sys.path when run as a script

from app.core.resources import resource_path
from app.nl.literals import tag
from app.nl.prompt import build_prompt, clean_command
from app.nl.service import OnnxAssistant

ROOT = Path(__file__).resolve().parent.parent
KEPT = ROOT / "training" / "out"


def commands(n: int) -> list[dict]:
    records = [
        json.loads(line)
        for name in ("nl_dev.jsonl", "nl_eval.jsonl")
        if (ROOT / "tests" / "data" / name).exists()
        for line in (ROOT / "tests" / "data" / name).read_text(encoding="utf-8").splitlines()
    ]
    return records[:n]


def prompt_of(record: dict) -> str:
    """The prompt the runtime builds: the command cleaned, its literals tagged."""
    command, _ = clean_command(record["command"])
    return build_prompt(tag(command).text, record.get("macros", []))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def time_assistant(assistant, records) -> tuple[list[float], list[int]]:
    assistant.ask("warm up")
    times, lengths = [], []
    for record in records:
        started = time.perf_counter()
        answer = assistant.ask(record["command"], record.get("macros", []))
        times.append((time.perf_counter() - started) * 1000)
        lengths.append(len(assistant._tokenizer.encode(answer.text).ids) + 1)
    return times, lengths


def time_torch(model, prompts: list[list[int]], new_tokens: list[int]) -> list[float]:
    import torch

    times = []
    with torch.no_grad():
        for ids, count in zip(prompts, new_tokens, strict=True):
            started = time.perf_counter()
            model.generate(
                torch.tensor([ids]),
                max_new_tokens=count,
                min_new_tokens=count,
                do_sample=False,
                use_cache=True,
                pad_token_id=0,
            )
            times.append((time.perf_counter() - started) * 1000)
    return times


def time_onnx_loop(path: Path, config: dict, prompts, new_tokens) -> list[float]:
    """Plain greedy decoding through an ONNX file: the reference model's cost per command."""
    from app.nl.onnx_backend import OnnxModel

    folder = path.parent
    (folder / "config.json").write_text(json.dumps({"model": config}), encoding="utf-8")
    model = OnnxModel(folder, "cpu", path.name)
    times = []
    for ids, count in zip(prompts, new_tokens, strict=True):
        started = time.perf_counter()
        logits, state = model.advance(None, ids)
        for _ in range(count - 1):
            logits, state = model.advance(state, [int(logits.argmax())])
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=60, help="commands to time")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(min(4, os.cpu_count() or 1))
    records = commands(args.n)
    rows = []
    shipped = OnnxAssistant(resource_path("models"), provider="cpu")
    times, lengths = time_assistant(shipped, records)
    size = (resource_path("models") / "model.onnx").stat().st_size
    rows.append(("ours, int8 ONNX, constrained (shipped)", times, size))
    tokenizer = shipped._tokenizer
    prompts = [tokenizer.encode(prompt_of(r)).ids for r in records]
    config = json.loads((resource_path("models") / "config.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "model.onnx"
        copy.symlink_to(resource_path("models") / "model.onnx")
        plain = time_onnx_loop(copy, config["model"], prompts, lengths)
    rows.append(("ours, int8 ONNX, plain greedy (the reference's loop)", plain, size))
    if (KEPT / "model.fp32.onnx").exists():
        fp32 = OnnxAssistant(KEPT, provider="cpu", file="model.fp32.onnx")
        rows.append(
            (
                "ours, fp32 ONNX, constrained",
                time_assistant(fp32, records)[0],
                (KEPT / "model.fp32.onnx").stat().st_size,
            )
        )
        del fp32
    if (KEPT / "pytorch").exists():
        from transformers import GPT2LMHeadModel

        ours = GPT2LMHeadModel.from_pretrained(KEPT / "pytorch").eval()
        rows.append(
            (
                "ours, PyTorch generate",
                time_torch(ours, prompts, lengths),
                sum(p.numel() * 4 for p in ours.parameters()),
            )
        )
        del ours
    reference = gpt2_small_reference(prompts, lengths)
    rows.extend(reference)

    print(
        f"Language model latency — {platform.system()} {platform.machine()}, {cpu_model()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, torch {torch.__version__}; "
        f"{len(records)} commands (dev set first), same new-token counts for every row\n"
    )
    print("| model | p50 ms | p95 ms | size MB |\n| --- | ---: | ---: | ---: |")
    for label, values, nbytes in rows:
        print(
            f"| {label} | {statistics.median(values):.1f} | {percentile(values, 0.95):.1f} | "
            f"{nbytes / 1e6:.1f} |"
        )
    ours_p50 = statistics.median(rows[0][1])
    count = len(reference[-1][1])  # the reference times its first commands only
    same_loop = statistics.median(reference[-1][1]) / statistics.median(plain[:count])
    small_p50 = min(statistics.median(r[1]) for r in reference)
    print(
        f"\nTokens per command: median {statistics.median(lengths):.0f}. "
        f"Goal ≤ 50 ms p50: {'met' if ours_p50 <= 50 else 'NOT met'} ({ours_p50:.1f} ms). "
        f"Goal ≥ 10× faster than GPT-2 small: the same greedy loop on the same first "
        f"{count} commands, {same_loop:.1f}×; the shipped decoding (beam of 2, constraints, "
        f"grounding) against GPT-2 small's fastest row, {small_p50 / ours_p50:.1f}×."
    )
    return 0


def gpt2_small_reference(prompts, lengths) -> list[tuple[str, list[float], int]]:
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    sys.path.insert(0, str(ROOT))
    from training.export import export_onnx, quantize_int8

    config = GPT2Config(n_layer=12, n_head=12, n_embd=768, n_positions=1024, vocab_size=50257)
    torch.manual_seed(0)
    model = GPT2LMHeadModel(config).eval()
    count = min(20, len(prompts))  # 124M parameters: fewer commands are enough
    rows = [
        (
            "GPT-2 small shape (124M, random), PyTorch generate",
            time_torch(model, prompts[:count], lengths[:count]),
            sum(p.numel() * 4 for p in model.parameters()),
        )
    ]
    with tempfile.TemporaryDirectory() as folder:
        fp32, int8 = Path(folder) / "small.fp32.onnx", Path(folder) / "small.onnx"
        export_onnx(model, fp32)
        del model
        quantize_int8(fp32, int8)
        shape = {"n_layer": 12, "n_head": 12, "n_embd": 768, "n_positions": 1024}
        rows.append(
            (
                "GPT-2 small shape, int8 ONNX, greedy",
                time_onnx_loop(int8, shape, prompts[:count], lengths[:count]),
                int8.stat().st_size,
            )
        )
    return rows


if __name__ == "__main__":
    sys.exit(main())
