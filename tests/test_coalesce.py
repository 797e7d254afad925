"""coalesce(): raw input events → the steps a person meant, on hand-built event lists.

No display is needed: a `Script` writes event sequences the way the real listener emits
them (shift presses around capitals, a shifted symbol released as its unshifted key, ctrl
chords as control characters on Windows, the recorder's own chords as markers). Every
result is checked to survive `parse_steps(format_steps(steps)) == steps`.
"""

from __future__ import annotations

import base64

import cv2
import numpy as np
import pytest

from app.core.language import format_steps, parse_steps
from app.core.macro import Anchor, png_size
from app.core.steps import Click, anchor_ids
from app.input import events as ev
from app.input.events import key_of_char
from app.recorder.coalesce import Coalesced, CoalesceOptions, coalesce

HOLD = 0.125  # a button held this long makes a click (times are exact binary fractions)
KEY_HOLD = 0.03125  # a key held this long
STEP = 0.125  # between one action and the next, unless a test says otherwise

SHIFTED = dict(zip('~!@#$%^&*()_+{}|:"<>?', "`1234567890-=[]\\;',./", strict=True))
UNSHIFTED = {plain: shifted for shifted, plain in SHIFTED.items()}


def tiny_png(w: int = 3, h: int = 2) -> bytes:
    image = np.zeros((h, w, 3), np.uint8)
    image[:, :, 2] = 255
    ok, data = cv2.imencode(".png", image)
    assert ok
    return data.tobytes()


PNG = tiny_png()


def needs_shift(char: str) -> bool:
    return char in SHIFTED or (char.isascii() and char.isupper())


class Script:
    """Raw events written as a person acts; each action starts at `t` (or `STEP` after the
    previous one) and leaves `t` at `STEP` after its last event."""

    def __init__(self, *, windows: bool = False):
        self.events: list[ev.RawEvent] = []
        self.t = 0.0
        self.windows = windows  # ctrl+letter arrives as a control character
        self.pointer = (0, 0)

    @property
    def last(self) -> float:
        return self.events[-1].t if self.events else 0.0

    def at(self, t: float) -> Script:
        assert t >= self.last, f"time runs forward: {t} < {self.last}"
        self.t = t
        return self

    def pause(self, seconds: float) -> Script:
        """The next action starts `seconds` after the last event."""
        return self.at(self.last + seconds)

    def emit(self, kind: str, t: float | None = None, **data) -> Script:
        if t is not None:
            self.at(t)
        self.events.append(ev.RawEvent(self.t, kind, data))
        return self

    def _done(self) -> Script:
        self.t = self.last + STEP
        return self

    # ---------------------------------------------------------------- pointer

    def move(self, x: int, y: int, t: float | None = None) -> Script:
        self.pointer = (x, y)
        return self.emit(ev.MOVE, t, x=x, y=y)._done()

    def glide(self, x: int, y: int, t: float | None = None, n: int = 4) -> Script:
        """`n` moves along the line from the pointer to (x, y), 1/32 s apart."""
        if t is not None:
            self.at(t)
        x0, y0 = self.pointer
        for i in range(1, n + 1):
            self.emit(ev.MOVE, x=x0 + (x - x0) * i // n, y=y0 + (y - y0) * i // n)
            self.t += 0.03125
        self.pointer = (x, y)
        return self._done()

    def click(
        self,
        x: int,
        y: int,
        t: float | None = None,
        *,
        button: str = "left",
        anchor: str | None = None,
        to: tuple[int, int] | None = None,
        hold: float = HOLD,
    ) -> Script:
        """Press at (x, y) and release there, or at `to` after moving there."""
        down = {"x": x, "y": y, "button": button}
        if anchor:
            down["anchor"] = anchor
        self.emit(ev.DOWN, t, **down)
        x2, y2 = to or (x, y)
        if to:
            self.t += hold / 2
            self.emit(ev.MOVE, x=x2, y=y2)
            self.t += hold / 2
        else:
            self.t += hold
        self.emit(ev.UP, x=x2, y=y2, button=button)
        self.pointer = (x2, y2)
        return self._done()

    def right_click(self, x: int, y: int, t: float | None = None, **kw) -> Script:
        return self.click(x, y, t, button="right", **kw)

    def drag(self, x1: int, y1: int, x2: int, y2: int, t: float | None = None) -> Script:
        return self.click(x1, y1, t, to=(x2, y2), hold=0.5)

    def scroll(
        self, dy: int, n: int = 1, t: float | None = None, *, at=None, dx: int = 0
    ) -> Script:
        """`n` wheel events of `dy` clicks each, 1/16 s apart, at the pointer or `at`."""
        if t is not None:
            self.at(t)
        x, y = at or self.pointer
        for _ in range(n):
            self.emit(ev.SCROLL, x=x, y=y, dx=dx, dy=dy)
            self.t += 0.0625
        return self._done()

    def anchor(self, anchor_id: str, x: int, y: int, png: bytes = PNG) -> Script:
        """The grabber thread's patch for a press (it arrives after the press)."""
        w, h = png_size(png)
        b64 = base64.b64encode(png).decode("ascii")
        return self.emit(ev.ANCHOR, id=anchor_id, x=x, y=y, w=w, h=h, png=b64)._done()

    # ---------------------------------------------------------------- keyboard

    def _stroke(self, down: dict, up: dict, gap: float = STEP) -> None:
        self.emit(ev.KEY_DOWN, **down)
        self.t += KEY_HOLD
        self.emit(ev.KEY_UP, **up)
        self.t = self.last + gap

    def type_chars(self, text: str, t: float | None = None, gap: float = STEP) -> Script:
        """Keystrokes that type `text` on a US layout: shift held around shifted characters."""
        if t is not None:
            self.at(t)
        shift = False
        for char in text:
            if needs_shift(char) != shift:
                shift = not shift
                self.emit(ev.KEY_DOWN if shift else ev.KEY_UP, key="shift")
                self.t += KEY_HOLD
            if char in " \n\t":
                name = {" ": "space", "\n": "enter", "\t": "tab"}[char]
                self._stroke({"key": name}, {"key": name}, gap)
            else:
                released = SHIFTED.get(char, char.lower()) if shift else char
                self._stroke({"char": char}, {"char": released}, gap)
        if shift:
            self.emit(ev.KEY_UP, key="shift")
        return self._done()

    def key(self, name: str, times: int = 1, t: float | None = None) -> Script:
        if t is not None:
            self.at(t)
        for _ in range(times):
            self._stroke({"key": name}, {"key": name})
        return self

    def chord(self, *keys: str, t: float | None = None) -> Script:
        """Modifiers down in the order given, the last key struck, modifiers up in reverse."""
        *mods, last = keys
        if t is not None:
            self.at(t)
        for mod in mods:
            self.emit(ev.KEY_DOWN, key=mod)
            self.t += KEY_HOLD
        if len(last) > 1:
            down = up = {"key": last}
        elif "ctrl" in mods and self.windows and last.isalpha():
            down = up = {"char": chr(ord(last.lower()) - 96)}  # ctrl+a → "\x01"
        elif "shift" in mods:
            down = {"char": UNSHIFTED.get(last, last.upper())}
            up = {"char": last}
        else:
            down = up = {"char": last}
        self._stroke(down, up, KEY_HOLD)
        for mod in reversed(mods):
            self.emit(ev.KEY_UP, key=mod)
            self.t += KEY_HOLD
        return self._done()

    # ---------------------------------------------------------------- the recorder's own

    def _recorder_chord(self, trigger: str, action: str, t: float | None) -> None:
        """ctrl+alt+TRIGGER as the recorder queues it: the trigger key never reaches the stream."""
        if t is not None:
            self.at(t)
        self.emit(ev.KEY_DOWN, key="ctrl")
        self.t += KEY_HOLD
        self.emit(ev.KEY_DOWN, key="alt")
        self.t += KEY_HOLD
        self.emit(ev.HOTKEY, keys=["ctrl", "alt", trigger], action=action)

    def start_secret(self, name: str, t: float | None = None) -> Script:
        self._recorder_chord("p", "secret", t)
        self.emit(ev.SECRET, name=name)
        return self._done()  # secret mode: no key event (not even the releases) is recorded

    def end_secret(self, t: float | None = None) -> Script:
        self.emit(ev.HOTKEY, t, keys=["ctrl", "alt", "p"], action="secret")
        self.emit(ev.SECRET_END)
        self.t += KEY_HOLD
        self.emit(ev.KEY_UP, key="alt")  # recording again: the releases come through
        self.t += KEY_HOLD
        self.emit(ev.KEY_UP, key="ctrl")
        return self._done()

    def stop(self, t: float | None = None) -> Script:
        """The stop chord: marker, STOP, then the releases (the listener is still running)."""
        self._recorder_chord("q", "stop", t)
        self.emit(ev.STOP, reason="hotkey")
        self.t += KEY_HOLD
        self.emit(ev.KEY_UP, key="alt")
        self.t += KEY_HOLD
        self.emit(ev.KEY_UP, key="ctrl")
        return self._done()


def run(script: Script | list[ev.RawEvent], options: CoalesceOptions | None = None) -> Coalesced:
    """coalesce(), checking what every result must satisfy."""
    raw = script.events if isinstance(script, Script) else script
    result = coalesce(raw, options)
    assert parse_steps(format_steps(result.steps)) == result.steps
    used = [a for step in result.steps for a in anchor_ids(step)]
    assert [a.id for a in result.anchors] == list(dict.fromkeys(used))
    return result


def lines(script: Script | list[ev.RawEvent], options: CoalesceOptions | None = None):
    """The steps as step-language lines."""
    return format_steps(run(script, options).steps).splitlines()


# ================================================================ the script itself


def test_script_writes_what_the_listener_emits():
    raw = Script().type_chars("Hi!").events
    assert [(e.kind, e.data) for e in raw] == [
        (ev.KEY_DOWN, {"key": "shift"}),
        (ev.KEY_DOWN, {"char": "H"}),
        (ev.KEY_UP, {"char": "h"}),
        (ev.KEY_UP, {"key": "shift"}),
        (ev.KEY_DOWN, {"char": "i"}),
        (ev.KEY_UP, {"char": "i"}),
        (ev.KEY_DOWN, {"key": "shift"}),
        (ev.KEY_DOWN, {"char": "!"}),
        (ev.KEY_UP, {"char": "1"}),
        (ev.KEY_UP, {"key": "shift"}),
    ]
    times = [e.t for e in raw]
    assert times == sorted(times)
    ctrl_a = Script(windows=True).chord("ctrl", "a").events
    assert [e.data for e in ctrl_a] == [
        {"key": "ctrl"},
        {"char": "\x01"},
        {"char": "\x01"},
        {"key": "ctrl"},
    ]


def test_nothing_in_nothing_out():
    result = run([])
    assert (result.steps, result.anchors, result.notes) == ([], [], [])


def test_accepts_any_iterable():
    raw = Script().click(5, 6).events
    assert coalesce(iter(raw)).steps == [Click(5, 6)]


# ================================================================ pointer


def test_click():
    result = run(Script().click(100, 200))
    assert format_steps(result.steps) == "click 100 200\n"
    assert result.anchors == [] and result.notes == []


def test_right_click():
    assert lines(Script().right_click(640, 480)) == ["right_click 640 480"]


def test_click_then_right_click_stay_apart():
    script = Script().click(10, 10).right_click(10, 10)
    assert lines(script) == ["click 10 10", "right_click 10 10"]


def test_double_click():
    script = Script().click(50, 60, t=0).click(52, 61, t=0.375)  # 0.25 s after the release
    assert lines(script) == ["double_click 50 60"]


def test_double_click_at_the_limits():
    # second press exactly 0.5 s after the first release and exactly 4 px off
    script = Script().click(50, 60, t=0).click(54, 56, t=HOLD + 0.5)
    assert lines(script) == ["double_click 50 60"]


def test_slow_second_click_stays_two_clicks():
    script = Script().click(50, 60, t=0).click(50, 60, t=HOLD + 0.625)
    assert lines(script) == ["click 50 60", "click 50 60"]


def test_far_second_click_stays_two_clicks():
    script = Script().click(50, 60, t=0).click(55, 60, t=0.25)
    assert lines(script) == ["click 50 60", "click 55 60"]


def test_two_double_clicks_in_a_row():
    script = Script().click(1, 1, t=0).click(1, 1, t=0.25).click(9, 9, t=2).click(9, 9, t=2.25)
    assert lines(script) == ["double_click 1 1", "wait 1.5", "double_click 9 9"]


def test_a_key_between_two_quick_clicks_keeps_them_apart():
    script = Script().click(1, 1, t=0).key("enter", t=0.1875).click(1, 1, t=0.375)
    assert lines(script) == ["click 1 1", "press enter", "click 1 1"]


def test_drag():
    script = Script().move(10, 10).drag(10, 10, 200, 150)
    assert lines(script) == ["drag 10 10 to 200 150"]


@pytest.mark.parametrize(
    ("to", "expected"),
    [
        ((100, 100), "click 100 100"),
        ((106, 94), "click 100 100"),  # jitter within 6 px: a click at the press point
        ((94, 106), "click 100 100"),
        ((107, 100), "drag 100 100 to 107 100"),
        ((100, 93), "drag 100 100 to 100 93"),
    ],
)
def test_jittery_click_versus_drag(to, expected):
    assert lines(Script().click(100, 100, to=to)) == [expected]


def test_drag_never_becomes_half_of_a_double_click():
    script = Script().drag(10, 10, 100, 100, t=0).click(100, 100, t=0.75)
    assert lines(script) == ["drag 10 10 to 100 100", "click 100 100"]


def test_right_button_never_drags():
    assert lines(Script().right_click(10, 10, to=(300, 300))) == ["right_click 10 10"]


def test_middle_click_is_left_out_with_a_note():
    result = run(Script().click(10, 10).click(300, 300, button="middle").click(20, 20))
    assert format_steps(result.steps) == "click 10 10\nclick 20 20\n"
    assert len(result.notes) == 1 and "middle" in result.notes[0]


def test_a_release_without_its_press_is_ignored():
    raw = [ev.RawEvent(0.0, ev.UP, {"x": 1, "y": 1, "button": "left"})]
    assert lines(raw) == []


def test_click_with_modifier_held_is_a_plain_click_with_a_note():
    script = Script()
    script.emit(ev.KEY_DOWN, key="ctrl")
    script.click(40, 50)
    script.emit(ev.KEY_UP, key="ctrl")
    result = run(script)
    assert format_steps(result.steps) == "click 40 50\n"  # no hotkey, no press ctrl
    assert len(result.notes) == 1 and "ctrl" in result.notes[0]


def test_shift_click_is_a_plain_click_without_a_note():
    script = Script()
    script.emit(ev.KEY_DOWN, key="shift")
    script.click(40, 50)
    script.emit(ev.KEY_UP, key="shift")
    result = run(script)
    assert format_steps(result.steps) == "click 40 50\n" and result.notes == []


# ---------------------------------------------------------------- anchors


def test_click_with_its_anchor():
    script = Script().click(100, 200, anchor="a1b2c3d4").anchor("a1b2c3d4", 70, 170)
    result = run(script)
    assert format_steps(result.steps) == 'click 100 200 anchor "a1b2c3d4"\n'
    assert result.anchors == [Anchor("a1b2c3d4", PNG, 70, 170, 3, 2)]
    assert result.anchors[0].png == PNG


def test_right_click_with_its_anchor():
    script = Script().right_click(5, 6, anchor="menu_1").anchor("menu_1", 0, 0)
    result = run(script)
    assert lines(script) == ['right_click 5 6 anchor "menu_1"']
    assert [a.id for a in result.anchors] == ["menu_1"]


def test_anchor_whose_grab_did_not_finish_gives_a_plain_click():
    result = run(Script().click(100, 200, anchor="deadbeef"))
    assert format_steps(result.steps) == "click 100 200\n"
    assert result.anchors == []


def test_anchor_written_after_stop_is_still_used():
    # the grabber finishes pending grabs after the stop chord was queued
    script = Script().click(100, 200, anchor="late0001").stop().anchor("late0001", 90, 190)
    result = run(script)
    assert format_steps(result.steps) == 'click 100 200 anchor "late0001"\n'
    assert [a.id for a in result.anchors] == ["late0001"]


def test_only_anchors_the_steps_use_are_returned():
    script = Script()
    script.click(10, 10, t=0, anchor="first").anchor("first", 0, 0)
    script.click(10, 10, t=0.25, anchor="second").anchor("second", 0, 0)  # double click
    script.drag(50, 50, 200, 200, t=2)
    script.click(300, 300, t=4, anchor="dragged").anchor("dragged", 290, 290)
    script.click(300, 300, t=4.25, to=(400, 400), anchor="dragsrc")
    script.anchor("dragsrc", 290, 290)
    result = run(script)
    assert lines(script)[0] == 'double_click 10 10 anchor "first"'
    assert [a.id for a in result.anchors] == ["first", "dragged"]


def test_the_same_anchor_twice_is_returned_once():
    script = Script().click(10, 10, anchor="same").anchor("same", 0, 0).key("tab")
    script.click(10, 10, anchor="same")
    result = run(script)
    assert [a.id for a in result.anchors] == ["same"]


# ================================================================ typing


def test_typing_with_shift_is_one_type_step():
    script = Script().type_chars("Hello, World!")
    assert sum(e.data == {"key": "shift"} for e in script.events) == 6  # 3 downs, 3 ups
    assert lines(script) == ['type "Hello, World!"']


def test_symbols_of_the_whole_keyboard():
    text = "~!@#$%^&*()_+{}|:\"<>? `1234567890-=[]\\;',./ AZaz"
    assert run(Script().type_chars(text)).steps[0].text == text


def test_backspace_edits_typed_text():
    script = Script().type_chars("Helo").key("backspace").type_chars("lo")
    assert lines(script) == ['type "Hello"']


def test_backspaces_erasing_all_typed_text_leave_no_step():
    script = Script().type_chars("abc").key("backspace", times=3)
    assert lines(script) == []


def test_backspaces_beyond_typed_text_become_presses():
    script = Script().type_chars("ab").key("backspace", times=4)
    assert lines(script) == ["press backspace times 2"]


def test_backspace_with_nothing_typed():
    assert lines(Script().key("backspace", times=4)) == ["press backspace times 4"]
    assert lines(Script().key("backspace")) == ["press backspace"]


def test_backspace_after_typed_text_was_written_is_a_press():
    script = Script().type_chars("abc").key("enter").key("backspace")
    assert lines(script) == ['type "abc"', "press enter", "press backspace"]


def test_non_ascii_text_is_kept():
    text = "你好，世界 café 😀"
    assert lines(Script().type_chars(text)) == [f'type "{text}"']


def test_backspace_removes_a_whole_emoji():
    script = Script().type_chars("ok 😀").key("backspace").type_chars("!")
    assert lines(script) == ['type "ok !"']


def test_space_key_is_a_space_in_the_text():
    script = Script().type_chars("a b")
    assert {"key": "space"} in [e.data for e in script.events]
    assert lines(script) == ['type "a b"']


def test_shift_held_over_a_space_still_types_it():
    script = Script()
    script.emit(ev.KEY_DOWN, key="shift")
    for down in ({"char": "A"}, {"key": "space"}, {"char": "B"}):
        script.emit(ev.KEY_DOWN, **down)
    script.emit(ev.KEY_UP, key="shift")
    assert lines(script) == ['type "A B"']


def test_quotes_and_backslashes_survive():
    text = 'say "hi" \\o/'
    assert run(Script().type_chars(text)).steps[0].text == text


def test_enter_splits_the_text():
    script = Script().type_chars("first line\nsecond")
    assert lines(script) == ['type "first line"', "press enter", 'type "second"']


def test_tab_repeated():
    assert lines(Script().key("tab", times=3)) == ["press tab times 3"]


def test_tab_between_fields():
    script = Script().type_chars("Ada").key("tab").type_chars("Lovelace").key("tab", times=2)
    assert lines(script) == ['type "Ada"', "press tab", 'type "Lovelace"', "press tab times 2"]


def test_different_keys_are_not_counted_together():
    script = Script().key("down", times=2).key("up").key("down")
    assert lines(script) == ["press down times 2", "press up", "press down"]


def test_shift_tab():
    assert lines(Script().chord("shift", "tab")) == ["hotkey shift+tab"]


def test_shift_with_a_special_key_is_a_hotkey():
    script = Script().type_chars("abc").chord("shift", "left").chord("shift", "home")
    assert lines(script) == ['type "abc"', "hotkey shift+left", "hotkey shift+home"]


def test_a_click_ends_the_text():
    script = Script().type_chars("abc").click(5, 5).type_chars("def")
    assert lines(script) == ['type "abc"', "click 5 5", 'type "def"']


# ================================================================ chords


@pytest.mark.parametrize("windows", [False, True], ids=["x11", "windows"])
@pytest.mark.parametrize("letter", ["a", "s", "z"])
def test_ctrl_letter(windows, letter):
    script = Script(windows=windows).chord("ctrl", letter)
    if windows:
        assert script.events[1].data == {"char": chr(ord(letter) - 96)}
    assert lines(script) == [f"hotkey ctrl+{letter}"]


@pytest.mark.parametrize("windows", [False, True], ids=["x11", "windows"])
def test_ctrl_shift_letter(windows):
    script = Script(windows=windows).chord("ctrl", "shift", "t")
    assert lines(script) == ["hotkey ctrl+shift+t"]


def test_ctrl_shift_esc():
    assert lines(Script().chord("ctrl", "shift", "esc")) == ["hotkey ctrl+shift+esc"]


def test_alt_f4():
    assert lines(Script().chord("alt", "f4")) == ["hotkey alt+f4"]


def test_ctrl_plus():
    assert lines(Script().chord("ctrl", "+")) == ["hotkey ctrl+plus"]


@pytest.mark.parametrize(
    "pressed",
    [
        ("shift", "ctrl"),
        ("ctrl", "shift"),
        ("win", "alt"),
        ("alt", "win"),
        ("shift", "win", "alt", "ctrl"),
        ("win", "shift", "ctrl", "alt"),
    ],
)
def test_hotkey_orders_modifiers_ctrl_alt_shift_win(pressed):
    expected = "+".join(k for k in ("ctrl", "alt", "shift", "win") if k in pressed)
    assert lines(Script().chord(*pressed, "f5")) == [f"hotkey {expected}+f5"]


def test_one_ctrl_press_two_chords():
    script = Script()
    script.emit(ev.KEY_DOWN, key="ctrl")
    for char in "cv":
        script.emit(ev.KEY_DOWN, char=char).emit(ev.KEY_UP, char=char)
    script.emit(ev.KEY_UP, key="ctrl")
    assert lines(script) == ["hotkey ctrl+c", "hotkey ctrl+v"]


def test_chord_between_text():
    script = Script(windows=True).type_chars("abc").chord("ctrl", "a").type_chars("x")
    assert lines(script) == ['type "abc"', "hotkey ctrl+a", 'type "x"']


def test_held_modifier_autorepeat_is_one_press():
    script = Script()
    for _ in range(5):  # a held key repeats its key_down
        script.emit(ev.KEY_DOWN, key="ctrl")
        script.t += KEY_HOLD
    script.emit(ev.KEY_DOWN, char="s").emit(ev.KEY_UP, char="s").emit(ev.KEY_UP, key="ctrl")
    assert lines(script) == ["hotkey ctrl+s"]


def test_chord_with_a_key_that_has_no_name_is_left_out_with_a_note():
    result = run(Script().chord("ctrl", "#"))
    assert result.steps == []
    assert len(result.notes) == 1 and "unknown key" in result.notes[0]


def test_a_key_without_a_name_is_left_out_with_a_note():
    raw = [ev.RawEvent(0.0, ev.KEY_DOWN, {"vk": 255}), ev.RawEvent(0.1, ev.KEY_UP, {"vk": 255})]
    result = run(raw)
    assert result.steps == [] and len(result.notes) == 1


@pytest.mark.parametrize(("key", "expected"), [("win", ["press win"]), ("alt", ["press alt"])])
def test_lone_tap_of_win_or_alt_is_a_press(key, expected):
    assert lines(Script().key(key)) == expected


@pytest.mark.parametrize("key", ["shift", "ctrl"])
def test_lone_tap_of_shift_or_ctrl_is_nothing(key):
    assert lines(Script().click(1, 1).key(key).click(9, 9)) == ["click 1 1", "click 9 9"]


def test_win_used_in_a_chord_is_not_also_a_press():
    assert lines(Script().chord("win", "d")) == ["hotkey win+d"]


def test_alt_used_for_a_click_is_not_also_a_press():
    script = Script()
    script.emit(ev.KEY_DOWN, key="alt").click(3, 3).emit(ev.KEY_UP, key="alt")
    assert lines(script) == ["click 3 3"]


def test_altgr_typing_stays_text():
    script = Script().type_chars("a")
    script.emit(ev.KEY_DOWN, key="altright").emit(ev.KEY_DOWN, char="@")
    script.emit(ev.KEY_UP, char="q").emit(ev.KEY_UP, key="altright")._done()
    script.type_chars("b")
    assert lines(script) == ['type "a@b"']


# ================================================================ scroll


def test_scroll_run_merges():
    assert lines(Script().scroll(-1, 3, at=(400, 300))) == ["scroll -3 at 400 300"]


def test_scroll_run_of_mixed_sizes():
    script = Script().scroll(2, 1, at=(1, 2)).scroll(3, 2, at=(1, 2)).scroll(-1, 1, at=(1, 2))
    assert lines(script) == ["scroll 7 at 1 2"]


def test_scroll_keeps_the_first_position_of_a_run():
    script = Script().scroll(-1, 2, at=(400, 300)).scroll(-1, 1, at=(402, 301))
    assert lines(script) == ["scroll -3 at 400 300"]


def test_scroll_up_and_down_cancel():
    assert lines(Script().scroll(1, 2, at=(5, 5)).scroll(-1, 2, at=(5, 5))) == []
    script = Script().click(5, 5).scroll(1, 2, at=(5, 5)).scroll(-1, 2, at=(5, 5))
    assert lines(script) == ["click 5 5"]


def test_scroll_after_a_cancelled_run_starts_afresh():
    script = Script().scroll(1, 1, at=(5, 5)).scroll(-1, 3, at=(5, 5))
    assert lines(script) == ["scroll -2 at 5 5"]


def test_scroll_run_split_by_a_click():
    script = Script().scroll(-1, 2, at=(400, 300)).click(400, 300).scroll(-1, 1, at=(400, 300))
    assert lines(script) == ["scroll -2 at 400 300", "click 400 300", "scroll -1 at 400 300"]


def test_scroll_run_split_by_a_key():
    script = Script().scroll(-1, 2, at=(9, 9)).key("pagedown").scroll(-1, 1, at=(9, 9))
    assert lines(script) == ["scroll -2 at 9 9", "press pagedown", "scroll -1 at 9 9"]


def test_sideways_scroll_is_left_out_with_a_note():
    result = run(Script().scroll(0, 3, at=(5, 5), dx=1))
    assert result.steps == []
    assert len(result.notes) == 3 and all("sideways" in n for n in result.notes)


def test_sideways_scroll_does_not_break_a_vertical_run():
    script = Script().scroll(-1, 1, at=(5, 5)).scroll(0, 1, at=(5, 5), dx=1)
    script.scroll(-1, 1, at=(5, 5))
    assert lines(script) == ["scroll -2 at 5 5"]


def test_typing_between_scrolls_keeps_the_order():
    script = Script().scroll(-1, 1, at=(5, 5)).type_chars("a").scroll(-1, 1, at=(5, 5))
    assert lines(script) == ["scroll -1 at 5 5", 'type "a"', "scroll -1 at 5 5"]


def test_long_pause_between_scrolls_is_a_wait():
    script = Script().scroll(-1, 2, at=(5, 5)).pause(3).scroll(-1, 2, at=(5, 5))
    assert lines(script) == ["scroll -2 at 5 5", "wait 3", "scroll -2 at 5 5"]


def test_scrolls_in_two_places_stay_apart():
    script = Script().scroll(-2, 1, at=(100, 100)).glide(900, 700)
    script.scroll(-2, 1, at=(900, 700))
    assert lines(script) == ["scroll -2 at 100 100", "scroll -2 at 900 700"]


# ================================================================ waits


@pytest.mark.parametrize(
    ("gap", "expected"),
    [
        (0.25, []),
        (1.0, []),
        (1.125, ["wait 1"]),
        (1.3, ["wait 1.5"]),
        (2.3, ["wait 2.5"]),
        (4.9, ["wait 5"]),
        (60.0, ["wait 60"]),
    ],
)
def test_pause_between_clicks(gap, expected):
    script = Script().click(10, 10, t=0).click(500, 500, t=HOLD + gap)
    assert lines(script) == ["click 10 10", *expected, "click 500 500"]


def test_wait_is_measured_from_the_release():
    script = Script().click(10, 10, t=0, hold=3).click(500, 500, t=3.5)  # held 3 s
    assert lines(script) == ["click 10 10", "click 500 500"]


def test_no_wait_before_the_first_step():
    assert lines(Script().click(10, 10, t=5)) == ["click 10 10"]


def test_no_wait_before_the_first_step_after_a_lone_shift_tap():
    assert lines(Script().key("shift", t=0).click(10, 10, t=5)) == ["click 10 10"]


def test_pause_in_the_middle_of_typing_splits_the_text():
    script = Script().type_chars("Hel").pause(2).type_chars("lo")
    assert lines(script) == ['type "Hel"', "wait 2", 'type "lo"']


def test_pause_before_a_shifted_letter_comes_before_the_shift():
    script = Script().type_chars("ab").pause(2).type_chars("C")
    assert lines(script) == ['type "ab"', "wait 2", 'type "C"']


def test_pause_before_a_key_press_and_a_chord():
    script = Script().type_chars("x").pause(1.5).key("enter").pause(3).chord("ctrl", "s")
    assert lines(script) == ['type "x"', "wait 1.5", "press enter", "wait 3", "hotkey ctrl+s"]


def test_pause_before_a_scroll():
    script = Script().click(1, 1).pause(2).scroll(-1, 2, at=(1, 1))
    assert lines(script) == ["click 1 1", "wait 2", "scroll -2 at 1 1"]


def test_pause_splits_repeated_presses():
    script = Script().key("tab", times=2).pause(2).key("tab")
    assert lines(script) == ["press tab times 2", "wait 2", "press tab"]


def test_bare_moves_do_not_count_as_activity():
    script = Script().click(1, 1, t=0)
    for i in range(20):  # the pointer wanders for 2.5 s without resting
        script.move(10 + i * 10, 10, t=0.25 + i * 0.125)
    script.click(300, 300, t=HOLD + 2.5)
    assert lines(script) == ["click 1 1", "wait 2.5", "click 300 300"]


def test_no_trailing_wait_before_the_stop_chord():
    script = Script().click(10, 10).pause(5).stop()
    assert lines(script) == ["click 10 10"]


# ================================================================ hover


def rest_then_click(rest_at, click_at, *, rest_from=0.5, rest_for=1.75, first_click=0.0):
    """Click at (10, 10), rest at `rest_at`, glide to `click_at` and click it."""
    script = Script().click(10, 10, t=first_click)
    script.move(*rest_at, t=first_click + rest_from)
    x, y = click_at
    script.move((rest_at[0] + x) // 2, (rest_at[1] + y) // 2, t=first_click + rest_from + rest_for)
    script.move(x, y)
    return script.click(x, y)


def test_hover_then_click_elsewhere_is_a_move():
    script = rest_then_click((300, 300), (300, 400))
    # rest from 0.5 s; the click comes 2 s later (1.75 s rest + two moves of 1/8 s)
    assert lines(script) == ["click 10 10", "move 300 300", "wait 2", "click 300 400"]


def test_hover_with_waits_on_both_sides():
    script = rest_then_click((300, 300), (300, 400), rest_from=3.0, rest_for=4.0)
    assert lines(script) == [
        "click 10 10",
        "wait 3",  # release at 1/8 s, rest from 3 s
        "move 300 300",
        "wait 4",  # 4.25 s to the click
        "click 300 400",
    ]


def test_hover_as_the_first_thing():
    script = Script().move(300, 300, t=0).move(300, 350, t=1.5).move(300, 400)
    script.click(300, 400)
    assert lines(script) == ["move 300 300", "wait 2", "click 300 400"]


def test_hover_exactly_20_px_away_is_a_move():
    script = rest_then_click((300, 300), (320, 300))
    assert "move 300 300" in lines(script)


def test_rest_then_click_nearby_is_no_move():
    assert lines(rest_then_click((300, 300), (319, 300))) == [
        "click 10 10",
        "wait 2.5",  # from the release at 1/8 s to the click at 2.5 s
        "click 319 300",
    ]


def test_rest_then_click_at_the_same_point_is_no_move():
    script = Script().click(10, 10, t=0).move(300, 300, t=0.5).click(300, 300, t=2.5)
    assert lines(script) == ["click 10 10", "wait 2.5", "click 300 300"]


def test_short_rest_is_no_move():
    script = rest_then_click((300, 300), (300, 400), rest_for=0.75)
    assert lines(script) == ["click 10 10", "wait 1.5", "click 300 400"]


def test_bare_moves_are_dropped():
    script = Script()
    for i in range(50):
        script.move(i * 7, i * 3, t=i * 0.5)  # even slow ones: no click follows
    assert lines(script) == []


def test_rest_then_typing_is_no_move():
    script = Script().click(10, 10, t=0).move(300, 300, t=0.5).move(500, 500, t=2)
    script.type_chars("x").click(500, 500)
    assert lines(script) == ["click 10 10", "wait 2", 'type "x"', "click 500 500"]


def test_rest_before_the_last_click_is_no_move():
    # the pointer rests at (300, 300) and is clicked there before moving on
    script = Script().move(300, 300, t=0).click(300, 300, t=1.5)
    script.move(400, 400, t=3).click(400, 400)
    assert lines(script) == ["click 300 300", "wait 1.5", "click 400 400"]


# ================================================================ the recorder's markers


def test_secret_mode():
    script = Script().click(200, 100).start_secret("login secret 1")
    script.end_secret(t=script.last + 0.75).key("enter")
    assert lines(script) == ["click 200 100", 'type secret "login secret 1"', "press enter"]


def test_click_in_secret_mode_has_no_modifier_note():
    # in secret mode the chord's releases are never recorded
    script = Script().start_secret("s1").click(50, 50).end_secret()
    result = run(script)
    assert format_steps(result.steps) == 'type secret "s1"\nclick 50 50\n'
    assert result.notes == []


def test_a_bare_secret_event():
    raw = [ev.RawEvent(0.0, ev.SECRET, {"name": "bank password"})]
    assert lines(raw) == ['type secret "bank password"']


def test_recorder_chord_leaves_no_press_or_hotkey():
    # ctrl+alt held, the trigger key swallowed; without the marker alt would be a lone tap
    script = Script().click(1, 1)
    script.emit(ev.KEY_DOWN, key="ctrl").emit(ev.KEY_DOWN, key="alt")
    script.emit(ev.HOTKEY, keys=["ctrl", "alt", "m"], action="mark")
    script.emit(ev.KEY_UP, key="alt").emit(ev.KEY_UP, key="ctrl")._done()
    script.type_chars("ok")
    assert lines(script) == ["click 1 1", 'type "ok"']


def test_secret_end_marker_alone_forgets_held_modifiers():
    script = Script().emit(ev.KEY_DOWN, key="ctrl").emit(ev.KEY_DOWN, key="alt")
    script.emit(ev.SECRET_END).emit(ev.KEY_UP, key="alt").emit(ev.KEY_UP, key="ctrl")._done()
    script.type_chars("s")
    assert lines(script) == ['type "s"']


def test_stop_chord_leaves_no_step():
    assert lines(Script().type_chars("done").stop()) == ['type "done"']


def test_everything_after_stop_is_ignored():
    script = Script().click(1, 1).stop()
    script.click(2, 2).type_chars("after").scroll(-1, 3).key("win")
    script.emit(ev.SECRET, name="late")
    assert lines(script) == ["click 1 1"]


def test_unknown_event_kinds_are_ignored():
    raw = Script().click(1, 1).events
    raw.insert(1, ev.RawEvent(0.01, "telemetry", {"anything": 1}))
    assert lines(raw) == ["click 1 1"]


# ================================================================ options


def test_option_wait_threshold_higher():
    script = Script().click(1, 1, t=0).click(2000, 2, t=HOLD + 2.3).click(3, 3, t=10)
    options = CoalesceOptions(wait_threshold=3.0)
    assert lines(script, options) == ["click 1 1", "click 2000 2", "wait 7.5", "click 3 3"]


def test_option_wait_threshold_lower():
    script = Script().click(1, 1, t=0).click(200, 2, t=HOLD + 0.625)
    options = CoalesceOptions(wait_threshold=0.25)
    assert lines(script, options) == ["click 1 1", "wait 0.5", "click 200 2"]


def test_option_wait_step():
    script = Script().click(1, 1, t=0).click(200, 2, t=HOLD + 2.3)
    assert lines(script, CoalesceOptions(wait_step=0.1)) == ["click 1 1", "wait 2.3", "click 200 2"]
    assert lines(script, CoalesceOptions(wait_step=1.0)) == ["click 1 1", "wait 2", "click 200 2"]


@pytest.mark.parametrize(
    ("distance", "to", "expected"),
    [
        (20, (115, 100), "click 100 100"),
        (20, (121, 100), "drag 100 100 to 121 100"),
        (2, (103, 100), "drag 100 100 to 103 100"),
        (2, (102, 100), "click 100 100"),
    ],
)
def test_option_drag_distance(distance, to, expected):
    options = CoalesceOptions(drag_distance=distance)
    assert lines(Script().click(100, 100, to=to), options) == [expected]


def test_option_double_click_interval_and_distance():
    script = Script().click(50, 50, t=0).click(58, 50, t=HOLD + 0.75)
    assert lines(script) == ["click 50 50", "click 58 50"]
    options = CoalesceOptions(double_click_interval=1.0, double_click_distance=8)
    assert lines(script, options) == ["double_click 50 50"]


def test_option_hover():
    script = rest_then_click((300, 300), (300, 340), rest_for=1.25)
    assert "move 300 300" in lines(script)
    assert "move 300 300" not in lines(script, CoalesceOptions(hover_rest=1.5))
    assert "move 300 300" not in lines(script, CoalesceOptions(hover_distance=50))


# ================================================================ key_of_char


@pytest.mark.parametrize(
    ("char", "key"),
    [
        ("a", "a"),
        ("A", "a"),
        ("7", "7"),
        ("\x01", "a"),
        ("\x13", "s"),
        ("\x1a", "z"),
        ("+", "plus"),
        ("!", "!"),
        ("#", None),
        ("é", None),
        ("", None),
        (None, None),
    ],
)
def test_key_of_char(char, key):
    assert key_of_char(char) == key


# ================================================================ a whole recording


def test_filling_a_form():
    script = Script(windows=True)
    script.glide(200, 150, t=0).click(200, 150, anchor="name0001").anchor("name0001", 180, 140)
    script.type_chars("Ada Lovelace").key("tab").type_chars("ada@example.com")
    script.key("tab").start_secret("form secret 1").end_secret(t=script.last + 1.0)
    script.pause(2.3).scroll(-1, 4, at=(400, 500))
    script.click(420, 610, t=script.last + 0.5).chord("ctrl", "s").stop()
    result = run(script)
    assert format_steps(result.steps).splitlines() == [
        'click 200 150 anchor "name0001"',
        'type "Ada Lovelace"',
        "press tab",
        'type "ada@example.com"',
        "press tab",
        'type secret "form secret 1"',
        "wait 2.5",
        "scroll -4 at 400 500",
        "click 420 610",
        "hotkey ctrl+s",
    ]
    assert [a.id for a in result.anchors] == ["name0001"] and result.notes == []
