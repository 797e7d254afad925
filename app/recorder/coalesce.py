"""Raw events → semantic steps: what a person did, not what the hardware said.

A pure function, tested without a display. Presses and releases become clicks, double
clicks, right clicks and drags; printable keys become `type "TEXT"` (backspaces edit it);
other keys become `press KEY [times N]`; chords become `hotkey`; wheel runs merge into one
`scroll`; long pauses become `wait`; a pointer that rested somewhere before clicking
elsewhere (a menu opened by hovering) becomes a `move`. Everything else about the pointer
is dropped.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.core.macro import Anchor
from app.core.steps import (
    MAX_SCROLL,
    MAX_TIMES,
    Click,
    DoubleClick,
    Drag,
    Hotkey,
    Move,
    Press,
    RightClick,
    Scroll,
    Step,
    Type,
    TypeSecret,
    Wait,
)
from app.input import events as ev

TAPPABLE_MODIFIERS = frozenset({"alt", "win"})  # a lone tap of these does something
ALT_GR = "altright"  # AltGr types characters on European layouts (@ € { } ...)


@dataclass(frozen=True, slots=True)
class CoalesceOptions:
    wait_threshold: float = 1.0  # a pause longer than this (seconds) becomes `wait`
    wait_step: float = 0.5  # waits are rounded to a multiple of this
    double_click_interval: float = 0.5  # seconds between two clicks of a double click
    double_click_distance: int = 4  # pixels the second click may be off the first
    drag_distance: int = 6  # pixels a press must travel before it is a drag
    hover_rest: float = 1.0  # a rest this long, then a click elsewhere → `move`
    hover_distance: int = 20  # ... at least this far from the rest


@dataclass
class Coalesced:
    steps: list[Step]
    anchors: list[Anchor]  # the patches the steps use
    notes: list[str] = field(default_factory=list)  # what could not become a step, and why


def coalesce(raw: Iterable[ev.RawEvent], options: CoalesceOptions | None = None) -> Coalesced:
    raw = list(raw)
    builder = _Builder(options or CoalesceOptions(), _anchors(raw))
    for event in raw:
        if event.kind == ev.STOP:
            break
        builder.feed(event)
    return builder.finish()


def _anchors(raw: list[ev.RawEvent]) -> dict[str, Anchor]:
    """Anchor patches by id; the grabber thread writes them after their button press."""
    found = {}
    for event in raw:
        if event.kind == ev.ANCHOR:
            d = event.data
            png = base64.b64decode(d["png"])
            found[d["id"]] = Anchor(d["id"], png, d["x"], d["y"], d["w"], d["h"])
    return found


class _Builder:
    def __init__(self, options: CoalesceOptions, anchors: dict[str, Anchor]):
        self.o = options
        self.anchors = anchors
        self.steps: list[Step] = []
        self.notes: list[str] = []
        self.text = ""  # printable keys not yet written as a `type` step
        self.pending_wait: Wait | None = None  # written only if another step follows
        self.held: set[str] = set()  # modifiers down now
        self.tapped: dict[str, bool] = {}  # modifier → still a lone tap?
        self.last_activity: float | None = None  # time of the last key or button event
        self.down: ev.RawEvent | None = None  # the unreleased button press
        self.last_click: tuple[float, int, int] | None = None  # (up time, x, y) of last click
        self.scroll_open = False  # the last step is a scroll that may grow
        self.pointer: tuple[float, int, int] | None = None  # last move: (t, x, y)
        self.hover: tuple[float, int, int] | None = None  # a rest that may become `move`

    # ------------------------------------------------------------ dispatch

    def feed(self, e: ev.RawEvent) -> None:
        handler = {
            ev.MOVE: self.on_move,
            ev.DOWN: self.on_down,
            ev.UP: self.on_up,
            ev.SCROLL: self.on_scroll,
            ev.KEY_DOWN: self.on_key_down,
            ev.KEY_UP: self.on_key_up,
            ev.SECRET: self.on_secret,
            ev.HOTKEY: self.on_recorder_marker,
            ev.SECRET_END: self.on_recorder_marker,
        }.get(e.kind)
        if handler:
            handler(e)

    def finish(self) -> Coalesced:
        self.flush_text()
        used = [a for step in self.steps if (a := getattr(step, "anchor", None))]
        anchors = [self.anchors[i] for i in dict.fromkeys(used) if i in self.anchors]
        return Coalesced(self.steps, anchors, self.notes)

    # ------------------------------------------------------------ helpers

    def emit(self, step: Step) -> None:
        self.flush_text()
        self._append(step)

    def flush_text(self) -> None:
        if self.text:
            text, self.text = self.text, ""
            self._append(Type(text))

    def _append(self, step: Step) -> None:
        if self.pending_wait is not None:
            self.steps.append(self.pending_wait)
            self.pending_wait = None
        self.steps.append(step)
        self.scroll_open = False

    def last_step(self) -> Step | None:
        """The last step, if nothing (text, a wait) is waiting to follow it: it may grow."""
        if self.text or self.pending_wait is not None or not self.steps:
            return None
        return self.steps[-1]

    def activity(self, t: float) -> None:
        """A key or button went down at `t`: a long pause before it becomes `wait`."""
        if self.last_activity is not None and (self.steps or self.text):
            gap = t - self.last_activity
            if gap > self.o.wait_threshold:
                self.flush_text()
                step = self.o.wait_step
                self.pending_wait = Wait(max(step, round(gap / step) * step))
                self.scroll_open = False
        self.last_activity = t
        self.hover = None
        for key in self.tapped:
            self.tapped[key] = False

    # ------------------------------------------------------------ pointer

    def on_move(self, e: ev.RawEvent) -> None:
        x, y = e.data["x"], e.data["y"]
        if self.pointer and self.down is None:
            rest_t, rest_x, rest_y = self.pointer
            if e.t - rest_t >= self.o.hover_rest and (rest_x, rest_y) != (x, y):
                self.hover = (rest_t, rest_x, rest_y)
        self.pointer = (e.t, x, y)

    def on_down(self, e: ev.RawEvent) -> None:
        hover = self.hover
        if (
            hover
            and _distance(hover[1:], (e.data["x"], e.data["y"])) >= self.o.hover_distance
            and (self.last_activity is None or hover[0] > self.last_activity)
        ):
            self.activity(hover[0])  # the rest counts as an action: waits fall around it
            self.emit(Move(hover[1], hover[2]))
        self.activity(e.t)
        self.flush_text()
        self.down = e
        if self.held - {"shift"}:
            mods = "+".join(k for k in ev.MODIFIER_ORDER if k in self.held)
            self.notes.append(
                f"at {e.t:.1f} s a click was made with {mods} held; it is recorded as a plain "
                "click (the step language has no modifier clicks)"
            )

    def on_up(self, e: ev.RawEvent) -> None:
        down, self.down = self.down, None
        self.last_activity = e.t
        if down is None or down.data["button"] != e.data["button"]:
            return
        x1, y1, x2, y2 = down.data["x"], down.data["y"], e.data["x"], e.data["y"]
        button, anchor = down.data["button"], down.data.get("anchor")
        if anchor and anchor not in self.anchors:
            anchor = None  # the grab did not finish before the recording stopped
        if button == "left" and _distance((x1, y1), (x2, y2)) > self.o.drag_distance:
            self.emit(Drag(x1, y1, x2, y2))
            self.last_click = None
        elif button == "left":
            previous = self.last_step()
            if (
                isinstance(previous, Click)
                and self.last_click
                and down.t - self.last_click[0] <= self.o.double_click_interval
                and _distance(self.last_click[1:], (x1, y1)) <= self.o.double_click_distance
            ):
                self.steps[-1] = DoubleClick(previous.x, previous.y, previous.anchor)
                self.last_click = None
            else:
                self.emit(Click(x1, y1, anchor))
                self.last_click = (e.t, x1, y1)
        elif button == "right":
            self.emit(RightClick(x1, y1, anchor))
            self.last_click = None
        else:
            self.notes.append(f"at {down.t:.1f} s a {button} click was left out (no such step)")

    def on_scroll(self, e: ev.RawEvent) -> None:
        dy = e.data.get("dy", 0)
        if not dy:
            self.notes.append(f"at {e.t:.1f} s a sideways scroll was left out (no such step)")
            return
        last = self.last_step()
        x, y = e.data["x"], e.data["y"]
        if (
            not self.scroll_open
            or not isinstance(last, Scroll)
            or e.t - self.last_activity > self.o.wait_threshold
            or _distance((last.x, last.y), (x, y)) > self.o.drag_distance
        ):
            self.scroll_open = False  # a new run: elsewhere, or after a pause or other input
            self.activity(e.t)
            last = self.last_step()
        self.last_activity = e.t
        if self.scroll_open and isinstance(last, Scroll):
            total = last.amount + dy
            if total == 0:
                self.steps.pop()
                self.scroll_open = False
                return
            total = max(-MAX_SCROLL, min(MAX_SCROLL, total))
            self.steps[-1] = Scroll(total, last.x, last.y)
        else:
            self.emit(Scroll(dy, x, y))
        self.scroll_open = True

    # ------------------------------------------------------------ keyboard

    def on_key_down(self, e: ev.RawEvent) -> None:
        name, char = e.data.get("key"), e.data.get("char")
        if name == ALT_GR:
            self.held.add(name)  # it types characters: never a chord, never a step
            return
        if name in ev.MODIFIERS:
            if name not in self.held:
                self.activity(e.t)
                self.held.add(name)
                self.tapped[name] = True
            return
        self.activity(e.t)
        chord = self.held & {"ctrl", "alt", "win"}
        if ALT_GR in self.held and char:
            chord = set()  # Windows adds ctrl to AltGr: what it types is text
        key = name or ev.key_of_char(char)
        if chord or (self.held == {"shift"} and name and name != "space"):
            if key is None:
                self.notes.append(f"at {e.t:.1f} s a chord with an unknown key was left out")
                return
            mods = [k for k in ev.MODIFIER_ORDER if k in self.held]
            self.emit(Hotkey((*mods, key)))
        elif char:
            self.text += char
        elif name == "space":
            self.text += " "
        elif name == "backspace" and self.text:
            self.text = self.text[:-1]
        elif name:
            last = self.last_step()
            if isinstance(last, Press) and last.key == name and last.times < MAX_TIMES:
                self.steps[-1] = Press(name, last.times + 1)
            else:
                self.emit(Press(name))
        else:
            self.notes.append(f"at {e.t:.1f} s a key the recorder could not name was left out")

    def on_key_up(self, e: ev.RawEvent) -> None:
        name = e.data.get("key")
        self.last_activity = e.t
        if name in self.held:
            self.held.discard(name)
            if self.tapped.pop(name, False) and name in TAPPABLE_MODIFIERS:
                self.emit(Press(name))

    def on_secret(self, e: ev.RawEvent) -> None:
        self.activity(e.t)
        self.emit(TypeSecret(e.data["name"]))

    def on_recorder_marker(self, e: ev.RawEvent) -> None:
        """The recorder's own chord: forget its modifiers (their releases may be unrecorded)."""
        self.held.clear()
        self.tapped.clear()


def _distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(abs(a[0] - b[0]), abs(a[1] - b[1]))
