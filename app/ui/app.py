"""Start the desktop app: one QApplication, the user's database, the main window."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from app.core.errors import RpaError
from app.storage.database import open_database
from app.storage.macros import MacroStore
from app.ui.main_window import APPLICATION, ORGANIZATION, MainWindow


def run_gui(db_path: str | os.PathLike, *, settings: QSettings | None = None) -> int:
    """Show the main window on the database at `db_path`; returns the exit code.

    High-DPI scaling is on by default in Qt 6. `settings` replaces the per-user settings
    (tests pass a private file).
    """
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION)
    try:
        db = open_database(db_path)
    except RpaError as bad:
        # No window yet to show it in: a message box, and the same line for the terminal.
        print(f"error: {bad}", file=sys.stderr)
        QMessageBox.critical(None, APPLICATION, str(bad))
        return bad.exit_code
    try:
        window = MainWindow(MacroStore(db), settings)
        window.show()
        code = app.exec()
        window.deleteLater()
        return code
    finally:
        db.close()
