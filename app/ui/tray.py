"""What shows that a recording is on while the main window is out of the way.

A system tray icon where the desktop has a tray; where it has none (a bare X server, some
Linux desktops) a small always-on-top window in a screen corner instead. Neither has a
Stop button: a click on it would be recorded like any other, so the stop hotkey ends a
recording.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSystemTrayIcon, QWidget

TRAY, WINDOW = "tray", "window"


def recording_icon() -> QIcon:
    """A red dot, the usual sign for "recording"."""
    pixmap = QPixmap(32, 32)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(210, 30, 30))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(4, 4, 24, 24)
    painter.end()
    return QIcon(pixmap)


class RecordingBanner(QWidget):
    """The fallback: a frameless, always-on-top note in the top-right corner of the screen."""

    def __init__(self):
        flags = (
            Qt.WindowType.Tool
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint
            | Qt.WindowType.WindowDoesNotAcceptFocus
        )
        super().__init__(None, flags)
        self.setObjectName("recording_banner")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setStyleSheet("background: #fff3f3; border: 1px solid #d21e1e;")
        dot = QLabel()
        dot.setPixmap(recording_icon().pixmap(16, 16))
        dot.setStyleSheet("border: none;")
        self.label = QLabel()
        self.label.setStyleSheet("border: none; color: #7a0000;")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(dot)
        layout.addWidget(self.label)

    def show_text(self, text: str) -> None:
        self.label.setText(text)
        self.adjustSize()
        screen = QGuiApplication.primaryScreen().availableGeometry()
        self.move(screen.right() - self.width() - 8, screen.top() + 8)
        self.show()
        self.raise_()


class RecordingIndicator:
    """Shows "recording" in the tray, or in a banner window when there is no tray."""

    def __init__(self, prefer_tray: bool = True):
        self.kind = TRAY if prefer_tray and QSystemTrayIcon.isSystemTrayAvailable() else WINDOW
        self.tray: QSystemTrayIcon | None = None
        self.banner: RecordingBanner | None = None
        self.text = ""

    def show(self, name: str, stop_hotkey: str) -> None:
        self.text = f"Recording “{name}”… press {stop_hotkey} to stop"
        if self.kind == TRAY:
            if self.tray is None:
                self.tray = QSystemTrayIcon(recording_icon())
            self.tray.setToolTip(self.text)
            self.tray.show()
            self.tray.showMessage("RPA Assistant", self.text, recording_icon(), 4000)
        else:
            if self.banner is None:
                self.banner = RecordingBanner()
            self.banner.show_text(self.text)

    def hide(self) -> None:
        if self.tray is not None:
            self.tray.hide()
        if self.banner is not None:
            self.banner.hide()

    def is_visible(self) -> bool:
        if self.kind == TRAY:
            return self.tray is not None and self.tray.isVisible()
        return self.banner is not None and self.banner.isVisible()

    def close(self) -> None:
        self.hide()
        if self.banner is not None:
            self.banner.deleteLater()
            self.banner = None
        if self.tray is not None:
            self.tray.deleteLater()
            self.tray = None
