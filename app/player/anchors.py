"""Find a recorded image anchor on the screen now (OpenCV template matching, greyscale).

The search is staged from cheap to dear and stops at the first stage that is sure enough:
"near" the expected place, the whole "screen" at the expected scale, then the whole screen
at other "scaled" sizes (a DPI change). Whole-screen stages search at half resolution first
and re-score the best places at full resolution (`_Coarse`). Scores are
`cv2.TM_CCOEFF_NORMED`: 1.0 is a perfect match; brightness and contrast do not matter.
Measured at 1920×1080 on 2 cores, grab included (bench/anchors.py): near 3 ms, screen 10 ms,
scaled 95 ms; `pyautogui.locateOnScreen` 180 ms.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core.macro import Anchor
from app.player.screen import Screen

if TYPE_CHECKING:
    import numpy as np

# Patch scales tried by the "scaled" stage, relative to the scale hint. A text patch scored
# 0.96 at the right scale but ~0.5 only 6 % off it, so these are exact ratios of the common
# display scalings (100 / 125 / 150 / 200 %), the likeliest first.
DEFAULT_SCALES = (0.8, 1.25, 2 / 3, 1.5, 0.5, 2.0)
FLAT_STD = 2.0  # a patch with less grey-level spread matches anywhere: not locatable
MIN_SIDE = 8  # a patch scaled below this many pixels is too small to tell apart
CACHE_SIZE = 256  # decoded patches kept (a 96×96 one is 9 kB)
SCALED_EVERY_S = 1.0  # wait_for runs the dear "scaled" stage about this often
COARSE_PEAKS = 5  # half-resolution peaks re-scored at full resolution
COARSE_MIN_SIDE = 16  # smallest patch side at half resolution worth searching


@dataclass(frozen=True, slots=True)
class Match:
    left: int  # where the patch's top-left corner is now, screen pixels
    top: int
    scale: float  # the patch's scale that matched (1.0 = the size it was recorded at)
    score: float
    stage: str  # "near" | "screen" | "scaled"

    def point(self, dx: float, dy: float) -> tuple[int, int]:
        """Where to click now, given the click's offset (dx, dy) inside the recorded patch."""
        return round(self.left + dx * self.scale), round(self.top + dy * self.scale)


@dataclass(frozen=True, slots=True)
class NotFound:
    best_score: float  # the best score seen anywhere, for "anchor not found (best 0.41)"


class AnchorLocator:
    """Locates anchors on `screen`; a match needs a score of at least `confidence`.

    Meant for one player thread: its cache of decoded patches is locked, and `MssScreen`
    keeps one grabber per thread, but nothing else is shared with care.
    """

    def __init__(
        self,
        screen: Screen,
        confidence: float = 0.8,
        near: int = 200,
        scales: tuple[float, ...] = DEFAULT_SCALES,
    ):
        self.screen = screen
        self.confidence = confidence
        self.near = near
        self.scales = tuple(s for s in scales if s != 1.0)  # 1.0 is the "screen" stage
        self._patches: OrderedDict[tuple[str, bytes], np.ndarray | None] = OrderedDict()
        self._lock = threading.Lock()

    def locate(
        self,
        anchor: Anchor,
        expected: tuple[int, int] | None = None,
        scale_hint: float = 1.0,
        *,
        scaled: bool = True,
    ) -> Match | NotFound:
        """Where `anchor` is now. `expected` is where its top-left corner should be (the
        recorded x, y, already scaled by the caller if it knows better); `scale_hint` is the
        patch scale to try first. `scaled=False` skips the dear last stage."""
        patch = self._patch(anchor)
        if patch is None:
            return NotFound(0.0)
        # One full frame per call, cropped for the near stage. Grabbing just the near region
        # is ~1 ms cheaper at 1920×1080, but a miss then needs a second grab, and one frame
        # keeps every stage (and the best score reported) about the same picture.
        frame, frame_left, frame_top = self.screen.grab_grey()
        best = 0.0
        template = _resized(patch, scale_hint)

        if expected is not None and template is not None:
            th, tw = template.shape
            x0 = max(0, expected[0] - self.near - frame_left)
            y0 = max(0, expected[1] - self.near - frame_top)
            # max(x0, …): an end left of the frame must not become a negative slice index
            x1 = max(x0, min(frame.shape[1], expected[0] + self.near + tw - frame_left))
            y1 = max(y0, min(frame.shape[0], expected[1] + self.near + th - frame_top))
            found = _best(frame[y0:y1, x0:x1], template)
            if found is not None:
                score, (x, y) = found
                if score >= self.confidence:
                    return Match(x + x0 + frame_left, y + y0 + frame_top, scale_hint, score, "near")
                best = max(best, score)

        coarse = _Coarse(frame)
        if template is not None:
            found = coarse.search(template)
            if found is None or found[0] < self.confidence:
                found = _best(frame, template)
            if found is not None:
                score, (x, y) = found
                if score >= self.confidence:
                    return Match(x + frame_left, y + frame_top, scale_hint, score, "screen")
                best = max(best, score)

        if scaled:
            templates = [(scale_hint * f, _resized(patch, scale_hint * f)) for f in self.scales]
            results = [(scale, coarse.search(t)) for scale, t in templates]
            if max((r[0] for _, r in results if r is not None), default=0.0) < self.confidence:
                results = [(scale, _best(frame, t)) for scale, t in templates]
            winner: Match | None = None
            for scale, found in results:
                if found is None:
                    continue
                score, (x, y) = found
                best = max(best, score)
                if score >= self.confidence and (winner is None or score > winner.score):
                    winner = Match(x + frame_left, y + frame_top, scale, score, "scaled")
            if winner is not None:
                return winner
        return NotFound(best)

    def _patch(self, anchor: Anchor) -> np.ndarray | None:
        """The anchor's patch in grey, decoded once; None when it is too flat to locate."""
        key = (anchor.id, hashlib.blake2b(anchor.png, digest_size=16).digest())
        with self._lock:
            if key in self._patches:
                self._patches.move_to_end(key)
                return self._patches[key]
        import cv2
        import numpy as np

        colour = cv2.imdecode(np.frombuffer(anchor.png, np.uint8), cv2.IMREAD_COLOR)
        if colour is None:
            raise ValueError(f"anchor {anchor.id}: its PNG cannot be decoded")
        # The same conversion as the screen's frames (BGR(A) → grey), so pixels compare 1:1.
        grey = cv2.cvtColor(colour, cv2.COLOR_BGR2GRAY)
        patch = None if float(grey.std()) < FLAT_STD else grey
        with self._lock:
            self._patches[key] = patch
            while len(self._patches) > CACHE_SIZE:
                self._patches.popitem(last=False)
        return patch


def _resized(patch: np.ndarray, scale: float) -> np.ndarray | None:
    """The patch at `scale` (resizing the small template is far cheaper than the frame)."""
    import cv2

    if abs(scale - 1.0) < 1e-6:
        return patch
    h, w = patch.shape
    size = (round(w * scale), round(h * scale))
    if min(size) < MIN_SIDE:
        return None
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    return cv2.resize(patch, size, interpolation=interpolation)


def _best(image: np.ndarray, template: np.ndarray | None) -> tuple[float, tuple[int, int]] | None:
    """The best TM_CCOEFF_NORMED score of `template` in `image` and its top-left (x, y);
    None when the template does not fit."""
    import cv2

    if template is None:
        return None
    if image.shape[0] < template.shape[0] or image.shape[1] < template.shape[1]:
        return None
    scores = cv2.matchTemplate(image, template, cv2.TM_CCOEFF_NORMED)
    _, score, _, where = cv2.minMaxLoc(scores)
    return float(score), where


class _Coarse:
    """Whole-frame search at half resolution, ~7x cheaper than at full resolution: the best
    few half-size peaks are re-scored at full resolution in a small window around each.

    The caller takes a re-scored peak that reaches the confidence and otherwise runs the
    exhaustive full-resolution search, so a coarse miss never loses a match. Half-size
    scores measured within 0.01 of full-size ones at the true place, so a coarse hit is
    the full search's hit unless several places match almost equally well."""

    def __init__(self, frame: np.ndarray):
        self.frame = frame
        self._half: np.ndarray | None = None

    def search(self, template: np.ndarray | None) -> tuple[float, tuple[int, int]] | None:
        import cv2

        if template is None or min(template.shape) < 2 * COARSE_MIN_SIDE:
            return None
        if self._half is None:
            h, w = self.frame.shape
            self._half = cv2.resize(self.frame, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
        th, tw = template.shape
        small = cv2.resize(template, (tw // 2, th // 2), interpolation=cv2.INTER_AREA)
        if self._half.shape[0] < small.shape[0] or self._half.shape[1] < small.shape[1]:
            return None
        scores = cv2.matchTemplate(self._half, small, cv2.TM_CCOEFF_NORMED)
        best: tuple[float, tuple[int, int]] | None = None
        height, width = self.frame.shape
        for _ in range(COARSE_PEAKS):
            _, peak, _, (cx, cy) = cv2.minMaxLoc(scores)
            if peak <= -1:
                break  # every peak taken
            # ±3 px at full resolution covers the half-pixel the halving may have shifted.
            x0, y0 = max(0, 2 * cx - 3), max(0, 2 * cy - 3)
            window = self.frame[y0 : min(height, 2 * cy + th + 3), x0 : min(width, 2 * cx + tw + 3)]
            found = _best(window, template)
            if found is not None and (best is None or found[0] > best[0]):
                best = found[0], (found[1][0] + x0, found[1][1] + y0)
            ry, rx = max(1, th // 8), max(1, tw // 8)  # a quarter of the half-size template
            scores[max(0, cy - ry) : cy + ry + 1, max(0, cx - rx) : cx + rx + 1] = -1
        return best


def wait_for(
    locator: AnchorLocator,
    anchor: Anchor,
    timeout: float,
    poll: float = 0.1,
    *,
    should_stop: Callable[[], bool] | None = None,
    expected: tuple[int, int] | None = None,
    scale_hint: float = 1.0,
) -> Match | NotFound:
    """Look for `anchor` every `poll` seconds until it shows, `timeout` passes or
    `should_stop()` says so; NotFound in the last two cases (the caller knows which).

    Each poll searches near `expected` and the whole screen; the dear scaled search runs on
    the first poll, about once a second after it, and on the last poll.
    """
    deadline = time.monotonic() + timeout
    scaled_every = max(1, round(SCALED_EVERY_S / poll)) if poll > 0 else 1
    best = 0.0
    attempt = 0
    while True:
        if should_stop is not None and should_stop():
            return NotFound(best)
        last = time.monotonic() >= deadline
        scaled = last or attempt % scaled_every == 0
        found = locator.locate(anchor, expected, scale_hint, scaled=scaled)
        if isinstance(found, Match):
            return found
        best = max(best, found.best_score)
        if last:
            return NotFound(best)
        attempt += 1
        time.sleep(max(0.0, min(poll, deadline - time.monotonic())))
