"""The chat dock: type a command, see the steps the model proposes, then decide.

Nothing the model writes runs by itself: the answer is shown in a read-only table and only
a click on Run, Insert into this macro or Save as new macro uses it. Every question is kept
in the `chat` table with what was done with it, and the history is shown above the input
(reloaded at start). Picking an earlier question shows its steps again, ready to use.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QTextLayout
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import InputError, StepSyntaxError
from app.core.language import parse_steps
from app.core.macro import Macro, check_macro_name
from app.core.steps import Step
from app.storage.chat import INSERT, RUN, SAVE, ChatEntry, ChatStore
from app.storage.macros import MacroStore
from app.ui.model_runner import ModelRunner
from app.ui.step_editor import StepEditor
from app.ui.step_model import COL_DETAILS, COL_NUMBER, COL_STEP, StepTableModel

ENTRY_ROLE = Qt.ItemDataRole.UserRole
NOTICE_STYLE = "color: #8a5a00;"
NOT_UNDERSTOOD = (
    "Sorry, I did not understand that. Try simpler words, one action at a time, "
    'for example "open notepad", "type hello" or "press enter".'
)
TYPE_FIRST = 'Type a command first, for example "open notepad and type hello".'


def has_words(command: str) -> bool:
    """False for a command with no letter or digit in any script (empty, emoji, dots).

    Such a command cannot be understood, so it is answered without asking the model.
    """
    return any(c.isalnum() for c in command)


class ChatDock(QDockWidget):
    """History, preview and actions over a `ModelRunner`; writes the `chat` table."""

    run_requested = Signal(list)  # the steps to play, after a click on Run
    macro_saved = Signal(str)  # the name of a macro saved from the chat

    def __init__(
        self,
        store: MacroStore,
        chat: ChatStore,
        runner: ModelRunner,
        editor: StepEditor,
        parent: QWidget | None = None,
    ):
        super().__init__("Assistant", parent)
        self.setObjectName("chat_dock")
        self.store, self.chat, self.runner, self.editor = store, chat, runner, editor
        self._entry: ChatEntry | None = None  # the question whose answer is shown
        self._steps: list[Step] = []

        self.history = QListWidget()
        self.history.setObjectName("chat_history")
        self.history.setWordWrap(False)  # long lines end in "…"; the tooltip has them whole
        self.history.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.history.setAlternatingRowColors(True)
        self.history.currentItemChanged.connect(self._on_history_item)

        self.preview_model = StepTableModel(parent=self)
        self.preview = QTableView()
        self.preview.setObjectName("chat_preview")
        self.preview.setModel(self.preview_model)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.preview.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.preview.verticalHeader().hide()
        self.preview.setWordWrap(False)
        header = self.preview.horizontalHeader()
        header.setSectionResizeMode(COL_NUMBER, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_STEP, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_DETAILS, QHeaderView.ResizeMode.Stretch)

        self.notices = QLabel()
        self.notices.setObjectName("chat_notices")
        self.notices.setWordWrap(True)
        self.notices.setStyleSheet(NOTICE_STYLE)
        self.notices.setTextFormat(Qt.TextFormat.PlainText)

        self.run_button = QPushButton("Run")
        self.run_button.setToolTip("Play these steps now")
        self.run_button.clicked.connect(self.run_answer)
        self.insert_button = QPushButton("Insert into this macro")
        self.insert_button.setToolTip("Insert the steps after the selected step (undo with Ctrl+Z)")
        self.insert_button.clicked.connect(self.insert_answer)
        self.save_button = QPushButton("Save as new macro…")
        self.save_button.setToolTip("Keep these steps as a macro of their own")
        self.save_button.clicked.connect(self.save_answer)
        self.action_buttons = (self.run_button, self.insert_button, self.save_button)

        self.status = QLabel()
        self.status.setObjectName("chat_status")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.input = QLineEdit()
        self.input.setObjectName("chat_input")
        self.input.setPlaceholderText('Type a command, e.g. "open notepad and type hello"')
        self.input.setClearButtonEnabled(True)
        self.input.returnPressed.connect(self.ask)
        self.ask_button = QPushButton("Ask")
        self.ask_button.setDefault(True)
        self.ask_button.clicked.connect(self.ask)

        self.setWidget(self._layout())
        runner.progress.connect(self._on_progress)
        runner.answered.connect(self._on_answered)
        runner.failed.connect(self._on_failed)
        self._load_history()
        self._show_entry(None)

    def _layout(self) -> QWidget:
        answer = QWidget()
        answer_layout = QVBoxLayout(answer)
        answer_layout.setContentsMargins(0, 0, 0, 0)
        answer_layout.addWidget(self.preview)
        answer_layout.addWidget(self.notices)
        buttons = QHBoxLayout()
        for button in self.action_buttons:
            buttons.addWidget(button)
        answer_layout.addLayout(buttons)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.history)
        splitter.addWidget(answer)
        splitter.setSizes([200, 200])

        ask_row = QHBoxLayout()
        ask_row.addWidget(self.input, 1)
        ask_row.addWidget(self.ask_button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        layout.addLayout(ask_row)
        return page

    # ------------------------------------------------------------ asking

    def ask(self) -> None:
        """Send the typed command to the model (on its worker thread)."""
        command = self.input.text().strip()
        if self.runner.is_busy():
            return
        if not command:
            self._show_entry(None)
            self.status.setText(TYPE_FIRST)
            return
        if not has_words(command):
            self._add_entry(self.chat.add(command, "", None, 0), [], [])
            self.input.clear()
            return
        self.runner.ask(command, self.store.names())
        self.ask_button.setEnabled(False)
        self.status.setText("…")

    def _on_progress(self, stage: str) -> None:
        self.status.setText(stage[:1].upper() + stage[1:])

    def _on_answered(self, answer) -> None:
        self.ask_button.setEnabled(True)
        entry_id = self.chat.add(answer.command, answer.text, answer.backend, answer.ms)
        self._add_entry(entry_id, answer.steps, answer.notices)
        if self.input.text().strip() == answer.command.strip():
            self.input.clear()

    def _on_failed(self, message: str) -> None:
        self.ask_button.setEnabled(True)
        self.status.setText(f"No answer: {message}")

    def busy(self) -> bool:
        return self.runner.is_busy()

    # ------------------------------------------------------------ history

    def _load_history(self) -> None:
        for entry in self.chat.history():
            self.history.addItem(self._item(entry))
        self.history.scrollToBottom()

    def _item(self, entry: ChatEntry) -> QListWidgetItem:
        text = _entry_text(entry)
        item = QListWidgetItem(text)
        item.setData(ENTRY_ROLE, entry.id)
        item.setSizeHint(_text_size(text, self.history.font()))
        when = entry.at.replace("T", " ")[:19]
        item.setToolTip(f"{text}\n\n{when} · {entry.backend or 'no model'} · {entry.ms:.0f} ms")
        return item

    def _add_entry(self, entry_id: int, steps: list[Step], notices: list[str]) -> None:
        entry = self.chat.get(entry_id)
        item = self._item(entry)
        self.history.blockSignals(True)
        try:
            self.history.addItem(item)
            self.history.setCurrentItem(item)
        finally:
            self.history.blockSignals(False)
        self.history.scrollToItem(item)
        self._show_entry(entry, steps, notices)

    def _refresh_item(self) -> None:
        entry = self._entry = self.chat.get(self._entry.id)
        for row in range(self.history.count()):
            item = self.history.item(row)
            if item.data(ENTRY_ROLE) == entry.id:
                replacement = self._item(entry)
                item.setText(replacement.text())
                item.setSizeHint(replacement.sizeHint())
                item.setToolTip(replacement.toolTip())

    def _on_history_item(self, current: QListWidgetItem | None, _previous) -> None:
        entry = self.chat.get(current.data(ENTRY_ROLE)) if current is not None else None
        if entry is None:
            self._show_entry(None)
            return
        try:
            steps = parse_steps(entry.dsl)
        except StepSyntaxError as bad:  # written by another version: show, never use it
            self._show_entry(entry, [], [f"these steps no longer read: {bad}"])
            return
        self._show_entry(entry, steps, [])

    def _show_entry(
        self, entry: ChatEntry | None, steps: Sequence[Step] = (), notices: Sequence[str] = ()
    ) -> None:
        self._entry, self._steps = entry, list(steps)
        self.preview_model.set_steps(self._steps)
        self.notices.setText("\n".join(f"Note: {n}" for n in notices))
        self.notices.setVisible(bool(notices))
        usable = entry is not None and bool(self._steps)
        for button in self.action_buttons:
            button.setEnabled(usable)
        if entry is None:
            self.status.setText("")
        elif not self._steps:
            self.status.setText(NOT_UNDERSTOOD)
        else:
            count = _steps_count(self._steps)
            self.status.setText(f"{count} proposed: nothing runs until you choose")

    # ------------------------------------------------------------ what the user does

    def preview_steps(self) -> list[Step]:
        return list(self._steps)

    def run_answer(self) -> None:
        if not self._steps:
            return
        self.chat.mark(self._entry.id, RUN)
        self._refresh_item()
        self.status.setText(f"Running {_steps_count(self._steps)}…")
        self.run_requested.emit(list(self._steps))

    def insert_answer(self) -> None:
        """Insert after the selected step of the open macro, as one undoable edit."""
        if not self._steps:
            return
        if not self.editor.isEnabled():
            self.status.setText("Open a macro first, or save these steps as a new macro.")
            return
        rows = self.editor.selected_rows()
        row = rows[-1] + 1 if rows else self.editor.model.rowCount()
        count = len(self._steps)
        self.editor.model.insert_steps(row, self._steps, f"Insert {_steps_count(self._steps)}")
        self.editor.select_rows(list(range(row, row + count)))
        self.chat.mark(self._entry.id, INSERT)
        self._refresh_item()
        self.status.setText(
            f"Inserted {_steps_count(self._steps)} after step {row}: Ctrl+Z takes them out"
            if row
            else f"Inserted {_steps_count(self._steps)} at the start: Ctrl+Z takes them out"
        )

    def save_answer(self) -> None:
        """Ask a name and save the steps as a new macro; a name in use is refused."""
        if not self._steps:
            return
        name = self._entry.command[:60].strip()
        while True:
            name, ok = QInputDialog.getText(
                self, "Save as new macro", "Name of the new macro:", QLineEdit.EchoMode.Normal, name
            )
            if not ok:
                return
            name = name.strip()
            try:
                check_macro_name(name)
                if self.store.exists(name):
                    raise InputError(
                        f"a macro named {name!r} already exists; choose another name "
                        "(it was not changed)"
                    )
                self.store.save(Macro(name, tuple(self._steps)), replace=False)
            except InputError as bad:
                QMessageBox.warning(self, "Save as new macro", _sentence(str(bad)))
                continue
            break
        self.chat.mark(self._entry.id, SAVE)
        self._refresh_item()
        self.status.setText(f"Saved {name!r}: {_steps_count(self._steps)}")
        self.macro_saved.emit(name)


def _entry_text(entry: ChatEntry) -> str:
    """ "› press enter" / the answer's first lines / what was done."""
    lines = [f"› {entry.command}"]
    if entry.dsl:
        steps = entry.dsl.splitlines()
        lines += steps[:4] + ([f"… ({len(steps)} steps)"] if len(steps) > 4 else [])
    else:
        lines.append("(not understood)")
    actions = entry.actions()
    if actions:
        lines.append("— " + ", ".join(actions))
    return "\n".join(lines)


def _text_size(text: str, font: QFont) -> QSize:
    """The room `text` needs, line by line.

    The list's own estimate uses the list font's line height, which is too short for a line
    drawn in a fallback font (Chinese, emoji): such an item would be cut to one line.
    """
    width = height = 0.0
    for line in text.split("\n"):
        layout = QTextLayout(line or " ", font)
        layout.beginLayout()
        text_line = layout.createLine()
        layout.endLayout()
        width, height = max(width, text_line.naturalTextWidth()), height + text_line.height()
    return QSize(math.ceil(width) + 8, math.ceil(height) + 6)


def _steps_count(steps: list[Step]) -> str:
    return "1 step" if len(steps) == 1 else f"{len(steps)} steps"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
