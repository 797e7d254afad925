"""Take the README's pictures of the desktop app: `python scripts/screenshots.py`.

Opens the real main window on a demo database (the example macros of `recordings/`, a
short run history, questions put to the real language model through the chat dock) and
saves small PNGs under `docs/images/`. Runs on the current DISPLAY, or on a private Xvfb
when there is none. Nothing in the user's own database or settings is touched.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from machine import xvfb  # noqa: E402  (bench/machine.py: the private Xvfb helper)

SCREEN = "1440x900"
WINDOW_SIZE = (1280, 780)
COMMANDS = ("run the daily note macro", "press enter", "按回车键")
MACRO_SHOWN = "Customer entry"


@contextlib.contextmanager
def display() -> Iterator[None]:
    if os.environ.get("DISPLAY"):
        yield
        return
    with xvfb(SCREEN) as name:
        os.environ["DISPLAY"] = name
        yield


def demo_database(path: Path) -> None:
    """The example macros, and a few runs of them as the player would have filed them."""
    from app.core.files import read_macro_file
    from app.storage.database import open_database
    from app.storage.macros import MacroStore
    from app.storage.runs import RunStore

    db = open_database(path)
    try:
        store, runs = MacroStore(db), RunStore(db)
        examples = ROOT / "recordings"
        for file in [*sorted(examples.glob("*.txt")), examples / "confirm-dialog.zip"]:
            store.save(read_macro_file(file), replace=True)
        for name, status, error, times in (
            ("Daily note", "ok", None, [412.0, 2003.1, 95.2, 61.7, 1802.4, 88.0]),
            (MACRO_SHOWN, "ok", None, [230.5, 88.1, 640.2, 71.3, 66.0, 52.9, 310.4]),
            (
                "Confirm save dialog",
                "failed",
                'step 3 (click image "save_button"): image "save_button" not found on the '
                "screen (best score 0.41, needed 0.80)",
                [120.4, 1000.9, 3004.2],
            ),
        ):
            run_id = runs.start(name, store.id_of(name))
            for position, ms in enumerate(times):
                last = position == len(times) - 1
                step_status = "failed" if status == "failed" and last else "ok"
                runs.step(run_id, position, step_status, runs_now(), ms)
            runs.finish(run_id, status, error)
    finally:
        db.close()


def runs_now() -> str:
    from app.storage.macros import now

    return now()


def wait_until(app, condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for the app")
        app.processEvents()
        time.sleep(0.01)


def save_small(image, path: Path) -> None:
    """A PNG of at most 256 colours: a screenshot of flat widgets loses nothing visible."""
    from PIL import Image

    raw = path.with_suffix(".raw.png")
    image.save(str(raw))
    with Image.open(raw) as picture:
        picture.convert("RGB").quantize(colors=256, dither=Image.Dither.NONE).save(
            path, optimize=True
        )
    raw.unlink()
    print(f"{path.name}: {path.stat().st_size // 1024} KiB", file=sys.stderr)


def take(out: Path, folder: Path) -> None:
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication

    from app.storage.database import default_database_path, open_database
    from app.storage.macros import MacroStore
    from app.ui.main_window import APPLICATION, ORGANIZATION, MainWindow
    from app.ui.preferences import Preferences
    from app.ui.settings_dialog import SettingsDialog

    app = QApplication.instance() or QApplication([])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    settings = QSettings(str(folder / "ui.ini"), QSettings.Format.IniFormat)
    settings.setValue("main_window/macro", MACRO_SHOWN)
    db_path = folder / "rpa.db"
    demo_database(db_path)
    db = open_database(db_path)
    window = MainWindow(MacroStore(db), settings)
    window.resize(*WINDOW_SIZE)
    window.show()
    wait_until(app, window.isVisible)
    vertical, horizontal = Qt.Orientation.Vertical, Qt.Orientation.Horizontal
    window.resizeDocks([window.runs_panel], [230], vertical)
    window.resizeDocks([window.chat_dock], [440], horizontal)
    window.editor.select_rows([2])

    dock = window.chat_dock
    for command in COMMANDS:
        before = dock.history.count()
        dock.input.setText(command)
        dock.ask()
        wait_until(app, lambda before=before: dock.history.count() > before and not dock.busy())
    for row in reversed(range(dock.history.count())):  # show the last understood answer
        dock.history.setCurrentRow(row)
        if dock.preview_steps():
            break
    window.runs_panel.refresh()
    for _ in range(20):
        app.processEvents()
        time.sleep(0.02)

    out.mkdir(parents=True, exist_ok=True)
    save_small(window.grab().toImage(), out / "main-window.png")
    save_small(dock.grab().toImage(), out / "chat-dock.png")

    # the dialog shows the usual per-user database, not the demo's temporary one
    shown_db = str(default_database_path()).replace(str(Path.home()), "~")
    dialog = SettingsDialog(Preferences.load(settings), window.model_runner, shown_db, window)
    dialog.show()
    wait_until(app, dialog.isVisible)
    for _ in range(10):
        app.processEvents()
        time.sleep(0.02)
    save_small(dialog.grab().toImage(), out / "settings.png")
    dialog.close()

    window.model_runner.wait()
    window.editor.set_steps(window.editor.steps())  # nothing to save: closes without asking
    window.close()
    db.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    with display(), tempfile.TemporaryDirectory(prefix="rpa-screenshots-") as tmp:
        os.environ["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")  # never the user's settings
        take(args.out.resolve(), Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
