"""The hand-written development set for the language model: its lines are well formed.

`tests/data/nl_dev.jsonl` holds one JSON object a line: the command an office worker typed,
the names of the macros they had saved, and the steps the model should answer with, as
canonical step-language text ("" when the command cannot be turned into steps). These
tests check the file itself, not the model.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app.core.language import format_steps, parse_steps
from app.core.steps import RunMacro

DEV_SET = Path(__file__).resolve().parent / "data" / "nl_dev.jsonl"
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _load() -> list[dict]:
    records = []
    for number, line in enumerate(DEV_SET.read_text(encoding="utf-8").splitlines(), start=1):
        assert line.strip(), f"line {number} is blank"
        records.append(json.loads(line))
    return records


RECORDS = _load()


def _ids() -> list[str]:
    return [f"line{n}" for n in range(1, len(RECORDS) + 1)]


def test_enough_lines():
    assert len(RECORDS) >= 120


@pytest.mark.parametrize("record", RECORDS, ids=_ids())
def test_record_shape(record):
    assert set(record) == {"command", "macros", "steps"}
    assert isinstance(record["command"], str)
    assert record["command"].strip() == record["command"] != ""
    assert isinstance(record["macros"], list)
    assert all(isinstance(name, str) and name.strip() for name in record["macros"])
    assert len(set(record["macros"])) == len(record["macros"])
    assert isinstance(record["steps"], str)


@pytest.mark.parametrize("record", RECORDS, ids=_ids())
def test_steps_parse_and_are_canonical(record):
    text = record["steps"]
    if text == "":
        return
    steps = parse_steps(text)
    assert steps, "non-empty steps text must hold at least one step"
    assert format_steps(steps) == text


@pytest.mark.parametrize("record", RECORDS, ids=_ids())
def test_run_names_a_saved_macro(record):
    for step in parse_steps(record["steps"]):
        if isinstance(step, RunMacro):
            assert step.macro in record["macros"], (record["command"], step.macro)


def test_share_of_chinese_commands():
    share = sum(bool(CJK.search(r["command"])) for r in RECORDS) / len(RECORDS)
    assert 0.22 <= share <= 0.35, share


def test_enough_negatives():
    assert sum(r["steps"] == "" for r in RECORDS) >= 6


def test_enough_multi_step_commands():
    assert sum(len(parse_steps(r["steps"])) >= 2 for r in RECORDS) >= 20


def test_some_commands_refer_to_macros():
    assert sum(any(isinstance(s, RunMacro) for s in parse_steps(r["steps"])) for r in RECORDS) >= 8


def test_no_duplicate_commands():
    commands = [r["command"] for r in RECORDS]
    duplicates = sorted({c for c in commands if commands.count(c) > 1})
    assert not duplicates, duplicates
