"""Exact-match accuracy: the steps the model writes, line for line, against the expected."""

from __future__ import annotations

import json
import statistics
from pathlib import Path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def evaluate(assistant, records: list[dict], progress: bool = False) -> dict:
    """Accuracy, latency and the first failures of `assistant` on `records`."""
    from tqdm import tqdm

    right, times, failures = 0, [], []
    for record in tqdm(records, desc="evaluate", disable=not progress):
        answer = assistant.ask(record["command"], record.get("macros", []))
        times.append(answer.ms)
        if answer.text == record["steps"]:
            right += 1
        elif len(failures) < 25:
            failures.append({**record, "got": answer.text})
    return {
        "n": len(records),
        "accuracy": round(right / max(1, len(records)), 4),
        "p50_ms": round(statistics.median(times), 1) if times else None,
        "failures": failures,
    }


def agreement(first, second, records: list[dict]) -> float:
    """Share of records on which two assistants (fp32 and int8) answer identically."""
    same = sum(
        first.ask(r["command"], r.get("macros", [])).text
        == second.ask(r["command"], r.get("macros", [])).text
        for r in records
    )
    return round(same / max(1, len(records)), 4)
