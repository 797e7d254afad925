"""Helpers for the desktop-app tests: a main window on a private database, and dialogs.

Message boxes opened through QMessageBox's static functions are answered from queues
(`Dialogs`), so a test never hangs on one; dialogs the window builds itself (the name
clash, the failure view) are real and are clicked through `click_in_modal`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QInputDialog,
    QMessageBox,
)

from app.storage.database import open_database
from app.storage.macros import MacroStore
from app.ui.main_window import MainWindow


class Dialogs:
    """Stands in for QMessageBox's and QInputDialog's static functions; records what was shown."""

    def __init__(self, monkeypatch):
        self.questions: list[str] = []
        self.answers: list[QMessageBox.StandardButton] = []
        self.warnings: list[str] = []
        self.names: list[str | None] = []  # what QInputDialog.getText "types"; None = Cancel
        monkeypatch.setattr(QMessageBox, "question", self._question)
        for name in ("warning", "critical", "information"):
            monkeypatch.setattr(QMessageBox, name, self._warning)
        monkeypatch.setattr(QInputDialog, "getText", self._get_text)

    def _question(self, parent, title, text, *args, **kwargs):
        self.questions.append(text)
        return self.answers.pop(0) if self.answers else QMessageBox.StandardButton.Cancel

    def _warning(self, parent, title, text, *args, **kwargs):
        self.warnings.append(text)
        return QMessageBox.StandardButton.Ok

    def _get_text(self, parent, title, label, echo=None, text="", *args, **kwargs):
        if not self.names:
            return "", False
        name = self.names.pop(0)
        return (text if name == "" else name or ""), name is not None


class Chooser:
    """Stands in for the window's FileChooser: returns queued paths instead of a dialog."""

    def __init__(self):
        self.open: list[list[Path]] = []
        self.save: list[Path | None] = []
        self.suggested: list[str] = []

    def open_paths(self, parent) -> list[Path]:
        return self.open.pop(0) if self.open else []

    def save_path(self, parent, suggested: str, with_images: bool) -> Path | None:
        self.suggested.append(suggested)
        return self.save.pop(0) if self.save else None


def database(path: Path, *macros) -> Path:
    """A database file holding `macros`."""
    db = open_database(path)
    store = MacroStore(db)
    for macro in macros:
        store.save(macro)
    db.close()
    return path


def settings_file(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


def show_window(qtbot, store: MacroStore, settings: QSettings) -> MainWindow:
    window = MainWindow(store, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def click_in_modal(button_text: str, seen: list[str] | None = None, timeout_ms: int = 10_000):
    """Once a modal dialog opens, click its button labelled `button_text` (no & shortcuts).

    Call it before the action that opens the dialog: it polls from the event loop that the
    dialog's own exec() runs. The dialog's text goes into `seen`.
    """
    waited = [0]

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog) and dialog.isVisible():
            if seen is not None:
                texts = [dialog.windowTitle()]
                if isinstance(dialog, QMessageBox):
                    texts += [dialog.text(), dialog.informativeText()]
                seen.append("\n".join(texts))
            for button in dialog.findChildren(QAbstractButton):
                if button.text().replace("&", "") == button_text:
                    button.click()
                    return
            dialog.reject()
            raise AssertionError(f"no button {button_text!r} in the dialog {dialog!r}")
        waited[0] += 20
        if waited[0] < timeout_ms:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)
