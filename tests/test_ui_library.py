"""Import and export in the macro library: file dialogs, dropped files, name clashes, bad files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from conftest import PNG
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QMessageBox
from ui_support import Chooser, Dialogs, click_in_modal, database, settings_file, show_window

from app.core.files import read_macro_file
from app.core.language import parse_steps
from app.core.macro import Anchor, Macro
from app.storage.database import open_database
from app.storage.macros import MacroStore

INVOICE = Macro(
    "Invoice entry",
    tuple(parse_steps('click 100 200 anchor "ok"\ntype "Invoice 2024-001"\npress enter\n')),
    "Types an invoice into the form",
    (1920, 1080),
    (Anchor.from_png("ok", PNG, 10, 20),),
)
REPORT = Macro("Daily report", tuple(parse_steps('open_url "example.com/report"\nwait 1\n')))
BAD_TEXT = "# name: Broken\nwait 1\npress enter\nclick abc 5\n"


@pytest.fixture
def dialogs(monkeypatch):
    return Dialogs(monkeypatch)


@pytest.fixture
def store(tmp_path):
    db = open_database(database(tmp_path / "rpa.db", INVOICE, REPORT))
    yield MacroStore(db)
    db.close()


@pytest.fixture
def window(qtbot, store, tmp_path, dialogs):
    win = show_window(qtbot, store, settings_file(tmp_path))
    win.file_chooser = Chooser()
    yield win
    win.close()


def imported(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.importing(), timeout=10_000)


def stored(store: MacroStore) -> dict[str, Macro]:
    return {name: store.load(name) for name in store.names()}


def test_export_then_import_round_trip_through_the_ui(qtbot, window, store, dialogs, tmp_path):
    chooser = window.file_chooser
    window.open_macro("Invoice entry")
    zip_path, txt_path = tmp_path / "out" / "invoice.zip", tmp_path / "out" / "invoice.txt"
    zip_path.parent.mkdir()

    chooser.save += [zip_path, txt_path]
    window.export_action.trigger()
    assert chooser.suggested == ["Invoice entry.zip"]  # it has images: a zip is suggested
    assert read_macro_file(zip_path) == store.load("Invoice entry")
    assert sorted(zipfile.ZipFile(zip_path).namelist()) == [
        "anchors.json",
        "anchors/ok.png",
        "macro.txt",
    ]
    assert dialogs.warnings == []
    window.export_action.trigger()  # a .txt loses the images, and says so
    assert read_macro_file(txt_path).steps == INVOICE.steps
    (warning,) = dialogs.warnings
    assert "the 1 image anchors are not in a .txt file; export to .zip to keep them" in warning

    # importing it back: the name is taken, so the user is asked; "Keep both" adds a copy
    seen: list[str] = []
    click_in_modal("Keep both", seen)
    chooser.open.append([zip_path])
    window.import_action.trigger()
    imported(qtbot, window)
    assert "A macro named 'Invoice entry' already exists." in seen[0]
    assert "'Invoice entry (2)'" in seen[0]
    copy = store.load("Invoice entry (2)")
    assert (copy.steps, copy.anchors, copy.screen) == (INVOICE.steps, INVOICE.anchors, (1920, 1080))
    assert window.current_name() == "Invoice entry (2)"
    assert window.editor.steps() == list(INVOICE.steps)
    assert "Invoice entry (2)" in window.visible_names()

    # "Replace" overwrites; "Cancel" changes nothing
    edited = tmp_path / "edited.txt"
    edited.write_text("# name: Daily report\npress f5\n", encoding="utf-8")
    click_in_modal("Replace")
    window.import_files([edited])
    imported(qtbot, window)
    assert store.load("Daily report").steps == tuple(parse_steps("press f5\n"))
    assert window.current_name() == "Daily report"
    assert window.editor.steps() == parse_steps("press f5\n")
    before = stored(store)
    click_in_modal("Cancel")
    window.import_files([zip_path])
    imported(qtbot, window)
    assert stored(store) == before


def test_dropping_files_on_the_window_imports_them(qtbot, window, store, tmp_path):
    notes = tmp_path / "daily-note.txt"  # no name in the header: the file's name is used
    notes.write_text('launch "notepad"\ntype "你好"\nhotkey ctrl+s\n', encoding="utf-8")
    picture = tmp_path / "screen.png"
    picture.write_bytes(PNG)

    assert not drag_enter(window, [picture]).isAccepted()  # not a macro file: refused
    assert drag_enter(window, [notes, picture]).isAccepted()
    drop(window, [notes, picture])
    imported(qtbot, window)
    assert store.load("daily-note").steps == tuple(
        parse_steps('launch "notepad"\ntype "你好"\nhotkey ctrl+s\n')
    )
    assert window.current_name() == "daily-note"
    assert sorted(store.names()) == ["Daily report", "Invoice entry", "daily-note"]


def test_a_dropped_file_over_the_step_table_is_imported_too(qtbot, window, store, tmp_path):
    macro = tmp_path / "one.txt"
    macro.write_text("# name: One step\nwait 1\n", encoding="utf-8")
    table = window.editor.table.viewport()  # accepts drops itself: rows move by dragging
    assert drag_enter(table, [macro]).isAccepted()  # ignored by the table, taken by the window
    drop(table, [macro])
    imported(qtbot, window)
    assert store.load("One step").steps == tuple(parse_steps("wait 1\n"))


def test_a_bad_file_shows_the_line_and_changes_nothing(qtbot, window, store, dialogs, tmp_path):
    window.open_macro("Daily report")
    before = stored(store)
    bad = tmp_path / "report.txt"
    bad.write_text(BAD_TEXT, encoding="utf-8")
    broken_zip = tmp_path / "broken.zip"
    broken_zip.write_bytes(b"PK\x03\x04 not really a zip")
    missing = tmp_path / "gone.txt"

    drop(window, [bad])
    imported(qtbot, window)
    window.import_files([broken_zip, missing])
    imported(qtbot, window)

    assert len(dialogs.warnings) == 3
    assert dialogs.warnings[0] == (
        f"Nothing was imported.\n\n{bad}: line 4, col 7: expected a number after 'click', "
        'got "abc"'
    )
    assert f"{broken_zip}: not a zip archive (or a damaged one)" in dialogs.warnings[1]
    assert f"{missing}: no such file" in dialogs.warnings[2]
    assert stored(store) == before
    assert window.current_name() == "Daily report" and not window.isWindowModified()


def test_export_refuses_a_bad_suffix_and_keeps_unsaved_edits_safe(
    qtbot, window, store, dialogs, tmp_path
):
    window.open_macro("Daily report")
    window.editor.model.delete_rows([0])  # an unsaved edit
    chooser = window.file_chooser
    chooser.save.append(tmp_path / "report.txt")
    dialogs.answers.append(QMessageBox.StandardButton.Cancel)
    assert not window.export_macro()  # asked Save / Discard / Cancel: Cancel keeps the edit
    assert "not saved" in dialogs.questions[0]
    assert window.editor.model.rowCount() == 1 and not (tmp_path / "report.txt").exists()

    dialogs.answers.append(QMessageBox.StandardButton.Save)
    assert not window.export_macro(tmp_path / "report.pdf")  # saved first, then refused
    assert store.load("Daily report").steps == tuple(parse_steps("wait 1\n"))
    assert dialogs.warnings[-1] == (
        f"Nothing was exported.\n\n{tmp_path / 'report.pdf'}: a macro file ends in .txt or "
        ".zip, not .pdf"
    )
    assert window.export_macro(tmp_path / "report.txt")
    assert read_macro_file(tmp_path / "report.txt").steps == tuple(parse_steps("wait 1\n"))


def test_the_real_file_dialogs(qtbot, window, store, tmp_path):
    """The FileChooser that the window uses by default, with Qt's own file dialog."""
    from app.ui.macro_files import FileChooser

    window.file_chooser = FileChooser()
    window.open_macro("Invoice entry")
    target = tmp_path / "typed-without-suffix"
    fill_file_dialog(str(target))
    assert window.export_macro()
    assert read_macro_file(tmp_path / "typed-without-suffix.zip") == store.load("Invoice entry")

    source = tmp_path / "from-dialog.txt"
    source.write_text("# name: From the dialog\npress tab\n", encoding="utf-8")
    fill_file_dialog(str(source))
    window.import_action.trigger()
    imported(qtbot, window)
    assert store.load("From the dialog").steps == tuple(parse_steps("press tab\n"))


# ---------------------------------------------------------------- helpers


def _mime(paths: list[Path]) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def drag_enter(widget, paths: list[Path]) -> QDragEnterEvent:
    """Send a drag-enter event with file URLs, as a file manager would."""
    mime = _mime(paths)
    event = QDragEnterEvent(
        QPoint(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    event.ignore()
    QApplication.sendEvent(widget, event)  # ignored there, Qt offers it to the parents
    widget._kept_mime = mime  # the event refers to it until it is dropped
    return event


def drop(widget, paths: list[Path]) -> None:
    """Drag the files in, then drop them: as a real drag, the drop follows an enter."""
    drag_enter(widget, paths)
    mime = _mime(paths)
    event = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)
    assert event.isAccepted()


def fill_file_dialog(path: str) -> None:
    """When Qt's file dialog opens, type `path` as the file name and accept it."""
    waited = [0]

    def poll():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QFileDialog) and dialog.isVisible():
            name = dialog.findChild(QLineEdit, "fileNameEdit")  # typed, as a user would
            name.setText(path)
            QTest.keyClick(name, Qt.Key.Key_Return)
            return
        waited[0] += 20
        if waited[0] < 10_000:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)
