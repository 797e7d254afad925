"""The main window: saved macros on the left, the step editor on the right.

Edits live in the editor until Save; any way of leaving a macro (choosing another, New,
Rename, closing the window) asks Save / Discard / Cancel first, so nothing is lost silently.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSpinBox,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import InputError
from app.core.files import missing_anchors_warning, read_macro_file, write_macro_file
from app.core.macro import Macro, check_macro_name
from app.core.steps import Step
from app.player.runner import MAX_SPEED, MIN_SPEED, PlayResult, PlaySettings
from app.recorder.session import RecorderSettings, RecordingResult, interrupted, recover
from app.storage.chat import ChatStore
from app.storage.database import database_file
from app.storage.macros import MacroStore
from app.storage.runs import RunStore
from app.ui.chat_dock import ChatDock
from app.ui.macro_files import (
    KEEP_BOTH,
    REPLACE,
    FileChooser,
    ask_name_clash,
    dropped_macro_files,
    free_name,
)
from app.ui.model_runner import ModelRunner, ModelStatusLabel
from app.ui.play_controller import PlayController
from app.ui.preferences import Preferences
from app.ui.record_controller import RecordController
from app.ui.run_failure import RunFailureDialog, split_failure
from app.ui.runs_panel import RunsPanel, local_time
from app.ui.settings_dialog import edit_settings
from app.ui.step_editor import StepEditor
from app.ui.tray import RecordingIndicator
from app.ui.workers import Job

ORGANIZATION = "rpa-assistant"
APPLICATION = "RPA Assistant"
NAME_ROLE = Qt.ItemDataRole.UserRole


class MainWindow(QMainWindow):
    """Lists the macros of a `MacroStore` and edits one at a time."""

    def __init__(
        self, store: MacroStore, settings: QSettings | None = None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.store = store
        self.settings = settings if settings is not None else QSettings(ORGANIZATION, APPLICATION)
        self._macro: Macro | None = None  # the open macro as last loaded or saved
        self.file_chooser = FileChooser()  # import / export file names (a test may replace it)
        self._imports: list[Path] = []  # files waiting to be imported, one at a time
        self._import_job: Job | None = None
        self.setObjectName("main_window")
        self.setWindowTitle(APPLICATION)
        self.setAcceptDrops(True)  # a .txt or .zip dropped anywhere on the window is imported

        # left: search and the saved macros
        self.search = QLineEdit()
        self.search.setObjectName("macro_search")
        self.search.setPlaceholderText("Search macros")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._apply_filter)
        self.search.returnPressed.connect(self._focus_first_match)
        self.macro_list = QListWidget()
        self.macro_list.setObjectName("macro_list")
        self.macro_list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.macro_list.currentItemChanged.connect(self._on_current_item_changed)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(4, 4, 0, 4)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.macro_list)

        # right: which macro, then its steps
        self.macro_label = QLabel()
        self.macro_label.setObjectName("macro_label")
        self.macro_label.setTextFormat(Qt.TextFormat.PlainText)
        self.macro_label.setWordWrap(True)
        self.editor = StepEditor()
        self.editor.modifiedChanged.connect(self._update_title)
        self.editor.message.connect(self._show_message)
        self.editor.model.rowsInserted.connect(self._update_step_count)
        self.editor.model.rowsRemoved.connect(self._update_step_count)
        self.editor.model.modelReset.connect(self._update_step_count)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 4, 4, 4)
        right_layout.addWidget(self.macro_label)
        right_layout.addWidget(self.editor)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([240, 760])
        self.setCentralWidget(self.splitter)  # dock areas stay free for later panels

        self._build_actions()
        self.step_count_label = QLabel()
        self.statusBar().addPermanentWidget(self.step_count_label)

        # Record, play and the run history (app.ui.record_controller, play_controller,
        # runs_panel): the recorder and the player run on worker threads.
        db_path = database_file(store.db)
        self.player = PlayController(db_path, self)
        self.player.armed.connect(self._on_play_armed)
        self.player.step.connect(self._on_play_step)
        self.player.warning.connect(self._show_message)
        self.player.finished.connect(self._on_played)
        self.player.failed.connect(self._on_play_failed)
        self.player.stopped.connect(lambda text: self._show_message(f"Stopped: {text}"))
        self.player.error.connect(lambda text: QMessageBox.warning(self, "Play", text))
        self.player.ended.connect(self._on_play_ended)
        self._playing_in_editor = False
        self._recording_name = ""
        self.failure_view: RunFailureDialog | None = None
        self.recorder = RecordController(db_path, self)
        self.recorder.armed.connect(self._on_record_armed)
        self.recorder.finished.connect(self._on_recorded)
        self.recorder.error.connect(self._on_record_error)
        self.recorder.ended.connect(self._on_record_ended)
        self.recording_indicator = RecordingIndicator()
        self.runs_panel = RunsPanel(RunStore(store.db), self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.runs_panel)
        self.run_menu.addSeparator()
        self.run_menu.addAction(self.runs_panel.toggleViewAction())

        # The assistant: the language model on a worker thread, the chat dock, the model's
        # status and Edit > Settings (app.ui.chat_dock, model_runner, settings_dialog).
        self.model_runner = ModelRunner(Preferences.load(self.settings), parent=self)
        self.chat_dock = ChatDock(store, ChatStore(store.db), self.model_runner, self.editor, self)
        self.chat_dock.macro_saved.connect(lambda _name: self._refresh_list())
        self.chat_dock.run_requested.connect(self._run_chat_steps)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.chat_dock)
        self.model_status_label = ModelStatusLabel(self.model_runner)
        self.statusBar().addPermanentWidget(self.model_status_label)
        self.settings_action = QAction("Settings…", self)
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.open_settings)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.chat_dock.toggleViewAction())
        self.edit_menu.addAction(self.settings_action)

        self._restore_settings()
        self._refresh_list()
        last = self.settings.value("main_window/macro")
        names = self.store.names()
        if isinstance(last, str) and last in names:
            self.open_macro(last)
        elif names:
            self.open_macro(names[0])
        else:
            self._show_macro(None)

    # ------------------------------------------------------------ building

    def _build_actions(self) -> None:
        sp = QStyle.StandardPixmap

        def action(text, theme, standard, tip, keys, slot) -> QAction:
            fallback = self.style().standardIcon(standard) if standard else QIcon()
            act = QAction(QIcon.fromTheme(theme, fallback), text, self)
            act.setShortcuts([QKeySequence(k) for k in keys])
            shown = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            act.setToolTip(f"{tip} ({shown})" if shown else tip)
            act.triggered.connect(slot)
            return act

        self.new_action = action(
            "New",
            "document-new",
            sp.SP_FileIcon,
            "Create an empty macro",
            [QKeySequence.StandardKey.New],
            self.new_macro,
        )
        self.duplicate_macro_action = action(
            "Duplicate",
            "edit-copy",
            None,
            "Save a copy of this macro under a new name",
            [],
            self.duplicate_macro,
        )
        self.rename_action = action(
            "Rename",
            "edit-rename",
            None,
            "Rename this macro (and the steps that run it)",
            ["F2"],
            self.rename_macro,
        )
        self.delete_macro_action = action(
            "Delete",
            "edit-delete",
            sp.SP_TrashIcon,
            "Delete this macro and its run history",
            [QKeySequence.StandardKey.Delete],
            self.delete_macro,
        )
        self.save_action = action(
            "Save",
            "document-save",
            sp.SP_DialogSaveButton,
            "Save the steps",
            [QKeySequence.StandardKey.Save],
            self.save,
        )
        self.import_action = action(
            "Import…",
            "document-open",
            sp.SP_DialogOpenButton,
            "Import macros from .txt or .zip files (or drop the files on the window)",
            ["Ctrl+I"],
            lambda: self.import_files(),
        )
        self.export_action = action(
            "Export…",
            "document-save-as",
            None,
            "Export this macro to a .zip file (steps and images) or a .txt file (steps)",
            ["Ctrl+E"],
            lambda: self.export_macro(),
        )
        self.quit_action = action(
            "Close", "window-close", None, "Close the window", ["Ctrl+Q"], self.close
        )
        macro_actions = [
            self.new_action,
            self.duplicate_macro_action,
            self.rename_action,
            self.delete_macro_action,
        ]
        # F2 and Delete act on the macro only while the list has focus; in the table they
        # edit and delete steps.
        for act in (self.rename_action, self.delete_macro_action):
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.macro_list.addActions(macro_actions)  # its context menu, and F2 / Delete
        self.addAction(self.save_action)
        self.addAction(self.quit_action)
        self.addAction(self.import_action)
        self.addAction(self.export_action)

        _add_actions(
            self.menuBar().addMenu("&Macro"),
            [
                *macro_actions,
                None,
                self.save_action,
                None,
                self.import_action,
                self.export_action,
                None,
                self.quit_action,
            ],
        )
        editor = self.editor
        self.edit_menu = self.menuBar().addMenu("&Edit")
        _add_actions(
            self.edit_menu,
            [
                editor.undo_action,
                editor.redo_action,
                None,
                editor.add_action,
                editor.delete_action,
                editor.duplicate_action,
                editor.move_up_action,
                editor.move_down_action,
            ],
        )

        self.macro_toolbar = self.addToolBar("Macro")
        self.macro_toolbar.setObjectName("macro")
        self.macro_toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        _add_actions(self.macro_toolbar, [*macro_actions, None, self.save_action])
        self.record_action = action(
            "Record",
            "media-record",
            None,
            "Record a new macro: do the task, then press the stop hotkey",
            ["Ctrl+R"],
            self.record_macro,
        )
        self.play_action = action(
            "Play",
            "media-playback-start",
            sp.SP_MediaPlay,
            "Play the steps in the editor",
            ["F5"],
            self.play,
        )
        self.stop_action = action(
            "Stop",
            "media-playback-stop",
            sp.SP_MediaStop,
            "Stop playing or recording (the stop hotkey works too)",
            ["Esc"],
            self.stop,
        )
        self.stop_action.setEnabled(False)  # so Esc is the editor's until something runs
        self.speed = QDoubleSpinBox()
        self.speed.setObjectName("play_speed")
        self.speed.setRange(MIN_SPEED, MAX_SPEED)
        self.speed.setSingleStep(0.25)
        self.speed.setValue(1.0)
        self.speed.setSuffix("×")
        self.speed.setToolTip("How fast to play: waits are divided by this")
        self.times = QSpinBox()
        self.times.setObjectName("play_times")
        self.times.setRange(1, 1000)
        self.times.setSuffix(" times")
        self.times.setToolTip("Play the macro this many times")
        self.from_selected = QCheckBox("From the selected step")
        self.from_selected.setObjectName("play_from_selected")
        self.from_selected.setToolTip("Start at the first selected step instead of step 1")
        self.run_toolbar = self.addToolBar("Run")
        self.run_toolbar.setObjectName("run")
        self.run_toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        run_actions = [self.record_action, self.play_action, self.stop_action]
        _add_actions(self.run_toolbar, [*run_actions, None])
        for widget in (QLabel("Speed "), self.speed, QLabel(" Repeat "), self.times):
            self.run_toolbar.addWidget(widget)
        self.run_toolbar.addWidget(self.from_selected)
        self.run_menu = self.menuBar().addMenu("&Run")
        _add_actions(self.run_menu, run_actions)

    # ------------------------------------------------------------ the macro list

    def _refresh_list(self) -> None:
        """Rebuild the list from the store, keeping the open macro selected."""
        current = self.current_name()
        self.macro_list.blockSignals(True)
        try:
            self.macro_list.clear()
            for summary in self.store.summaries():
                item = QListWidgetItem(summary.name)
                item.setData(NAME_ROLE, summary.name)
                tip = f"{summary.name}\n{_count(summary.steps, 'step')}, saved {summary.updated}"
                if summary.description:
                    tip += "\n" + summary.description
                item.setToolTip(tip)
                item.setData(Qt.ItemDataRole.UserRole + 1, summary.description)
                self.macro_list.addItem(item)
                if summary.name == current:
                    self.macro_list.setCurrentItem(item)
        finally:
            self.macro_list.blockSignals(False)
        self._apply_filter(self.search.text())
        self.statusBar().showMessage(f"{self.macro_list.count()} macros", 3000)

    def _item(self, name: str | None) -> QListWidgetItem | None:
        for row in range(self.macro_list.count()):
            item = self.macro_list.item(row)
            if item.data(NAME_ROLE) == name:
                return item
        return None

    def _select_item(self, name: str | None) -> None:
        """Mark `name` current in the list without the switching logic."""
        self.macro_list.blockSignals(True)
        try:
            item = self._item(name)
            if item is None:
                self.macro_list.setCurrentRow(-1)
            else:
                self.macro_list.setCurrentItem(item)
        finally:
            self.macro_list.blockSignals(False)

    def _apply_filter(self, text: str) -> None:
        """Show the macros whose name or description holds the search text (any case)."""
        needle = text.strip().casefold()
        for row in range(self.macro_list.count()):
            item = self.macro_list.item(row)
            haystack = f"{item.text()}\n{item.data(Qt.ItemDataRole.UserRole + 1) or ''}"
            item.setHidden(bool(needle) and needle not in haystack.casefold())

    def visible_names(self) -> list[str]:
        return [
            self.macro_list.item(r).text()
            for r in range(self.macro_list.count())
            if not self.macro_list.item(r).isHidden()
        ]

    def _focus_first_match(self) -> None:
        for row in range(self.macro_list.count()):
            item = self.macro_list.item(row)
            if not item.isHidden():
                self.macro_list.setFocus()
                self.macro_list.setCurrentItem(item)
                return

    def _on_current_item_changed(self, current, previous) -> None:
        name = current.data(NAME_ROLE) if current is not None else None
        if name is None or name == self.current_name():
            return
        if not self.maybe_save():
            self._select_item(self.current_name())  # stay on the macro with the edits
            return
        self.open_macro(name)

    # ------------------------------------------------------------ opening and saving

    def current_name(self) -> str | None:
        return self._macro.name if self._macro is not None else None

    def open_macro(self, name: str) -> bool:
        """Load `name` into the editor (callers have dealt with unsaved edits)."""
        try:
            macro = self.store.load(name)
        except InputError as bad:
            QMessageBox.warning(self, "Open macro", str(bad))
            self._select_item(self.current_name())
            return False
        self._show_macro(macro)
        self._show_message(f"Opened {name!r}")
        return True

    def _macro_actions(self) -> tuple[QAction, ...]:
        """The actions that need an open macro."""
        return (
            self.duplicate_macro_action,
            self.rename_action,
            self.delete_macro_action,
            self.save_action,
            self.export_action,
            self.play_action,
        )

    def _show_macro(self, macro: Macro | None) -> None:
        self._macro = macro
        self.editor.set_steps(macro.steps if macro else [])
        self.editor.model.set_anchor_images({a.id: a.png for a in macro.anchors} if macro else {})
        self.editor.setEnabled(macro is not None)
        for act in self._macro_actions():
            act.setEnabled(macro is not None)
        self.runs_panel.set_macro(macro.name if macro else None)
        if macro is None:
            self.macro_label.setText("No macro open: choose one on the left, or press New.")
        else:
            label = macro.name
            if macro.description:
                label += " — " + macro.description
            self.macro_label.setText(label)
        self._select_item(self.current_name())
        self._update_title()
        self._update_step_count()

    def save(self) -> bool:
        """Store the edited steps, keeping the macro's description, screen and anchors."""
        if self._macro is None:
            return False
        if not self.editor.commit_text():
            self._show_message("Not saved: fix the error in the text first")
            return False
        macro = dataclasses.replace(self._macro, steps=tuple(self.editor.steps()))
        try:
            self.store.save(macro)
        except InputError as bad:
            QMessageBox.warning(self, "Save macro", str(bad))
            return False
        self._macro = macro
        self.editor.mark_saved()
        self._refresh_list()
        self._update_title()
        self._show_message(f"Saved {macro.name!r} ({_count(len(macro.steps), 'step')})")
        return True

    def maybe_save(self) -> bool:
        """Before leaving the open macro: True to go on (saved or discarded), False to stay."""
        if self._macro is None or not self.editor.is_modified():
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            f"The macro {self._macro.name!r} has changes that are not saved.\n"
            "Save them before going on?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.editor.set_steps(self._macro.steps)
            return True
        return False

    # ------------------------------------------------------------ macro actions

    def _ask_name(self, title: str, label: str, text: str = "") -> str | None:
        name, ok = QInputDialog.getText(self, title, label, QLineEdit.EchoMode.Normal, text)
        if not ok:
            return None
        name = name.strip()
        try:
            check_macro_name(name)
        except InputError as bad:
            QMessageBox.warning(self, title, str(bad))
            return None
        return name

    def _reveal(self, name: str) -> None:
        """Clear the search if it would hide `name`."""
        item = self._item(name)
        if item is not None and item.isHidden():
            self.search.clear()

    def new_macro(self) -> None:
        if not self.maybe_save():
            return
        name = self._ask_name("New macro", "Name of the new macro:")
        if name is None:
            return
        try:
            self.store.save(Macro(name), replace=False)
        except InputError as bad:
            QMessageBox.warning(self, "New macro", str(bad))
            return
        self._refresh_list()
        self._reveal(name)
        self.open_macro(name)
        self.editor.table.setFocus()

    def duplicate_macro(self) -> None:
        if self._macro is None or not self.maybe_save():
            return
        name = self._ask_name("Duplicate macro", "Name of the copy:", self._free_copy_name())
        if name is None:
            return
        try:
            original = self.store.load(self._macro.name)
            self.store.save(dataclasses.replace(original, name=name), replace=False)
        except InputError as bad:
            QMessageBox.warning(self, "Duplicate macro", str(bad))
            return
        self._refresh_list()
        self._reveal(name)
        self.open_macro(name)

    def _free_copy_name(self) -> str:
        base = f"{self.current_name()} (copy)"
        names = set(self.store.names())
        name, n = base, 2
        while name in names:
            name, n = f"{self.current_name()} (copy {n})", n + 1
        return name

    def rename_macro(self) -> None:
        if self._macro is None or not self.maybe_save():
            return
        old = self._macro.name
        new = self._ask_name("Rename macro", f"New name for {old!r}:", old)
        if new is None or new == old:
            return
        try:
            changed = self.store.rename(old, new)
        except InputError as bad:  # MacroExists, UnknownMacro
            QMessageBox.warning(self, "Rename macro", str(bad))
            return
        self._macro = None  # the stored macro is the truth now (its run steps may have changed)
        self._refresh_list()
        self._reveal(new)
        self.open_macro(new)
        note = f"; {_count(changed, 'step')} that run it updated" if changed else ""
        self._show_message(f"Renamed {old!r} to {new!r}{note}")

    def delete_macro(self) -> None:
        if self._macro is None:
            return
        name = self._macro.name
        callers = self.store.callers(name)
        text = f"Delete the macro {name!r} and its run history?\nThis cannot be undone."
        if callers:
            text += "\n\nThese macros run it and will fail at that step: " + ", ".join(callers)
        answer = QMessageBox.question(
            self,
            "Delete macro",
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        row = self.macro_list.row(self._item(name))
        try:
            self.store.delete(name)
        except InputError as bad:
            QMessageBox.warning(self, "Delete macro", str(bad))
            return
        self._macro = None
        self._refresh_list()
        names = self.visible_names() or self.store.names()
        if names:
            self.open_macro(names[min(max(row, 0), len(names) - 1)])
        else:
            self._show_macro(None)
        self._show_message(f"Deleted {name!r}")

    # ------------------------------------------------------------ import and export

    def import_files(self, paths: list[Path] | None = None) -> None:
        """Import macro files (asking for them when `paths` is None), one after the other.

        Each file is read and checked on a worker thread (a zip may be large); nothing is
        stored unless the whole file is valid, and a name that is taken is asked about.
        """
        if paths is None:
            paths = self.file_chooser.open_paths(self)
        self._imports.extend(Path(p) for p in paths)
        self._import_next()

    def importing(self) -> bool:
        return self._import_job is not None or bool(self._imports)

    def _import_next(self) -> None:
        if self._import_job is not None or not self._imports:
            return
        path = self._imports.pop(0)
        self._show_message(f"Reading {path.name}…")
        job = Job(lambda report: read_macro_file(path), "import", self)
        job.finished.connect(lambda macro: self._store_import(path, macro))
        job.failed.connect(lambda error: self._import_failed(path, error))
        job.done.connect(self._import_done)
        self._import_job = job.start()

    def _import_done(self) -> None:
        self._import_job = None
        self._import_next()

    def _import_failed(self, path: Path, error: BaseException) -> None:
        message = str(error) if isinstance(error, InputError) else f"{path}: {error}"
        QMessageBox.warning(self, "Import macro", f"Nothing was imported.\n\n{message}")
        self._show_message(f"Not imported: {message}")

    def _store_import(self, path: Path, macro: Macro) -> None:
        replace = False
        if self.store.exists(macro.name):
            other = free_name(macro.name, self.store.names())
            answer = ask_name_clash(self, macro.name, other)
            if answer == KEEP_BOTH:
                macro = dataclasses.replace(macro, name=other)
            elif answer == REPLACE:
                replace = True
            else:
                self._show_message(f"Not imported: {path.name}")
                return
        if not self.maybe_save():  # the imported macro opens in the editor
            self._show_message(f"Not imported: {path.name}")
            return
        try:
            self.store.save(macro, replace=replace)
        except InputError as bad:
            QMessageBox.warning(self, "Import macro", str(bad))
            return
        self._macro = None  # a replaced open macro is reloaded from the store
        self._refresh_list()
        self._reveal(macro.name)
        self.open_macro(macro.name)
        anchors = f", {_count(len(macro.anchors), 'image')}" if macro.anchors else ""
        text = f"Imported {macro.name!r}: {_count(len(macro.steps), 'step')}{anchors}"
        warning = missing_anchors_warning(macro, str(path))
        if warning:
            QMessageBox.warning(self, "Import macro", f"{text}.\n\n{warning}")
        self._show_message(text)

    def export_macro(self, path: Path | None = None) -> bool:
        """Write the open macro, as saved, to a .zip (with its images) or .txt file."""
        if self._macro is None or not self.maybe_save():
            return False
        macro = self.store.load(self._macro.name)
        if path is None:
            suffix = ".zip" if macro.anchors else ".txt"
            path = self.file_chooser.save_path(self, macro.name + suffix, bool(macro.anchors))
            if path is None:
                return False
        try:
            # the file dialog has asked before overwriting
            warnings = write_macro_file(macro, path, overwrite=True)
        except InputError as bad:
            QMessageBox.warning(self, "Export macro", f"Nothing was exported.\n\n{bad}")
            return False
        text = f"Exported {macro.name!r} to {path}: {_count(len(macro.steps), 'step')}"
        if warnings:
            QMessageBox.warning(self, "Export macro", "\n\n".join([text, *warnings]))
        self._show_message(text)
        return True

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_macro_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        if dropped_macro_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = dropped_macro_files(event.mimeData())
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.import_files(paths)

    # ------------------------------------------------------------ record, play, stop

    def busy(self) -> bool:
        """True while a macro plays, a recording runs or a file is being imported."""
        return self.player.is_running() or self.recorder.is_running() or self.importing()

    def _set_running(self, running: bool) -> None:
        """While something runs, the macros cannot change under it; only Stop is on."""
        self.splitter.setEnabled(not running)
        for act in (self.new_action, self.import_action, self.record_action):
            act.setEnabled(not running)
        for act in self._macro_actions():
            act.setEnabled(not running and self._macro is not None)
        self.stop_action.setEnabled(running)
        self.editor.show_images(not running)

    def stop(self) -> None:
        """Stop the run or the recording (a recording is saved, as with its hotkey)."""
        if self.player.is_running():
            self.player.stop()
        if self.recorder.is_running():
            self.recorder.stop()

    def _play_settings(self) -> PlaySettings:
        prefs = Preferences.load(self.settings)
        return PlaySettings(
            speed=self.speed.value(),
            times=self.times.value(),
            confidence=prefs.confidence,
            abort_hotkey=prefs.abort_keys,
        )

    def play(self) -> bool:
        """Play the steps in the editor, unsaved edits included: what you see is what runs.

        The run is filed under the open macro; its images and nested `run` steps come from
        the store. Returns False if nothing could start.
        """
        if self._macro is None or self.busy():
            return False
        if not self.editor.commit_text():
            self._show_message("Not played: fix the error in the text first")
            return False
        steps = self.editor.steps()
        if not steps:
            self._show_message("Nothing to play: the macro has no steps")
            return False
        first = 0
        rows = self.editor.selected_rows()
        if self.from_selected.isChecked() and rows:
            first = rows[0]
        macro = dataclasses.replace(self._macro, steps=tuple(steps))
        self._start_play(macro, first, saved=True, in_editor=True)
        return True

    def play_steps(self, steps: list[Step], name: str | None = None) -> bool:
        """Play steps that are not a saved macro, such as the chat's generated ones.

        They run with the toolbar's speed and repeat count; the run history files them
        under `name` (default "Chat") with no macro id. Returns False if something is
        already running (nothing starts then).
        """
        if self.busy() or not steps:
            return False
        macro = Macro(name or "Chat", tuple(steps))
        self._start_play(macro, 0, saved=False, in_editor=False)
        return True

    def _run_chat_steps(self, steps: list[Step]) -> None:
        if not self.play_steps(steps):
            self._show_message("Not run: wait until the current run or recording ends")

    def _start_play(self, macro: Macro, first: int, saved: bool, in_editor: bool) -> None:
        settings = self._play_settings()
        self._playing_in_editor = in_editor
        self._set_running(True)
        self.player.play(macro, settings, first, saved)
        keys = "+".join(settings.abort_hotkey)
        self._show_message(f"Playing {macro.name!r}… press {keys} or Esc to stop")

    def _on_play_armed(self) -> None:
        self.statusBar().showMessage(f"Playing {self.player.macro.name!r}…")

    def _on_play_step(self, position: int) -> None:
        if self._playing_in_editor:
            self.editor.model.set_active_row(position)
            self.editor.table.scrollTo(self.editor.model.index(position, 0))

    def _on_played(self, result: PlayResult) -> None:
        warned = f"; {_count(len(result.warnings), 'warning')}" if result.warnings else ""
        self._show_message(
            f"Played {self.player.macro.name!r}: {_count(result.steps, 'step')} in "
            f"{result.seconds:.1f} s{warned}"
        )

    def _on_play_failed(self, error: str) -> None:
        """Show which step failed, why, and the screen at that moment (kept with the run)."""
        runs = RunStore(self.store.db)
        latest = runs.summaries(self.player.macro.name, 1)
        screenshot = runs.failure_screenshot(latest[0].id) if latest else None
        if self._playing_in_editor:
            step, _ = split_failure(error)
            number = step.removeprefix("Step ").partition(":")[0]
            if number.isdigit():
                self.editor.select_rows([int(number) - 1])
        self._show_message(f"Failed: {error}")
        if self.failure_view is not None:
            self.failure_view.close()
        self.failure_view = RunFailureDialog(error, screenshot, self)
        self.failure_view.open()

    def _on_play_ended(self) -> None:
        self.editor.model.set_active_row(None)
        self._set_running(False)
        self.runs_panel.refresh()

    def record_macro(self) -> bool:
        """Ask for a name, get out of the way and record until the stop hotkey.

        The recorder is the command line's (`record`); the new macro opens in the editor,
        already saved. Returns False if no recording started.
        """
        if self.busy() or not self.maybe_save():
            return False
        name = self._ask_name(
            "Record macro", "Name of the new macro:", free_name("Recording", self.store.names())
        )
        if name is None:
            return False
        if self.store.exists(name):
            QMessageBox.warning(
                self, "Record macro", f"a macro named {name!r} already exists; choose another name"
            )
            return False
        prefs = Preferences.load(self.settings)
        settings = RecorderSettings(stop_hotkey=prefs.stop_keys, secret_hotkey=prefs.secret_keys)
        self._set_running(True)
        self.recording_indicator.show(name, prefs.stop_hotkey)
        self.showMinimized()  # out of the way of the task being recorded
        self.recorder.record(name, settings)
        self._recording_name = name
        return True

    def _on_record_armed(self) -> None:
        self.statusBar().showMessage(f"Recording {self._recording_name!r}…")

    def _come_back(self) -> None:
        self.recording_indicator.hide()
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def _on_recorded(self, result: RecordingResult) -> None:
        self._come_back()
        name = result.macro.name
        self._macro = None  # nothing was open for editing while recording
        self._refresh_list()
        self._reveal(name)
        self.open_macro(name)
        self._show_message(f"Saved {name!r}: {_count(len(result.macro.steps), 'step')}")
        notes = list(result.notes)
        notes += [
            f"The macro types the secret {secret!r}: store it in the system keyring to replay"
            for secret in result.secrets
        ]
        if notes:
            QMessageBox.information(self, "Recorded", "\n".join(notes))

    def _on_record_error(self, error: str) -> None:
        self._come_back()
        QMessageBox.warning(self, "Record macro", f"Nothing was recorded.\n\n{error}")

    def _on_record_ended(self) -> None:
        self.recording_indicator.hide()
        self._set_running(False)

    def offer_recovery(self) -> list[str]:
        """At start: offer to turn recordings cut short by a crash into macros.

        Declined ones are offered again next time. Returns the names of recovered macros.
        """
        db_path = database_file(self.store.db)
        recovered: list[str] = []
        for info in interrupted(db_path):
            answer = QMessageBox.question(
                self,
                "Recover a recording",
                f"The recording {info.name!r} (started {local_time(info.started)}, "
                f"{_count(info.events, 'event')}) was interrupted before it was saved.\n"
                "Recover it into a macro now?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes,
            )
            if answer != QMessageBox.StandardButton.Yes:
                continue
            macro, notes = recover(db_path, info)
            recovered.append(macro.name)
            if notes:
                QMessageBox.information(self, "Recover a recording", "\n".join(notes))
        if recovered and self.maybe_save():
            self._refresh_list()
            self._reveal(recovered[-1])
            self.open_macro(recovered[-1])
            self._show_message(f"Recovered {', '.join(map(repr, recovered))}")
        return recovered

    def _finish_work(self) -> None:
        """Before the window goes: stop what runs (a recording is saved) and let it end."""
        self.stop()
        for work in (self.player, self.recorder):
            work.wait()
        if self._import_job is not None:
            self._import_job.wait()
        self.recording_indicator.close()

    # ------------------------------------------------------------ window state

    def _update_title(self, *_args) -> None:
        name = self.current_name()
        self.setWindowTitle(f"{name}[*] — {APPLICATION}" if name else APPLICATION)
        self.setWindowModified(bool(name) and self.editor.is_modified())

    def _update_step_count(self, *_args) -> None:
        if self._macro is None:
            self.step_count_label.clear()
            return
        self.step_count_label.setText(_count(self.editor.model.rowCount(), "step"))

    def _show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _restore_settings(self) -> None:
        geometry = self.settings.value("main_window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1000, 640)
        state = self.settings.value("main_window/state")
        if state is not None:
            self.restoreState(state)
        splitter = self.settings.value("main_window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def _save_settings(self) -> None:
        self.settings.setValue("main_window/geometry", self.saveGeometry())
        self.settings.setValue("main_window/state", self.saveState())
        self.settings.setValue("main_window/splitter", self.splitter.saveState())
        if self.current_name():
            self.settings.setValue("main_window/macro", self.current_name())
        self.settings.sync()

    def open_settings(self) -> None:
        database = str(database_file(self.store.db))
        if edit_settings(self, self.settings, self.model_runner, database):
            self._show_message("Settings saved")

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        self._finish_work()
        self._save_settings()
        self.model_runner.wait()  # a question in progress ends first
        event.accept()


def _add_actions(widget, actions: list[QAction | None]) -> None:
    """Add actions to a menu or tool bar; None is a separator."""
    for act in actions:
        if act is None:
            widget.addSeparator()
        else:
            widget.addAction(act)


def _count(n: int, noun: str) -> str:
    return f"1 {noun}" if n == 1 else f"{n} {noun}s"
