"""`python -m app` and the `rpa-assistant` console script: the desktop app with no command,
the command line with one."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from app.dpi import declare_dpi_awareness
    from app.frozen import restore_library_path
    from app.startup import ensure_std_streams, preload_model_runtime

    declare_dpi_awareness()  # before anything can create a window or take a screenshot
    ensure_std_streams()  # the Windows Start-menu program has no console
    restore_library_path()  # programs started from the packaged app get their own libraries
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--self-test"]:
        if len(args) > 1:
            print("error: --self-test takes no other arguments", file=sys.stderr)
            return 2
        preload_model_runtime()  # Windows: onnxruntime before Qt (app/startup.py)
        from app.selftest import run_self_test

        return run_self_test()
    db = _gui_database(args)
    if db is not False:
        preload_model_runtime()
        return _open_app(db)
    from app.cli import main as cli_main

    return cli_main(args)


def _gui_database(args: list[str]):
    """The --db path if the arguments ask for the desktop app (no command), else False."""
    if not args:
        return None
    if len(args) == 2 and args[0] == "--db":
        return args[1]
    if len(args) == 1 and args[0].startswith("--db="):
        return args[0].split("=", 1)[1]
    return False


def _open_app(db) -> int:
    from pathlib import Path

    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        print(
            "error: no display: the desktop app needs a desktop session; "
            "the command line works anywhere (see --help)",
            file=sys.stderr,
        )
        return 5
    from app.ui.app import run_gui

    return run_gui(Path(db) if db else None)  # None: RPA_DB, Settings, or the default


if __name__ == "__main__":
    sys.exit(main())
