"""The clipboard the player pastes through, on the real X display with the real xclip."""

from __future__ import annotations

import subprocess

import pytest

from app.player.clipboard import ClipboardError, XclipText


def read_clipboard(target: str = "UTF8_STRING") -> bytes:
    return subprocess.run(
        ["xclip", "-selection", "clipboard", "-out", "-target", target],
        capture_output=True,
        check=True,
        timeout=5,
    ).stdout


def test_held_text_is_on_the_clipboard_and_counts_each_read():
    held = XclipText("héllo 你好")
    try:
        before = held.reads()
        assert read_clipboard() == "héllo 你好".encode()
        assert held.wait_read(before, timeout=3)
        assert held.reads() == before + 1
    finally:
        held.release()


def test_asking_which_formats_are_offered_is_not_a_read():
    held = XclipText("ß")
    try:
        before = held.reads()
        assert b"UTF8_STRING" in read_clipboard("TARGETS")
        assert not held.wait_read(before, timeout=0.3)
    finally:
        held.release()


def test_the_next_text_takes_over_and_the_previous_server_ends():
    first = XclipText("first é")
    second = XclipText("second ü")
    try:
        assert read_clipboard() == "second ü".encode()
        assert not first.wait_read(first.reads(), timeout=0.3)
    finally:
        first.release()
        second.release()


def test_no_display_is_a_clear_error(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DISPLAY", ":99999")
    with pytest.raises(ClipboardError, match="DISPLAY"):
        XclipText("x", timeout=1)
