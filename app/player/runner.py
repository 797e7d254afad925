"""Play a macro: each step through the input driver, with anchors, waits, speed and abort.

The player owns all timing: recorded waits are divided by the speed, a short gap between
steps lets applications keep up, and every wait watches the abort flag, so the stop hotkey
ends a run within a poll interval even during `wait 30`. Each step's outcome and time go
into the run history as it happens; a failure stops the run with the step's number, its
text and why, and keeps a screenshot.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core import steps as s
from app.core.errors import RpaError
from app.core.language import format_step
from app.core.macro import Anchor, Macro
from app.core.placeholders import fill_step
from app.player.anchors import AnchorLocator, Match, NotFound, wait_for
from app.player.clipboard import ClipboardError
from app.player.driver import FailsafeTriggered, InputDriver
from app.player.screen import Screen
from app.player.system import System, SystemError_
from app.storage.macros import now
from app.storage.runs import RunStore

MIN_SPEED, MAX_SPEED = 0.25, 10.0


class StepFailed(RpaError):
    """A step could not be done (exit code 3)."""

    exit_code = 3


class Stopped(RpaError):
    """The user stopped the run: the hotkey, or the pointer in a screen corner (exit code 4)."""

    exit_code = 4


@dataclass(frozen=True, slots=True)
class PlaySettings:
    speed: float = 1.0  # 0.25-10: recorded waits and gaps are divided by it
    times: int = 1  # play the whole macro this many times
    confidence: float = 0.8  # the lowest match score that counts as "found"
    step_gap: float = 0.05  # seconds between steps at speed 1, so applications keep up
    drag_seconds: float = 0.3  # how long a drag's movement takes at speed 1
    max_depth: int = 8  # how deep `run` may nest
    abort_hotkey: tuple[str, ...] = ("ctrl", "alt", "q")

    def __post_init__(self) -> None:
        if not MIN_SPEED <= self.speed <= MAX_SPEED:
            raise ValueError(f"the speed must be between {MIN_SPEED} and {MAX_SPEED}")
        if self.times < 1:
            raise ValueError("times must be 1 or more")


@dataclass
class PlayResult:
    run_id: int | None
    steps: int  # steps played, nested ones included
    seconds: float
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Frame:
    """One macro being played: its anchors and how its recorded screen maps onto this one."""

    macro: Macro
    anchors: Mapping[str, Anchor]
    sx: float
    sy: float

    def point(self, x: int, y: int) -> tuple[int, int]:
        return round(x * self.sx), round(y * self.sy)


class Player:
    def __init__(
        self,
        driver: InputDriver,
        screen: Screen,
        locator: AnchorLocator,
        system: System,
        load_macro: Callable[[str], Macro],
        history: RunStore | None = None,
        settings: PlaySettings | None = None,
        abort: threading.Event | None = None,
        warn: Callable[[str], None] = lambda message: None,
    ):
        self.driver = driver
        self.screen = screen
        self.locator = locator
        self.system = system
        self.load_macro = load_macro
        self.history = history
        self.settings = settings or PlaySettings()
        self.abort = abort or threading.Event()
        self.warn = warn
        self.on_step: Callable[[int, s.Step], None] = lambda position, step: None
        self._played = 0
        self._warnings: list[str] = []

    # ------------------------------------------------------------ public

    def play(
        self,
        macro: Macro,
        rows: Sequence[Mapping[str, str]] | None = None,
        macro_id: int | None = None,
        first_step: int = 0,
    ) -> PlayResult:
        """Play `macro` `times` times (once per data row when `rows` is given)."""
        started = time.perf_counter()
        run_id = self.history.start(macro.name, macro_id) if self.history else None
        self._played, self._warnings = 0, []
        try:
            for _ in range(self.settings.times):
                for row in rows or [None]:
                    self._play_macro(
                        macro, row, run_id, depth=0, stack=(macro.name,), first_step=first_step
                    )
        except Stopped as stop:
            self.driver.release_all()
            self._finish(run_id, "aborted", str(stop))
            raise
        except StepFailed as failure:
            self.driver.release_all()
            self._finish(run_id, "failed", str(failure), self._screenshot())
            raise
        except BaseException as bad:
            self.driver.release_all()
            self._finish(run_id, "failed", f"{type(bad).__name__}: {bad}")
            raise
        self._finish(run_id, "ok")
        return PlayResult(run_id, self._played, time.perf_counter() - started, self._warnings)

    # ------------------------------------------------------------ playing

    def _play_macro(self, macro, row, run_id, depth, stack, first_step=0) -> None:
        frame = self._frame(macro)
        for position, step in enumerate(macro.steps):
            if position < first_step:
                continue
            self._check_abort()
            if row is not None:
                step = fill_step(step, row)
            if depth == 0:
                self.on_step(position, step)
            begun, stamp = time.perf_counter(), now()
            try:
                detail = self._do(step, frame, row, run_id, depth, stack)
            except StepFailed as failure:
                self._record(run_id, depth, position, "failed", stamp, begun, str(failure))
                raise StepFailed(f"step {position + 1} ({format_step(step)}): {failure}") from None
            except Stopped:
                self._record(run_id, depth, position, "aborted", stamp, begun, None)
                raise
            self._played += 1
            self._record(run_id, depth, position, "ok", stamp, begun, detail)
            self._pause(self.settings.step_gap)

    def _do(self, step: s.Step, frame: _Frame, row, run_id, depth, stack) -> str | None:
        """Carry out one step; returns a note for the history (how an anchor was found)."""
        try:
            match step:
                case s.Click() | s.DoubleClick() | s.RightClick():
                    (x, y), note = self._target(step, frame)
                    button = "right" if isinstance(step, s.RightClick) else "left"
                    clicks = 2 if isinstance(step, s.DoubleClick) else 1
                    self.driver.click(x, y, button, clicks)
                    return note
                case s.ClickImage(anchor=anchor_id):
                    found = self._locate(frame, anchor_id, None)
                    if isinstance(found, NotFound):
                        raise StepFailed(_not_found(anchor_id, found, self.settings.confidence))
                    anchor = frame.anchors[anchor_id]
                    self.driver.click(*found.point(anchor.w / 2, anchor.h / 2))
                    return _found_note(found)
                case s.Move(x=x, y=y):
                    self.driver.move(*frame.point(x, y))
                case s.Drag(x1=x1, y1=y1, x2=x2, y2=y2):
                    seconds = self.settings.drag_seconds / self.settings.speed
                    self.driver.drag(*frame.point(x1, y1), *frame.point(x2, y2), seconds)
                case s.Scroll(amount=amount, x=None):
                    self.driver.scroll(amount)
                case s.Scroll(amount=amount, x=x, y=y):
                    self.driver.scroll(amount, *frame.point(x, y))
                case s.Type(text=text):
                    self.driver.type_text(text, self.abort.is_set)
                case s.TypeSecret(name=name):
                    self.driver.type_text(self.system.secret(name), self.abort.is_set)
                case s.Press(key=key, times=times):
                    self.driver.press(key, times)
                case s.Hotkey(keys=keys):
                    self.driver.hotkey(keys)
                case s.Wait(seconds=seconds):
                    self._pause(seconds)
                case s.WaitFor(anchor=anchor_id, timeout=timeout):
                    return self._wait_for(frame, anchor_id, timeout)
                case s.Launch(program=program):
                    self.system.launch(program)
                case s.OpenUrl(url=url):
                    self.system.open_url(url)
                case s.RunMacro(macro=name, times=times):
                    return self._run_nested(name, times, row, run_id, depth, stack)
                case s.Screenshot(name=name):
                    if self.history and run_id is not None:
                        self.history.screenshot(run_id, name, self.screen.grab_png())
                case _:
                    raise StepFailed(f"the player cannot do {type(step).__name__} steps")
        except FailsafeTriggered:
            raise Stopped("stopped by the failsafe: the pointer was pushed into a corner") from None
        except (SystemError_, ClipboardError) as bad:
            raise StepFailed(str(bad)) from None
        self._check_abort()
        return None

    def _target(self, step, frame: _Frame) -> tuple[tuple[int, int], str | None]:
        """Where to click: the anchor's place if it is found, else the recorded point."""
        fallback = frame.point(step.x, step.y)
        if not step.anchor:
            return fallback, None
        anchor = frame.anchors.get(step.anchor)
        if anchor is None:
            return fallback, f'image "{step.anchor}" is not stored with the macro'
        found = self._locate(frame, step.anchor, frame.point(anchor.x, anchor.y))
        if isinstance(found, Match):
            return found.point(step.x - anchor.x, step.y - anchor.y), _found_note(found)
        message = (
            f"{format_step(step)}: {_not_found(step.anchor, found, self.settings.confidence)}; "
            f"clicking the recorded point {fallback[0]} {fallback[1]}"
        )
        self._warn(message)
        return fallback, message

    def _locate(self, frame: _Frame, anchor_id: str, expected) -> Match | NotFound:
        anchor = frame.anchors.get(anchor_id)
        if anchor is None:
            raise StepFailed(f'image "{anchor_id}" is not stored with macro "{frame.macro.name}"')
        return self.locator.locate(anchor, expected)

    def _wait_for(self, frame: _Frame, anchor_id: str, timeout: float) -> str:
        anchor = frame.anchors.get(anchor_id)
        if anchor is None:
            raise StepFailed(f'image "{anchor_id}" is not stored with macro "{frame.macro.name}"')
        begun = time.perf_counter()
        found = wait_for(
            self.locator,
            anchor,
            timeout,
            expected=frame.point(anchor.x, anchor.y),
            should_stop=self.abort.is_set,
        )
        self._check_abort()
        if isinstance(found, NotFound):
            raise StepFailed(
                f'image "{anchor_id}" did not appear within {timeout:g} s '
                f"(best score {found.best_score:.2f}, needed {self.settings.confidence:.2f})"
            )
        return f"appeared after {time.perf_counter() - begun:.1f} s; {_found_note(found)}"

    def _run_nested(self, name, times, row, run_id, depth, stack) -> str:
        if name in stack:
            raise StepFailed(f'macro "{name}" calls itself: {" → ".join((*stack, name))}')
        if depth + 1 > self.settings.max_depth:
            raise StepFailed(f"macros call each other more than {self.settings.max_depth} deep")
        try:
            nested = self.load_macro(name)
        except RpaError as bad:
            raise StepFailed(str(bad)) from None
        before = self._played
        for _ in range(times):
            self._play_macro(nested, row, run_id, depth + 1, (*stack, name))
        return f'played {self._played - before} steps of "{name}"'

    # ------------------------------------------------------------ helpers

    def _frame(self, macro: Macro) -> _Frame:
        _, _, width, height = self.screen.bounds()
        sx = sy = 1.0
        if macro.screen and macro.screen != (width, height):
            sx, sy = width / macro.screen[0], height / macro.screen[1]
        return _Frame(macro, {a.id: a for a in macro.anchors}, sx, sy)

    def _pause(self, seconds: float) -> None:
        if self.abort.wait(seconds / self.settings.speed):
            self._check_abort()

    def _check_abort(self) -> None:
        if self.abort.is_set():
            keys = "+".join(self.settings.abort_hotkey)
            raise Stopped(f"stopped by {keys}")

    def _record(self, run_id, depth, position, status, stamp, begun, detail) -> None:
        if self.history and run_id is not None and depth == 0:
            ms = (time.perf_counter() - begun) * 1000
            self.history.step(run_id, position, status, stamp, ms, detail)

    def _finish(self, run_id, status, error=None, screenshot=None) -> None:
        if self.history and run_id is not None:
            self.history.finish(run_id, status, error, screenshot)

    def _screenshot(self) -> bytes | None:
        try:
            return self.screen.grab_png()
        except Exception:  # the failure itself matters more than its picture
            return None

    def _warn(self, message: str) -> None:
        self._warnings.append(message)
        self.warn(message)


def _not_found(anchor_id: str, found: NotFound, confidence: float) -> str:
    return (
        f'image "{anchor_id}" not found on the screen '
        f"(best score {found.best_score:.2f}, needed {confidence:.2f})"
    )


def _found_note(found: Match) -> str:
    scale = f", scale {found.scale:g}" if found.scale != 1.0 else ""
    return f"image found ({found.stage}, score {found.score:.2f}{scale})"


def dry_run(
    macro: Macro,
    rows: Sequence[Mapping[str, str]] | None,
    load_macro: Callable[[str], Macro],
    times: int = 1,
) -> list[str]:
    """What a run would do, one line a step (nested macros indented); touches nothing."""
    lines: list[str] = []

    def walk(current: Macro, row: Any, indent: str, stack: tuple[str, ...]) -> None:
        for position, step in enumerate(current.steps, start=1):
            step = fill_step(step, row) if row is not None else step
            lines.append(f"{indent}{position}. {format_step(step)}")
            if isinstance(step, s.RunMacro):
                if step.macro in stack:
                    lines.append(f"{indent}   (stops here: {step.macro!r} would call itself)")
                    continue
                nested = load_macro(step.macro)
                for _ in range(step.times):
                    walk(nested, row, indent + "   ", (*stack, step.macro))

    for repetition in range(times):
        for number, row in enumerate(rows or [None], start=1):
            if times > 1 or rows:
                what = [f"pass {repetition + 1} of {times}"] if times > 1 else []
                what += [f"data row {number}: {dict(row)}"] if rows else []
                lines.append("# " + ", ".join(what))
            walk(macro, row, "", (macro.name,))
    return lines
