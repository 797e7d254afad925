"""The pynput adapter: global mouse and keyboard input as one ordered stream of raw events.

On X11 one XRecord context captures keys, buttons and motion together, so events arrive in
the order they happened (two pynput listeners each get their own context and reorder under
load). Elsewhere a keyboard and a mouse listener share one callback.

Two pynput traps are handled here: a listener reports "ready" before the X server really
delivers to it, so `start()` returns only after a synthetic nudge has come back through
the stream; and a listener with no events to read never notices `stop()`, so stopping
also disables the record context from a second connection.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from app.core.errors import EnvironmentProblem
from app.input import events as ev

# (kind, data, t): t on the time.monotonic() clock, when the event happened; called on the
# listener thread.
Sink = Callable[[str, dict[str, Any], float], None]
ARM_TIMEOUT = 5.0


class InputListener(Protocol):
    def start(self) -> None:
        """Start listening; returns once events are provably being delivered."""

    def stop(self) -> None:
        """Stop listening; returns once the listener thread has ended."""


def make_listener(sink: Sink) -> InputListener:
    """The listener for this platform; a clear error when there is no display to listen to."""
    linux = sys.platform.startswith("linux")
    if linux and not os.environ.get("DISPLAY"):
        raise EnvironmentProblem(
            "no display: DISPLAY is not set. Recording needs an X11 desktop session "
            "(on Wayland, run the app under XWayland)"
        )
    try:
        return _X11Listener(sink) if linux else _PairListener(sink)
    except Exception as bad:  # pynput raises assorted errors when no display is reachable
        reason = str(bad).splitlines()[0] if str(bad) else type(bad).__name__
        raise EnvironmentProblem(
            f"cannot listen to the mouse and keyboard ({reason}); recording needs a desktop session"
        ) from None


# ---------------------------------------------------------------- pynput → raw event data


def key_data(key: Any) -> dict[str, Any]:
    """A pynput key as raw-event data: {"key": name} for special keys, {"char": c} for text."""
    from pynput.keyboard import Key

    if key is None:
        return {}
    if isinstance(key, Key):
        name = ev.PYNPUT_KEY_NAMES.get(key.name)
        return {"key": name} if name else {"vk": getattr(key.value, "vk", None)}
    if key.char is not None:
        return {"char": key.char}
    return {"vk": key.vk}


def _button_name(button: Any) -> str:
    return {"left": "left", "right": "right", "middle": "middle"}.get(button.name, button.name)


class _Callbacks:
    """pynput callbacks → sink calls; shared by both listener kinds.

    `clock` says when the event being handled happened (default: now).
    """

    def __init__(self, sink: Sink, clock: Callable[[], float] = time.monotonic):
        self.sink = sink
        self.clock = clock

    def on_press(self, key, injected=False):
        self.sink(ev.KEY_DOWN, key_data(key), self.clock())

    def on_release(self, key, injected=False):
        self.sink(ev.KEY_UP, key_data(key), self.clock())

    def on_move(self, x, y, injected=False):
        self.sink(ev.MOVE, {"x": int(x), "y": int(y)}, self.clock())

    def on_click(self, x, y, button, pressed, injected=False):
        kind = ev.DOWN if pressed else ev.UP
        data = {"x": int(x), "y": int(y), "button": _button_name(button)}
        self.sink(kind, data, self.clock())

    def on_scroll(self, x, y, dx, dy, injected=False):
        data = {"x": int(x), "y": int(y), "dx": int(dx), "dy": int(dy)}
        self.sink(ev.SCROLL, data, self.clock())


# ---------------------------------------------------------------- X11: one record context


class _X11Listener:
    def __init__(self, sink: Sink):
        import Xlib.display
        import Xlib.X
        from pynput.keyboard._xorg import Listener as KeyboardListener
        from pynput.mouse._xorg import Listener as MouseListener

        armed = threading.Event()
        self._armed = armed
        clock = _ServerClock()
        callbacks = _Callbacks(sink, clock.event_time)

        class Combined(KeyboardListener):
            # device events KeyPress..MotionNotify: keys, buttons (and wheel) and motion
            _EVENTS = (Xlib.X.KeyPress, Xlib.X.MotionNotify)
            _SCROLL_BUTTONS = MouseListener._SCROLL_BUTTONS
            _button = MouseListener._button
            sentinel: int | None = None

            def _handle_message(self, display, event, injected):
                clock.server_ms = event.time
                if event.type in (Xlib.X.KeyPress, Xlib.X.KeyRelease):
                    if event.detail == self.sentinel:
                        clock.synchronise()
                        armed.set()  # our own nudge: the stream is live
                        return
                    KeyboardListener._handle_message(self, display, event, injected)
                else:
                    MouseListener._handle_message(self, display, event, injected)

        self._listener = Combined(on_press=callbacks.on_press, on_release=callbacks.on_release)
        self._listener.on_move = callbacks.on_move
        self._listener.on_click = callbacks.on_click
        self._listener.on_scroll = callbacks.on_scroll
        self._display = Xlib.display.Display()  # raises when no X server is reachable
        self._listener.sentinel = _unused_keycode(self._display)

    def start(self) -> None:
        from Xlib import X
        from Xlib.ext import xtest

        self._listener.start()
        self._listener.wait()
        deadline = time.monotonic() + ARM_TIMEOUT
        keycode = self._listener.sentinel
        while not self._armed.is_set():
            if time.monotonic() > deadline:
                self.stop()
                raise EnvironmentProblem("the input listener did not start (no events arrived)")
            xtest.fake_input(self._display, X.KeyPress, keycode)
            xtest.fake_input(self._display, X.KeyRelease, keycode)
            self._display.sync()
            self._armed.wait(0.02)

    def stop(self) -> None:
        import Xlib.display

        listener = self._listener
        listener.stop()
        context = getattr(listener, "_context", None)
        if context is not None and listener.is_alive():
            # pynput's own disable is not flushed while the record loop waits for events
            display = Xlib.display.Display()
            try:
                display.record_disable_context(context)
                display.sync()
            finally:
                display.close()
        listener.join(5)
        self._display.close()


class _ServerClock:
    """The X server's event time (ms) mapped onto time.monotonic().

    XRecord may hand events over in bursts, seconds late: the server's own timestamp says
    when each one happened. The offset is fixed when the arming nudge comes back.
    """

    def __init__(self):
        self.server_ms: int | None = None
        self.offset: float | None = None

    def synchronise(self) -> None:
        self.offset = time.monotonic() - self.server_ms / 1000

    def event_time(self) -> float:
        if self.offset is None or self.server_ms is None:
            return time.monotonic()
        return self.server_ms / 1000 + self.offset


def _unused_keycode(display) -> int:
    """A keycode bound to no symbol: pressing it reaches every program as nothing."""
    info = display.display.info
    first, count = info.min_keycode, info.max_keycode - info.min_keycode + 1
    mapping = display.get_keyboard_mapping(first, count)
    for offset in range(count - 1, -1, -1):
        if not any(mapping[offset]):
            return first + offset
    raise EnvironmentProblem("every keycode is mapped; the recorder needs one free keycode")


# ---------------------------------------------------------------- other platforms


class _PairListener:
    """A keyboard and a mouse listener with one sink (Windows, macOS)."""

    def __init__(self, sink: Sink):
        from pynput import keyboard, mouse

        callbacks = _Callbacks(sink)
        self._keyboard = keyboard.Listener(
            on_press=callbacks.on_press, on_release=callbacks.on_release
        )
        self._mouse = mouse.Listener(
            on_move=callbacks.on_move, on_click=callbacks.on_click, on_scroll=callbacks.on_scroll
        )

    def start(self) -> None:
        for listener in (self._keyboard, self._mouse):
            listener.start()
            listener.wait()  # the hooks are installed when this returns on Windows

    def stop(self) -> None:
        for listener in (self._keyboard, self._mouse):
            listener.stop()
            listener.join(5)
