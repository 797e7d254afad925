"""Dialogs for moving macros in and out of files: choosing files, and a name that is taken.

Reading and writing the files is `app.core.files`, the same code and the same messages as
`macros import` / `macros export` on the command line; only the questions live here.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.core.files import SUFFIXES

OPEN_FILTER = "Macro files (*.txt *.zip);;All files (*)"
ZIP_FILTER = "Macro with its images (*.zip)"
TXT_FILTER = "Steps only (*.txt)"

REPLACE, KEEP_BOTH, CANCEL = "replace", "keep both", "cancel"


class FileChooser:
    """Asks the user for file names with the standard file dialogs.

    The window keeps one in `file_chooser`; a test may put an object with the same two
    methods there to answer without a dialog.
    """

    def open_paths(self, parent: QWidget) -> list[Path]:
        """Macro files to import; [] if the user cancelled."""
        names, _ = QFileDialog.getOpenFileNames(parent, "Import macros", "", OPEN_FILTER)
        return [Path(name) for name in names]

    def save_path(self, parent: QWidget, suggested: str, with_images: bool) -> Path | None:
        """Where to export; None if the user cancelled. The dialog asks before overwriting."""
        filters = [ZIP_FILTER, TXT_FILTER] if with_images else [TXT_FILTER, ZIP_FILTER]
        name, chosen = QFileDialog.getSaveFileName(
            parent, "Export macro", suggested, ";;".join(filters), filters[0]
        )
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() not in SUFFIXES:  # typed without one: take the filter's
            path = path.with_name(path.name + (".zip" if chosen == ZIP_FILTER else ".txt"))
        return path


def ask_name_clash(parent: QWidget, name: str, other_name: str) -> str:
    """A macro called `name` exists: REPLACE it, KEEP_BOTH (import as `other_name`) or CANCEL."""
    box = QMessageBox(parent)
    box.setObjectName("name_clash")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Import macro")
    box.setText(f"A macro named {name!r} already exists.")
    box.setInformativeText(
        f"Replace it (its steps and images are overwritten), or keep both and import this "
        f"one as {other_name!r}?"
    )
    replace = box.addButton("Replace", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("Keep both", QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(keep)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    if clicked is replace:
        return REPLACE
    if clicked is keep:
        return KEEP_BOTH
    return CANCEL


def free_name(base: str, taken: Iterable[str]) -> str:
    """`base`, or `base (2)`, `base (3)`, ... : the first that is not taken."""
    taken = set(taken)
    name, n = base, 2
    while name in taken:
        name, n = f"{base} ({n})", n + 1
    return name


def dropped_macro_files(mime: QMimeData) -> list[Path]:
    """The local .txt / .zip files in a drag; [] when there is nothing to import."""
    if not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [path for path in paths if path.suffix.lower() in SUFFIXES]
