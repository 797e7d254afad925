"""The packaged program (PyInstaller) as the programs it starts see it.

Its launcher makes the bundled libraries load first: on Linux by putting the bundle on
LD_LIBRARY_PATH, on Windows with SetDllDirectory. Child processes inherit both, so `xclip`,
the web browser or a program a macro launches would load our copies of libraries instead
of their own. These functions undo that for children only. Each takes the platform and
the environment or kernel32 as arguments, so tests run every path with stand-ins.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from types import ModuleType
from typing import Any


def is_frozen(system: ModuleType = sys) -> bool:
    """True in the packaged program (PyInstaller sets `sys.frozen`), False from source."""
    return bool(getattr(system, "frozen", False))


def restore_library_path(
    environ: MutableMapping[str, str] = os.environ,
    frozen: bool | None = None,
    platform: str = sys.platform,
) -> bool:
    """Give children the user's LD_LIBRARY_PATH back; True if it was changed.

    The launcher keeps the user's value in LD_LIBRARY_PATH_ORIG (absent when there was
    none). The dynamic loader read the path when this process started, so changing the
    variable now affects only the processes started from here on.
    """
    if frozen is None:
        frozen = is_frozen()
    if not frozen or not platform.startswith("linux"):
        return False
    original = environ.pop("LD_LIBRARY_PATH_ORIG", None)
    if original is None:
        return environ.pop("LD_LIBRARY_PATH", None) is not None
    environ["LD_LIBRARY_PATH"] = original
    return True


@contextmanager
def dll_directory_cleared(
    platform: str = sys.platform, frozen: bool | None = None, kernel32: Any = None
) -> Iterator[None]:
    """On Windows, start child processes inside this block: the bundle's DLL directory is
    cleared for them and set back afterwards (the app itself still needs it for the
    libraries it loads later). Elsewhere, and from source, it does nothing."""
    if frozen is None:
        frozen = is_frozen()
    if platform != "win32" or not frozen:
        yield
        return
    if kernel32 is None:
        kernel32 = _kernel32()
    previous = _dll_directory(kernel32)
    kernel32.SetDllDirectoryW(None)
    try:
        yield
    finally:
        kernel32.SetDllDirectoryW(previous or None)


def _kernel32():
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.SetDllDirectoryW.argtypes = [ctypes.c_wchar_p]
    kernel32.GetDllDirectoryW.argtypes = [ctypes.c_uint32, ctypes.c_wchar_p]
    return kernel32


def _dll_directory(kernel32) -> str:
    import ctypes

    buffer = ctypes.create_unicode_buffer(32768)
    kernel32.GetDllDirectoryW(len(buffer), buffer)
    return buffer.value
