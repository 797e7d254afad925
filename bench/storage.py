"""Time saving and loading big macros through MacroStore on a real database file.

Run as `python bench/storage.py [--repeats N]`. For macros of 1k, 10k and 100k steps (a
mix of clicks with anchors, typing, keys, hotkeys, waits and scrolls, as a long recording
produces) it reports the median of N runs of: a first save, a load, the two together, and
re-saving (replacing) the macro once it is stored. Prints a Markdown table headed by the
machine it ran on, then whether the goal was met: a 100k-step macro saves and loads back
in under a second (the exit status is 1 when it was not).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from machine import cpu_model  # bench/ is on sys.path when run as a script

from app.core import steps as s
from app.core.macro import Anchor, Macro
from app.storage.database import open_database
from app.storage.macros import MacroStore

SIZES = (1_000, 10_000, 100_000)
GOAL_STEPS = 100_000
GOAL_MS = 1000.0
ANCHOR_COUNT = 20
# A 1x1 PNG: the store keeps anchor images as opaque bytes, so their size hardly matters.
PNG_1x1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8cfc000000301010018dd8db00000000049454e44ae426082"
)
WORDS = (
    "invoice order customer report total March Q2 approved Müller 北京 客户 "
    'please see attached thanks regards C:\\Reports\\week.xlsx "urgent"'
).split()
KEYS = ("enter", "tab", "esc", "down", "up", "f5", "backspace", "delete")
CHORDS = (("ctrl", "s"), ("ctrl", "c"), ("ctrl", "v"), ("alt", "tab"), ("ctrl", "shift", "esc"))


def make_steps(n: int, rng: random.Random) -> tuple[s.Step, ...]:
    """`n` steps in roughly the proportions of a recorded office session."""
    out: list[s.Step] = []
    for _ in range(n):
        r = rng.random()
        if r < 0.30:
            anchor = f"anchor_{rng.randrange(ANCHOR_COUNT)}" if rng.random() < 0.6 else None
            out.append(s.Click(rng.randrange(1920), rng.randrange(1080), anchor))
        elif r < 0.50:
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 12)))
            out.append(s.Type(text))
        elif r < 0.65:
            out.append(s.Press(rng.choice(KEYS), rng.choice((1, 1, 1, 2, 3))))
        elif r < 0.75:
            out.append(s.Hotkey(rng.choice(CHORDS)))
        elif r < 0.90:
            out.append(s.Wait(round(rng.uniform(0.05, 3), 3)))
        elif r < 0.97:
            if rng.random() < 0.5:
                out.append(s.Scroll(rng.choice((-5, -3, -1, 1, 3, 5))))
            else:
                out.append(s.Scroll(rng.choice((-3, 3)), rng.randrange(1920), rng.randrange(1080)))
        else:
            out.append(s.DoubleClick(rng.randrange(1920), rng.randrange(1080)))
    return tuple(out)


def make_macro(name: str, n: int) -> Macro:
    rng = random.Random(n)
    anchors = tuple(
        sorted(
            (Anchor(f"anchor_{i}", PNG_1x1, 10 * i, 10 * i, 1, 1) for i in range(ANCHOR_COUNT)),
            key=lambda a: a.id,  # the order the store gives them back in
        )
    )
    return Macro(name, make_steps(n, rng), f"benchmark, {n} steps", (1920, 1080), anchors)


def ms_since(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def measure(folder: Path, n: int, repeats: int) -> dict[str, float]:
    macro = make_macro(f"bench {n}", n)
    saves, loads, both, resaves = [], [], [], []
    for i in range(repeats):
        db = open_database(folder / f"bench-{n}-{i}.db")  # a fresh file each time
        try:
            store = MacroStore(db)
            start = time.perf_counter()
            store.save(macro)
            save_ms = ms_since(start)
            start = time.perf_counter()
            loaded = store.load(macro.name)
            load_ms = ms_since(start)
            assert loaded == macro, "the macro did not come back unchanged"
            start = time.perf_counter()
            store.save(macro, replace=True)
            resaves.append(ms_since(start))
        finally:
            db.close()
        saves.append(save_ms)
        loads.append(load_ms)
        both.append(save_ms + load_ms)
    med = statistics.median
    return {"save": med(saves), "load": med(loads), "both": med(both), "resave": med(resaves)}


def machine() -> str:
    return (
        f"{platform.system()} {platform.release()} ({platform.machine()}), {cpu_model()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="runs per size (default 5)")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory(prefix="rpa-bench-") as tmp:
        for n in SIZES:
            results[n] = measure(Path(tmp), n, args.repeats)
            print(f"{n} steps done", file=sys.stderr)
    print(f"Storage benchmark — {machine()}")
    print(f"Median of {args.repeats} runs, milliseconds; a fresh database file per run.\n")
    print("| steps | save | load | save + load | re-save (replace) |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for n, r in results.items():
        print(
            f"| {n:,} | {r['save']:.1f} | {r['load']:.1f} | {r['both']:.1f} | {r['resave']:.1f} |"
        )
    total = results[GOAL_STEPS]["both"]
    met = total < GOAL_MS
    print(
        f"\nGoal: save + load of a {GOAL_STEPS:,}-step macro in under {GOAL_MS / 1000:g} s: "
        f"{'met' if met else 'NOT met'} ({total:.0f} ms)."
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
