"""The screen the player looks at: a small Protocol, and the real one built on mss.

Coordinates are physical pixels of the virtual desktop (all monitors), as the recorder
stores them, so a monitor left of the main one has negative x.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Protocol

from app.input.capture import open_mss

if TYPE_CHECKING:
    import numpy as np

Region = tuple[int, int, int, int]  # left, top, width, height


class Screen(Protocol):
    def bounds(self) -> Region:
        """Left, top, width and height of the virtual desktop (all monitors)."""
        ...

    def grab_grey(self, region: Region | None = None) -> tuple[np.ndarray, int, int]:
        """(uint8 H×W greyscale image, its left, its top); `region` is clipped to the desktop,
        None grabs the whole desktop. A region wholly off the desktop gives a 0×0 image."""
        ...

    def grab_png(self) -> bytes:
        """The whole desktop as PNG, for failure screenshots."""
        ...


def clip_region(region: Region, bounds: Region) -> Region:
    """`region` cut to `bounds`; width or height 0 when they do not overlap."""
    left, top = max(region[0], bounds[0]), max(region[1], bounds[1])
    right = min(region[0] + region[2], bounds[0] + bounds[2])
    bottom = min(region[1] + region[3], bounds[1] + bounds[3])
    return left, top, max(0, right - left), max(0, bottom - top)


class MssScreen:
    """The real screen, grabbed with mss (XShm on X11: ~1-3 ms for a full 1920×1080 frame).

    mss instances are not thread-safe, so each thread gets its own, made on first use.
    """

    def __init__(self) -> None:
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened: list = []  # every thread's instance, for close()

    def _mss(self):
        grabber = getattr(self._local, "mss", None)
        if grabber is None:
            grabber = open_mss()
            self._local.mss = grabber
            with self._lock:
                self._opened.append(grabber)
        return grabber

    def bounds(self) -> Region:
        desktop = self._mss().monitors[0]
        return desktop["left"], desktop["top"], desktop["width"], desktop["height"]

    def grab_grey(self, region: Region | None = None) -> tuple[np.ndarray, int, int]:
        import cv2
        import numpy as np

        left, top, width, height = self._clipped(region)
        if width == 0 or height == 0:
            return np.zeros((0, 0), np.uint8), left, top
        shot = self._mss().grab({"left": left, "top": top, "width": width, "height": height})
        return cv2.cvtColor(np.asarray(shot), cv2.COLOR_BGRA2GRAY), left, top

    def grab_png(self) -> bytes:
        import cv2
        import numpy as np

        shot = self._mss().grab(self._mss().monitors[0])
        ok, png = cv2.imencode(".png", cv2.cvtColor(np.asarray(shot), cv2.COLOR_BGRA2BGR))
        if not ok:
            raise RuntimeError("OpenCV could not encode the screenshot as PNG")
        return png.tobytes()

    def _clipped(self, region: Region | None) -> Region:
        desktop = self.bounds()
        return desktop if region is None else clip_region(region, desktop)

    def close(self) -> None:
        """Close every thread's grabber; call it when no grab is under way."""
        with self._lock:
            opened, self._opened = self._opened, []
        for grabber in opened:
            grabber.close()
        self._local = threading.local()
