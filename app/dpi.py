"""Per-monitor DPI awareness on Windows, declared before any window or screenshot exists.

Without it Windows scales a process's view of the screen on monitors above 100 %, and the
pointer positions the recorder sees (and the player clicks) miss their targets. The call
is process-wide and only works once, so `python -m app` makes it first thing.
"""

from __future__ import annotations

import sys

PER_MONITOR_AWARE = 2  # PROCESS_PER_MONITOR_DPI_AWARE


def declare_dpi_awareness(platform: str = sys.platform) -> str:
    """Ask Windows for real pixels; returns which call took effect (for logs and tests)."""
    if platform != "win32":
        return "not needed"
    import ctypes

    windll = ctypes.windll  # type: ignore[attr-defined]
    try:
        windll.shcore.SetProcessDpiAwareness(PER_MONITOR_AWARE)  # Windows 8.1 and later
        return "per-monitor"
    except (AttributeError, OSError):
        pass
    try:
        windll.user32.SetProcessDPIAware()  # Vista .. 8: system-wide awareness
        return "system"
    except (AttributeError, OSError):
        return "unavailable"
