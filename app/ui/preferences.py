"""The user's preferences: typed, validated, kept in QSettings.

One frozen `Preferences` value is read with `Preferences.load(settings)` and written with
`prefs.save(settings)`; nothing else reads these keys, so a value that is wrong in the file
(edited by hand, or left by an older version) falls back to its default instead of
breaking the recorder or the player. The defaults are those of the command line.

| key | type | default | meaning |
| --- | --- | --- | --- |
| `recorder/stop_hotkey` | chord | `ctrl+alt+q` | ends a recording (`record --stop-hotkey`) |
| `recorder/secret_hotkey` | chord | `ctrl+alt+p` | secret mode on/off (`--secret-hotkey`) |
| `player/abort_hotkey` | chord | `ctrl+alt+q` | stops a run at once |
| `player/confidence` | 0.5-1.0 | `0.8` | how alike an image anchor must be (`--confidence`) |
| `model/backend` | onnx, gguf | `onnx` | the built-in ONNX model, or a GGUF file (`--backend`) |
| `model/gguf_file` | path | empty | the GGUF file for the `gguf` backend |
| `model/provider` | auto, cuda, cpu | `auto` | onnxruntime's execution provider (`--provider`) |
| `storage/database` | path | empty | the database; empty: the per-user one. Read at start |

A chord is written as in the step language (`ctrl+alt+q`) and read back as a tuple of key
names for `RecorderSettings` and `PlaySettings`: `prefs.stop_keys`, `prefs.abort_keys`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, fields

from PySide6.QtCore import QSettings

from app.core.errors import InputError
from app.core.keys import KEY_NAMES
from app.input.events import MODIFIER_ORDER, parse_chord

BACKENDS = {"onnx": "ONNX (built in)", "gguf": "GGUF file"}
PROVIDERS = {"auto": "Automatic", "cuda": "CUDA (GPU)", "cpu": "CPU"}
MIN_CONFIDENCE, MAX_CONFIDENCE = 0.5, 1.0

# field name → QSettings key
KEYS = {
    "stop_hotkey": "recorder/stop_hotkey",
    "secret_hotkey": "recorder/secret_hotkey",
    "abort_hotkey": "player/abort_hotkey",
    "confidence": "player/confidence",
    "backend": "model/backend",
    "gguf_file": "model/gguf_file",
    "provider": "model/provider",
    "database": "storage/database",
}


class PreferenceError(InputError):
    """A preference value that cannot be used; the message names the setting and the fix."""


def normalize_chord(text: str, label: str = "hotkey") -> str:
    """`" Alt + Ctrl + Q "` → `"ctrl+alt+q"`; PreferenceError says what is wrong with it.

    The app's chords fire when their last key goes down with exactly their modifiers held,
    so the last key must be one the listener reports, and shift alone would fire while
    typing capitals.
    """
    try:
        keys = parse_chord(text.replace(" ", ""))
    except ValueError as bad:
        raise PreferenceError(f"{label}: {bad}") from None
    *modifiers, key = keys
    if key not in KEY_NAMES:
        raise PreferenceError(
            f"{label}: {key!r} is not a key name; use a letter, a digit or a name such as "
            "f5, esc, pause"
        )
    if len(set(modifiers)) != len(modifiers):
        raise PreferenceError(f"{label}: a modifier appears twice in {text.strip()!r}")
    if set(modifiers) == {"shift"}:
        raise PreferenceError(f"{label}: shift alone would fire while typing; add ctrl, alt or win")
    ordered = sorted(modifiers, key=MODIFIER_ORDER.index)
    return "+".join([*ordered, key])


def chord_keys(chord: str) -> tuple[str, ...]:
    """The key names of a normalized chord: "ctrl+alt+q" → ("ctrl", "alt", "q")."""
    return tuple(chord.split("+"))


@dataclass(frozen=True, slots=True)
class Preferences:
    stop_hotkey: str = "ctrl+alt+q"
    secret_hotkey: str = "ctrl+alt+p"  # p for password
    abort_hotkey: str = "ctrl+alt+q"
    confidence: float = 0.8
    backend: str = "onnx"
    gguf_file: str = ""
    provider: str = "auto"
    database: str = ""  # empty: the per-user default (or RPA_DB / --db, which win)

    def __post_init__(self) -> None:
        for name, label in (
            ("stop_hotkey", "Stop recording"),
            ("secret_hotkey", "Secret mode"),
            ("abort_hotkey", "Stop playing"),
        ):
            object.__setattr__(self, name, normalize_chord(getattr(self, name), label))
        if self.stop_hotkey == self.secret_hotkey:
            raise PreferenceError(
                f"Secret mode: {self.secret_hotkey} already stops the recording; "
                "choose another chord"
            )
        if not isinstance(self.confidence, int | float) or not (
            MIN_CONFIDENCE <= self.confidence <= MAX_CONFIDENCE
        ):
            raise PreferenceError(
                f"Image confidence: takes {MIN_CONFIDENCE} to {MAX_CONFIDENCE}, "
                f"got {self.confidence!r}"
            )
        if self.backend not in BACKENDS:
            raise PreferenceError(f"Model backend: one of {', '.join(BACKENDS)}")
        if self.provider not in PROVIDERS:
            raise PreferenceError(f"Execution provider: one of {', '.join(PROVIDERS)}")
        object.__setattr__(self, "gguf_file", self.gguf_file.strip())
        object.__setattr__(self, "database", self.database.strip())
        if self.backend == "gguf" and not self.gguf_file:
            raise PreferenceError("Model backend: choose the GGUF file, or use the ONNX model")

    # ------------------------------------------------------------ for the recorder/player

    @property
    def stop_keys(self) -> tuple[str, ...]:
        return chord_keys(self.stop_hotkey)

    @property
    def secret_keys(self) -> tuple[str, ...]:
        return chord_keys(self.secret_hotkey)

    @property
    def abort_keys(self) -> tuple[str, ...]:
        return chord_keys(self.abort_hotkey)

    # ------------------------------------------------------------ QSettings

    @classmethod
    def load(cls, settings: QSettings) -> Preferences:
        """The stored preferences; a missing or unusable value is its default."""
        stored: dict[str, object] = {}
        for field in fields(cls):
            value = settings.value(KEYS[field.name])
            if value is None:
                continue
            try:
                stored[field.name] = float(value) if field.name == "confidence" else str(value)
            except (TypeError, ValueError):
                continue
        try:
            return cls(**stored)  # all at once: swapped hotkeys are fine together
        except PreferenceError:
            pass
        prefs = cls()
        for name, value in stored.items():
            try:
                prefs = dataclasses.replace(prefs, **{name: value})
            except PreferenceError:
                continue  # keep the default: a bad file never stops the app
        return prefs

    def save(self, settings: QSettings) -> None:
        for field in fields(self):
            settings.setValue(KEYS[field.name], getattr(self, field.name))
        settings.sync()
