"""Time from starting the desktop app to its main window on the screen.

Run as `python bench/startup.py [--runs N]` on an X display (the current DISPLAY, or a
private Xvfb started here). Each run spawns `python -m app` on a fresh database and fresh
settings, with RPA_REPORT_SHOWN=1 so the app prints a line when the window is first
painted; the time is from spawning to that line. One more run with `python -X importtime`
lists what start-up imports: the language model (onnxruntime, tokenizers) must load only
with the first question. Prints a Markdown table headed by the machine, then whether
the goal was met: the window in under 1.5 s (median), with no model library imported (the
exit status is 1 when it was not).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from machine import cpu_model, stop_process, xvfb  # bench/ is on sys.path when run as a script

from app.ui.app import SHOWN_MARKER

ROOT = Path(__file__).resolve().parent.parent
GOAL_S = 1.5
SCREEN = "1280x800"
# Loaded with the first question, never at start. (numpy is no model library here:
# sqlite-utils imports it whenever it is installed.)
MODEL_LIBRARIES = ("onnxruntime", "tokenizers", "torch", "transformers", "llama_cpp")
TIMEOUT_S = 60


@contextlib.contextmanager
def x_display() -> Iterator[str]:
    """The DISPLAY to use: the current one, or a private Xvfb started (and stopped) here."""
    if os.environ.get("DISPLAY"):
        yield f"{os.environ['DISPLAY']} (given)"
        return
    with xvfb(SCREEN) as display:
        os.environ["DISPLAY"] = display
        try:
            yield f"{display} (Xvfb {SCREEN}, started by the benchmark)"
        finally:
            del os.environ["DISPLAY"]


def start_once(folder: Path, python_flags: tuple[str, ...] = ()) -> tuple[float, str]:
    """Spawn the app on a fresh database; seconds until its window was shown, and stderr."""
    folder.mkdir(parents=True)
    env = {
        **os.environ,
        "RPA_REPORT_SHOWN": "1",
        "XDG_CONFIG_HOME": str(folder / "config"),  # fresh settings: no remembered layout
        "XDG_DATA_HOME": str(folder / "data"),
        "QT_QPA_PLATFORM": "xcb",
    }
    env.pop("RPA_DB", None)
    command = [sys.executable, *python_flags, "-m", "app", "--db", str(folder / "rpa.db")]
    started = time.perf_counter()
    app = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    lines: list[str] = []
    try:
        for line in app.stderr:
            if line.strip() == SHOWN_MARKER:
                return time.perf_counter() - started, "".join(lines)
            lines.append(line)
            if time.perf_counter() - started > TIMEOUT_S:
                break
        raise SystemExit(f"the window was not shown; the app said:\n{''.join(lines)[-2000:]}")
    finally:
        stop_process(app)


def imported_packages(importtime: str) -> dict[str, float]:
    """`python -X importtime` output → milliseconds spent in each top-level package.

    Self times are summed, so every microsecond is counted once, in the package that spent it
    (cumulative times would put all of the app's imports under `app`).
    """
    packages: dict[str, float] = {}
    for line in importtime.splitlines():
        if not line.startswith("import time:") or line.count("|") != 2:
            continue
        own, _cumulative, name = line.removeprefix("import time:").split("|")
        if not own.strip().isdigit():
            continue  # the header line
        package = name.strip().split(".")[0]
        packages[package] = packages.get(package, 0) + int(own) / 1000
    return packages


def python_alone(runs: int) -> float:
    """Median seconds for `python -c pass`: what any start costs before the app begins."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def machine(display: str) -> str:
    return (
        f"{platform.system()} {platform.release()} ({platform.machine()}), {cpu_model()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, DISPLAY {display}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="timed starts (default 10)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rpa-bench-startup-") as tmp, x_display() as shown:
        folder = Path(tmp)
        first, _ = start_once(folder / "first")  # file caches cold(er): reported apart
        times = [start_once(folder / f"run-{i}")[0] for i in range(args.runs)]
        _, importtime = start_once(folder / "importtime", ("-X", "importtime"))
        baseline = python_alone(5)
    packages = imported_packages(importtime)
    heavy = sorted(name for name in packages if name in MODEL_LIBRARIES)
    median = statistics.median(times)

    print(f"Start-up benchmark — {machine(shown)}")
    print(f"Spawn `python -m app --db NEW.db` → first paint of the window; {args.runs} runs.")
    print()
    print("| measure | seconds |")
    print("| --- | ---: |")
    print(f"| first start (not counted) | {first:.3f} |")
    print(f"| median | {median:.3f} |")
    print(f"| fastest / slowest | {min(times):.3f} / {max(times):.3f} |")
    print(f"| `python -c pass` (median of 5) | {baseline:.3f} |")
    print()
    print("Slowest imports at start-up, by top-level package (one run with -X importtime):")
    print()
    print("| package | ms |")
    print("| --- | ---: |")
    for name, ms in sorted(packages.items(), key=lambda item: -item[1])[:8]:
        print(f"| {name} | {ms:.0f} |")
    print()
    met = median < GOAL_S and not heavy
    loaded = ", ".join(heavy) if heavy else "none"
    print(
        f"Goal: the window in under {GOAL_S:g} s with the model loaded lazily: "
        f"{'met' if met else 'NOT met'} (median {median:.2f} s; model libraries imported at "
        f"start-up: {loaded})."
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
