"""`rpa-assistant --self-test`: the installed program checks that its parts work together.

Written for the packaged program, where a library or data file left out of the bundle
shows only when that part first runs; it works the same from source
(`python -m app --self-test`). Every check runs, each prints one line, `ok` or `FAILED`
with the reason, and the exit status is 0 when all passed, else 1. Nothing outside a
temporary folder is touched: not the user's database, settings or screen.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from app import __version__
from app.core.errors import RpaError
from app.core.language import parse_steps
from app.core.macro import parse_macro, png_size
from app.core.resources import resource_path

SAMPLE_MACRO = """# name: Self-test
# format: 1
click 120 80
type "héllo, 你好"
hotkey ctrl+s
press enter times 2
wait 0.5
"""
# One English and one Chinese command the shipped model answers with a step.
COMMANDS = ("press enter", "按回车")


@dataclass
class Workspace:
    """What the checks share: a private folder and, once opened, the database in it."""

    folder: Path
    db: object = None  # sqlite_utils.Database once the database check passed

    def store(self):
        from app.storage.macros import MacroStore

        if self.db is None:
            raise RuntimeError("needs the database, which did not open")
        return MacroStore(self.db)


def check_database(work: Workspace) -> str:
    from app.storage.database import open_database
    from app.storage.migrations import schema_version

    path = work.folder / "self-test.db"
    work.db = open_database(path)
    return f"created and migrated a database (schema {schema_version(work.db)})"


def check_macro(work: Workspace) -> str:
    macro = parse_macro(SAMPLE_MACRO)
    store = work.store()
    store.save(macro)
    stored = store.load(macro.name)
    if stored.steps != macro.steps:
        raise RuntimeError("the macro read back from the database differs from the one saved")
    return f"parsed {len(macro.steps)} steps, saved them and read the same back"


def check_model(work: Workspace) -> str:
    from app.nl.service import OnnxAssistant

    assistant = OnnxAssistant()
    assistant.load()
    answers = []
    for command in COMMANDS:
        answer = assistant.ask(command)
        if not answer.understood:
            raise RuntimeError(f"the model gave no steps for {command!r}")
        if parse_steps(answer.text) != answer.steps:
            raise RuntimeError(f"the model's steps for {command!r} do not parse back")
        steps = "; ".join(line for line in answer.text.splitlines() if line.strip())
        answers.append(f'"{command}" -> {steps}')
    return f"{', '.join(answers)} ({assistant.provider}, {assistant.model_dir})"


def check_input(work: Workspace) -> str:
    _require_display()
    import pyautogui
    import pynput.keyboard
    import pynput.mouse

    backends = {
        pynput.keyboard.Controller.__module__,
        pynput.mouse.Controller.__module__,
        pyautogui.platformModule.__name__,
    }
    width, height = pyautogui.size()
    return f"{', '.join(sorted(backends))}; screen {width}x{height}"


def check_window(work: Workspace) -> str:
    _require_display()
    from app.ui.window_check import open_and_close_main_window, platform_plugin_problem

    problem = platform_plugin_problem()
    if problem:
        raise RuntimeError(problem)
    return open_and_close_main_window(work.store(), work.folder / "settings.ini")


def check_screenshot(work: Workspace) -> str:
    _require_display()
    from app.player.screen import MssScreen

    screen = MssScreen()
    try:
        _, _, width, height = screen.bounds()
        png = screen.grab_png()
    finally:
        screen.close()
    if png_size(png) != (width, height):
        raise RuntimeError(f"the screenshot is {png_size(png)}, the screen {width}x{height}")
    return f"{width}x{height} PNG, {len(png) // 1024} kB"


CHECKS: tuple[tuple[str, Callable[[Workspace], str]], ...] = (
    ("database", check_database),
    ("macro", check_macro),
    # before the window: on Windows onnxruntime must load before Qt (app/startup.py)
    ("model", check_model),
    ("input", check_input),
    ("window", check_window),
    ("screenshot", check_screenshot),
)


def run_self_test(out: TextIO | None = None) -> int:
    """Run every check, print one line each and a verdict; 0 if all passed, else 1."""
    out = out or sys.stdout
    started = time.perf_counter()
    print(_header(), file=out, flush=True)
    failed = []
    with tempfile.TemporaryDirectory(prefix="rpa-self-test-") as folder:
        work = Workspace(Path(folder))
        try:
            for name, check in CHECKS:
                check_started = time.perf_counter()
                try:
                    detail = check(work)
                except Exception as bad:  # every failure is reported, then the next check runs
                    failed.append(name)
                    print(f"FAILED  {name:<10} {_reason(bad)}", file=out, flush=True)
                    continue
                ms = (time.perf_counter() - check_started) * 1000
                print(f"ok      {name:<10} {detail} ({ms:.0f} ms)", file=out, flush=True)
        finally:
            if work.db is not None:
                work.db.close()
    seconds = time.perf_counter() - started
    if failed:
        print(
            f"self-test: FAILED {len(failed)} of {len(CHECKS)} checks: {', '.join(failed)}",
            file=out,
            flush=True,
        )
        return 1
    print(f"self-test: passed, {len(CHECKS)} checks in {seconds:.1f} s", file=out, flush=True)
    return 0


def _header() -> str:
    frozen = getattr(sys, "frozen", False)
    how = "packaged" if frozen else "from source"
    return (
        f"rpa-assistant {__version__} self-test: {how}, resources in {resource_path()}, "
        f"Python {platform.python_version()} on {platform.system()} {platform.machine()}"
    )


def _require_display() -> None:
    """On Linux the input libraries, Qt's X11 plugin and screenshots need an X display; Qt
    would abort the process without one rather than raise."""
    if not sys.platform.startswith("linux") or os.environ.get("DISPLAY"):
        return
    raise RuntimeError(
        "no display: DISPLAY is not set; run it in a desktop session (or under Xvfb)"
    )


def _reason(bad: BaseException) -> str:
    """One line saying what went wrong: the first line of the message, with its type when
    the message alone would not say it. numpy's import error opens with a banner and says
    what failed on its last line ("Original error was: ..."): that line is used instead."""
    lines = [line.strip() for line in str(bad).splitlines() if line.strip()]
    cause = next((line for line in lines if line.startswith("Original error was:")), None)
    text = cause or (lines[0] if lines else "")
    if isinstance(bad, RpaError | RuntimeError) and text:
        return text
    return f"{type(bad).__name__}: {text}" if text else type(bad).__name__
