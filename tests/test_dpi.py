"""DPI awareness on Windows, checked with a stand-in for ctypes.windll (no Windows here)."""

from __future__ import annotations

import ctypes
import types

from app.dpi import PER_MONITOR_AWARE, declare_dpi_awareness


class Recorder:
    def __init__(self, fail: bool = False):
        self.calls: list[tuple] = []
        self.fail = fail

    def __getattr__(self, name):
        def call(*args):
            if self.fail:
                raise OSError("not supported")
            self.calls.append((name, *args))
            return 0

        return call


def _fake_windll(monkeypatch, shcore, user32):
    monkeypatch.setattr(
        ctypes, "windll", types.SimpleNamespace(shcore=shcore, user32=user32), raising=False
    )


def test_per_monitor_awareness_is_declared_on_windows(monkeypatch):
    shcore, user32 = Recorder(), Recorder()
    _fake_windll(monkeypatch, shcore, user32)
    assert declare_dpi_awareness("win32") == "per-monitor"
    assert shcore.calls == [("SetProcessDpiAwareness", PER_MONITOR_AWARE)]
    assert user32.calls == []


def test_older_windows_falls_back_to_system_awareness(monkeypatch):
    shcore, user32 = Recorder(fail=True), Recorder()
    _fake_windll(monkeypatch, shcore, user32)
    assert declare_dpi_awareness("win32") == "system"
    assert user32.calls == [("SetProcessDPIAware",)]


def test_nothing_happens_elsewhere(monkeypatch):
    monkeypatch.delattr(ctypes, "windll", raising=False)
    assert declare_dpi_awareness("linux") == "not needed"
