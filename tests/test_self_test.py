"""`python -m app --self-test` from source: every part for real on the test display (the
packaged program runs the same self-test in tests/test_package.py)."""

from __future__ import annotations

import re

from conftest import run_cli

CHECKS = ["database", "macro", "model", "input", "window", "screenshot"]


def check_lines(stdout: str) -> dict[str, str]:
    """{check name: "ok" | "FAILED"} from the self-test's report."""
    found = re.findall(r"^(ok|FAILED) +(\w+) ", stdout, re.MULTILINE)
    return {name: verdict for verdict, name in found}


def test_every_check_passes_from_source(tmp_path):
    result = run_cli("--self-test", cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert check_lines(result.stdout) == dict.fromkeys(CHECKS, "ok")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("rpa-assistant 0.1.0 self-test: from source, resources in ")
    assert lines[-1].startswith("self-test: passed, 6 checks in ")
    model = next(line for line in lines if line.startswith("ok      model"))
    assert '"press enter" -> press enter' in model  # the shipped model, for real
    assert '"按回车" -> ' in model


def test_without_a_display_the_failing_checks_say_why_and_the_rest_still_run(tmp_path):
    result = run_cli("--self-test", cwd=tmp_path, timeout=120, env={"DISPLAY": ""})
    assert result.returncode == 1
    verdicts = check_lines(result.stdout)
    assert verdicts == {
        "database": "ok",
        "macro": "ok",
        "model": "ok",
        "input": "FAILED",
        "window": "FAILED",
        "screenshot": "FAILED",
    }
    assert "FAILED  window     no display: DISPLAY is not set" in result.stdout
    assert result.stdout.splitlines()[-1] == (
        "self-test: FAILED 3 of 6 checks: input, window, screenshot"
    )


def test_self_test_takes_no_other_arguments(tmp_path):
    result = run_cli("--self-test", "--db", tmp_path / "x.db")
    assert result.returncode == 2
    assert result.stderr == "error: --self-test takes no other arguments\n"
    assert not (tmp_path / "x.db").exists()


def test_a_failure_is_one_line_naming_the_cause():
    from app.selftest import _reason

    numpy_banner = ImportError(
        "\n\nIMPORTANT: PLEASE READ THIS FOR ADVICE ON HOW TO SOLVE THIS ISSUE!\n\n"
        "Importing the numpy C-extensions failed.\n\n"
        "Original error was: libscipy_openblas64_.so: ELF load command address/offset "
        "not page-aligned\n"
    )
    assert _reason(numpy_banner) == (
        "ImportError: Original error was: libscipy_openblas64_.so: ELF load command "
        "address/offset not page-aligned"
    )
    assert _reason(ModuleNotFoundError("No module named 'click'")) == (
        "ModuleNotFoundError: No module named 'click'"
    )
    assert _reason(RuntimeError("no display: DISPLAY is not set")) == (
        "no display: DISPLAY is not set"
    )
