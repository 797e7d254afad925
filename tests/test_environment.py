"""The test display works for real: Qt on xcb, input via XTEST, screenshots.

scripts/run-tests.sh starts Xvfb and sets RPA_TEST_DISPLAY=xvfb; then the exact
set-up (xcb platform, screen size) is asserted too. Nothing here is skipped.
"""

import os
import subprocess

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel

UNDER_XVFB = os.environ.get("RPA_TEST_DISPLAY") == "xvfb"


def _screen_size() -> tuple[int, int]:
    if UNDER_XVFB:
        w, h = os.environ.get("RPA_TEST_SCREEN", "1280x800").split("x")
        return int(w), int(h)
    from Xlib.display import Display

    d = Display()
    try:
        s = d.screen()
        return s.width_in_pixels, s.height_in_pixels
    finally:
        d.close()


def test_qt_window_is_exposed(qtbot):
    w = QLabel("RPA 助手")
    qtbot.addWidget(w)
    with qtbot.waitExposed(w, timeout=5000):  # a context manager: waits on exit
        w.show()
    assert w.isVisible()
    assert w.windowHandle().isExposed()
    if UNDER_XVFB:
        assert QGuiApplication.platformName() == "xcb"


def test_xdotool_moves_pointer_and_pyautogui_reads_it():
    import pyautogui

    subprocess.run(["xdotool", "mousemove", "321", "234"], check=True, timeout=10)
    assert tuple(pyautogui.position()) == (321, 234)
    subprocess.run(["xdotool", "mousemove", "77", "500"], check=True, timeout=10)
    assert tuple(pyautogui.position()) == (77, 500)


def test_mss_screenshot_has_screen_size():
    import mss

    factory = getattr(mss, "MSS", None) or mss.mss
    with factory() as sct:
        shot = sct.grab(sct.monitors[0])
    assert shot.size == _screen_size()
    if UNDER_XVFB:
        assert shot.size == (1280, 800)
