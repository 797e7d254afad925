"""The run history as a dock: runs, the steps of the chosen run, its failure screenshot.

It reads `RunStore`, which the player writes as it goes; the window calls `refresh()`
after each run and `set_macro()` when another macro is opened.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDockWidget,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.storage.runs import RunStore, RunSummary
from app.ui.run_failure import screenshot_label, show_screenshot

RUN_COLUMNS = ("Started", "Macro", "Status", "Steps", "Duration", "Error")
STEP_COLUMNS = ("#", "Status", "Time", "Detail")
RUN_ID_ROLE = Qt.ItemDataRole.UserRole
HISTORY_LIMIT = 200
SCREENSHOT_FIT = (360, 240)


def local_time(stamp: str | None) -> str:
    """A stored UTC ISO time as local "YYYY-MM-DD HH:MM:SS"."""
    if not stamp:
        return ""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return stamp


def seconds(ms: float) -> str:
    return f"{ms / 1000:.1f} s" if ms >= 1000 else f"{ms:.0f} ms"


def _table(columns: tuple[str, ...], name: str) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(columns))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


def _item(text: str, tip: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(tip or text)
    return item


class RunsPanel(QDockWidget):
    """A "Runs" dock: newest run first; "Only this macro" filters by the open macro."""

    def __init__(self, runs: RunStore, parent: QWidget | None = None):
        super().__init__("Runs", parent)
        self.setObjectName("runs_dock")
        self.runs = runs
        self.macro_name: str | None = None

        self.only_macro = QCheckBox("Only this macro")
        self.only_macro.setObjectName("runs_only_macro")
        self.only_macro.setToolTip("Show only the runs of the macro open in the editor")
        self.only_macro.setChecked(True)
        self.only_macro.toggled.connect(self.refresh)
        self.run_table = _table(RUN_COLUMNS, "runs")
        self.run_table.itemSelectionChanged.connect(self._show_selected_run)
        self.step_table = _table(STEP_COLUMNS, "run_steps")
        self.screenshot = screenshot_label(None, "run_screenshot", SCREENSHOT_FIT)
        self.screenshot.hide()

        details = QSplitter(Qt.Orientation.Horizontal)
        details.addWidget(self.step_table)
        details.addWidget(self.screenshot)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.run_table)
        split.addWidget(details)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.only_macro)
        layout.addWidget(split, 1)
        self.empty_note = QLabel()
        layout.addWidget(self.empty_note)
        self.setWidget(body)

    def set_macro(self, name: str | None) -> None:
        if name != self.macro_name:
            self.macro_name = name
            self.refresh()

    def shown_runs(self) -> list[int]:
        """The run ids in the table, top to bottom."""
        return [
            self.run_table.item(row, 0).data(RUN_ID_ROLE)
            for row in range(self.run_table.rowCount())
        ]

    def refresh(self, *_args) -> None:
        """Read the history again; the newest run is selected."""
        name = self.macro_name if self.only_macro.isChecked() else None
        if self.only_macro.isChecked() and name is None:
            summaries: list[RunSummary] = []
        else:
            summaries = self.runs.summaries(name, HISTORY_LIMIT)
        table = self.run_table
        table.setRowCount(len(summaries))
        for row, run in enumerate(summaries):
            started = _item(local_time(run.started), f"run {run.id}, started {run.started}")
            started.setData(RUN_ID_ROLE, run.id)
            cells = [
                started,
                _item(run.name),
                _item(run.status),
                _item(str(run.steps)),
                _item(seconds(run.ms), "the time its steps took, waits included"),
                _item(run.error or ""),
            ]
            for column, cell in enumerate(cells):
                table.setItem(row, column, cell)
        table.clearSelection()
        if summaries:
            self.empty_note.hide()
            table.selectRow(0)
            self._show_selected_run()  # also when row 0 was selected before
        else:
            self.empty_note.setText(
                f"No runs of {name!r} yet." if name else "No runs yet: press Play (F5)."
            )
            self.empty_note.show()
            self._show_run(None)

    def _show_selected_run(self) -> None:
        rows = {index.row() for index in self.run_table.selectedIndexes()}
        run_id = self.run_table.item(min(rows), 0).data(RUN_ID_ROLE) if rows else None
        self._show_run(run_id)

    def _show_run(self, run_id: int | None) -> None:
        steps = self.runs.steps(run_id) if run_id is not None else []
        table = self.step_table
        table.setRowCount(len(steps))
        for row, step in enumerate(steps):
            cells = [
                _item(str(step.position + 1)),
                _item(step.status),
                _item(f"{step.ms:.0f} ms", f"started {local_time(step.started)}"),
                _item(step.detail or ""),
            ]
            for column, cell in enumerate(cells):
                table.setItem(row, column, cell)
        png = self.runs.failure_screenshot(run_id) if run_id is not None else None
        show_screenshot(self.screenshot, png, SCREENSHOT_FIT)
        self.screenshot.setVisible(bool(png))
