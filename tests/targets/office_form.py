"""A small office form that recording and replay tests drive for real (Xvfb, no window manager).

    python tests/targets/office_form.py --out RESULT.json [--x X --y Y] [--title T] [--print-layout]
                                        [--paste-delay MS]

--paste-delay makes the form busy for MS milliseconds each time it gets ctrl+v, before it
reads the clipboard: a slow office application, for the player's pastes to wait on.

stdout protocol (one line each, flushed):
    READY x y w h          once the window is shown, exposed and has keyboard focus
    LAYOUT {...}           with --print-layout: objectName -> global centre [x, y]
    SUBMITTED N            after the N-th submit wrote RESULT.json

Submit writes the whole form as JSON (UTF-8, atomic replace); the form keeps running.
SIGTERM or SIGINT quits cleanly.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

WIDTH, HEIGHT = 520, 460
CITIES = ("Berlin", "London", "Paris", "Shanghai", "Tokyo")
# Widgets whose centres --print-layout reports, in tab order.
LAYOUT_NAMES = ("name", "email", "city", "subscribe", "notes", "submit", "clear")
READY_TIMEOUT_MS = 5000


def write_json_atomic(path: Path, data: dict) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=2)
            f.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def emit(line: str) -> None:
    print(line, flush=True)


class OfficeForm(QWidget):
    def __init__(self, out: Path, title: str) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.out = out
        self.submits = 0
        self.setObjectName("office_form")
        self.setWindowTitle(title)
        self.setFont(QFont(self.font().family(), 12))
        # A flat, light background makes every widget stand out in screenshots and anchors.
        self.setAutoFillBackground(True)
        self.setStyleSheet("QWidget#office_form { background: #f4f1ea; }")

        heading = QLabel(title)
        heading.setObjectName("heading")
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        heading.setStyleSheet(
            "font-size: 18pt; font-weight: bold; color: white; background: #2d5a88; padding: 6px;"
        )

        # Image anchors are grabbed around click points (the centres): centred placeholders,
        # tints and a gradient make each field's centre look different from the others.
        self.name = QLineEdit(objectName="name", placeholderText="First and last name")
        self.email = QLineEdit(objectName="email", placeholderText="you@example.com")
        for edit, tint in ((self.name, "#fffbe0"), (self.email, "#e8f1ff")):
            edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
            edit.setStyleSheet(f"QLineEdit {{ background: {tint}; font-size: 12pt; padding: 3px }}")
        self.city = QComboBox(objectName="city")
        self.city.addItems(CITIES)
        self.city.setEditable(False)
        self.city.setFixedWidth(170)  # so its centre shows the city name and the arrow
        self.subscribe = QCheckBox("Send me the newsletter", objectName="subscribe")
        # Keep the check box as wide as its text, so its centre lies on the clickable part.
        self.subscribe.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.notes = QPlainTextEdit(objectName="notes")
        self.notes.setPlaceholderText("Anything else? (several lines are fine)")
        self.notes.setStyleSheet(
            "QPlainTextEdit { background: qlineargradient(x1:0, y1:0, x2:1, y2:1,"
            " stop:0 #ffffff, stop:1 #cfe8cf); font-size: 12pt; }"
        )
        self.notes.setTabChangesFocus(True)

        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(10)
        form.addRow("Full name:", self.name)
        form.addRow("E-mail:", self.email)
        form.addRow("City:", self.city)
        form.addRow("", self.subscribe)
        form.addRow("Notes:", self.notes)

        self.submit_button = QPushButton("Submit", objectName="submit")
        self.submit_button.setStyleSheet(
            "QPushButton { background: #2e7d32; color: white; font-weight: bold; font-size: 13pt;"
            " padding: 8px 28px; border-radius: 4px; }"
        )
        self.clear_button = QPushButton("Clear form", objectName="clear")
        self.clear_button.setStyleSheet(
            "QPushButton { background: #e0e0e0; color: #8b1a1a; font-size: 12pt; padding: 8px 18px;"
            " border: 1px solid #8b1a1a; border-radius: 4px; }"
        )
        self.submit_button.clicked.connect(self.on_submit)
        self.clear_button.clicked.connect(self.on_clear)
        buttons = QHBoxLayout()
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        buttons.addWidget(self.submit_button)

        root = QVBoxLayout(self)
        root.setContentsMargins(16, 12, 16, 14)
        root.setSpacing(12)
        root.addWidget(heading)
        root.addLayout(form, 1)
        root.addLayout(buttons)

        self.setFixedSize(WIDTH, HEIGHT)
        self.name.setFocus()

    def state(self) -> dict:
        return {
            "name": self.name.text(),
            "email": self.email.text(),
            "city": self.city.currentText(),
            "subscribe": self.subscribe.isChecked(),
            "notes": self.notes.toPlainText(),
            "submits": self.submits,
        }

    def on_submit(self) -> None:
        self.submits += 1
        write_json_atomic(self.out, self.state())
        emit(f"SUBMITTED {self.submits}")

    def on_clear(self) -> None:
        self.name.clear()
        self.email.clear()
        self.city.setCurrentIndex(0)
        self.subscribe.setChecked(False)
        self.notes.clear()
        self.name.setFocus()
        emit("CLEARED")

    def layout_points(self) -> dict[str, list[int]]:
        points = {}
        for name in LAYOUT_NAMES:
            w = self.findChild(QWidget, name)
            c = w.mapToGlobal(w.rect().center())
            points[name] = [c.x(), c.y()]
        return points


class SlowPaste(QObject):
    """Block the whole application for a while on every paste key, as a busy program does."""

    def __init__(self, delay_ms: int) -> None:
        super().__init__()
        self.delay = delay_ms / 1000

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.matches(QKeySequence.StandardKey.Paste):
            time.sleep(self.delay)
        return False


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True, type=Path, help="where Submit writes the JSON")
    p.add_argument("--x", type=int, default=100, help="window left edge (default 100)")
    p.add_argument("--y", type=int, default=100, help="window top edge (default 100)")
    p.add_argument("--title", default="Office Form", help="window title and heading")
    p.add_argument("--print-layout", action="store_true", help="print LAYOUT after READY")
    p.add_argument("--paste-delay", type=int, default=0, help="busy MS on each paste key")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out = args.out.resolve()
    app = QApplication(sys.argv[:1])
    window = OfficeForm(out, args.title)
    slow_paste = SlowPaste(args.paste_delay)
    if args.paste_delay:
        app.installEventFilter(slow_paste)
    window.setGeometry(args.x, args.y, WIDTH, HEIGHT)
    window.show()
    window.raise_()
    window.activateWindow()

    # Let Python run its signal handlers while Qt's loop runs.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: app.quit())
    ticker = QTimer()
    ticker.timeout.connect(lambda: None)
    ticker.start(200)

    waited = {"ms": 0}

    def announce() -> None:
        QGuiApplication.processEvents()
        handle = window.windowHandle()
        ready = (
            handle is not None
            and handle.isExposed()
            and window.isActiveWindow()
            and window.name.hasFocus()
        )
        if not ready and waited["ms"] < READY_TIMEOUT_MS:
            if waited["ms"] and waited["ms"] % 1000 == 0:
                window.activateWindow()
                window.name.setFocus()
            waited["ms"] += 20
            QTimer.singleShot(20, announce)
            return
        if not ready:
            print("office_form: window not active/exposed after 5 s; going on", file=sys.stderr)
        g = window.geometry()
        emit(f"READY {g.x()} {g.y()} {g.width()} {g.height()}")
        if args.print_layout:
            emit("LAYOUT " + json.dumps(window.layout_points(), separators=(",", ":")))

    QTimer.singleShot(0, announce)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
