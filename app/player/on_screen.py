"""Play a macro on the real screen: the one set-up shared by `run`, `ask --run` and the app.

It wires the real pieces (PyAutoGUI input, mss screen, OpenCV anchors, the system, the run
history in `db`) around a `Player`, and arms the stop hotkey for the length of the run.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence

from sqlite_utils import Database

from app.core.errors import EnvironmentProblem
from app.core.macro import Macro
from app.core.steps import Step
from app.player.runner import PlayResult, PlaySettings, Stopped


def play_on_screen(
    db: Database,
    macro: Macro,
    settings: PlaySettings,
    abort: threading.Event,
    *,
    rows: Sequence[Mapping[str, str]] | None = None,
    first_step: int = 0,
    saved: bool = True,
    warn: Callable[[str], None] = lambda message: None,
    on_armed: Callable[[], None] = lambda: None,
    on_step: Callable[[int, Step], None] | None = None,
) -> PlayResult:
    """Play `macro` with real input, its history in `db` (under its id when `saved`).

    `on_armed` runs once the stop hotkey listens; `on_step(position, step)` before each
    top-level step. Raises `Stopped` (hotkey, failsafe) or `StepFailed`; a hotkey stop says
    how long after the key it took effect.
    """
    from app.player.abort import AbortWatcher
    from app.player.anchors import AnchorLocator
    from app.player.driver import PyAutoGuiDriver
    from app.player.runner import Player
    from app.player.screen import MssScreen
    from app.player.system import RealSystem
    from app.storage.macros import MacroStore
    from app.storage.runs import RunStore

    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY"):
        raise EnvironmentProblem("no display: DISPLAY is not set; playing needs a desktop session")
    store = MacroStore(db)
    screen = MssScreen()
    player = Player(
        PyAutoGuiDriver(),
        screen,
        AnchorLocator(screen, confidence=settings.confidence),
        RealSystem(),
        store.load,
        RunStore(db),
        settings,
        abort,
        warn=warn,
    )
    if on_step is not None:
        player.on_step = on_step
    with AbortWatcher(settings.abort_hotkey, abort) as watcher:
        on_armed()
        try:
            macro_id = store.id_of(macro.name) if saved else None
            return player.play(macro, rows, macro_id, first_step)
        except Stopped as stop:
            if watcher.pressed_at is None:  # stopped from the app, ctrl+c, or the failsafe
                raise
            # the key's time comes from the X server's clock: it can read a hair late
            latency = max(0.0, (time.monotonic() - watcher.pressed_at) * 1000)
            raise Stopped(f"{stop} ({latency:.0f} ms after the hotkey went down)") from None
