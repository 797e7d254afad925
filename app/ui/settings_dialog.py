"""Edit ▸ Settings…: hotkeys, image confidence, the language model and the database file.

The dialog edits a `Preferences` value; OK checks the whole of it first (the same chord
parsing as the recorder and the player) and refuses a bad value with its reason beside the
field, so nothing half-valid is ever stored.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.model_runner import GGUF_NOTE, ModelRunner
from app.ui.preferences import (
    BACKENDS,
    MAX_CONFIDENCE,
    MIN_CONFIDENCE,
    PROVIDERS,
    PreferenceError,
    Preferences,
)

ERROR_STYLE = "color: #b00020;"
NOTE_STYLE = "color: palette(mid);"
RESTART_NOTE = "Takes effect when RPA Assistant is started again (--db or RPA_DB still win)."


class SettingsDialog(QDialog):
    """Shows `prefs`; `result_prefs` holds the checked new value after OK."""

    def __init__(
        self,
        prefs: Preferences,
        runner: ModelRunner | None = None,
        current_database: str = "",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("settings_dialog")
        self.setWindowTitle("Settings")
        self.result_prefs: Preferences | None = None
        self._runner = runner

        self.stop_hotkey = _line("stop_hotkey", prefs.stop_hotkey)
        self.secret_hotkey = _line("secret_hotkey", prefs.secret_hotkey)
        self.abort_hotkey = _line("abort_hotkey", prefs.abort_hotkey)
        self.confidence = QDoubleSpinBox()
        self.confidence.setObjectName("confidence")
        self.confidence.setRange(MIN_CONFIDENCE, MAX_CONFIDENCE)
        self.confidence.setSingleStep(0.05)
        self.confidence.setDecimals(2)
        self.confidence.setValue(prefs.confidence)

        self.backend = _combo("backend", BACKENDS, prefs.backend)
        self.gguf_file = _line("gguf_file", prefs.gguf_file)
        self.gguf_file.setPlaceholderText("a .gguf model file")
        self.gguf_browse = QPushButton("Browse…")
        self.gguf_browse.clicked.connect(self._browse_gguf)
        self.backend_note = _note("backend_note")
        self.provider = _combo("provider", PROVIDERS, prefs.provider)
        self.active_provider = _note("active_provider")

        self.database = _line("database", prefs.database)
        self.database.setPlaceholderText(current_database or "the per-user default")
        self.database_browse = QPushButton("Browse…")
        self.database_browse.clicked.connect(self._browse_database)
        self.database_note = _note("database_note")
        self.database_note.setText(RESTART_NOTE)

        self.error = QLabel()
        self.error.setObjectName("settings_error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        self._build()
        self.backend.currentIndexChanged.connect(self._update_model_notes)
        self.provider.currentIndexChanged.connect(self._update_model_notes)
        if runner is not None:
            runner.status_changed.connect(self._update_model_notes)
        self._update_model_notes()

    def _build(self) -> None:
        recording = QFormLayout()
        recording.addRow("Stop recording:", self.stop_hotkey)
        recording.addRow("Secret mode on/off:", self.secret_hotkey)
        playing = QFormLayout()
        playing.addRow("Stop playing:", self.abort_hotkey)
        playing.addRow("Image confidence:", self.confidence)
        model = QFormLayout()
        model.addRow("Backend:", self.backend)
        model.addRow("GGUF file:", _row(self.gguf_file, self.gguf_browse))
        model.addRow("", self.backend_note)
        model.addRow("Execution provider:", self.provider)
        model.addRow("", self.active_provider)
        storage = QFormLayout()
        storage.addRow("Database file:", _row(self.database, self.database_browse))
        storage.addRow("", self.database_note)

        layout = QVBoxLayout(self)
        for title, form in (
            ("Recording", recording),
            ("Playing", playing),
            ("Language model", model),
            ("Data", storage),
        ):
            box = QGroupBox(title)
            box.setLayout(form)
            layout.addWidget(box)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.stop_hotkey.setToolTip("modifiers then one key, e.g. ctrl+alt+q")
        for line in (self.secret_hotkey, self.abort_hotkey):
            line.setToolTip(self.stop_hotkey.toolTip())

    # ------------------------------------------------------------ live notes

    def _update_model_notes(self, *_args) -> None:
        gguf = self.backend.currentData() == "gguf"
        self.gguf_file.setEnabled(gguf)
        self.gguf_browse.setEnabled(gguf)
        self.backend_note.setText(GGUF_NOTE + "." if gguf else "")
        self.backend_note.setVisible(gguf)
        runner = self._runner
        if runner is None or runner.provider is None:
            active = "Active now: not loaded yet (the model loads with the first question)"
        else:
            active = f"Active now: {runner.provider}"
            if self.provider.currentData() != runner.chosen_provider:
                active += " (the new choice applies from the next question)"
        self.active_provider.setText(active)

    def _browse_gguf(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "GGUF model file", self.gguf_file.text(), "GGUF models (*.gguf);;All files (*)"
        )
        if path:
            self.gguf_file.setText(path)

    def _browse_database(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Database file",
            self.database.text() or self.database.placeholderText(),
            "SQLite databases (*.db);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,  # an existing database is used
        )
        if path:
            self.database.setText(path)

    # ------------------------------------------------------------ OK

    def chosen(self) -> Preferences:
        """The preferences the fields describe; PreferenceError names the wrong one."""
        database = self.database.text().strip()
        if database and Path(database).expanduser().is_dir():
            raise PreferenceError(f"Database file: {database} is a folder; name a file in it")
        return Preferences(
            stop_hotkey=self.stop_hotkey.text(),
            secret_hotkey=self.secret_hotkey.text(),
            abort_hotkey=self.abort_hotkey.text(),
            confidence=round(self.confidence.value(), 2),
            backend=self.backend.currentData(),
            gguf_file=self.gguf_file.text(),
            provider=self.provider.currentData(),
            database=str(Path(database).expanduser()) if database else "",
        )

    def accept(self) -> None:
        try:
            prefs = self.chosen()
        except PreferenceError as bad:
            self.error.setText(str(bad))
            field = self._field_of(str(bad))
            if field is not None:
                field.setFocus()
                if isinstance(field, QLineEdit):
                    field.selectAll()
            return
        self.error.clear()
        self.result_prefs = prefs
        super().accept()

    def _field_of(self, message: str) -> QWidget | None:
        label = message.partition(":")[0]
        return {
            "Stop recording": self.stop_hotkey,
            "Secret mode": self.secret_hotkey,
            "Stop playing": self.abort_hotkey,
            "Image confidence": self.confidence,
            "Model backend": self.gguf_file,
            "Execution provider": self.provider,
            "Database file": self.database,
        }.get(label)


def edit_settings(
    parent: QWidget, settings: QSettings, runner: ModelRunner, current_database: str = ""
) -> Preferences | None:
    """Show the dialog; on OK store the preferences and hand them to the model runner."""
    dialog = SettingsDialog(Preferences.load(settings), runner, current_database, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_prefs is None:
            return None
        prefs = dialog.result_prefs
    finally:
        dialog.deleteLater()
    prefs.save(settings)
    runner.apply(prefs)
    return prefs


def _line(name: str, text: str) -> QLineEdit:
    line = QLineEdit(text)
    line.setObjectName(name)
    return line


def _combo(name: str, choices: dict[str, str], current: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for value, label in choices.items():
        combo.addItem(label, value)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


def _note(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(NOTE_STYLE)
    return label


def _row(*widgets: QWidget) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(widgets[0], 1)
    for widget in widgets[1:]:
        layout.addWidget(widget)
    return row
