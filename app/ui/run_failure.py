"""The view of a failed run: which step, why, and the screen as it was when it failed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

MAX_SHOWN = (900, 560)  # the screenshot is scaled down to fit, never up


def split_failure(error: str) -> tuple[str, str]:
    """The player's "step 3 (click 5 5): why" as ("Step 3: click 5 5", "why")."""
    head, sep, why = error.partition("): ")
    number, paren, line = head.partition(" (")
    if sep and paren and number.startswith("step "):
        return f"Step {number[5:]}: {line}", why
    return "The run failed", error


def screenshot_pixmap(png: bytes | None) -> QPixmap | None:
    if not png:
        return None
    pixmap = QPixmap()
    if not pixmap.loadFromData(png, "PNG"):
        return None
    return pixmap


def screenshot_label(png: bytes | None, name: str, fit=MAX_SHOWN) -> QLabel:
    """The screenshot, scaled down to `fit`; or a line saying there is none."""
    label = QLabel()
    label.setObjectName(name)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    show_screenshot(label, png, fit)
    return label


def show_screenshot(label: QLabel, png: bytes | None, fit=MAX_SHOWN) -> None:
    pixmap = screenshot_pixmap(png)
    if pixmap is None:
        label.setPixmap(QPixmap())
        label.setText("No screenshot was kept.")
        return
    label.setToolTip(f"{pixmap.width()}×{pixmap.height()} screenshot")
    if pixmap.width() > fit[0] or pixmap.height() > fit[1]:
        pixmap = pixmap.scaled(
            *fit,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    label.setText("")
    label.setPixmap(pixmap)


class RunFailureDialog(QDialog):
    """Opened when a run fails; the same run stays in the Runs panel afterwards."""

    def __init__(self, error: str, screenshot: bytes | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("run_failure")
        self.setWindowTitle("The run failed")
        step, why = split_failure(error)
        self.step_label = QLabel(step)
        self.step_label.setObjectName("failed_step")
        self.step_label.setTextFormat(Qt.TextFormat.PlainText)
        self.step_label.setStyleSheet("font-weight: bold;")
        self.step_label.setWordWrap(True)
        self.why_label = QLabel(why)
        self.why_label.setObjectName("failure_reason")
        self.why_label.setTextFormat(Qt.TextFormat.PlainText)
        self.why_label.setWordWrap(True)
        self.why_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.screenshot = screenshot_label(screenshot, "failure_screenshot")
        scroll = QScrollArea()
        scroll.setWidget(self.screenshot)
        scroll.setWidgetResizable(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.step_label)
        layout.addWidget(self.why_label)
        layout.addWidget(QLabel("The screen when it failed:"))
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(960, 700)
