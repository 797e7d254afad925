"""The self-test's look at the desktop app: Qt starts, the main window opens and closes.

The window goes through everything a real start does (the platform plugin, the widgets,
the database behind them) but is never mapped on the screen (WA_DontShowOnScreen), so a
check on a user's desktop does not flash a window at them.
"""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QSettings, Qt
from PySide6.QtWidgets import QApplication

from app.storage.macros import MacroStore
from app.ui.main_window import MainWindow


def platform_plugin_problem() -> str | None:
    """Why Qt's X11 platform plugin would not load, or None when it would (or is not used).

    Qt aborts the whole process when its platform plugin fails to load, with a message
    that often blames the wrong library. Loading the plugin file here first turns that
    into one line naming the missing system library (e.g. libxcb-icccm.so.4).
    """
    wanted = os.environ.get("QT_QPA_PLATFORM", "xcb").split(";")[0].split(":")[0]
    if not sys.platform.startswith("linux") or wanted != "xcb":
        return None
    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    plugin = plugins / "platforms" / "libqxcb.so"
    if not plugin.is_file():
        return f"Qt's xcb platform plugin is missing: {plugin}"
    try:
        ctypes.CDLL(str(plugin))
    except OSError as bad:
        return f"Qt's xcb platform plugin cannot load: {bad}"
    return None


def open_and_close_main_window(store: MacroStore, settings_file: Path) -> str:
    """Show the main window off-screen on `store`, close it; returns what was seen.

    Raises RuntimeError when the window did not come up as it should.
    """
    app = QApplication.instance() or QApplication(sys.argv[:1])
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    window = MainWindow(store, settings)
    try:
        window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        window.show()
        app.processEvents()
        if not window.isVisible():
            raise RuntimeError("the main window did not open")
        listed = window.macro_list.count()
        expected = len(store.names())
        if listed != expected:
            raise RuntimeError(f"the window lists {listed} macros, the database has {expected}")
        if not window.close():
            raise RuntimeError("the main window refused to close")
        app.processEvents()
        plural = "" if listed == 1 else "s"
        return (
            f"opened and closed on the {app.platformName()} platform, {listed} macro{plural} listed"
        )
    finally:
        window.deleteLater()
        app.processEvents()
