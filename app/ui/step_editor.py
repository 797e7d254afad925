"""The step editor: a table of steps and the same steps as text, sharing one undo history."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QItemSelectionModel, QPersistentModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QFontDatabase,
    QIcon,
    QKeySequence,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QTableView,
    QTabWidget,
    QTextEdit,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import StepSyntaxError
from app.core.language import format_steps, parse_steps
from app.core.steps import Step, Wait
from app.ui.step_model import (
    COL_DETAILS,
    COL_IMAGE,
    COL_NUMBER,
    COL_STEP,
    THUMBNAIL_SIZE,
    StepTableModel,
)

ERROR_BACKGROUND = QColor(255, 205, 205)
ERROR_STYLE = "color: #b00020;"
NEW_STEP = Wait(1.0)  # what Add inserts, ready to be typed over


class StepDelegate(QStyledItemDelegate):
    """Edits a cell in a line edit; a refused edit reopens with the text the user typed.

    The "Step" column edits the whole line, so its editor spans the "Details" column too.
    """

    def __init__(self, view: QTableView):
        super().__init__(view)
        self._view = view
        self._retry: tuple[QPersistentModelIndex, str, int] | None = None

    def createEditor(self, parent, option, index):
        editor = QLineEdit(parent)
        editor.setFrame(False)
        return editor

    def setEditorData(self, editor, index):
        retry, self._retry = self._retry, None
        if retry is not None and QPersistentModelIndex(index) == retry[0]:
            editor.setText(retry[1])
            editor.setCursorPosition(retry[2])
        else:
            editor.setText(index.data(Qt.ItemDataRole.EditRole) or "")

    def setModelData(self, editor, model, index):
        text = editor.text()
        if text == index.data(Qt.ItemDataRole.EditRole):
            return
        errors: list[str] = []

        def note(message: str) -> None:
            errors.append(message)

        model.validationFailed.connect(note)
        try:
            accepted = model.setData(index, text, Qt.ItemDataRole.EditRole)
        finally:
            model.validationFailed.disconnect(note)
        if not accepted:
            # Keep what was typed: reopen the editor on it once this one has closed.
            self._retry = (QPersistentModelIndex(index), text, _error_position(errors))
            QTimer.singleShot(0, partial(self._reopen, QPersistentModelIndex(index)))

    def _reopen(self, index: QPersistentModelIndex) -> None:
        if index.isValid() and self._view.isVisible():
            self._view.setCurrentIndex(self._view.model().index(index.row(), index.column()))
            self._view.edit(self._view.currentIndex())
        else:
            self._retry = None

    def updateEditorGeometry(self, editor, option, index):
        rect = option.rect
        if index.column() == COL_STEP:
            rect = rect.united(self._view.visualRect(index.siblingAtColumn(COL_DETAILS)))
        editor.setGeometry(rect)


def _error_position(errors: list[str]) -> int:
    """The cursor position (0-based) for "step N, col C: ..." messages; 0 if none."""
    for message in errors:
        head, _, _ = message.partition(":")
        _, _, col = head.partition(", col ")
        if col.isdigit():
            return int(col) - 1
    return 0


class StepEditor(QWidget):
    """A "Steps" tab (a table with actions) and a "Text" tab (the step language).

    Text edits are applied when the user presses Apply or leaves the tab; a parse error
    keeps the user on the tab with the line highlighted and "line L, col C: ..." shown.
    """

    modifiedChanged = Signal(bool)  # unsaved steps, or unapplied text
    message = Signal(str)  # a short note for a status bar

    STEPS_TAB, TEXT_TAB = 0, 1

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = StepTableModel(parent=self)
        self._shown_text = ""  # what the text tab showed when last filled from the model
        self._modified = False
        self._reverting_tab = False

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._build_steps_page(), "Steps")
        self.tabs.addTab(self._build_text_page(), "Text")
        self._last_tab = self.tabs.currentIndex()
        self.tabs.currentChanged.connect(self._on_tab_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.model.validationFailed.connect(self._on_validation_failed)
        self.model.dirtyChanged.connect(self._update_modified)
        for signal in (
            self.model.modelReset,
            self.model.rowsInserted,
            self.model.rowsRemoved,
            self.model.layoutChanged,
            self.model.dataChanged,
        ):
            signal.connect(self._on_model_changed)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self._update_actions()

    # ------------------------------------------------------------ building

    def _build_steps_page(self) -> QWidget:
        page = QWidget()
        self.steps_page = page
        self.table = QTableView(page)
        self.table.setObjectName("steps")
        self.table.setModel(self.model)
        self.table.setItemDelegate(StepDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        row_height = max(self.fontMetrics().height() + 8, THUMBNAIL_SIZE + 4)
        self.table.verticalHeader().setDefaultSectionSize(row_height)
        self.table.setIconSize(QSize(THUMBNAIL_SIZE, THUMBNAIL_SIZE))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_NUMBER, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_STEP, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_DETAILS, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_IMAGE, QHeaderView.ResizeMode.ResizeToContents)
        # Drag rows to reorder them; the model turns a drop into one undoable move.
        self.table.setDragEnabled(True)
        self.table.setAcceptDrops(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.table.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.table.setDragDropOverwriteMode(False)
        self.table.setDropIndicatorShown(True)

        sp = QStyle.StandardPixmap
        self.add_action = self._action(
            "Add", "list-add", None, "Add a step after the selected one", ["Insert"], self.add_step
        )
        self.delete_action = self._action(
            "Delete",
            "edit-delete",
            sp.SP_TrashIcon,
            "Delete the selected steps",
            [QKeySequence.StandardKey.Delete],
            self.delete_selected,
        )
        self.duplicate_action = self._action(
            "Duplicate",
            "edit-copy",
            None,
            "Copy the selected steps below them",
            ["Ctrl+D"],
            self.duplicate_selected,
        )
        self.move_up_action = self._action(
            "Move up",
            "go-up",
            sp.SP_ArrowUp,
            "Move the selected steps up",
            ["Ctrl+Up"],
            lambda: self.move_selected(-1),
        )
        self.move_down_action = self._action(
            "Move down",
            "go-down",
            sp.SP_ArrowDown,
            "Move the selected steps down",
            ["Ctrl+Down"],
            lambda: self.move_selected(1),
        )
        self.edit_actions = (
            self.add_action,
            self.delete_action,
            self.duplicate_action,
            self.move_up_action,
            self.move_down_action,
        )
        for action in self.edit_actions:
            # Only while the table has focus: Delete or Ctrl+D mean other things elsewhere.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            page.addAction(action)

        # Own actions rather than createUndoAction(): their text stays "Undo" / "Redo" (the
        # tool bar keeps its width) and the tooltip names what would be undone.
        stack = self.model.undo_stack
        self.undo_action = self._action(
            "Undo", "edit-undo", sp.SP_ArrowBack, "", ["Ctrl+Z"], stack.undo
        )
        self.redo_action = self._action(
            "Redo", "edit-redo", sp.SP_ArrowForward, "", ["Ctrl+Shift+Z", "Ctrl+Y"], stack.redo
        )
        for action in (self.undo_action, self.redo_action):
            # Text fields keep their own Ctrl+Z (they claim it first), so this is window-wide.
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)
        stack.canUndoChanged.connect(self._update_undo_actions)
        stack.canRedoChanged.connect(self._update_undo_actions)
        stack.undoTextChanged.connect(self._update_undo_actions)
        stack.redoTextChanged.connect(self._update_undo_actions)
        self._update_undo_actions()

        self.toolbar = QToolBar("Steps", page)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in self.edit_actions:
            self.toolbar.addAction(action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.undo_action)
        self.toolbar.addAction(self.redo_action)

        self.table_error = QLabel(page)
        self.table_error.setObjectName("table_error")
        self.table_error.setStyleSheet(ERROR_STYLE)
        self.table_error.setWordWrap(True)
        self.table_error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table_error.hide()

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.table)
        layout.addWidget(self.table_error)
        return page

    def _build_text_page(self) -> QWidget:
        page = QWidget()
        self.text_page = page
        self.text_edit = QPlainTextEdit(page)
        self.text_edit.setObjectName("steps_text")
        self.text_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.textChanged.connect(self._update_modified)

        self.apply_button = QPushButton("Apply", page)
        self.apply_button.setToolTip("Check the text and make it the steps (Ctrl+Return)")
        self.apply_button.clicked.connect(self.apply_text)
        apply_shortcut = QAction(page)
        apply_shortcut.setShortcut(QKeySequence("Ctrl+Return"))
        apply_shortcut.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        apply_shortcut.triggered.connect(self.apply_text)
        page.addAction(apply_shortcut)
        self.revert_button = QPushButton("Revert", page)
        self.revert_button.setToolTip("Throw away the text edits and show the steps again")
        self.revert_button.clicked.connect(self.revert_text)

        self.text_error = QLabel(page)
        self.text_error.setObjectName("text_error")
        self.text_error.setStyleSheet(ERROR_STYLE)
        self.text_error.setWordWrap(True)
        self.text_error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QHBoxLayout()
        buttons.addWidget(self.text_error, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.apply_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text_edit)
        layout.addLayout(buttons)
        return page

    def _action(self, text, theme, standard, tip, keys, slot) -> QAction:
        fallback = self.style().standardIcon(standard) if standard is not None else QIcon()
        action = QAction(QIcon.fromTheme(theme, fallback), text, self)
        action.setShortcuts([QKeySequence(k) for k in keys])
        _tooltip(action, tip)
        action.triggered.connect(slot)
        return action

    # ------------------------------------------------------------ public interface

    def set_steps(self, steps: list[Step] | tuple[Step, ...]) -> None:
        """Show a freshly loaded macro: no history, nothing modified."""
        self.model.set_steps(steps)
        self._fill_text()
        self._clear_errors()
        self._update_modified()

    def show_images(self, visible: bool) -> None:
        """Show or hide the anchor pictures, painted at once.

        They are hidden while a macro plays: the player searches the whole screen for its
        anchors, and must not find one in this table instead of in the application.
        """
        self.table.setColumnHidden(COL_IMAGE, not visible)
        self.table.viewport().repaint()

    def steps(self) -> list[Step]:
        return self.model.steps()

    def is_modified(self) -> bool:
        return self.model.dirty or self.has_unapplied_text()

    def has_unapplied_text(self) -> bool:
        return self.text_edit.toPlainText() != self._shown_text

    def commit_text(self) -> bool:
        """Apply pending text edits (before a save); False, and the error shown, if invalid."""
        if not self.has_unapplied_text():
            return True
        if self.apply_text():
            return True
        self.tabs.setCurrentIndex(self.TEXT_TAB)
        return False

    def mark_saved(self) -> None:
        self.model.mark_saved()
        self._update_modified()

    def selected_rows(self) -> list[int]:
        rows = {i.row() for i in self.table.selectionModel().selectedIndexes()}
        return sorted(rows)

    def select_rows(self, rows: list[int]) -> None:
        selection = self.table.selectionModel()
        flag = QItemSelectionModel.SelectionFlag
        selection.clearSelection()
        for row in rows:
            selection.select(self.model.index(row, 0), flag.Select | flag.Rows)
        if rows:
            current = self.model.index(rows[0], COL_STEP)
            selection.setCurrentIndex(current, flag.NoUpdate)
            self.table.scrollTo(current)

    # ------------------------------------------------------------ steps tab actions

    def add_step(self) -> None:
        rows = self.selected_rows()
        row = rows[-1] + 1 if rows else self.model.rowCount()
        self.model.insert_steps(row, [NEW_STEP])
        self.select_rows([row])
        self.table.setFocus()
        self.table.edit(self.model.index(row, COL_STEP))

    def delete_selected(self) -> None:
        rows = self.selected_rows()
        if not rows:
            return
        self.model.delete_rows(rows)
        if self.model.rowCount():
            self.select_rows([min(rows[0], self.model.rowCount() - 1)])
        self.message.emit("Deleted 1 step" if len(rows) == 1 else f"Deleted {len(rows)} steps")

    def duplicate_selected(self) -> None:
        copies = self.model.duplicate_rows(self.selected_rows())
        self.select_rows(copies)

    def move_selected(self, delta: int) -> None:
        self.model.move_rows(self.selected_rows(), delta)  # the selection moves with the rows
        rows = self.selected_rows()
        if rows:
            self.table.scrollTo(self.model.index(rows[0], COL_STEP))
        self._update_actions()

    def _update_actions(self, *_args) -> None:
        rows = self.selected_rows()
        self.delete_action.setEnabled(bool(rows))
        self.duplicate_action.setEnabled(bool(rows))
        self.move_up_action.setEnabled(self.model.can_move(rows, -1))
        self.move_down_action.setEnabled(self.model.can_move(rows, 1))

    def _update_undo_actions(self, *_args) -> None:
        stack = self.model.undo_stack
        for action, what, can, text in (
            (self.undo_action, "Undo", stack.canUndo(), stack.undoText()),
            (self.redo_action, "Redo", stack.canRedo(), stack.redoText()),
        ):
            action.setEnabled(can)
            _tooltip(action, f"{what}: {text.lower()}" if can else f"Nothing to {what.lower()}")

    def _on_validation_failed(self, message: str) -> None:
        self.table_error.setText(message)
        self.table_error.show()
        self.message.emit(message)

    def _on_model_changed(self, *_args) -> None:
        self.table_error.hide()
        self.table_error.clear()
        if not self.has_unapplied_text():
            self._fill_text()
        self._update_actions()

    # ------------------------------------------------------------ text tab

    def apply_text(self) -> bool:
        """Parse the whole text; on success it replaces the steps as one undoable change."""
        try:
            steps = parse_steps(self.text_edit.toPlainText())
        except StepSyntaxError as bad:
            self._show_text_error(bad)
            return False
        changed = self.model.replace_steps(steps)
        self._fill_text()
        self._clear_errors()
        self.message.emit("Applied the text" if changed else "The text matches the steps")
        return True

    def revert_text(self) -> None:
        self._fill_text()
        self._clear_errors()

    def _fill_text(self) -> None:
        text = format_steps(self.model.steps())
        self._shown_text = text
        if self.text_edit.toPlainText() != text:
            self.text_edit.setPlainText(text)
        self._update_modified()

    def _show_text_error(self, bad: StepSyntaxError) -> None:
        self.text_error.setText(str(bad))
        document = self.text_edit.document()
        block = document.findBlockByNumber(bad.line - 1)
        selection = QTextEdit.ExtraSelection()
        selection.format.setBackground(ERROR_BACKGROUND)
        selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        selection.cursor = QTextCursor(block)
        self.text_edit.setExtraSelections([selection])
        cursor = QTextCursor(block)
        cursor.movePosition(
            QTextCursor.MoveOperation.Right,
            QTextCursor.MoveMode.MoveAnchor,
            max(0, min(bad.col - 1, block.length() - 1)),
        )
        self.text_edit.setTextCursor(cursor)
        self.text_edit.setFocus()
        self.message.emit(str(bad))

    def _clear_errors(self) -> None:
        self.text_error.clear()
        self.text_edit.setExtraSelections([])
        self.table_error.hide()
        self.table_error.clear()

    def _on_tab_changed(self, index: int) -> None:
        previous, self._last_tab = self._last_tab, index
        if self._reverting_tab:
            return
        if previous == self.TEXT_TAB and self.has_unapplied_text() and not self.apply_text():
            # The text does not parse: stay, so the edits are neither lost nor half-applied.
            self._reverting_tab = True
            try:
                self.tabs.setCurrentIndex(self.TEXT_TAB)
            finally:
                self._reverting_tab = False
            self._last_tab = self.TEXT_TAB
            return
        if index == self.TEXT_TAB and not self.has_unapplied_text():
            self._fill_text()

    def _update_modified(self, *_args) -> None:
        modified = self.is_modified()
        if modified != self._modified:
            self._modified = modified
            self.modifiedChanged.emit(modified)


def _tooltip(action: QAction, tip: str) -> None:
    """Tooltip naming the shortcut, e.g. "Delete the selected steps (Del)"."""
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{tip} ({keys})" if keys else tip)
