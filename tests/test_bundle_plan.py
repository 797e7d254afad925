"""What the package build puts in and leaves out (package/bundle.py), checked without
running PyInstaller; tests/test_package.py builds the real thing."""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "package"))
import bundle  # package/bundle.py, imported the way build.spec imports it


def module_file_exists(name: str) -> bool:
    """Whether `name` is a module of an installed package, without importing the module
    (importing pynput.keyboard._win32 on Linux would fail for the wrong reason)."""
    top, *rest = name.split(".")
    spec = importlib.util.find_spec(top)
    assert spec is not None, f"{top} is not installed"
    folder = Path(spec.origin).parent
    path = folder.joinpath(*rest)
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


@pytest.mark.parametrize("platform", ["linux", "win32", "darwin"])
def test_every_named_backend_exists_in_the_installed_libraries(platform):
    """A misspelt hidden import only warns at build time and fails on the user's machine."""
    names = bundle.hidden_imports(platform)
    missing = [name for name in names if not module_file_exists(name)]
    assert missing == []


def test_each_platform_gets_its_own_input_backends():
    assert "pynput.keyboard._xorg" in bundle.hidden_imports("linux")
    assert "pynput.mouse._win32" in bundle.hidden_imports("win32")
    assert "pyautogui._pyautogui_win" in bundle.hidden_imports("win32")
    assert not any("_win32" in name for name in bundle.hidden_imports("linux"))
    with pytest.raises(ValueError, match="no package build for platform 'sunos5'"):
        bundle.hidden_imports("sunos5")


def imported_top_level_names(folder: Path, leave_out: tuple[str, ...] = ()) -> set[str]:
    names = set()
    for path in folder.rglob("*.py"):
        if path.relative_to(folder.parent).as_posix() in leave_out:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
    return names


def test_the_app_imports_nothing_the_build_leaves_out():
    """Excluding a module the app uses would break the package only at run time."""
    excluded = set(bundle.EXCLUDED_MODULES)
    used = imported_top_level_names(ROOT / "app", bundle.NOT_IN_THE_PACKAGE)
    clashes = {
        name for name in used if any(name == x or name.startswith(x + ".") for x in excluded)
    }
    assert clashes == set()


def test_qt_bindings_the_app_imports_are_the_ones_kept():
    used = {name for name in imported_top_level_names(ROOT / "app") if name.startswith("PySide6.")}
    assert used == {f"PySide6.{name}" for name in bundle.QT_MODULES_USED}


def test_llama_cpp_keeps_the_jinja2_its_chat_templates_need():
    assert "jinja2" in bundle.excluded_modules([])
    assert "jinja2" not in bundle.excluded_modules(["llama_cpp"])
    assert "torch" in bundle.excluded_modules(["llama_cpp"])


def test_llama_cpp_is_collected_only_when_installed():
    assert bundle.installed_optional_packages(lambda name: None) == []
    assert bundle.installed_optional_packages(lambda name: object()) == ["llama_cpp"]


@pytest.mark.parametrize(
    ("destination", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
        ("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so", True),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so", False),
        ("PySide6/Qt/translations/qtbase_zh_CN.qm", False),
        ("PySide6\\plugins\\platforms\\qwindows.dll", True),
        ("PySide6\\plugins\\styles\\qmodernwindowsstyle.dll", True),
        ("PySide6\\translations\\qtbase_de.qm", False),
        ("libcairo.so.2", False),
        ("PySide6/Qt/lib/libQt6Core.so.6", True),
        ("resources/models/model.onnx", True),
        ("cv2/plugins/x/y.so", True),  # only Qt's plugin folders are pruned
    ],
)
def test_which_collected_files_are_kept(destination, kept):
    assert bundle.keep_file(destination) is kept


def test_qt_libraries_only_dropped_plugins_needed_are_left_out():
    entries = [
        ("PySide6/QtWidgets.abi3.so", "/qt/QtWidgets.abi3.so", "EXTENSION"),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", "/qt/libQt6Widgets.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/qt/libQt6Gui.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Core.so.6", "/qt/libQt6Core.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Network.so.6", "/qt/libQt6Network.so.6", "BINARY"),
        ("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/qt/libqxcb.so", "BINARY"),
        ("PySide6/Qt/lib/libQt6XcbQpa.so.6", "/qt/libQt6XcbQpa.so.6", "BINARY"),
    ]
    links = {
        "QtWidgets.abi3.so": {"libQt6Widgets.so.6", "libc.so.6"},
        "libQt6Widgets.so.6": {"libQt6Gui.so.6"},
        "libQt6Gui.so.6": {"libQt6Core.so.6"},
        "libqxcb.so": {"libQt6XcbQpa.so.6"},
        "libQt6Network.so.6": {"libQt6Core.so.6"},
    }
    unused = bundle.unused_qt_libraries(entries, lambda source: links.get(Path(source).name, ()))
    assert unused == {"libQt6Network.so.6"}
    left = [entry[0] for entry in bundle.without_files(entries, unused)]
    assert "libQt6Network.so.6" not in left
    assert "PySide6/Qt/lib/libQt6Network.so.6" not in left
    assert "PySide6/Qt/lib/libQt6XcbQpa.so.6" in left


def test_only_pythons_own_libraries_are_stripped(tmp_path):
    stripped = []

    def strip(source, target):
        stripped.append(source)
        Path(target).write_bytes(b"stripped")

    dynload = "python3.11/lib-dynload/_decimal.cpython-311-x86_64-linux-gnu.so"
    entries = [
        ("libpython3.11.so.1.0", "/usr/local/lib/libpython3.11.so.1.0", "BINARY"),
        (dynload, f"/usr/local/lib/{dynload}", "EXTENSION"),
        ("numpy.libs/libopenblas.so", "/venv/numpy.libs/libopenblas.so", "BINARY"),
        ("cv2/cv2.abi3.so", "/venv/cv2/cv2.abi3.so", "EXTENSION"),
        ("resources/models/model.onnx", "/src/resources/models/model.onnx", "DATA"),
    ]
    result = bundle.stripped(entries, tmp_path, strip)
    assert stripped == ["/usr/local/lib/libpython3.11.so.1.0", f"/usr/local/lib/{dynload}"]
    assert result[0][1] == str(tmp_path / "stripped" / "libpython3.11.so.1.0")
    assert result[1][1] == str(tmp_path / "stripped" / dynload)
    assert (tmp_path / "stripped" / dynload).read_bytes() == b"stripped"
    assert result[2:] == entries[2:]


def test_the_spec_and_the_windows_installer_agree_on_names():
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    installer = (ROOT / "package" / "rpa-assistant.iss").read_text(encoding="utf-8")
    workflow = (ROOT / ".github" / "workflows" / "windows.yml").read_text(encoding="utf-8")
    assert 'f"{bundle.APP_NAME}-cli"' in spec
    assert bundle.APP_NAME == "rpa-assistant"
    assert r"dist\rpa-assistant\*" in installer
    assert "rpa-assistant.exe" in installer
    assert r"dist\rpa-assistant\rpa-assistant-cli.exe --self-test" in workflow
    assert r"iscc /DAppVersion=$version package\rpa-assistant.iss" in workflow
