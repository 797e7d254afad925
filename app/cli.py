"""The command line (DESIGN §5): a thin layer over app.core and app.storage.

Results go to stdout, messages to stderr. Every error is one line, `error: ` then where,
what was expected and what was found, with the exit code of DESIGN §5. Files are read and
checked before the database is opened, so bad input never touches it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from app import __version__
from app.core.errors import RpaError, UsageError
from app.core.files import read_macro_file, write_macro_file
from app.core.macro import Macro, check_macro_name, format_macro
from app.core.placeholders import macro_placeholders
from app.storage.database import default_database_path, open_database
from app.storage.macros import MacroExists, MacroStore


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors follow the one-line `error:` format with exit code 2."""

    def error(self, message: str):
        raise UsageError(f"{self.prog}: {message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="rpa-assistant",
        description="Record, edit and replay desktop macros.",
    )
    parser.add_argument("--version", action="version", version=f"rpa-assistant {__version__}")
    parser.add_argument(
        "--db",
        type=Path,
        help="the database file (default: $RPA_DB, else rpa.db in the per-user data folder)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    macros = commands.add_parser("macros", help="list, show, import, export, rename, delete")
    actions = macros.add_subparsers(dest="action", metavar="ACTION", required=True)

    p = actions.add_parser("list", help="one saved macro a line: name, steps, last change")
    p.add_argument("--json", action="store_true", help="print a JSON array instead")
    p.set_defaults(handler=cmd_list)

    p = actions.add_parser("show", help="print a macro in the step language")
    p.add_argument("name")
    p.set_defaults(handler=cmd_show)

    p = actions.add_parser("import", help="import a .txt or .zip macro file")
    p.add_argument("file", type=Path)
    p.add_argument("--name", help="save under this name instead of the one in the file")
    p.add_argument("--replace", action="store_true", help="overwrite a macro of the same name")
    p.set_defaults(handler=cmd_import)

    p = actions.add_parser("export", help="write a macro to a .txt file, or .zip with anchors")
    p.add_argument("name")
    p.add_argument("file", type=Path)
    p.add_argument("--force", action="store_true", help="overwrite the file if it exists")
    p.set_defaults(handler=cmd_export)

    p = actions.add_parser("delete", help="delete a macro and its run history")
    p.add_argument("name")
    p.set_defaults(handler=cmd_delete)

    p = actions.add_parser("rename", help="rename a macro (and the run steps that call it)")
    p.add_argument("old")
    p.add_argument("new")
    p.set_defaults(handler=cmd_rename)

    p = commands.add_parser("record", help="record mouse and keyboard into a new macro")
    p.add_argument("name", nargs="?", help="the new macro's name")
    p.add_argument("--stop-after", type=float, metavar="S", help="stop after S seconds")
    p.add_argument("--no-anchors", action="store_true", help="no image patches at clicks")
    p.add_argument("--replace", action="store_true", help="overwrite a macro of the same name")
    p.add_argument("--stop-hotkey", default="ctrl+alt+q", metavar="KEYS")
    p.add_argument(
        "--secret-hotkey",
        default="ctrl+alt+p",
        metavar="KEYS",
        help="toggles secret mode: what is typed is not recorded (passwords)",
    )
    p.add_argument(
        "--recover", action="store_true", help="turn interrupted recordings into their macros"
    )
    p.set_defaults(handler=cmd_record)

    p = commands.add_parser("check", help="parse macro files without importing them")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.set_defaults(handler=cmd_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        stream.reconfigure(errors="backslashreplace")
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 0
        return args.handler(args)
    except RpaError as bad:
        print(f"error: {bad}", file=sys.stderr)
        return bad.exit_code
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130


@contextmanager
def _macros(args: argparse.Namespace) -> Iterator[MacroStore]:
    """The macro store of the chosen database, closed afterwards."""
    db = open_database(args.db or default_database_path())
    try:
        yield MacroStore(db)
    finally:
        db.close()


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


# ---------------------------------------------------------------- commands


def cmd_list(args: argparse.Namespace) -> int:
    with _macros(args) as store:
        summaries = store.summaries()
    if args.json:
        print(json.dumps([asdict(s) for s in summaries], ensure_ascii=False, indent=1))
        return 0
    if not summaries:
        print("no macros saved yet; import one with 'macros import FILE'", file=sys.stderr)
        return 0
    width = max(len(s.name) for s in summaries)
    for s in summaries:
        steps = f"{s.steps} step" + ("" if s.steps == 1 else "s")
        print(f"{s.name.ljust(width)}  {steps:>12}  {s.updated.replace('T', ' ')[:16]}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    with _macros(args) as store:
        macro = store.load(args.name)
    sys.stdout.write(format_macro(macro))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    macro = read_macro_file(args.file, name=args.name)  # all checks before the database opens
    _warn_about_anchors(macro, str(args.file))
    with _macros(args) as store:
        store.save(macro, replace=args.replace)
    anchors = f", {len(macro.anchors)} anchors" if macro.anchors else ""
    print(f'imported "{macro.name}": {_steps(macro)}{anchors}')
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    with _macros(args) as store:
        macro = store.load(args.name)
    for warning in write_macro_file(macro, args.file, overwrite=args.force):
        _warn(warning)
    print(f'exported "{macro.name}" to {args.file}: {_steps(macro)}')
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    with _macros(args) as store:
        callers = store.delete(args.name)
    print(f'deleted "{args.name}"')
    if callers:
        _warn(f"these macros still call it with a run step: {', '.join(callers)}")
    return 0


def cmd_rename(args: argparse.Namespace) -> int:
    with _macros(args) as store:
        changed = store.rename(args.old, args.new)
    also = f" (and {changed} run step{'s' if changed != 1 else ''} that call it)" if changed else ""
    print(f'renamed "{args.old}" to "{args.new}"{also}')
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    failed = 0
    for path in args.files:
        try:
            macro = read_macro_file(path)
        except RpaError as bad:
            print(f"error: {bad}", file=sys.stderr)
            failed += 1
            continue
        columns = macro_placeholders(macro.steps)
        extra = f"; data columns: {', '.join(columns)}" if columns else ""
        print(f"{path}: OK ({_steps(macro)}{extra})")
        _warn_about_anchors(macro, str(path))
    return 1 if failed else 0


def _warn_about_anchors(macro: Macro, source: str) -> None:
    missing = macro.missing_anchors()
    if missing:
        _warn(
            f"{source}: the steps use images {', '.join(missing)} that the file does not carry "
            "(a .zip export keeps them); clicks fall back to their coordinates"
        )


def _steps(macro: Macro) -> str:
    return f"{len(macro.steps)} step" + ("" if len(macro.steps) == 1 else "s")


def cmd_record(args: argparse.Namespace) -> int:
    import signal

    from app.input import events
    from app.recorder.session import RecorderSettings, Recording, interrupted, recover

    db_path = args.db or default_database_path()
    if args.recover:
        if args.name:
            raise UsageError("record: --recover takes no NAME (it recovers every interrupted one)")
        return _recover_all(db_path, interrupted, recover)
    if not args.name:
        raise UsageError("record: give the new macro's NAME (or --recover)")
    check_macro_name(args.name)
    try:
        stop_keys = events.parse_chord(args.stop_hotkey)
        secret_keys = events.parse_chord(args.secret_hotkey)
    except ValueError as bad:
        raise UsageError(f"record: {bad}") from None
    if args.stop_after is not None and args.stop_after <= 0:
        raise UsageError("record: --stop-after takes a number of seconds above 0")
    with _macros(args) as store:
        if store.exists(args.name) and not args.replace:
            raise MacroExists(
                f"a macro named {args.name!r} already exists; choose another name or pass --replace"
            )
    for info in interrupted(db_path):
        _warn(
            f'an interrupted recording "{info.name}" ({info.events} events, started '
            f"{info.started}) can be recovered with 'record --recover'"
        )
    recording = Recording(
        db_path,
        args.name,
        RecorderSettings(
            stop_hotkey=stop_keys, secret_hotkey=secret_keys, anchors=not args.no_anchors
        ),
    )
    recording.start()
    previous = {
        signal.SIGINT: signal.signal(signal.SIGINT, lambda *_: recording.request_stop("interrupt")),
        signal.SIGTERM: signal.signal(
            signal.SIGTERM, lambda *_: recording.request_stop("terminate")
        ),
    }
    try:
        print(f'recording "{args.name}" — press {args.stop_hotkey} to stop', file=sys.stderr)
        deadline = None if args.stop_after is None else time.monotonic() + args.stop_after
        while not recording.wait(0.1):
            if deadline is not None and time.monotonic() >= deadline:
                recording.request_stop("time")
        result = recording.finish()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    for note in result.notes:
        _warn(note)
    for name in result.secrets:
        _warn(f'the macro types the secret "{name}": store it in the system keyring to replay')
    print(f'saved "{args.name}": {_steps(result.macro)}', file=sys.stderr)
    return 130 if result.reason == "interrupt" else 0


def _recover_all(db_path: Path, interrupted, recover) -> int:
    found = interrupted(db_path)
    if not found:
        print("no interrupted recording to recover", file=sys.stderr)
        return 0
    for info in found:
        macro, notes = recover(db_path, info)
        for note in notes:
            _warn(note)
        print(f'recovered "{macro.name}": {_steps(macro)} (recording started {info.started})')
    return 0
