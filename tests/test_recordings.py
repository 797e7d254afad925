"""The example macros in recordings/ parse, import, export and import again unchanged."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from app.core.files import read_macro_file
from app.core.placeholders import macro_placeholders
from app.core.steps import STEP_TYPES
from app.storage.database import open_database
from app.storage.macros import MacroStore

RECORDINGS = ROOT / "recordings"
FILES = sorted(p for p in RECORDINGS.iterdir() if p.suffix in (".txt", ".zip"))
IMAGE_KINDS = {"click_image", "wait_for"}


def load(db_path: Path, name: str):
    db = open_database(db_path)
    try:
        return MacroStore(db).load(name)
    finally:
        db.close()


def test_there_are_examples():
    assert len([p for p in FILES if p.suffix == ".txt"]) >= 6
    assert any(p.suffix == ".zip" for p in FILES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_check_says_ok(path: Path):
    result = run_cli("check", str(path))
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout
    assert result.stdout.startswith(f"{path}: OK (")
    assert result.stderr == ""  # no warnings, e.g. about anchors the file lacks


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_import_export_import_round_trip(path: Path, tmp_path: Path):
    db = tmp_path / "rpa.db"
    original = read_macro_file(path)
    out = tmp_path / f"exported{path.suffix}"
    copy = f"{original.name} (copy)"

    result = run_cli("--db", str(db), "macros", "import", str(path))
    assert result.returncode == 0, result.stderr
    result = run_cli("--db", str(db), "macros", "export", original.name, str(out))
    assert result.returncode == 0, result.stderr
    assert out.is_file()
    result = run_cli("--db", str(db), "macros", "import", str(out), "--name", copy)
    assert result.returncode == 0, result.stderr

    first, second = load(db, original.name), load(db, copy)
    for macro in (first, second):
        assert macro.steps == original.steps
        assert macro.description == original.description
        assert macro.screen == original.screen == (1920, 1080)
        assert macro.anchors == original.anchors
    assert original.description


def test_every_anchor_a_step_uses_travels_in_the_zip():
    for path in FILES:
        macro = read_macro_file(path)
        assert macro.missing_anchors() == [], path.name
        if path.suffix == ".zip":
            assert macro.anchors


def test_every_step_kind_appears_somewhere():
    kinds = {step.kind for path in FILES for step in read_macro_file(path).steps}
    assert kinds == set(STEP_TYPES)
    text_kinds = {
        step.kind for path in FILES if path.suffix == ".txt" for step in read_macro_file(path).steps
    }
    assert text_kinds >= set(STEP_TYPES) - IMAGE_KINDS


def test_run_steps_call_macros_that_are_examples_too():
    names = {read_macro_file(path).name for path in FILES}
    called = {
        step.macro for path in FILES for step in read_macro_file(path).steps if step.kind == "run"
    }
    assert called and called <= names


def test_customers_csv_has_every_column_the_form_uses():
    macro = read_macro_file(RECORDINGS / "customer-entry.txt")
    needed = macro_placeholders(macro.steps)
    assert needed
    with (RECORDINGS / "customers.csv").open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames or []
        rows = list(reader)
    assert set(needed) <= set(header), set(needed) - set(header)
    assert len(rows) == 5
    assert all(all(row[column].strip() for column in needed) for row in rows)
