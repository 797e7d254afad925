"""Per-step overhead of the player: what it adds to each step beyond the input itself.

    python bench/replay.py        # needs an X display for the real-driver rows; starts Xvfb
                                  # itself when DISPLAY is unset

Rows, each 2,000 steps with the inter-step gap set to 0:
- a driver that does nothing and no history: the player's own bookkeeping;
- the same with the run history in SQLite (one committed row per step);
- PyAutoGUI moving the pointer, no history, then with history: a whole real step.
Goal: at most 5 ms of overhead per step.
"""

from __future__ import annotations

import contextlib
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from machine import cpu_model, xvfb  # bench/ is on sys.path when run as a script

from app.core.macro import Macro
from app.core.steps import Move, Press, Type
from app.player.anchors import AnchorLocator
from app.player.runner import Player, PlaySettings
from app.storage.database import open_database
from app.storage.runs import RunStore

STEPS = 2000


class NullDriver:
    def __getattr__(self, name):
        return lambda *args, **kwargs: None


class NullScreen:
    def bounds(self):
        return (0, 0, 1280, 800)


def _macro(real: bool) -> Macro:
    if real:  # pointer moves: the cheapest real input, nothing to type into
        steps = [Move(100 + i % 200, 100 + i % 150) for i in range(STEPS)]
    else:
        steps = [(Move(i % 500, i % 400), Press("tab"), Type("abc"))[i % 3] for i in range(STEPS)]
    return Macro("Bench", tuple(steps))


def measure(driver, history_db: Path | None, real: bool) -> float:
    """Mean milliseconds per step over STEPS steps."""
    db = open_database(history_db) if history_db else None
    screen = NullScreen()
    player = Player(
        driver,
        screen,
        AnchorLocator(screen),
        system=None,
        load_macro=lambda name: None,
        history=RunStore(db) if db else None,
        settings=PlaySettings(step_gap=0),
        abort=threading.Event(),
    )
    started = time.perf_counter()
    player.play(_macro(real))
    elapsed = time.perf_counter() - started
    if db:
        db.close()
    return elapsed * 1000 / STEPS


def main() -> int:
    with contextlib.ExitStack() as stack:
        if not os.environ.get("DISPLAY"):
            os.environ["DISPLAY"] = stack.enter_context(xvfb("1280x800"))
        folder = Path(tempfile.mkdtemp())
        rows = [("player only (driver does nothing)", measure(NullDriver(), None, False))]
        rows.append(("+ run history in SQLite", measure(NullDriver(), folder / "a.db", False)))
        from app.player.driver import PyAutoGuiDriver

        real = PyAutoGuiDriver()
        rows.append(("PyAutoGUI pointer move, no history", measure(real, None, True)))
        rows.append(("PyAutoGUI pointer move + history", measure(real, folder / "b.db", True)))
        shutil.rmtree(folder)
    print(
        f"Replay overhead — {platform.system()} {platform.machine()}, {cpu_model()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{STEPS} steps a row, inter-step gap 0\n"
    )
    print("| what | ms per step |\n| --- | ---: |")
    for label, ms in rows:
        print(f"| {label} | {ms:.3f} |")
    overhead = rows[1][1]  # everything the player adds: bookkeeping and the history row
    verdict = "met" if overhead <= 5 else "NOT met"
    print(f"\nGoal: player overhead per step ≤ 5 ms: {verdict} ({overhead:.2f} ms).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
