"""Preferences in QSettings and the Settings dialog, driven like a user on a real display."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from conftest import ROOT
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from ui_support import Dialogs, database, settings_file, show_window

from app.cli import build_parser
from app.core.macro import Macro
from app.core.resources import resource_path
from app.core.steps import Press
from app.nl.service import OnnxAssistant
from app.player.runner import PlaySettings
from app.recorder.session import RecorderSettings
from app.storage.database import open_database
from app.storage.macros import MacroStore
from app.ui.app import SHOWN_MARKER
from app.ui.model_runner import GGUF_NOTE, provider_name
from app.ui.preferences import KEYS, PreferenceError, Preferences, normalize_chord
from app.ui.settings_dialog import SettingsDialog

LEFT = Qt.MouseButton.LeftButton


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


# ---------------------------------------------------------------- the dialog in the window


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    dialogs = Dialogs(monkeypatch)
    db = open_database(database(tmp_path / "rpa.db", Macro("Enter", (Press("enter"),))))
    window = show_window(qtbot, MacroStore(db), settings_file(tmp_path))
    yield window
    window.model_runner.wait()
    dialogs.answers.append(QMessageBox.StandardButton.Discard)
    window.close()
    db.close()


def in_settings_dialog(window, handle) -> None:
    """Open Edit > Settings… and let `handle(dialog)` work in it while it is modal."""
    errors: list[BaseException] = []
    handled: list[bool] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SettingsDialog):
            QTimer.singleShot(20, poll)
            return
        try:
            handle(dialog)
        except BaseException as error:  # raised again below, outside the dialog's loop
            errors.append(error)
        finally:
            handled.append(True)
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(20, poll)
    window.settings_action.trigger()
    if errors:
        raise errors[0]
    assert handled, "the settings dialog did not open"


def retype(line, text: str) -> None:
    line.setFocus()
    line.selectAll()
    QTest.keyClicks(line, text)


def click_ok(dialog) -> None:
    QTest.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), LEFT)


def test_settings_are_remembered_and_a_bad_hotkey_is_refused(qtbot, window):
    def change(dialog):
        assert dialog.abort_hotkey.text() == "ctrl+alt+q"
        assert dialog.confidence.value() == 0.8
        retype(dialog.abort_hotkey, "ctrl+alt+banana")
        click_ok(dialog)
        assert dialog.isVisible(), "a bad chord must not close the dialog"
        assert dialog.error.text() == (
            "Stop playing: 'banana' is not a key name; use a letter, a digit or a name such "
            "as f5, esc, pause"
        )
        # the field to fix gets the focus (the dialog's, whether or not the window is active)
        assert dialog.focusWidget() is dialog.abort_hotkey
        retype(dialog.abort_hotkey, "Shift+Ctrl+F12")
        retype(dialog.secret_hotkey, "ctrl+alt+q")
        click_ok(dialog)
        assert dialog.isVisible()
        assert dialog.error.text().startswith("Secret mode: ctrl+alt+q already stops")
        retype(dialog.secret_hotkey, "ctrl+alt+s")
        dialog.confidence.setValue(0.9)
        dialog.provider.setCurrentIndex(dialog.provider.findData("cpu"))
        click_ok(dialog)
        assert not dialog.isVisible()

    in_settings_dialog(window, change)
    expected = Preferences(
        abort_hotkey="ctrl+shift+f12", secret_hotkey="ctrl+alt+s", confidence=0.9, provider="cpu"
    )
    assert Preferences.load(window.settings) == expected
    assert window.settings.value("player/abort_hotkey") == "ctrl+shift+f12"
    assert window.statusBar().currentMessage() == "Settings saved"

    def look(dialog):
        assert dialog.abort_hotkey.text() == "ctrl+shift+f12"
        assert dialog.secret_hotkey.text() == "ctrl+alt+s"
        assert dialog.confidence.value() == 0.9
        assert dialog.provider.currentData() == "cpu"
        retype(dialog.stop_hotkey, "ctrl+alt+x")  # then Cancel: nothing changes

    in_settings_dialog(window, look)
    assert Preferences.load(window.settings) == expected


def test_the_dialog_and_the_status_bar_show_the_active_provider(qtbot, window):
    from test_ui_chat import ask

    status = window.model_status_label
    assert status.text() == "Model: ONNX · not loaded yet"
    in_settings_dialog(
        window,
        lambda d: assert_equal(
            d.active_provider.text(),
            "Active now: not loaded yet (the model loads with the first question)",
        ),
    )
    ask(qtbot, window.chat_dock, "press enter")
    active = provider_name(OnnxAssistant(provider="auto").provider)
    assert status.text() == f"Model: ONNX · {active}"

    def switch(dialog):
        assert dialog.active_provider.text() == f"Active now: {active}"
        other = "cpu" if dialog.provider.currentData() != "cpu" else "auto"
        dialog.provider.setCurrentIndex(dialog.provider.findData(other))
        assert dialog.active_provider.text() == (
            f"Active now: {active} (the new choice applies from the next question)"
        )
        click_ok(dialog)

    in_settings_dialog(window, switch)
    assert status.text() == "Model: ONNX · not loaded yet"
    ask(qtbot, window.chat_dock, "press enter")
    assert status.text() == f"Model: ONNX · {active}"


def test_a_gguf_file_chosen_in_settings_answers_through_llama_cpp(qtbot, window, tmp_path):
    from test_ui_chat import ask, type_text

    missing = str(tmp_path / "nothing.gguf")

    def choose(dialog, path: str) -> None:
        dialog.backend.setCurrentIndex(dialog.backend.findData("gguf"))
        assert dialog.gguf_file.isEnabled()
        assert dialog.backend_note.text() == GGUF_NOTE + "."
        retype(dialog.gguf_file, path)
        click_ok(dialog)

    def refuse_empty(dialog) -> None:
        assert not dialog.gguf_file.isEnabled() and dialog.backend_note.isHidden()
        dialog.backend.setCurrentIndex(dialog.backend.findData("gguf"))
        click_ok(dialog)
        assert dialog.error.text() == "Model backend: choose the GGUF file, or use the ONNX model"

    in_settings_dialog(window, refuse_empty)
    in_settings_dialog(window, lambda dialog: choose(dialog, missing))
    assert Preferences.load(window.settings).gguf_file == missing
    dock = window.chat_dock
    before = dock.history.count()
    type_text(dock.input, "press enter")
    QTest.keyClick(dock.input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dock.busy() and dock.status.text().startswith("No answer"))
    assert "nothing.gguf: no such GGUF model file" in dock.status.text()
    assert dock.history.count() == before  # nothing answered, nothing stored

    shipped = str(resource_path("models") / "model-q8_0.gguf")
    in_settings_dialog(window, lambda dialog: choose(dialog, shipped))
    assert window.model_status_label.text() == "Model: GGUF · not loaded yet"
    assert dock.input.text() == "press enter"  # kept, to ask again
    dock.input.clear()
    ask(qtbot, dock, "press enter")
    assert dock.preview_steps() == [Press("enter")]
    assert window.model_status_label.text() == "Model: GGUF · llama.cpp CPU"


def assert_equal(a, b) -> None:
    assert a == b


# ---------------------------------------------------------------- start-up


def _start_app(tmp_path, env: dict[str, str], flags: tuple[str, ...] = ()) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, *flags, "-m", "app"],
        cwd=ROOT,
        env={**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "RPA_REPORT_SHOWN": "1"}
        | env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_shown(app: subprocess.Popen) -> str:
    """Wait for the window; what the app wrote to stderr before it."""
    lines = []
    try:
        for line in app.stderr:
            if line.strip() == SHOWN_MARKER:
                return "".join(lines)
            lines.append(line)
        raise AssertionError(f"the window was never shown (exit {app.wait(10)})")
    finally:
        app.terminate()
        app.wait(10)


def test_the_database_chosen_in_settings_opens_at_the_next_start(tmp_path):
    chosen = tmp_path / "chosen" / "work.db"
    user_settings = QSettings(
        str(tmp_path / "config" / "rpa-assistant" / "RPA Assistant.conf"),
        QSettings.Format.IniFormat,
    )
    Preferences(database=str(chosen)).save(user_settings)
    _wait_shown(_start_app(tmp_path, {}))
    assert chosen.is_file(), "the chosen database was not opened"

    from_env = tmp_path / "env.db"
    _wait_shown(_start_app(tmp_path, {"RPA_DB": str(from_env)}))
    assert from_env.is_file(), "RPA_DB must win over the Settings"


def test_the_window_opens_without_loading_the_model(tmp_path):
    before = _wait_shown(
        _start_app(tmp_path, {"RPA_DB": str(tmp_path / "rpa.db")}, ("-X", "importtime"))
    )
    imported = {line.rpartition("|")[2].strip() for line in before.splitlines()}
    assert "app.ui.chat_dock" in imported and "PySide6.QtWidgets" in imported
    for library in ("onnxruntime", "tokenizers", "torch", "app.nl.service"):
        assert library not in imported, f"{library} was imported at start-up"
