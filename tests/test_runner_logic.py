"""The player's logic with fakes for input, screen, anchors and system (the real thing is
tested on Xvfb in test_player_e2e.py): what each step asks for, fallbacks, history, abort."""

from __future__ import annotations

import re
import threading
import time

import pytest
from conftest import PNG

from app.core import steps as s
from app.core.macro import Anchor, Macro
from app.player.anchors import Match, NotFound
from app.player.runner import Player, PlaySettings, StepFailed, Stopped, dry_run
from app.player.system import SystemError_
from app.storage.database import open_database
from app.storage.runs import RunStore


class FakeDriver:
    def __init__(self):
        self.calls = []
        self.released = 0

    def __getattr__(self, name):
        return lambda *args: self.calls.append((name, *args))

    def type_text(self, text, should_stop):
        self.calls.append(("type_text", text))

    def release_all(self):
        self.released += 1


class FakeScreen:
    def __init__(self, size=(1280, 800)):
        self.size = size

    def bounds(self):
        return (0, 0, *self.size)

    def grab_png(self):
        return PNG


class FakeLocator:
    def __init__(self, answers):
        self.answers = answers  # anchor id → Match | NotFound
        self.asked = []

    def locate(self, anchor, expected=None, scale_hint=1.0, scaled=True):
        self.asked.append((anchor.id, expected))
        return self.answers[anchor.id]


class FakeSystem:
    def __init__(self):
        self.calls = []

    def launch(self, program):
        if program == "missing":
            raise SystemError_('program "missing" not found')
        self.calls.append(("launch", program))

    def open_url(self, url):
        self.calls.append(("open_url", url))

    def secret(self, name):
        return "pw-" + name


ANCHOR = Anchor.from_png("ok", PNG, 100, 200)  # a 2x1 patch at (100, 200)


def make_player(macros=(), answers=None, size=(1280, 800), history=None, **settings):
    driver = FakeDriver()
    player = Player(
        driver,
        FakeScreen(size),
        FakeLocator(answers or {}),
        FakeSystem(),
        {m.name: m for m in macros}.__getitem__,
        history,
        PlaySettings(step_gap=0, **settings),
        warn=lambda message: warnings.append(message),
    )
    warnings: list[str] = []
    return player, driver, warnings


def test_every_input_step_reaches_the_driver():
    macro = Macro(
        "All",
        (
            s.Click(1, 2),
            s.DoubleClick(3, 4),
            s.RightClick(5, 6),
            s.Move(7, 8),
            s.Drag(1, 1, 9, 9),
            s.Scroll(-3),
            s.Scroll(2, 10, 20),
            s.Type("hi"),
            s.TypeSecret("bank"),
            s.Press("tab", 3),
            s.Hotkey(("ctrl", "s")),
        ),
    )
    player, driver, _ = make_player(speed=2)
    result = player.play(macro)
    assert result.steps == 11
    assert driver.calls == [
        ("click", 1, 2, "left", 1),
        ("click", 3, 4, "left", 2),
        ("click", 5, 6, "right", 1),
        ("move", 7, 8),
        ("drag", 1, 1, 9, 9, 0.15),
        ("scroll", -3),
        ("scroll", 2, 10, 20),
        ("type_text", "hi"),
        ("type_text", "pw-bank"),
        ("press", "tab", 3),
        ("hotkey", ("ctrl", "s")),
    ]


def test_anchor_found_moves_the_click_with_it():
    found = Match(left=300, top=250, scale=1.0, score=0.97, stage="screen")
    macro = Macro("M", (s.Click(101, 200, anchor="ok"),), anchors=(ANCHOR,))
    player, driver, warnings = make_player(answers={"ok": found})
    player.play(macro)
    assert driver.calls == [("click", 301, 250, "left", 1)]
    assert warnings == []


def test_anchor_not_found_warns_and_uses_the_scaled_recorded_point():
    macro = Macro("M", (s.Click(640, 400, anchor="ok"),), screen=(1280, 800), anchors=(ANCHOR,))
    player, driver, warnings = make_player(answers={"ok": NotFound(0.41)}, size=(1920, 1200))
    player.play(macro)
    assert driver.calls == [("click", 960, 600, "left", 1)]
    assert player.locator.asked == [("ok", (150, 300))]  # looked near the scaled position
    assert warnings == [
        'click 640 400 anchor "ok": image "ok" not found on the screen (best score 0.41, '
        "needed 0.80); clicking the recorded point 960 600"
    ]


def test_click_image_not_found_fails_with_the_best_score_and_releases_keys():
    macro = Macro("M", (s.Press("a"), s.ClickImage("ok")), anchors=(ANCHOR,))
    player, driver, _ = make_player(answers={"ok": NotFound(0.41)})
    with pytest.raises(StepFailed) as failure:
        player.play(macro)
    assert str(failure.value) == (
        'step 2 (click image "ok"): image "ok" not found on the screen '
        "(best score 0.41, needed 0.80)"
    )
    assert driver.released == 1


def test_system_steps_nested_runs_and_recursion():
    inner = Macro("Inner", (s.Press("enter"),))
    outer = Macro("Outer", (s.Launch("notepad"), s.OpenUrl("example.com"), s.RunMacro("Inner", 3)))
    player, driver, _ = make_player(macros=(inner, outer))
    assert player.play(outer).steps == 6
    assert player.system.calls == [("launch", "notepad"), ("open_url", "example.com")]
    assert driver.calls == [("press", "enter", 1)] * 3

    loop = Macro("Loop", (s.RunMacro("Loop"),))
    player, _, _ = make_player(macros=(loop,))
    with pytest.raises(StepFailed, match='macro "Loop" calls itself: Loop → Loop'):
        player.play(loop)
    player, _, _ = make_player()
    with pytest.raises(StepFailed, match=re.escape('step 1 (launch "missing"): program')):
        player.play(Macro("M", (s.Launch("missing"),)))


def test_history_records_steps_screenshots_and_failure(tmp_path):
    db = open_database(tmp_path / "rpa.db")
    history = RunStore(db)
    macro = Macro("M", (s.Screenshot("before"), s.Wait(0.2), s.ClickImage("ok")), anchors=(ANCHOR,))
    player, _, _ = make_player(answers={"ok": NotFound(0.2)}, history=history, speed=4)
    with pytest.raises(StepFailed):
        player.play(macro)
    (run,) = history.summaries()
    assert (run.status, run.steps) == ("failed", 3)
    steps = history.steps(run.id)
    assert [st.status for st in steps] == ["ok", "ok", "failed"]
    assert 40 <= steps[1].ms <= 150  # wait 0.2 at 4× speed
    assert history.screenshots(run.id) == [("before", PNG)]
    assert history.failure_screenshot(run.id) == PNG
    db.close()


def test_abort_during_a_wait_stops_quickly_and_nothing_after_runs():
    macro = Macro("M", (s.Wait(30), s.Press("a")))
    player, driver, _ = make_player()
    threading.Timer(0.2, player.abort.set).start()
    started = time.monotonic()
    with pytest.raises(Stopped, match="stopped by ctrl\\+alt\\+q"):
        player.play(macro)
    assert time.monotonic() - started < 0.5
    assert driver.calls == []
    assert driver.released == 1


def test_data_rows_times_and_first_step():
    macro = Macro("M", (s.Press("home"), s.Type("{{name}}")))
    player, driver, _ = make_player(times=2)
    player.play(macro, rows=[{"name": "A"}, {"name": "B"}], first_step=1)
    assert driver.calls == [("type_text", n) for n in "ABAB"]


def test_dry_run_expands_nested_macros_and_rows():
    inner = Macro("Inner", (s.Press("enter"),))
    outer = Macro("Outer", (s.Type("{{x}}"), s.RunMacro("Inner", 2)))
    lines = dry_run(outer, [{"x": "1"}], {"Inner": inner}.__getitem__)
    assert lines == [
        "# data row 1: {'x': '1'}",
        '1. type "1"',
        '2. run "Inner" times 2',
        "   1. press enter",
        "   1. press enter",
    ]


def test_settings_are_validated():
    with pytest.raises(ValueError, match="speed"):
        PlaySettings(speed=20)
    with pytest.raises(ValueError, match="times"):
        PlaySettings(times=0)
