"""`python -m training all`: rebuild every model artifact from a seed.

Stages: corpus → tokenizer → train → export (ONNX fp32, then int8; GGUF q8_0 and f16 for
llama.cpp) → check (int8 decodes like fp32) → evaluate (held-out templates and the
hand-written dev set) → install into resources/models/ (model.onnx, model-q8_0.gguf,
tokenizer.json, config.json with version, corpus hash and metrics). `--size tiny --count
2000 --epochs 1 --out DIR` is the quick smoke run. `python -m training gguf` writes the GGUF
files again from the model kept by the last run (`--keep`).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from app.core.resources import resource_path
from app.nl.prompt import END, training_text
from app.nl.service import OnnxAssistant  # up front: a run measures with the code it began with
from training import corpus
from training.evaluate import agreement, evaluate, read_jsonl
from training.export import export_onnx, quantize_int8
from training.gguf_export import export_gguf
from training.model import SIZES, new_model
from training.tokenizer import train_tokenizer
from training.train import train

ROOT = Path(__file__).resolve().parent.parent
EVAL_FILE = ROOT / "tests" / "data" / "nl_eval.jsonl"
DEV_FILE = ROOT / "tests" / "data" / "nl_dev.jsonl"
VERSION = 1


# The held-out templates of `tests/data/nl_eval.jsonl`. They do not depend on the corpus
# seed (every template is drawn in 100,000 examples), so a model trained with another
# `--seed` never sees them and can be measured against the committed file.
SPLIT_SEED = 1234


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training", description=__doc__)
    parser.add_argument("stage", choices=["all", "gguf"])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--count", type=int, default=60_000, help="corpus examples")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--batch-tokens", type=int, default=4096, help="tokens per batch")
    parser.add_argument("--seed", type=int, default=1234, help="corpus, weights and batches")
    parser.add_argument(
        "--split-seed",
        type=int,
        default=SPLIT_SEED,
        help="which templates are held out; keep it to measure against the committed file",
    )
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument(
        "--precision",
        choices=["auto", "bf16", "fp32"],
        default="auto",
        help="arithmetic of training (auto: bfloat16 where the CPU has it natively)",
    )
    parser.add_argument("--out", type=Path, default=resource_path("models"))
    parser.add_argument("--eval-count", type=int, default=1000, help="held-out examples kept")
    parser.add_argument(
        "--keep",
        type=Path,
        default=ROOT / "training" / "out",
        help="where the fp32 ONNX and PyTorch models are kept for the benchmarks",
    )
    parser.add_argument(
        "--write-eval",
        action="store_true",
        help=f"also write the held-out split to {EVAL_FILE.relative_to(ROOT)}",
    )
    args = parser.parse_args(argv)
    if args.stage == "gguf":
        for path in write_gguf(args.keep / "pytorch", args.keep / "tokenizer.json", args.out,
                               args.keep):  # fmt: skip
            print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
        return 0
    report = build(args)
    print(json.dumps(report["metrics"], indent=1, ensure_ascii=False))
    return 0


def build(args) -> dict:
    started = time.perf_counter()
    size = SIZES[args.size]
    examples = corpus.generate(args.seed, args.count)
    split_seed = getattr(args, "split_seed", args.seed)
    train_set, test_set = corpus.split(examples, seed=split_seed)
    held_out = [corpus.to_jsonl_record(e) for e in test_set]
    random.Random(split_seed).shuffle(held_out)
    held_out = held_out[: args.eval_count]
    print(f"corpus: {len(train_set)} train, {len(test_set)} held-out examples", file=sys.stderr)

    texts = ("".join(training_text(e.command, e.macros, e.steps)) for e in train_set)
    tokenizer = train_tokenizer(texts, size.vocab_size)

    end_id = tokenizer.token_to_id(END)
    model = new_model(size, args.seed, pad_id=end_id, end_id=end_id)
    trained = train(
        model,
        tokenizer,
        train_set,
        args.epochs,
        lr=args.lr,
        seed=args.seed,
        threads=args.threads,
        batch_tokens=getattr(args, "batch_tokens", 4096),
        precision=getattr(args, "precision", "auto"),
    )

    work = Path(tempfile.mkdtemp(prefix="rpa-model-"))
    try:
        export_onnx(model, work / "model.fp32.onnx")
        quantize_int8(work / "model.fp32.onnx", work / "model.onnx")
        tokenizer.save(str(work / "tokenizer.json"))
        model.save_pretrained(work / "pytorch")
        write_gguf(work / "pytorch", work / "tokenizer.json", work, work)
        config = {
            "version": VERSION,
            "model": asdict(size),
            "seed": args.seed,
            "split_seed": split_seed,
            "corpus_hash": corpus.corpus_hash(examples),
            "corpus": {"train": len(train_set), "held_out": len(test_set)},
            "training": trained,
        }
        (work / "config.json").write_text(json.dumps(config, indent=1), encoding="utf-8")
        metrics = _measure(work, held_out)
        config["metrics"] = metrics
        (work / "config.json").write_text(json.dumps(config, indent=1), encoding="utf-8")
        args.out.mkdir(parents=True, exist_ok=True)
        for name in ("model.onnx", GGUF_SHIPPED, "tokenizer.json", "config.json"):
            shutil.copy(work / name, args.out / name)
        # what the benchmarks compare against; large, so kept out of the repository
        keep = getattr(args, "keep", None)
        if keep:
            keep.mkdir(parents=True, exist_ok=True)
            for name in ("model.fp32.onnx", GGUF_KEPT, "tokenizer.json", "config.json"):
                shutil.copy(work / name, keep / name)
            shutil.copytree(work / "pytorch", keep / "pytorch", dirs_exist_ok=True)
    except BaseException:
        # an hour of training is not thrown away because a later stage failed
        print(f"stopped after training: what was exported is kept in {work}", file=sys.stderr)
        raise
    shutil.rmtree(work, ignore_errors=True)
    if args.write_eval:
        EVAL_FILE.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in held_out), encoding="utf-8"
        )
    metrics["seconds"] = round(time.perf_counter() - started)
    return {"config": config, "metrics": metrics}


GGUF_SHIPPED = "model-q8_0.gguf"  # small enough to ship and to test the llama backend with
GGUF_KEPT = "model-f16.gguf"  # for bench/nl_backends.py, kept out of the repository


def write_gguf(pytorch: Path, tokenizer: Path, out: Path, keep: Path) -> list[Path]:
    """The model as GGUF for llama.cpp: q8_0 into `out`, f16 into `keep`."""
    out.mkdir(parents=True, exist_ok=True)
    keep.mkdir(parents=True, exist_ok=True)
    return [
        export_gguf(pytorch, tokenizer, out / GGUF_SHIPPED, "q8_0"),
        export_gguf(pytorch, tokenizer, keep / GGUF_KEPT, "f16"),
    ]


def _measure(work: Path, held_out: list[dict]) -> dict:
    int8 = OnnxAssistant(work, provider="cpu")
    fp32 = OnnxAssistant(work, provider="cpu", file="model.fp32.onnx")
    sample = held_out[:200]
    metrics = {
        "int8_fp32_agreement": agreement(int8, fp32, sample),
        "held_out": _summary(evaluate(int8, held_out, progress=True)),
    }
    if DEV_FILE.exists():
        metrics["dev"] = _summary(evaluate(int8, read_jsonl(DEV_FILE), progress=True))
    metrics["model_bytes"] = (work / "model.onnx").stat().st_size
    return metrics


def _summary(result: dict) -> dict:
    return {k: result[k] for k in ("n", "accuracy", "p50_ms")}


if __name__ == "__main__":
    sys.exit(main())
