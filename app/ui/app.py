"""Start the desktop app: one QApplication, the user's database, the main window."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.core.errors import RpaError
from app.storage.database import default_database_path, open_database
from app.storage.macros import MacroStore
from app.ui.main_window import APPLICATION, ORGANIZATION, MainWindow
from app.ui.preferences import Preferences

SHOWN_MARKER = "rpa-assistant: window shown"  # on stderr when RPA_REPORT_SHOWN=1


def run_gui(db_path: str | os.PathLike | None, *, settings: QSettings | None = None) -> int:
    """Show the main window on the database at `db_path`; returns the exit code.

    With no `db_path` (no --db): RPA_DB, else the database chosen in Settings, else the
    per-user default. High-DPI scaling is on by default in Qt 6. `settings` replaces the
    per-user settings (tests pass a private file).
    """
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION)
    if settings is None:
        settings = QSettings(ORGANIZATION, APPLICATION)
    if db_path is None:
        db_path = _chosen_database(settings)
    try:
        db = open_database(db_path)
    except RpaError as bad:
        # No window yet to show it in: a message box, and the same line for the terminal.
        print(f"error: {bad}", file=sys.stderr)
        QMessageBox.critical(None, APPLICATION, str(bad))
        return bad.exit_code
    try:
        window = MainWindow(MacroStore(db), settings)
        if os.environ.get("RPA_REPORT_SHOWN"):
            window.installEventFilter(_FirstPaint(window))
        window.show()
        QTimer.singleShot(0, window.offer_recovery)  # recordings cut short by a crash
        code = app.exec()
        window.deleteLater()
        return code
    finally:
        db.close()


def _chosen_database(settings: QSettings):
    if os.environ.get("RPA_DB"):
        return default_database_path()
    return Preferences.load(settings).database or default_database_path()


class _FirstPaint(QObject):
    """Says when the window is first painted: bench/startup.py times start-up by it."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            print(SHOWN_MARKER, file=sys.stderr, flush=True)
        return False
