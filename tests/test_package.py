"""The packaged app: build it with the README's command, then run the program it made the
way a user would, away from the source tree and the virtual environment: its self-test,
a recording and a replay of the office form, typing Chinese, starting another program.

The build runs once for this module (about half a minute with PyInstaller's cache in
build/pyinstaller, a few minutes without).
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import pytest
from conftest import ROOT
from targets.form_fixture import start_office_form, xdotool
from targets.recorder_process import Recorder

BUILD_TIMEOUT_S = 1200
SIZE_LIMIT_MB = 420  # measured 383 MB; torch creeping back in would add 630


@pytest.fixture(scope="module")
def package() -> Path:
    """The one-folder build, made by scripts/build-package.sh into dist/rpa-assistant."""
    build = subprocess.run(
        ["bash", str(ROOT / "scripts" / "build-package.sh")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
    )
    assert build.returncode == 0, build.stderr[-4000:]
    assert re.search(r"build-package: built .+ in \d+ s: ", build.stderr), build.stderr[-2000:]
    return ROOT / "dist" / "rpa-assistant"


@pytest.fixture(scope="module")
def moved_package(package, tmp_path_factory) -> Path:
    """The build in another folder (hard links: quick), as if the user had copied it."""
    target = tmp_path_factory.mktemp("installed") / "RPA Assistant"
    subprocess.run(["cp", "-al", str(package), str(target)], check=True)
    return target


def user_environment() -> dict[str, str]:
    """This process's environment without any trace of Python or the virtual environment."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "LD_LIBRARY_PATH")
    }
    venv = str(ROOT / ".venv")
    env["PATH"] = os.pathsep.join(
        part for part in env.get("PATH", "").split(os.pathsep) if not part.startswith(venv)
    )
    return env


def run_packaged(program: Path, *args, cwd: Path, timeout: float = 120):
    return subprocess.run(
        [str(program / "rpa-assistant"), *map(str, args)],
        cwd=cwd,
        env=user_environment(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


def test_the_packaged_self_test_passes_away_from_the_source_tree(moved_package, tmp_path):
    result = run_packaged(moved_package, "--self-test", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    resources = moved_package / "_internal" / "resources"
    assert lines[0].startswith(f"rpa-assistant 0.1.0 self-test: packaged, resources in {resources}")
    verdicts = [line.split()[:2] for line in lines[1:-1]]
    assert verdicts == [
        ["ok", name] for name in ("database", "macro", "model", "input", "window", "screenshot")
    ]
    assert f"{resources / 'models'})" in lines[3]  # the model came from the bundle
    assert "on the xcb platform" in lines[5]  # the bundled X11 plugin, not the off-screen one
    assert lines[-1].startswith("self-test: passed")


def test_the_package_is_lean(package):
    internal = package / "_internal"
    for left_out in ("torch", "transformers", "onnx", "hypothesis", "PIL", "tkinter"):
        assert not (internal / left_out).exists(), left_out
    qt = internal / "PySide6" / "Qt"
    assert not (qt / "translations").exists()
    assert sorted(p.name for p in (qt / "plugins" / "platforms").iterdir()) == [
        "libqminimal.so",
        "libqoffscreen.so",
        "libqxcb.so",
    ]
    assert not (qt / "lib" / "libQt6Network.so.6").exists()
    size = subprocess.run(["du", "-sm", str(package)], capture_output=True, text=True, check=True)
    megabytes = int(size.stdout.split()[0])
    assert megabytes < SIZE_LIMIT_MB, f"the package grew to {megabytes} MB"


def test_the_packaged_app_records_and_replays_a_form(moved_package, tmp_path):
    db = tmp_path / "rpa.db"
    with start_office_form(tmp_path / "recorded.json") as form:
        recorder = Recorder(db, "Tiny", program=[str(moved_package / "rpa-assistant")])
        try:
            recorder.wait_armed(timeout=40)
            form.click("name")
            time.sleep(0.2)
            xdotool("type", "--delay", "30", "Ada")
            form.click("submit")
            time.sleep(0.3)
            xdotool("key", "ctrl+alt+q")
            assert recorder.finish() == 0, recorder.lines
        finally:
            recorder.kill()
        assert form.result()["name"] == "Ada"
    assert recorder.lines[-1] == 'saved "Tiny": 3 steps', recorder.lines

    with start_office_form(tmp_path / "replayed.json") as form:
        played = run_packaged(moved_package, "--db", db, "run", "Tiny", cwd=tmp_path)
        assert played.returncode == 0, played.stderr
        assert form.result()["name"] == "Ada"
    assert re.fullmatch(r'played "Tiny": 3 steps in [\d.]+ s\n', played.stdout)


def test_the_packaged_player_pastes_chinese_and_starts_programs_with_their_own_libraries(
    moved_package, tmp_path
):
    """Chinese is pasted through xclip and `launch` starts a shell: both are programs the
    app starts, which must not load the bundle's libraries."""
    db, seen_env = tmp_path / "rpa.db", tmp_path / "child-env.txt"
    with start_office_form(tmp_path / "form.json") as form:
        name_x, name_y = form.point("name")
        submit_x, submit_y = form.point("submit")
        macro = tmp_path / "greeting.txt"
        macro.write_text(
            "# name: Greeting\n# format: 1\n"
            f"click {name_x} {name_y}\n"
            'type "héllo 你好"\n'
            f"launch \"sh -c 'env > {seen_env}'\"\n"
            f"click {submit_x} {submit_y}\n",
            encoding="utf-8",
        )
        imported = run_packaged(moved_package, "--db", db, "macros", "import", macro, cwd=tmp_path)
        assert imported.returncode == 0, imported.stderr
        played = run_packaged(moved_package, "--db", db, "run", "Greeting", cwd=tmp_path)
        assert played.returncode == 0, played.stderr
        assert form.result()["name"] == "héllo 你好"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not seen_env.exists():
        time.sleep(0.05)
    time.sleep(0.1)  # the shell finishes writing
    child_env = dict(
        line.split("=", 1) for line in seen_env.read_text().splitlines() if "=" in line
    )
    assert str(moved_package) not in child_env.get("LD_LIBRARY_PATH", "")
