"""The steps of one macro as a Qt table model, every change an undoable command.

The model owns a plain list of frozen `Step` objects; the only way to change it is to push a
command onto its `QUndoStack`, so the view, the text tab, drag and drop and the menu actions
all share one history, and "unsaved changes" is simply "the stack is not at its clean index".
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QPixmap, QUndoCommand, QUndoStack

from app.core.errors import StepSyntaxError
from app.core.language import format_step, format_steps, parse_line
from app.core.steps import Step

COLUMNS = ("#", "Step", "Details", "Image")
COL_NUMBER, COL_STEP, COL_DETAILS, COL_IMAGE = range(len(COLUMNS))
THUMBNAIL_SIZE = 32  # px: the anchor picture beside its step, enough to recognise a button
STEP_ROLE = Qt.ItemDataRole.UserRole + 1  # data(index, STEP_ROLE) is the Step object
MIME_TYPE = "application/x-rpa-assistant-step-rows"
PLAYING_BACKGROUND = QColor(255, 236, 153)  # the step being played

_Index = QModelIndex | QPersistentModelIndex


def split_step(step: Step) -> tuple[str, str]:
    """The canonical line cut after its first word: ("click", "100 200 anchor \"ok\"").

    The "Step" column shows the word, "Details" the rest, so the two read as the line itself
    (for `click image "ID"` the word is `click`, as it is written).
    """
    word, _, rest = format_step(step).partition(" ")
    return word, rest


class StepTableModel(QAbstractTableModel):
    """Rows are steps; columns "#", "Step" and "Details".

    Editing the "Step" column edits the whole line (its edit text is the full canonical
    line); editing "Details" edits the words after the step name. Invalid text is refused:
    `setData` returns False and `validationFailed` carries a message with the row and the
    column of the error in the text that was typed.
    """

    validationFailed = Signal(str)
    dirtyChanged = Signal(bool)

    def __init__(self, steps: Iterable[Step] = (), parent=None):
        super().__init__(parent)
        self._steps: list[Step] = list(steps)
        self._stack = QUndoStack(self)
        self._stack.cleanChanged.connect(self._on_clean_changed)
        self._token = f"{id(self):x}"  # drops are accepted only from this model
        self._active_row: int | None = None  # the step being played, shown highlighted
        self._images: dict[str, bytes] = {}  # anchor id → PNG, from the open macro
        self._thumbnails: dict[str, QPixmap | None] = {}  # None: missing or unreadable

    # ------------------------------------------------------------ state

    @property
    def undo_stack(self) -> QUndoStack:
        return self._stack

    @property
    def dirty(self) -> bool:
        """True when the steps differ from the last load or save (follows the undo stack)."""
        return not self._stack.isClean()

    def steps(self) -> list[Step]:
        return list(self._steps)

    def step(self, row: int) -> Step:
        return self._steps[row]

    def set_steps(self, steps: Iterable[Step]) -> None:
        """Load a new list of steps: a fresh start, with an empty history and no changes."""
        self.beginResetModel()
        self._steps = list(steps)
        self._active_row = None
        self.endResetModel()
        self._stack.clear()
        self._stack.setClean()

    def set_anchor_images(self, images: dict[str, bytes]) -> None:
        """The open macro's anchor pictures (id → PNG), shown small in the "Image" column."""
        self._images = dict(images)
        self._thumbnails.clear()
        if self._steps:
            self.dataChanged.emit(
                self.index(0, COL_IMAGE), self.index(len(self._steps) - 1, COL_IMAGE)
            )

    def thumbnail(self, anchor_id: str) -> QPixmap | None:
        """The anchor's picture scaled to THUMBNAIL_SIZE; None when the macro lacks it."""
        if anchor_id not in self._thumbnails:
            png = self._images.get(anchor_id)
            pixmap = QPixmap()
            readable = png is not None and pixmap.loadFromData(png, "PNG")
            self._thumbnails[anchor_id] = (
                pixmap.scaled(
                    THUMBNAIL_SIZE,
                    THUMBNAIL_SIZE,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
                if readable
                else None
            )
        return self._thumbnails[anchor_id]

    def mark_saved(self) -> None:
        self._stack.setClean()

    @property
    def active_row(self) -> int | None:
        return self._active_row

    def set_active_row(self, row: int | None) -> None:
        """Highlight the step being played (None: none); not an edit, so not undoable."""
        if row is not None and not 0 <= row < len(self._steps):
            row = None
        previous, self._active_row = self._active_row, row
        for changed in {previous, row} - {None}:
            self.dataChanged.emit(
                self.index(changed, 0),
                self.index(changed, len(COLUMNS) - 1),
                [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.FontRole],
            )

    def _on_clean_changed(self, clean: bool) -> None:
        self.dirtyChanged.emit(not clean)

    # ------------------------------------------------------------ Qt model interface

    def rowCount(self, parent: _Index | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._steps)

    def columnCount(self, parent: _Index | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
                return COLUMNS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == COL_STEP:
                return "The step name; editing it edits the whole line"
        elif role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def data(self, index: _Index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._steps):
            return None
        step = self._steps[index.row()]
        column = index.column()
        anchor_id = getattr(step, "anchor", None)
        if column == COL_IMAGE:
            if role == Qt.ItemDataRole.DecorationRole and anchor_id:
                return self.thumbnail(anchor_id)
            if role == Qt.ItemDataRole.ToolTipRole and anchor_id:
                if self.thumbnail(anchor_id) is None:
                    return f"Image {anchor_id!r} is missing from this macro or unreadable"
                return f"Image {anchor_id!r}: the player looks for it on the screen"
            if role == Qt.ItemDataRole.DisplayRole:
                return "missing" if anchor_id and self.thumbnail(anchor_id) is None else ""
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_NUMBER:
                return str(index.row() + 1)
            return split_step(step)[column - COL_STEP]
        if role == Qt.ItemDataRole.EditRole:
            if column == COL_STEP:
                return format_step(step)
            if column == COL_DETAILS:
                return split_step(step)[1]
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return format_step(step)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_NUMBER:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == STEP_ROLE:
            return step
        if index.row() == self._active_row:
            if role == Qt.ItemDataRole.BackgroundRole:
                return PLAYING_BACKGROUND
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled  # drops land between rows, never on one
        flags = (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemNeverHasChildren
        )
        if index.column() in (COL_STEP, COL_DETAILS):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: _Index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        if index.column() not in (COL_STEP, COL_DETAILS) or not isinstance(value, str):
            return False
        row = index.row()
        step = self.parse_cell(row, index.column(), value)
        if step is None:
            return False
        if step != self._steps[row]:
            self._stack.push(_EditStep(self, row, step))
        return True

    def parse_cell(self, row: int, column: int, text: str) -> Step | None:
        """The step that `text` typed into (row, column) stands for, or None (and a signal).

        Error columns count in the text as typed: for "Details" they start after the name.
        """
        prefix = ""
        if column == COL_DETAILS:
            prefix = split_step(self._steps[row])[0] + " "
        if "\n" in text or "\r" in text:
            self.validationFailed.emit(f"step {row + 1}: a step is one line; use Add for more")
            return None
        try:
            step = parse_line(prefix + text, row + 1)
        except StepSyntaxError as bad:
            col = max(1, bad.col - len(prefix))
            self.validationFailed.emit(f"step {row + 1}, col {col}: {bad.message}")
            return None
        if step is None:
            self.validationFailed.emit(
                f"step {row + 1}: the line is empty or a comment; to remove a step, use Delete"
            )
        return step

    # ------------------------------------------------------------ drag and drop

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        data = QMimeData()
        payload = {"model": self._token, "rows": rows}
        data.setData(MIME_TYPE, json.dumps(payload).encode("utf-8"))
        data.setText(format_steps(self._steps[r] for r in rows))  # dropping into a text editor
        return data

    def dropMimeData(self, data: QMimeData, action, row: int, column: int, parent) -> bool:
        if action == Qt.DropAction.IgnoreAction:
            return True
        rows = self._dropped_rows(data)
        if rows is None:
            return False
        if row < 0:
            row = parent.row() if parent.isValid() else len(self._steps)
        self.move_rows_to(rows, row)
        # True accepts the move; the view then asks removeRows() to delete the dragged rows,
        # which this model does not offer (the default refuses), so nothing is lost.
        return True

    def _dropped_rows(self, data: QMimeData) -> list[int] | None:
        if not data.hasFormat(MIME_TYPE):
            return None
        try:
            payload = json.loads(bytes(data.data(MIME_TYPE).data()).decode("utf-8"))
            rows = sorted({int(r) for r in payload["rows"]})
        except (ValueError, KeyError, TypeError):
            return None
        if payload.get("model") != self._token:
            return None
        if not rows or rows[0] < 0 or rows[-1] >= len(self._steps):
            return None
        return rows

    # ------------------------------------------------------------ undoable edits

    def edit_step(self, row: int, step: Step) -> None:
        if step != self._steps[row]:
            self._stack.push(_EditStep(self, row, step))

    def insert_steps(self, row: int, steps: Sequence[Step], text: str | None = None) -> None:
        """Insert `steps` before `row` (len() appends)."""
        steps = list(steps)
        if not steps:
            return
        row = max(0, min(row, len(self._steps)))
        if text is None:
            text = "Add step" if len(steps) == 1 else f"Add {len(steps)} steps"
        self._stack.push(_InsertSteps(self, row, steps, text))

    def delete_rows(self, rows: Iterable[int]) -> None:
        rows = sorted({r for r in rows if 0 <= r < len(self._steps)})
        if rows:
            self._stack.push(_DeleteSteps(self, rows))

    def duplicate_rows(self, rows: Iterable[int]) -> list[int]:
        """Copy the rows (in order) after the last of them; returns the copies' rows."""
        rows = sorted({r for r in rows if 0 <= r < len(self._steps)})
        if not rows:
            return []
        at = rows[-1] + 1
        text = "Duplicate step" if len(rows) == 1 else f"Duplicate {len(rows)} steps"
        self.insert_steps(at, [self._steps[r] for r in rows], text)
        return list(range(at, at + len(rows)))

    def can_move(self, rows: Iterable[int], delta: int) -> bool:
        rows = sorted(set(rows))
        if not rows or delta not in (-1, 1):
            return False
        return rows[0] > 0 if delta < 0 else rows[-1] < len(self._steps) - 1

    def move_rows(self, rows: Iterable[int], delta: int) -> bool:
        """Move each of `rows` one place up (delta -1) or down (+1); False if it cannot."""
        rows = sorted(set(rows))
        if not self.can_move(rows, delta):
            return False
        order = list(range(len(self._steps)))  # order[new_row] = old_row
        for r in rows if delta < 0 else reversed(rows):
            order[r], order[r + delta] = order[r + delta], order[r]
        text = "Move up" if delta < 0 else "Move down"
        self._stack.push(_Reorder(self, order, text))
        return True

    def move_rows_to(self, rows: Iterable[int], row: int) -> bool:
        """Move `rows` (kept in order) so that they sit before what was at `row`."""
        chosen = sorted(set(rows))
        picked = set(chosen)
        count = len(self._steps)
        row = max(0, min(row, count))
        order = (
            [r for r in range(row) if r not in picked]
            + chosen
            + [r for r in range(row, count) if r not in picked]
        )
        if order == list(range(count)):
            return False
        self._stack.push(_Reorder(self, order, "Move steps"))
        return True

    def replace_steps(self, steps: Iterable[Step], text: str = "Edit as text") -> bool:
        """Replace every step in one undoable command; False if nothing changed."""
        steps = list(steps)
        if steps == self._steps:
            return False
        self._stack.push(_Replace(self, steps, text))
        return True

    # ------------------------------------------------------------ primitives for commands

    def _set(self, row: int, step: Step) -> None:
        self._steps[row] = step
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def _insert(self, row: int, steps: list[Step]) -> None:
        self.beginInsertRows(QModelIndex(), row, row + len(steps) - 1)
        self._steps[row:row] = steps
        self.endInsertRows()
        self._renumber(row)

    def _remove(self, row: int, count: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row + count - 1)
        del self._steps[row : row + count]
        self.endRemoveRows()
        self._renumber(row)

    def _reorder(self, order: list[int]) -> None:
        """Apply a permutation, order[new_row] = old_row, keeping selections on their steps."""
        self.layoutAboutToBeChanged.emit()
        new_row_of = {old: new for new, old in enumerate(order)}
        self._steps = [self._steps[old] for old in order]
        before = self.persistentIndexList()
        after = [self.index(new_row_of[i.row()], i.column()) for i in before]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def _reset(self, steps: list[Step]) -> None:
        self.beginResetModel()
        self._steps = list(steps)
        self.endResetModel()

    def _renumber(self, first: int) -> None:
        """Rows from `first` on changed their "#"."""
        if first < len(self._steps):
            last = len(self._steps) - 1
            self.dataChanged.emit(self.index(first, COL_NUMBER), self.index(last, COL_NUMBER))


# ---------------------------------------------------------------- the commands


class _EditStep(QUndoCommand):
    def __init__(self, model: StepTableModel, row: int, step: Step):
        super().__init__(f"Edit step {row + 1}")
        self.model, self.row = model, row
        self.old, self.new = model.step(row), step

    def redo(self) -> None:
        self.model._set(self.row, self.new)

    def undo(self) -> None:
        self.model._set(self.row, self.old)


class _InsertSteps(QUndoCommand):
    def __init__(self, model: StepTableModel, row: int, steps: list[Step], text: str):
        super().__init__(text)
        self.model, self.row, self.steps = model, row, steps

    def redo(self) -> None:
        self.model._insert(self.row, self.steps)

    def undo(self) -> None:
        self.model._remove(self.row, len(self.steps))


class _DeleteSteps(QUndoCommand):
    def __init__(self, model: StepTableModel, rows: list[int]):
        super().__init__("Delete step" if len(rows) == 1 else f"Delete {len(rows)} steps")
        self.model = model
        self.runs = _runs([(r, model.step(r)) for r in rows])  # [(first row, [steps])]

    def redo(self) -> None:
        for row, steps in reversed(self.runs):
            self.model._remove(row, len(steps))

    def undo(self) -> None:
        for row, steps in self.runs:
            self.model._insert(row, steps)


class _Reorder(QUndoCommand):
    def __init__(self, model: StepTableModel, order: list[int], text: str):
        super().__init__(text)
        self.model, self.order = model, order
        self.inverse = [0] * len(order)
        for new, old in enumerate(order):
            self.inverse[old] = new

    def redo(self) -> None:
        self.model._reorder(self.order)

    def undo(self) -> None:
        self.model._reorder(self.inverse)


class _Replace(QUndoCommand):
    def __init__(self, model: StepTableModel, steps: list[Step], text: str):
        super().__init__(text)
        self.model, self.old, self.new = model, model.steps(), steps

    def redo(self) -> None:
        self.model._reset(self.new)

    def undo(self) -> None:
        self.model._reset(self.old)


def _runs(rows: list[tuple[int, Step]]) -> list[tuple[int, list[Step]]]:
    """Group sorted (row, step) pairs into runs of consecutive rows."""
    runs: list[tuple[int, list[Step]]] = []
    for row, step in rows:
        if runs and runs[-1][0] + len(runs[-1][1]) == row:
            runs[-1][1].append(step)
        else:
            runs.append((row, [step]))
    return runs
