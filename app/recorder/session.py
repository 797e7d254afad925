"""One recording, end to end: listener → queue → SQLite in batches → steps → saved macro.

Three threads keep the listener's callback cheap, so no input is delayed: the callback
only stamps the event and queues it; a writer thread commits the queue to `raw_events`
every `flush_interval`; a grabber thread cuts an image patch around each button press.
Stopping, crashing or being killed all leave the raw events in the database, from which
`recover()` builds the macro later.
"""

from __future__ import annotations

import base64
import os
import queue
import secrets
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.core.macro import Macro
from app.input import events as ev
from app.input.capture import open_mss
from app.input.hotkeys import ChordTracker
from app.input.listener import InputListener, Sink, make_listener
from app.recorder.coalesce import CoalesceOptions, coalesce
from app.storage.database import open_database
from app.storage.macros import MacroStore
from app.storage.recordings import RecordingInfo, RecordingStore

BATCH_MAX = 1000


@dataclass(frozen=True, slots=True)
class RecorderSettings:
    stop_hotkey: tuple[str, ...] = ("ctrl", "alt", "q")
    secret_hotkey: tuple[str, ...] = ("ctrl", "alt", "p")  # p for password
    anchors: bool = True
    anchor_size: int = 96  # pixels square: the most distinctive size measured (bench/recorder.py)
    flush_interval: float = 0.1  # seconds between commits of raw events
    coalesce: CoalesceOptions = field(default_factory=CoalesceOptions)


@dataclass
class RecordingResult:
    macro: Macro
    notes: list[str]
    secrets: list[str]
    events: int
    reason: str


class Recording:
    """Record into the database at `db_path` under the macro name `name`."""

    def __init__(
        self,
        db_path: Path,
        name: str,
        settings: RecorderSettings | None = None,
        listener_factory: Callable[[Sink], InputListener] | None = None,
    ):
        self.db_path = db_path
        self.name = name
        self.settings = settings or RecorderSettings()
        self._listener_factory = listener_factory or make_listener
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._grabs: queue.SimpleQueue = queue.SimpleQueue()
        self._stop = threading.Event()
        self._stop_reason = "stopped"
        self._writer_done = threading.Event()
        self._chords = ChordTracker(
            {self.settings.stop_hotkey: "stop", self.settings.secret_hotkey: "secret"}
        )
        self._secret: str | None = None
        self._secret_count = 0
        self.secrets: list[str] = []
        self.events_written = 0
        self.grab_ms: list[float] = []
        self.screen: tuple[int, int] | None = None
        self.recording_id: int | None = None
        self._t0 = 0.0
        self._writer_error: BaseException | None = None

    # ------------------------------------------------------------ lifecycle

    def start(self) -> None:
        """Begin; returns once the listener provably receives input."""
        self._listener = self._listener_factory(self._on_input)  # fails early without a display
        self.screen = _screen_size()
        db = open_database(self.db_path)
        try:
            self.recording_id = RecordingStore(db).start(self.name, self.screen, os.getpid())
        finally:
            db.close()
        self._t0 = time.monotonic()
        self._writer = threading.Thread(target=self._write_loop, name="raw-writer", daemon=True)
        self._writer.start()
        if self.settings.anchors:
            self._grabber = threading.Thread(target=self._grab_loop, name="grabber", daemon=True)
            self._grabber.start()
        try:
            self._listener.start()
        except BaseException:
            self._shut_down_workers()
            db = open_database(self.db_path)
            try:
                RecordingStore(db).discard(self.recording_id)
            finally:
                db.close()
            raise

    def wait(self, timeout: float | None = None) -> bool:
        """Block until a stop is requested or `timeout` passes; True if stopped."""
        return self._stop.wait(timeout)

    def request_stop(self, reason: str) -> None:
        """Ask the recording to end (safe from a signal handler or another thread)."""
        if not self._stop.is_set():
            self._stop_reason = reason
            self._stop.set()

    def finish(self) -> RecordingResult:
        """Stop listening, write what is queued, and save the macro."""
        self._listener.stop()
        self._shut_down_workers()
        if self._writer_error:
            raise self._writer_error
        db = open_database(self.db_path)
        try:
            store = RecordingStore(db)
            raw = [ev.RawEvent(t, k, d) for t, k, d in store.events(self.recording_id)]
            macro, notes = build_macro(self.name, raw, self.screen, self.settings.coalesce)
            store.finish(self.recording_id, macro)
        finally:
            db.close()
        return RecordingResult(macro, notes, self.secrets, len(raw), self._stop_reason)

    def _shut_down_workers(self) -> None:
        """Finish pending grabs, then write everything queued."""
        if self.settings.anchors:
            self._grabs.put(None)
            self._grabber.join(5)
        self._queue.put(None)
        self._writer.join(30)

    # ------------------------------------------------------------ listener thread

    def _on_input(self, kind: str, data: dict, when: float) -> None:
        t = when - self._t0
        if kind in (ev.KEY_DOWN, ev.KEY_UP):
            if self._recorder_chord(t, kind, data) or self._secret is not None:
                return  # a recorder hotkey, or typing in secret mode: never recorded
        elif kind == ev.DOWN and self.settings.anchors:
            anchor_id = secrets.token_hex(4)
            self._grabs.put((anchor_id, data["x"], data["y"]))
            data = {**data, "anchor": anchor_id}
        self._queue.put((t, kind, data))

    def _recorder_chord(self, t: float, kind: str, data: dict) -> bool:
        """True when this key event belongs to a recorder hotkey (which it then carries out)."""
        action, ours = self._chords.feed(kind, data)
        if action:
            chord = next(c for c, a in self._chords.chords.items() if a == action)
            self._queue.put((t, ev.HOTKEY, {"keys": list(chord), "action": action}))
            if action == "stop":
                self._queue.put((t, ev.STOP, {"reason": "hotkey"}))
                self.request_stop("hotkey")
            else:
                self._toggle_secret(t)
        return ours

    def _toggle_secret(self, t: float) -> None:
        if self._secret is None:
            self._secret_count += 1
            self._secret = f"{self.name} secret {self._secret_count}"
            self.secrets.append(self._secret)
            self._queue.put((t, ev.SECRET, {"name": self._secret}))
        else:
            self._secret = None
            self._queue.put((t, ev.SECRET_END, {}))

    # ------------------------------------------------------------ worker threads

    def _write_loop(self) -> None:
        db = open_database(self.db_path)
        store = RecordingStore(db)
        try:
            done = False
            while not done:
                batch = []
                deadline = time.monotonic() + self.settings.flush_interval
                while len(batch) < BATCH_MAX:
                    try:
                        item = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
                    except queue.Empty:
                        break
                    if item is None:
                        done = True
                        break
                    batch.append(item)
                if batch:
                    store.append(self.recording_id, batch)
                    self.events_written += len(batch)
        except BaseException as bad:  # surfaced by finish(); the events so far are committed
            self._writer_error = bad
            self.request_stop("error")
        finally:
            db.close()

    def _grab_loop(self) -> None:
        grabber = AnchorGrabber(self.settings.anchor_size)
        try:
            while (item := self._grabs.get()) is not None:
                anchor_id, x, y = item
                started = time.perf_counter()
                patch = grabber.grab(x, y)
                self.grab_ms.append((time.perf_counter() - started) * 1000)
                if patch:
                    left, top, w, h, png = patch
                    data = {"id": anchor_id, "x": left, "y": top, "w": w, "h": h}
                    data["png"] = base64.b64encode(png).decode("ascii")
                    self._queue.put((time.monotonic() - self._t0, ev.ANCHOR, data))
        finally:
            grabber.close()


def record_until_stopped(
    recording: Recording,
    on_armed: Callable[[], None] = lambda: None,
    stop_after: float | None = None,
) -> RecordingResult:
    """Start `recording`, wait for its stop (hotkey, `request_stop`, or `stop_after` seconds)
    and save it. `on_armed` runs once input is provably being recorded: tell the user then.
    """
    recording.start()
    on_armed()
    deadline = None if stop_after is None else time.monotonic() + stop_after
    while not recording.wait(0.1):
        if deadline is not None and time.monotonic() >= deadline:
            recording.request_stop("time")
    return recording.finish()


class AnchorGrabber:
    """Cuts a square patch around a point of the virtual desktop, as PNG (mss + OpenCV)."""

    def __init__(self, size: int):
        self.size = size
        self._mss = open_mss()
        desktop = self._mss.monitors[0]
        self._bounds = (
            desktop["left"],
            desktop["top"],
            desktop["left"] + desktop["width"],
            desktop["top"] + desktop["height"],
        )

    def grab(self, x: int, y: int) -> tuple[int, int, int, int, bytes] | None:
        import cv2
        import numpy as np

        x0, y0, x1, y1 = self._bounds
        half = self.size // 2
        left, top = max(x0, x - half), max(y0, y - half)
        right, bottom = min(x1, x - half + self.size), min(y1, y - half + self.size)
        if right - left < 8 or bottom - top < 8:
            return None  # a point at the very edge: no useful picture
        shot = self._mss.grab(
            {"left": left, "top": top, "width": right - left, "height": bottom - top}
        )
        bgr = cv2.cvtColor(np.asarray(shot), cv2.COLOR_BGRA2BGR)
        ok, png = cv2.imencode(".png", bgr)
        return (left, top, right - left, bottom - top, png.tobytes()) if ok else None

    def close(self) -> None:
        self._mss.close()


def _screen_size() -> tuple[int, int] | None:
    """The virtual desktop's size in physical pixels (all monitors)."""
    try:
        with open_mss() as grabber:
            desktop = grabber.monitors[0]
            return desktop["width"], desktop["height"]
    except Exception:  # no screen to measure: the header just leaves the size out
        return None


# ---------------------------------------------------------------- building and recovering


def build_macro(
    name: str,
    raw: list[ev.RawEvent],
    screen: tuple[int, int] | None,
    options: CoalesceOptions | None = None,
) -> tuple[Macro, list[str]]:
    """The macro the raw events describe, and notes on what could not become a step."""
    result = coalesce(raw, options)
    macro = Macro(
        name,
        tuple(result.steps),
        description=f"Recorded {time.strftime('%Y-%m-%d %H:%M')}",
        screen=screen,
        anchors=tuple(result.anchors),
    )
    return macro, result.notes


def pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    if sys.platform == "win32":
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x00100000, False, pid)  # SYNCHRONIZE
        if not handle:
            return False
        try:
            return ctypes.windll.kernel32.WaitForSingleObject(handle, 0) == 0x102  # TIMEOUT
        finally:
            ctypes.windll.kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def interrupted(db_path: Path) -> list[RecordingInfo]:
    """Unfinished recordings whose process is gone: they can be recovered."""
    db = open_database(db_path)
    try:
        return [r for r in RecordingStore(db).unfinished() if not pid_alive(r.pid)]
    finally:
        db.close()


def recover(db_path: Path, info: RecordingInfo) -> tuple[Macro, list[str]]:
    """Turn an interrupted recording into its macro, under a name not yet taken."""
    db = open_database(db_path)
    try:
        store = RecordingStore(db)
        taken = set(MacroStore(db).names())
        candidates = [info.name, f"{info.name} (recovered)"]
        candidates += [f"{info.name} (recovered {n})" for n in range(2, len(taken) + 3)]
        name = next(c for c in candidates if c not in taken)
        raw = [ev.RawEvent(t, k, d) for t, k, d in store.events(info.id)]
        macro, notes = build_macro(name, raw, info.screen)
        store.finish(info.id, macro, status="recovered")
        return macro, notes
    finally:
        db.close()
