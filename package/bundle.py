"""What the one-folder build holds, as plain data and pure functions.

`build.spec` reads this module; keeping the choices here lets tests check them without
running PyInstaller. Three kinds of choice:

- modules PyInstaller cannot see: the input libraries pick their platform backend at run
  time (`importlib.import_module`), so the backend modules are named here;
- modules it must not follow: the training stack, test tools and unused Qt bindings
  are installed beside the app in a developer's environment but never used by it;
- files it collects but the app does not need: Qt's translations and the Qt plugins for
  displays and image formats the app does not use.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath

APP_NAME = "rpa-assistant"

# pynput chooses `pynput.<kind>._<backend>` when it is imported, PyAutoGUI imports its
# `_pyautogui_<os>` module behind a platform check, and keyring finds its backends through
# entry points (PyInstaller's keyring hook collects those).
_BACKENDS = {
    "linux": (
        "pynput.keyboard._xorg",
        "pynput.mouse._xorg",
        "pynput._util.xorg",
        "pynput._util.xorg_keysyms",
        "pyautogui._pyautogui_x11",
        "Xlib.ext.record",
        "Xlib.ext.xtest",
    ),
    "win32": (
        "pynput.keyboard._win32",
        "pynput.mouse._win32",
        "pynput._util.win32",
        "pynput._util.win32_vks",
        "pyautogui._pyautogui_win",
    ),
    "darwin": (
        "pynput.keyboard._darwin",
        "pynput.mouse._darwin",
        "pynput._util.darwin",
        "pynput._util.darwin_vks",
        "pyautogui._pyautogui_osx",
    ),
}

# Imported lazily inside functions, so listed too: a missing one would only show when the
# user first records, plays or asks.
_LAZY_IMPORTS = ("onnxruntime", "tokenizers", "cv2", "mss", "keyring")

# The Qt bindings the app uses (PySide6-Essentials); every other binding is left out.
QT_MODULES_USED = ("QtCore", "QtGui", "QtWidgets")
_QT_MODULES_UNUSED = (
    "QtConcurrent", "QtDBus", "QtDesigner", "QtHelp", "QtNetwork", "QtOpenGL",
    "QtOpenGLWidgets", "QtPrintSupport", "QtQml", "QtQuick", "QtQuickControls2",
    "QtQuickTest", "QtQuickWidgets", "QtSql", "QtSvg", "QtSvgWidgets", "QtTest",
    "QtUiTools", "QtXml",
)  # fmt: skip

# Installed in a developer's environment (the `train` and `dev` extras) and reachable from
# optional imports of installed packages, but never used by the app.
# modules of the app the package does without: `serve` answers with an install hint there
NOT_IN_THE_PACKAGE = ("app/nl/server.py",)

EXCLUDED_MODULES = (
    # training: torch alone is ~630 MB
    "torch", "torchgen", "functorch", "transformers", "onnx", "safetensors",
    "huggingface_hub", "hf_xet", "tqdm", "regex", "ml_dtypes",
    # onnxruntime's tooling (quantization, transformer optimisers) imports onnx and torch
    "onnxruntime.quantization", "onnxruntime.transformers", "onnxruntime.tools",
    # tests and development tools
    "pytest", "_pytest", "pytestqt", "hypothesis", "importlinter", "grimp", "keyrings.alt",
    # pulled in only by the excluded packages above
    "pydantic", "pydantic_core", "yaml", "jinja2", "rich", "typer",
    # `serve` (FastAPI needs pydantic, left out above): run it from an installed checkout
    "fastapi", "starlette", "uvicorn",
    "setuptools", "pkg_resources",
    # PyAutoGUI's screenshot and locate helpers (the app grabs with mss, matches with OpenCV)
    "PIL", "pyscreeze", "mouseinfo",
    # GUI toolkits the app does not use
    "tkinter", "_tkinter", "matplotlib", "IPython",
    *(f"PySide6.{name}" for name in _QT_MODULES_UNUSED),
)  # fmt: skip

# Native libraries loaded through ctypes, collected only when their package is installed.
OPTIONAL_NATIVE_PACKAGES = ("llama_cpp",)

# Qt plugins kept, per plugin folder (file stems without "lib" and the suffix); folders not
# named here are dropped whole. Windows and X11 windows, the off-screen platform for
# headless checks, input methods (Chinese typing through ibus), the desktop portal theme.
_QT_PLUGINS_KEPT = {
    "platforms": {"qxcb", "qoffscreen", "qwindows", "qcocoa", "qminimal"},
    "platforminputcontexts": {
        "composeplatforminputcontextplugin",
        "ibusplatforminputcontextplugin",
    },
    "platformthemes": {"qxdgdesktopportal"},
    "xcbglintegrations": {"qxcb-glx-integration", "qxcb-egl-integration"},
    "styles": {"qmodernwindowsstyle", "qwindowsvistastyle"},
    "iconengines": {"qsvgicon"},
    "imageformats": {"qico", "qsvg"},
}

# Libraries PyInstaller collected only for the GTK theme plugin dropped above.
_GTK_THEME_LIBRARIES = (
    "libatk-", "libcairo", "libgdk", "libgtk", "libpango", "libpixman-", "libfribidi",
    "libthai", "libdatrie", "libgraphite2", "libepoxy",
)  # fmt: skip


def platform_key(platform: str) -> str:
    """`sys.platform` folded to one of linux, win32, darwin."""
    if platform.startswith("linux"):
        return "linux"
    if platform in ("win32", "cygwin"):
        return "win32"
    if platform == "darwin":
        return "darwin"
    raise ValueError(f"no package build for platform {platform!r}: linux, win32 or darwin")


def hidden_imports(platform: str) -> list[str]:
    """Modules to bundle although no import statement names them, for one platform."""
    return [*_BACKENDS[platform_key(platform)], *_LAZY_IMPORTS]


# what an optional package needs that EXCLUDED_MODULES leaves out otherwise: llama-cpp-python
# renders a GGUF model's chat template with jinja2
_NEEDED_BY_OPTIONAL = {"llama_cpp": ("jinja2",)}


def excluded_modules(optional: list[str]) -> list[str]:
    """EXCLUDED_MODULES less what the optional packages bundled here need."""
    needed = {name for package in optional for name in _NEEDED_BY_OPTIONAL.get(package, ())}
    return [name for name in EXCLUDED_MODULES if name not in needed]


def installed_optional_packages(
    find_spec: Callable[[str], object | None] = importlib.util.find_spec,
) -> list[str]:
    """The optional native packages installed here (llama-cpp-python is not by default)."""
    return [name for name in OPTIONAL_NATIVE_PACKAGES if find_spec(name) is not None]


def keep_file(destination: str) -> bool:
    """Whether a collected file (its path inside the bundle) belongs in the package."""
    parts = PurePath(destination.replace("\\", "/")).parts
    name = parts[-1]
    if "PySide6" in parts:
        if "translations" in parts:
            return False  # the app's own text is English; Qt's dialog strings are not needed
        if len(parts) >= 3 and parts[-3] == "plugins":
            return _plugin_stem(name) in _QT_PLUGINS_KEPT.get(parts[-2], ())
    return not name.startswith(_GTK_THEME_LIBRARIES)


def _plugin_stem(file_name: str) -> str:
    stem = file_name.split(".", 1)[0]
    return stem[3:] if stem.startswith("lib") else stem


def kept(entries: Iterable[tuple]) -> list[tuple]:
    """PyInstaller TOC entries (destination, source, kind) minus those `keep_file` refuses."""
    return [entry for entry in entries if keep_file(entry[0])]


# Stripped of debug symbols on Linux: libpython is 23 MB with them, 5 MB without, and the
# standard library's extension modules 12 MB against 4. Only Python's own files: stripping
# a wheel's libraries that auditwheel patched breaks them ("ELF load command
# address/offset not page-aligned", measured with numpy's OpenBLAS), so PyInstaller's
# strip-everything option stays off.
def should_strip(destination: str, kind: str) -> bool:
    parts = PurePath(destination).parts
    if kind == "BINARY" and parts[-1].startswith("libpython"):
        return True
    return kind == "EXTENSION" and len(parts) == 3 and parts[1] == "lib-dynload"


def stripped(
    entries: Iterable[tuple], folder: Path, strip: Callable[[str, Path], None]
) -> list[tuple]:
    """TOC entries with Python's own libraries (`should_strip`) replaced by stripped
    copies made in `folder` by `strip(source, target)`."""
    result = []
    for dest, source, kind in entries:
        if should_strip(dest, kind):
            target = folder / "stripped" / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            strip(source, target)
            source = str(target)
        result.append((dest, source, kind))
    return result


def is_qt_library(file_name: str) -> bool:
    """libQt6Network.so.6 (Linux), Qt6Network.dll (Windows): one of Qt's own libraries."""
    return file_name.startswith("libQt6") or (
        file_name.startswith("Qt6") and file_name.lower().endswith(".dll")
    )


def unused_qt_libraries(
    entries: Iterable[tuple], imports_of: Callable[[str], Iterable[str]]
) -> set[str]:
    """File names of the Qt libraries that no other collected binary loads.

    PyInstaller collects each plugin's libraries (QtNetwork for the TLS plugins, the
    Wayland client for the Wayland plugins); once `keep_file` has dropped the plugins,
    those libraries are left over. `imports_of(source path)` gives the file names a binary
    links to. Every binary that is not a Qt library is a root (Python extensions, kept
    plugins, other libraries); a Qt library reached from none of them is unused.
    """
    sources = {
        PurePath(dest.replace("\\", "/")).name: source
        for dest, source, kind in entries
        if kind in ("BINARY", "EXTENSION")
    }
    qt = {name for name in sources if is_qt_library(name)}
    reached: set[str] = set()
    waiting = [name for name in sources if name not in qt]
    while waiting:
        name = waiting.pop()
        if name in reached:
            continue
        reached.add(name)
        waiting.extend(dep for dep in imports_of(sources[name]) if dep in sources)
    return qt - reached


def without_files(entries: Iterable[tuple], names: set[str]) -> list[tuple]:
    """TOC entries minus the files called `names`, and the links that point at them."""
    return [
        entry
        for entry in entries
        if PurePath(entry[0].replace("\\", "/")).name not in names
        and not (entry[2] == "SYMLINK" and PurePath(entry[1].replace("\\", "/")).name in names)
    ]
