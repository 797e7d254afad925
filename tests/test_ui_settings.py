"""Preferences in QSettings and the Settings dialog, driven like a user on a real display."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QSettings

from app.cli import build_parser
from app.player.runner import PlaySettings
from app.recorder.session import RecorderSettings
from app.ui.preferences import KEYS, PreferenceError, Preferences, normalize_chord


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


def _cli_default(command: str, option: str):
    parser = build_parser()
    return getattr(parser.parse_args([command, "x"]), option)


def test_defaults_are_the_command_lines():
    prefs = Preferences()
    assert prefs.stop_hotkey == _cli_default("record", "stop_hotkey")
    assert prefs.secret_hotkey == _cli_default("record", "secret_hotkey")
    assert prefs.confidence == _cli_default("run", "confidence")
    assert prefs.provider == _cli_default("ask", "provider")
    assert prefs.backend == _cli_default("ask", "backend")
    assert prefs.stop_keys == RecorderSettings().stop_hotkey
    assert prefs.secret_keys == RecorderSettings().secret_hotkey
    assert prefs.abort_keys == PlaySettings().abort_hotkey
    assert prefs.confidence == PlaySettings().confidence


def test_preferences_round_trip_through_the_settings_file(tmp_path, settings):
    chosen = Preferences(
        stop_hotkey="ctrl+shift+x",
        secret_hotkey="alt+f9",
        abort_hotkey="ctrl+alt+pause",
        confidence=0.65,
        backend="gguf",
        gguf_file="/models/tiny.gguf",
        provider="cpu",
        database=str(tmp_path / "other.db"),
    )
    chosen.save(settings)
    reread = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    assert reread.value("recorder/stop_hotkey") == "ctrl+shift+x"
    assert Preferences.load(reread) == chosen
    assert Preferences.load(reread).abort_keys == ("ctrl", "alt", "pause")


def test_an_empty_settings_file_gives_the_defaults(settings):
    assert Preferences.load(settings) == Preferences()


def test_chords_are_normalized():
    assert normalize_chord(" Alt + Ctrl + Q ") == "ctrl+alt+q"
    assert normalize_chord("shift+win+F5") == "shift+win+f5"


@pytest.mark.parametrize(
    ("chord", "message"),
    [
        ("q", "a hotkey is modifiers then one key"),
        ("ctrl+alt", "a hotkey is modifiers then one key"),
        ("hyper+q", "only ctrl, alt, shift and win can hold a hotkey"),
        ("ctrl+alt+banana", "'banana' is not a key name"),
        ("ctrl+ctrl+q", "a modifier appears twice"),
        ("shift+a", "shift alone would fire while typing"),
        ("", "a hotkey is modifiers then one key"),
    ],
)
def test_a_bad_chord_is_refused_with_a_reason(chord, message):
    with pytest.raises(PreferenceError, match="^Stop playing: .*" + re.escape(message)):
        Preferences(abort_hotkey=chord)


def test_other_bad_values_are_refused():
    with pytest.raises(PreferenceError, match=re.escape("Secret mode: ctrl+alt+q already stops")):
        Preferences(secret_hotkey="ctrl+alt+q")
    with pytest.raises(
        PreferenceError, match=re.escape("Image confidence: takes 0.5 to 1.0, got 0.3")
    ):
        Preferences(confidence=0.3)
    with pytest.raises(PreferenceError, match="choose the GGUF file"):
        Preferences(backend="gguf")
    with pytest.raises(PreferenceError, match="Execution provider"):
        Preferences(provider="tpu")


def test_bad_values_in_the_file_fall_back_to_their_defaults(settings):
    settings.setValue(KEYS["stop_hotkey"], "ctrl+nonsense")
    settings.setValue(KEYS["confidence"], "very")
    settings.setValue(KEYS["provider"], "cuda")
    settings.setValue(KEYS["abort_hotkey"], "ctrl+shift+s")
    prefs = Preferences.load(settings)
    assert prefs == Preferences(provider="cuda", abort_hotkey="ctrl+shift+s")


def test_swapped_recorder_hotkeys_load_together(settings):
    Preferences(stop_hotkey="ctrl+alt+p", secret_hotkey="ctrl+alt+q").save(settings)
    prefs = Preferences.load(settings)
    assert (prefs.stop_hotkey, prefs.secret_hotkey) == ("ctrl+alt+p", "ctrl+alt+q")
