"""What the process sets up first (app/startup.py) and what the packaged program undoes for
the programs it starts (app/frozen.py): the Windows paths run here with stand-ins for
kernel32 and the import system; the packaged Linux path also runs for real in
tests/test_package.py."""

from __future__ import annotations

import types

import pytest

from app.frozen import dll_directory_cleared, is_frozen, restore_library_path
from app.startup import ensure_std_streams, preload_model_runtime

# ------------------------------------------------------------ standard streams


def test_a_program_without_a_console_gets_streams_that_swallow_output():
    system = types.SimpleNamespace(stdout=None, stderr=None)
    assert ensure_std_streams(system) == ["stdout", "stderr"]
    print("goes nowhere", file=system.stdout)  # would raise on None
    system.stderr.write("warning\n")


def test_existing_streams_are_left_alone():
    out, err = object(), object()
    system = types.SimpleNamespace(stdout=out, stderr=err)
    assert ensure_std_streams(system) == []
    assert (system.stdout, system.stderr) == (out, err)


# ------------------------------------------------------------ onnxruntime before Qt


def test_windows_loads_onnxruntime_first():
    imported = []
    assert preload_model_runtime("win32", imported.append) == "loaded"
    assert imported == ["onnxruntime"]


def test_a_missing_onnxruntime_is_reported_not_raised():
    def missing(name):
        raise ImportError(f"DLL load failed while importing {name}")

    result = preload_model_runtime("win32", missing)
    assert result == "failed: DLL load failed while importing onnxruntime"


@pytest.mark.parametrize("platform", ["linux", "darwin"])
def test_elsewhere_start_up_loads_no_model_library(platform):
    imported = []
    assert preload_model_runtime(platform, imported.append) == "not needed"
    assert imported == []


# ------------------------------------------------------------ LD_LIBRARY_PATH for children


def test_from_source_the_environment_is_untouched():
    env = {"LD_LIBRARY_PATH": "/opt/lib"}
    assert restore_library_path(env, frozen=False, platform="linux") is False
    assert env == {"LD_LIBRARY_PATH": "/opt/lib"}
    assert is_frozen(types.SimpleNamespace()) is False
    assert is_frozen(types.SimpleNamespace(frozen=True)) is True


def test_packaged_children_get_the_users_library_path_back():
    env = {"LD_LIBRARY_PATH": "/app/_internal:/opt/lib", "LD_LIBRARY_PATH_ORIG": "/opt/lib"}
    assert restore_library_path(env, frozen=True, platform="linux") is True
    assert env == {"LD_LIBRARY_PATH": "/opt/lib"}


def test_packaged_children_get_no_library_path_when_the_user_had_none():
    env = {"LD_LIBRARY_PATH": "/app/_internal", "HOME": "/home/ada"}
    assert restore_library_path(env, frozen=True, platform="linux") is True
    assert env == {"HOME": "/home/ada"}


def test_windows_uses_no_library_path_variable():
    env = {"LD_LIBRARY_PATH": "x"}
    assert restore_library_path(env, frozen=True, platform="win32") is False
    assert env == {"LD_LIBRARY_PATH": "x"}


# ------------------------------------------------------------ SetDllDirectory for children


class FakeKernel32:
    """Records SetDllDirectoryW calls; GetDllDirectoryW reports the current directory."""

    def __init__(self, directory: str):
        self.directory = directory
        self.calls: list[str | None] = []

    def GetDllDirectoryW(self, size, buffer):
        buffer.value = self.directory
        return len(self.directory)

    def SetDllDirectoryW(self, path):
        self.calls.append(path)
        self.directory = path or ""
        return 1


def test_windows_children_start_without_the_bundles_dll_directory():
    kernel32 = FakeKernel32(r"C:\Program Files\RPA Assistant\_internal")
    with dll_directory_cleared("win32", frozen=True, kernel32=kernel32):
        assert kernel32.directory == ""  # a child started here searches the usual places
    assert kernel32.calls == [None, r"C:\Program Files\RPA Assistant\_internal"]


def test_the_dll_directory_comes_back_when_starting_the_child_fails():
    kernel32 = FakeKernel32(r"C:\app\_internal")
    with (
        pytest.raises(OSError),
        dll_directory_cleared("win32", frozen=True, kernel32=kernel32),
    ):
        raise OSError("not found")
    assert kernel32.directory == r"C:\app\_internal"


@pytest.mark.parametrize(("platform", "frozen"), [("win32", False), ("linux", True)])
def test_dll_directory_is_left_alone_from_source_and_off_windows(platform, frozen):
    kernel32 = FakeKernel32("kept")
    with dll_directory_cleared(platform, frozen=frozen, kernel32=kernel32):
        pass
    assert kernel32.calls == []
