"""What the process puts right before anything else runs, for Windows: standard streams
in a program without a console, and the order in which native libraries load.

Each function takes the platform or the `sys` module as an argument, so tests run the
Windows paths with stand-ins on any machine.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable
from types import ModuleType


def ensure_std_streams(system: ModuleType = sys) -> list[str]:
    """Give the process a stdout and stderr; returns the names that were missing.

    A Windows program built without a console (the Start-menu one) has None for both, and
    the first print or warning would raise. Output there goes nowhere, as it should.
    """
    missing = []
    for name in ("stdout", "stderr"):
        if getattr(system, name) is None:
            setattr(system, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
            missing.append(name)
    return missing


def preload_model_runtime(
    platform: str = sys.platform,
    import_module: Callable[[str], ModuleType] = importlib.import_module,
) -> str:
    """On Windows, load onnxruntime before Qt; returns what happened (for the self-test).

    PySide6 ships its own copy of the Microsoft C++ runtime DLLs. When Qt is loaded first,
    a later `import onnxruntime` finds those older DLLs already in the process and fails
    with "DLL load failed". Loading onnxruntime first makes Qt use the newer ones, which
    it accepts. Elsewhere nothing is loaded: start-up stays fast and the model's libraries
    load with the first question.
    """
    if platform != "win32":
        return "not needed"
    try:
        import_module("onnxruntime")
    except ImportError as bad:  # the model check reports it in detail
        return f"failed: {bad}"
    return "loaded"
