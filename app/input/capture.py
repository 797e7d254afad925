"""Screen capture through mss, shared by the recorder (anchor patches) and the player."""

from __future__ import annotations


def open_mss():
    """An mss screen grabber (`mss.MSS` since mss 10; `mss.mss` before). Not thread-safe:
    keep one per thread."""
    import mss

    return (getattr(mss, "MSS", None) or mss.mss)()
