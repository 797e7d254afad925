"""Measure the recorder: how fast it captures input, and what image anchors cost and buy.

Run as `python bench/recorder.py` on an X display (Linux; needs `xdotool`). Without DISPLAY
it starts its own `Xvfb` (1280x800x24) and stops it afterwards. It opens the office form
(tests/targets/office_form.py) as a realistic screen and prints three Markdown tables,
headed by the machine it ran on:

1. Capture: a real `Recording` (temporary database, anchors on) runs in a child process
   while xdotool fires bursts as fast as it can (relative mouse moves over the form and
   over the bare desktop, F13 key presses, clicks), plus moves 1 ms apart. Rows are counted
   in `raw_events` over a separate SQLite connection while the recording still runs; the
   child also counts what its listener hands over, so events the X server never delivered
   are told apart from events the recorder lost. Recorder CPU is the child's user + system
   time (what `time.process_time()` reads in it): xdotool's and the form's are not counted.
2. Anchor grab cost per patch size: `AnchorGrabber(size).grab(x, y)` on the form's widgets.
3. Anchor uniqueness per patch size: each widget centre's patch is searched on the whole
   screen with `cv2.matchTemplate` (TM_CCOEFF_NORMED, greyscale); it is unique when the
   best match is within 2 px of where it was cut and every location more than size/2 px
   away scores at least 0.05 lower. The smallest fully unique size (else the smallest of
   the most unique ones) is recommended as `RecorderSettings.anchor_size`.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from machine import cpu_model, xvfb  # bench/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

SIZES = (32, 48, 64, 96, 128)
SCREEN = "1280x800x24"
MOVE_EVENTS = 5_000  # relative moves, +1 / -1 px in turn
MOVES_PER_CALL = 1_000  # keeps each xdotool command line short
PACED_MOVES = 2_000  # the same, 1 ms apart
KEY_EVENTS = 2_000  # presses + releases of F13
CLICKS = 100  # each: press + release + one anchor row
GRABS = 50
UNIQUE_PX = 2  # the best match must lie this close to where the patch was cut
UNIQUE_GAP = 0.05  # and beat every location more than size/2 px away by this much
SETTLE_S = 1.5  # no new row for this long: the recorder has written all it will


# ---------------------------------------------------------------- the machine and its display


def display_size() -> tuple[int, int]:
    import mss

    with (getattr(mss, "MSS", None) or mss.mss)() as grabber:
        desktop = grabber.monitors[0]
        return desktop["width"], desktop["height"]


def machine() -> str:
    w, h = display_size()
    return (
        f"{platform.system()} {platform.release()} ({platform.machine()}), {cpu_model()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, display {w}x{h}"
    )


@contextlib.contextmanager
def x_display() -> Iterator[str]:
    """The DISPLAY to use: the current one, or a private Xvfb started (and stopped) here."""
    if os.environ.get("DISPLAY"):
        yield f"{os.environ['DISPLAY']} (given)"
        return
    with xvfb(SCREEN.removesuffix("x24")) as display:
        os.environ["DISPLAY"] = display
        try:
            _wait_for_x()
            yield f"{display} (Xvfb {SCREEN}, started by the benchmark)"
        finally:
            del os.environ["DISPLAY"]


def _wait_for_x() -> None:
    deadline = time.monotonic() + 10
    while True:
        done = subprocess.run(["xdotool", "getmouselocation"], capture_output=True)
        if done.returncode == 0:
            return
        if time.monotonic() > deadline:
            raise SystemExit(f"Xvfb did not come up: {done.stderr.decode(errors='replace')}")
        time.sleep(0.1)


def xdotool(*args: object) -> None:
    subprocess.run(["xdotool", *map(str, args)], check=True, timeout=60)


# ---------------------------------------------------------------- 1. capture


# What the listener hands the recorder, by the burst kinds below.
SEEN_KINDS = {"move": "move", "key_down": "key", "key_up": "key", "down": "button", "up": "button"}


def child_main(db: str) -> int:
    """The recording process: records until told `finish` on stdin; `seen` reports how many
    events of each kind its listener delivered (before the recorder's queue and writer)."""
    from app.input.listener import make_listener
    from app.recorder.session import RecorderSettings, Recording

    seen: collections.Counter[str] = collections.Counter()

    def counting_listener(sink):
        def count_then_record(kind, data, when):
            seen[SEEN_KINDS.get(kind, kind)] += 1
            sink(kind, data, when)

        return make_listener(count_then_record)

    recording = Recording(
        Path(db), "bench capture", RecorderSettings(anchors=True), counting_listener
    )
    recording.start()
    print(f"STARTED {recording.recording_id}", flush=True)
    for line in sys.stdin:
        command = line.strip()
        if command == "seen":
            print("SEEN " + json.dumps(dict(seen)), flush=True)
        elif command == "finish":
            started = time.perf_counter()
            result = recording.finish()
            ms = (time.perf_counter() - started) * 1000
            print(f"FINISHED {result.events} {ms:.0f}", flush=True)
            break
    return 0


class RecorderProcess:
    """The child process running a `Recording` into `db`."""

    def __init__(self, db: Path):
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--child", str(db)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        self.pid = self.proc.pid
        line = self._read()
        if not line.startswith("STARTED "):
            self.close()
            raise SystemExit(f"the recording did not start: {line!r}")
        self.recording_id = int(line.split()[1])

    def _read(self) -> str:
        assert self.proc.stdout is not None
        return self.proc.stdout.readline()

    def _ask(self, command: str) -> str:
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return self._read()

    def seen(self) -> collections.Counter[str]:
        return collections.Counter(json.loads(self._ask("seen").split(" ", 1)[1]))

    def finish(self) -> tuple[int, int] | None:
        """(raw events, ms) of `finish()`."""
        words = self._ask("finish").split()
        self.proc.wait(30)
        return (int(words[1]), int(words[2])) if words and words[0] == "FINISHED" else None

    def cpu(self) -> float:
        """User + system CPU seconds so far (what time.process_time() reads in it)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)


def move_bursts(n: int = MOVE_EVENTS, pause: str | None = None) -> list[list[str]]:
    """Relative moves by +1 / -1 px in turn; `pause` (seconds) between moves if given."""
    calls = []
    for first in range(0, n, MOVES_PER_CALL):
        args = ["xdotool"]
        for i in range(first, min(first + MOVES_PER_CALL, n)):
            args += ["mousemove_relative", "--", "1" if i % 2 == 0 else "-1", "0"]
            if pause:
                args += ["sleep", pause]
        calls.append(args)
    return calls


def key_bursts() -> list[list[str]]:
    return [["xdotool", "key", "--delay", "0", *["F13"] * (KEY_EVENTS // 2)]]


def click_bursts() -> list[list[str]]:
    return [["xdotool", "click", "--repeat", str(CLICKS), "--delay", "0", "1"]]


def measure_burst(
    calls: list[list[str]],
    kind: str,
    sent: int,
    anchors: int,
    count: Callable[[], tuple[int, int]],
    recorder: RecorderProcess,
) -> dict[str, float]:
    """Fire `calls`; follow the rows until all arrived or none came for SETTLE_S seconds."""
    before, anchors_before = count()
    seen_before = recorder.seen()[kind]
    finished: list[float] = []

    def fire() -> None:
        for call in calls:
            subprocess.run(call, check=True, timeout=60)
        finished.append(time.perf_counter())

    cpu0 = recorder.cpu()
    t0 = time.perf_counter()
    firing = threading.Thread(target=fire)
    firing.start()
    last_rows, last_t, last_cpu = (before, anchors_before), t0, cpu0
    while True:
        now = time.perf_counter()
        rows = count()
        if rows != last_rows:
            last_rows, last_t, last_cpu = rows, now, recorder.cpu()
        complete = rows[0] - before >= sent and rows[1] - anchors_before >= anchors
        if finished and (complete or now - max(last_t, finished[0]) > SETTLE_S):
            break
        time.sleep(0.005)
    firing.join()
    stored = last_rows[0] - before
    seen = recorder.seen()[kind] - seen_before
    busy = max(last_t - t0, 1e-9)
    cpu = last_cpu - cpu0
    return {
        "sent": sent,
        "seen": seen,
        "stored": stored,
        "anchors": last_rows[1] - anchors_before,
        "loss": 100 * (sent - stored) / sent,
        "lost_in_recorder": seen - stored,
        "send_rate": sent / (finished[0] - t0),
        "store_rate": (last_rows[0] + last_rows[1] - before - anchors_before) / busy,
        "cpu_per_1k": 1000 * cpu / max(stored, 1),  # per input event stored
        "core_pct": 100 * cpu / busy,
        "lag_ms": 1000 * max(last_t - finished[0], 0.0),
    }


def capture(folder: Path, form) -> tuple[list[tuple[str, dict[str, float]]], str]:
    db = folder / "capture.db"
    recorder = RecorderProcess(db)
    results: list[tuple[str, dict[str, float]]] = []
    try:
        conn = sqlite3.connect(db, timeout=10)

        def count() -> tuple[int, int]:
            """(input event rows, anchor rows) of the recording so far."""
            sql = (
                "select count(*) - count(case when kind = 'anchor' then 1 end),"
                " count(case when kind = 'anchor' then 1 end)"
                " from raw_events where recording_id = ?"
            )
            return tuple(conn.execute(sql, [recorder.recording_id]).fetchone())

        # Idle cost first: the writer wakes every flush interval even with nothing to do.
        cpu0, t0 = recorder.cpu(), time.perf_counter()
        time.sleep(1.0)
        idle_pct = 100 * (recorder.cpu() - cpu0) / (time.perf_counter() - t0)

        x, y, w, h = form.geometry
        desktop = (x + w + 100, y + h // 2)  # bare root window, right of the form
        heading = (x + w // 2, y + 30)
        plans = [
            (
                "mouse moves over the form",
                move_bursts(),
                "move",
                MOVE_EVENTS,
                0,
                form.point("notes"),
            ),
            ("mouse moves over the bare desktop", move_bursts(), "move", MOVE_EVENTS, 0, desktop),
            (
                "mouse moves over the form, 1 ms apart (a fast real mouse)",
                move_bursts(PACED_MOVES, "0.001"),
                "move",
                PACED_MOVES,
                0,
                form.point("notes"),
            ),
            ("key presses + releases (F13)", key_bursts(), "key", KEY_EVENTS, 0, None),
            (
                f"{CLICKS} clicks on the form's heading",
                click_bursts(),
                "button",
                2 * CLICKS,
                CLICKS,
                heading,
            ),
        ]
        for label, calls, kind, sent, anchors, point in plans:
            if point:
                xdotool("mousemove", *point)
            time.sleep(0.3)  # let the move above be written first
            results.append((label, measure_burst(calls, kind, sent, anchors, count, recorder)))
        conn.close()
        note = f"Idle recorder: {idle_pct:.1f} % of a core."
        finished = recorder.finish()
        if finished:
            note += f" `finish()` on {finished[0]:,} raw events took {finished[1]} ms."
        return results, note
    finally:
        recorder.close()


# ---------------------------------------------------------------- 2. and 3. anchors


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def grab_cost(points: list[tuple[int, int]]) -> dict[int, dict[str, float]]:
    from app.recorder.session import AnchorGrabber

    costs = {}
    for size in SIZES:
        grabber = AnchorGrabber(size)
        try:
            for x, y in points[:3]:  # warm up: imports, first XShm segment
                grabber.grab(x, y)
            times, sizes = [], []
            for i in range(GRABS):
                x, y = points[i % len(points)]
                started = time.perf_counter()
                patch = grabber.grab(x, y)
                times.append((time.perf_counter() - started) * 1000)
                assert patch is not None
                sizes.append(len(patch[4]))
        finally:
            grabber.close()
        costs[size] = {
            "median": statistics.median(times),
            "p95": percentile(times, 95),
            "png": statistics.median(sizes),
        }
    return costs


def uniqueness(layout: dict[str, tuple[int, int]]) -> dict[int, dict[str, float | None]]:
    """{size: {widget: gap}}: the patch's score where it was cut minus the best score more
    than size/2 px away; None when the best match lies elsewhere (more than UNIQUE_PX off)."""
    import cv2
    import mss
    import numpy as np

    from app.recorder.session import AnchorGrabber

    out: dict[int, dict[str, float | None]] = {}
    with (getattr(mss, "MSS", None) or mss.mss)() as screen:
        desktop = screen.monitors[0]
        for size in SIZES:
            grabber = AnchorGrabber(size)
            gaps: dict[str, float | None] = {}
            try:
                for name, (x, y) in layout.items():
                    xdotool("mousemove", x, y)  # hovered, as when it is clicked
                    time.sleep(0.05)
                    for _ in range(20):  # a patch and a screen from the same cursor blink
                        patch = grabber.grab(x, y)
                        shot = np.asarray(screen.grab(desktop))
                        assert patch is not None
                        left, top, w, h, png = patch
                        ex, ey = left - desktop["left"], top - desktop["top"]
                        colour = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)
                        if np.array_equal(colour, shot[ey : ey + h, ex : ex + w, :3]):
                            break
                        time.sleep(0.05)
                    frame = cv2.cvtColor(shot, cv2.COLOR_BGRA2GRAY)
                    template = cv2.cvtColor(colour, cv2.COLOR_BGR2GRAY)
                    scores = cv2.matchTemplate(frame, template, cv2.TM_CCOEFF_NORMED)
                    scores = np.nan_to_num(scores, nan=0.0, posinf=0.0, neginf=0.0)
                    _lo, best, _at, (bx, by) = cv2.minMaxLoc(scores)
                    if max(abs(bx - ex), abs(by - ey)) > UNIQUE_PX:
                        gaps[name] = None
                        continue
                    r = size // 2
                    scores[max(0, ey - r) : ey + r + 1, max(0, ex - r) : ex + r + 1] = -1.0
                    gaps[name] = best - float(scores.max())
            finally:
                grabber.close()
            out[size] = gaps
    return out


def is_unique(gap: float | None) -> bool:
    return gap is not None and gap >= UNIQUE_GAP


# ---------------------------------------------------------------- report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child_main(args.child)
    if not sys.platform.startswith("linux") or not shutil.which("xdotool"):
        raise SystemExit("this benchmark needs Linux with X11 and xdotool")

    from targets.form_fixture import start_office_form

    started = time.perf_counter()
    with x_display() as display, tempfile.TemporaryDirectory(prefix="rpa-bench-") as tmp:
        folder = Path(tmp)
        with start_office_form(folder / "form.json") as form:
            header = machine()
            print(f"measuring on {display}", file=sys.stderr)
            bursts, note = capture(folder, form)
            print("capture done", file=sys.stderr)
            points = list(form.layout.values())
            costs = grab_cost(points)
            print("grab cost done", file=sys.stderr)
            unique = uniqueness(form.layout)
    total = time.perf_counter() - started

    print(f"Recorder benchmark — {header}\n")
    print("### Capture (xdotool bursts; the recorder runs in its own process)\n")
    print(
        "| burst | sent | reached the recorder | stored | loss % | lost inside the recorder "
        "| sent/s | rows/s stored (to last commit) | last commit after burst, ms "
        "| recorder CPU s / 1,000 events | % of one core |"
    )
    print("| --- |" + " ---: |" * 10)
    for label, r in bursts:
        print(
            f"| {label} | {r['sent']:,} | {r['seen']:,} | {r['stored']:,} "
            f"| {r['loss']:.1f} | {r['lost_in_recorder']:,} | {r['send_rate']:,.0f} "
            f"| {r['store_rate']:,.0f} | {r['lag_ms']:.0f} | {r['cpu_per_1k']:.3f} "
            f"| {r['core_pct']:.0f} |"
        )
    clicks = bursts[-1][1]
    print(
        '\n"Reached the recorder": events its pynput listener handed over (counted in the '
        "recording process before its queue). Moves missing there never reached the "
        "listener: the X server's RECORD stream did not carry them. "
        f"The clicks also stored {clicks['anchors']:,} anchors (in rows/s and CPU). {note}\n"
    )

    print(f"### Anchor grab cost (`AnchorGrabber(size).grab`, {GRABS} grabs on the form)\n")
    print("| patch px | median ms | p95 ms | PNG bytes (median) |")
    print("| ---: | ---: | ---: | ---: |")
    for size, c in costs.items():
        print(f"| {size} | {c['median']:.2f} | {c['p95']:.2f} | {c['png']:,.0f} |")

    names = list(form.layout)
    print(
        f"\n### Anchor uniqueness ({len(names)} widget centres of the office form, "
        "whole-screen `cv2.matchTemplate` TM_CCOEFF_NORMED, greyscale)\n"
    )
    print(
        f"Cells: score where the patch was cut minus the best score more than size/2 px away "
        f'(unique: ≥ {UNIQUE_GAP}); "elsewhere": the best match was more than {UNIQUE_PX} px '
        "off.\n"
    )
    print("| widget | " + " | ".join(f"{size} px" for size in SIZES) + " |")
    print("| --- |" + " ---: |" * len(SIZES))
    for name in names:
        cells = []
        for size in SIZES:
            gap = unique[size][name]
            cells.append(
                "elsewhere" if gap is None else f"{gap:.3f}" + ("" if is_unique(gap) else " ✗")
            )
        print(f"| {name} | " + " | ".join(cells) + " |")
    pct = {size: 100 * sum(map(is_unique, unique[size].values())) / len(names) for size in SIZES}
    print("| **unique %** | " + " | ".join(f"**{pct[size]:.0f}**" for size in SIZES) + " |")

    print()
    full = [size for size in SIZES if pct[size] == 100]
    if full:
        pick = full[0]
        why = "the smallest patch with 100 % unique anchors"
    else:
        top = max(pct.values())
        pick = min(size for size in SIZES if pct[size] == top)
        failing = [n for n in names if not is_unique(unique[pick][n])]
        why = (
            f"no size reaches 100 %; the smallest with the most unique anchors ({top:.0f} %, "
            f"not unique: {', '.join(failing)})"
        )
    cheaper = [
        s for s in SIZES if costs[s]["median"] < costs[pick]["median"] and pct[s] >= pct[pick]
    ]
    cost = f"{costs[pick]['median']:.2f} ms median grab, {costs[pick]['png']:,.0f} B PNG"
    if not cheaper:
        cost += ", the cheapest of the sizes that are as unique"
    print(f"Recommended `RecorderSettings.anchor_size`: **{pick}** px: {why}; {cost}.")
    print(f"\nWhole run: {total:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
