"""The command line (DESIGN §5): a thin layer over app.core and app.storage.

Results go to stdout, messages to stderr. Every error is one line, `error: ` then where,
what was expected and what was found, with the exit code of DESIGN §5. Files are read and
checked before the database is opened, so bad input never touches it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from app import __version__
from app.core.errors import EnvironmentProblem, InputError, RpaError, UsageError
from app.core.files import missing_anchors_warning, read_macro_file, write_macro_file
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
        epilog="With no COMMAND it opens the desktop app. rpa-assistant --self-test checks "
        "that the installed app works: database, language model, input, window, screenshot.",
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

    p = commands.add_parser("run", help="play a saved macro")
    p.add_argument("name")
    p.add_argument(
        "--speed",
        type=float,
        default=1.0,
        metavar="X",
        help="0.25 to 10 times as fast as recorded (waits shrink; default 1)",
    )
    p.add_argument("--times", type=int, default=1, metavar="N", help="play it N times")
    p.add_argument(
        "--data",
        type=Path,
        metavar="FILE.csv",
        help="play once per row, filling {{column}} placeholders",
    )
    p.add_argument("--from-step", type=int, default=1, metavar="N", help="start at step N")
    p.add_argument(
        "--confidence",
        type=float,
        default=0.8,
        metavar="C",
        help="how alike an image must be to count as found (0.5-1, default 0.8)",
    )
    p.add_argument("--dry-run", action="store_true", help="print what it would do; touch nothing")
    p.set_defaults(handler=cmd_run)

    p = commands.add_parser("runs", help="the run history")
    p.add_argument("name", nargs="?", help="only the runs of this macro")
    p.add_argument("--id", type=int, metavar="RUN", help="one run's steps, times and details")
    p.add_argument(
        "--screenshot",
        type=Path,
        metavar="FILE.png",
        help="with --id: save the screenshot taken when the run failed",
    )
    p.add_argument("--limit", type=int, default=20, metavar="N")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_runs)

    p = commands.add_parser("secret", help="store or remove a secret for `type secret` steps")
    p.add_argument("action", choices=["set", "delete"])
    p.add_argument("name")
    p.set_defaults(handler=cmd_secret)

    p = commands.add_parser("ask", help="turn a command into steps with the local model")
    p.add_argument("text", nargs="?", metavar="COMMAND", help='e.g. "open notepad and type hello"')
    p.add_argument(
        "--macros", action="store_true", help="let the command refer to the saved macros by name"
    )
    p.add_argument("--save", metavar="NAME", help="save the steps as a new macro")
    p.add_argument("--run", action="store_true", help="play the steps right away")
    p.add_argument(
        "--batch",
        type=Path,
        metavar="IN.jsonl",
        help='one {"command", "macros"} JSON object a line',
    )
    p.add_argument("--out", type=Path, metavar="OUT.jsonl", help="with --batch (default stdout)")
    p.add_argument(
        "--backend",
        choices=["onnx", "llama"],
        default="onnx",
        help="onnx: onnxruntime (default); llama: a GGUF file through llama.cpp",
    )
    p.add_argument(
        "--model",
        type=Path,
        metavar="FILE.gguf",
        help="with --backend llama (default: the shipped model-q8_0.gguf)",
    )
    p.add_argument("--provider", choices=["auto", "cpu", "cuda"], default="auto")
    p.set_defaults(handler=cmd_ask)

    p = commands.add_parser("serve", help="answer `ask` over HTTP: POST /ask, GET /health")
    p.add_argument(
        "--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)"
    )
    p.add_argument("--port", type=int, default=8765, help="0 picks a free one (default: 8765)")
    p.add_argument("--backend", choices=["onnx", "llama"], default="onnx")
    p.add_argument("--model", type=Path, metavar="FILE.gguf", help="with --backend llama")
    p.add_argument("--provider", choices=["auto", "cpu", "cuda"], default="auto")
    p.add_argument(
        "--token",
        help="require 'Authorization: Bearer T' on every request (default: $RPA_SERVE_TOKEN; "
        "needed to listen on any address but this computer's)",
    )
    p.set_defaults(handler=cmd_serve)

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
    warning = missing_anchors_warning(macro, source)
    if warning:
        _warn(warning)


def _steps(macro: Macro) -> str:
    return f"{len(macro.steps)} step" + ("" if len(macro.steps) == 1 else "s")


def cmd_record(args: argparse.Namespace) -> int:
    import signal

    from app.input import events
    from app.recorder.session import (
        RecorderSettings,
        Recording,
        interrupted,
        record_until_stopped,
        recover,
    )

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
    previous = {
        signal.SIGINT: signal.signal(signal.SIGINT, lambda *_: recording.request_stop("interrupt")),
        signal.SIGTERM: signal.signal(
            signal.SIGTERM, lambda *_: recording.request_stop("terminate")
        ),
    }
    try:
        result = record_until_stopped(
            recording,
            on_armed=lambda: print(
                f'recording "{args.name}" — press {args.stop_hotkey} to stop', file=sys.stderr
            ),
            stop_after=args.stop_after,
        )
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


def cmd_run(args: argparse.Namespace) -> int:
    import signal
    import threading

    from app.core.data import read_rows
    from app.player.runner import MAX_SPEED, MIN_SPEED, PlaySettings, dry_run

    if not MIN_SPEED <= args.speed <= MAX_SPEED:
        raise UsageError(f"run: --speed takes {MIN_SPEED} to {MAX_SPEED:g}, got {args.speed:g}")
    if args.times < 1:
        raise UsageError(f"run: --times takes 1 or more, got {args.times}")
    if not 0.5 <= args.confidence <= 1:
        raise UsageError(f"run: --confidence takes 0.5 to 1, got {args.confidence:g}")
    settings = PlaySettings(speed=args.speed, times=args.times, confidence=args.confidence)
    with _macros(args) as store:
        macro = store.load(args.name)
        if not 1 <= args.from_step <= max(1, len(macro.steps)):
            raise UsageError(f"run: --from-step takes 1 to {len(macro.steps)}")
        rows = read_rows(args.data, macro_placeholders(macro.steps)) if args.data else None
        if args.dry_run:
            for line in dry_run(macro, rows, store.load, args.times):
                print(line)
            return 0
        abort = threading.Event()
        previous = signal.signal(signal.SIGINT, lambda *_: abort.set())
        try:
            result = _play(store, macro, rows, settings, abort, args.from_step - 1)
        finally:
            signal.signal(signal.SIGINT, previous)
    print(f'played "{macro.name}": {result.steps} steps in {result.seconds:.1f} s')
    return 0


def _play(
    store: MacroStore, macro: Macro, rows, settings, abort, first_step: int, saved: bool = True
):
    """Play on the real screen, with the stop hotkey armed and history written."""
    from app.player.on_screen import play_on_screen

    def armed() -> None:
        keys = "+".join(settings.abort_hotkey)
        print(f'playing "{macro.name}" — press {keys} to stop', file=sys.stderr)

    return play_on_screen(
        store.db,
        macro,
        settings,
        abort,
        rows=rows,
        first_step=first_step,
        saved=saved,
        warn=_warn,
        on_armed=armed,
    )


def cmd_runs(args: argparse.Namespace) -> int:
    from app.storage.runs import RunStore

    with _macros(args) as store:
        runs = RunStore(store.db)
        if args.id is not None:
            return _show_run(runs, args)
        summaries = runs.summaries(args.name, args.limit)
    if args.json:
        print(json.dumps([asdict(r) for r in summaries], ensure_ascii=False, indent=1))
        return 0
    if not summaries:
        print("no runs yet", file=sys.stderr)
        return 0
    for r in summaries:
        error = f"  {r.error}" if r.error else ""
        print(
            f"{r.id:>5}  {r.started.replace('T', ' ')[:19]}  {r.status:<8}  "
            f"{r.steps:>4} steps  {r.ms / 1000:7.1f} s  {r.name}{error}"
        )
    return 0


def _show_run(runs, args: argparse.Namespace) -> int:
    steps = runs.steps(args.id)
    if args.json:
        print(json.dumps([asdict(step) for step in steps], ensure_ascii=False, indent=1))
    for step in steps if not args.json else []:
        detail = f"  {step.detail}" if step.detail else ""
        print(f"step {step.position + 1:>4}  {step.status:<8}  {step.ms:9.1f} ms{detail}")
    if args.screenshot:
        png = runs.failure_screenshot(args.id)
        if not png:
            raise InputError(f"run {args.id} has no failure screenshot")
        args.screenshot.write_bytes(png)
        print(f"saved the screenshot to {args.screenshot}", file=sys.stderr)
    return 0


def cmd_secret(args: argparse.Namespace) -> int:
    import getpass

    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    from app.player.system import KEYRING_SERVICE

    try:
        if args.action == "set":
            if sys.stdin.isatty():
                value = getpass.getpass(f'secret "{args.name}": ')
            else:  # piped in: `printf %s "$PASSWORD" | rpa-assistant secret set NAME`
                value = sys.stdin.readline().rstrip("\r\n")
            if not value:
                raise InputError("an empty secret was not stored")
            keyring.set_password(KEYRING_SERVICE, args.name, value)
            print(f'stored the secret "{args.name}" in the system keyring', file=sys.stderr)
        else:
            keyring.delete_password(KEYRING_SERVICE, args.name)
            print(f'deleted the secret "{args.name}"', file=sys.stderr)
    except PasswordDeleteError:
        raise InputError(f'no secret named "{args.name}"') from None
    except KeyringError as bad:
        raise EnvironmentProblem(f"the system keyring is not available: {bad}") from None
    return 0


def _assistant(args: argparse.Namespace):
    """The model chosen by --backend, --model and --provider (not loaded yet)."""
    from app.nl.grammar_assistant import llama_assistant
    from app.nl.service import OnnxAssistant

    if args.model and args.backend != "llama":
        raise UsageError(f"{args.command}: --model FILE.gguf goes with --backend llama")
    if args.backend == "llama":  # ours under our decoding, any other under the grammar
        return llama_assistant(args.model, args.provider)
    return OnnxAssistant(provider=args.provider)


def cmd_ask(args: argparse.Namespace) -> int:
    from app.storage import chat

    if args.batch and (args.text or args.save or args.run):
        raise UsageError("ask: --batch takes no COMMAND, --save or --run")
    if not args.batch and args.text is None:
        raise UsageError("ask: give a COMMAND in quotes, or --batch IN.jsonl")
    assistant = _assistant(args)
    if args.batch:
        return _ask_batch(assistant, args.batch, args.out)
    with _macros(args) as store:
        names = store.names() if args.macros else []
        answer = assistant.ask(args.text, names)
        for notice in answer.notices:
            _warn(notice)
        done = (chat.SAVE if args.save else 0) | (chat.RUN if args.run else 0)
        chat.ChatStore(store.db).add(
            answer.command, answer.text, answer.backend, answer.ms, accepted=done
        )
        if not answer.understood:
            raise InputError(
                "not understood: no steps for this command; try simpler words, one action "
                'at a time (e.g. "open notepad", "type hello", "press enter")'
            )
        sys.stdout.write(answer.text)
        macro = Macro(args.save or "Chat", tuple(answer.steps))
        if args.save:
            store.save(macro, replace=False)
            print(f'saved "{args.save}": {_steps(macro)}', file=sys.stderr)
        if args.run:
            import threading

            from app.player.runner import PlaySettings

            result = _play(
                store, macro, None, PlaySettings(), threading.Event(), 0, saved=bool(args.save)
            )
            print(f"played: {result.steps} steps in {result.seconds:.1f} s", file=sys.stderr)
    return 0


def _ask_batch(assistant, source: Path, target: Path | None) -> int:
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as bad:
        raise InputError(f"{source}: cannot read it: {bad}") from None
    out = target.open("w", encoding="utf-8") if target else sys.stdout
    try:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            record = _batch_record(line)
            if isinstance(record, str):
                result = {
                    "command": None,
                    "steps": "",
                    "ms": 0,
                    "error": f"line {number}: {record}",
                }
            else:
                answer = assistant.ask(record["command"], record.get("macros", []))
                result = {
                    "command": record["command"],
                    "steps": answer.text,
                    "ms": round(answer.ms, 1),
                }
                if not answer.understood:
                    result["error"] = "not understood"
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
            out.flush()
    finally:
        if target:
            out.close()
    return 0


def _batch_record(line: str) -> dict | str:
    """The JSON object on a batch line, or why it is unusable."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as bad:
        return f"not JSON ({bad.msg} at column {bad.colno})"
    if not isinstance(record, dict) or not isinstance(record.get("command"), str):
        return 'expected an object with a "command" string'
    macros = record.get("macros", [])
    if not isinstance(macros, list) or not all(isinstance(m, str) for m in macros):
        return '"macros" must be a list of names'
    return record


def cmd_serve(args: argparse.Namespace) -> int:
    """Checks first, then the model, then the port: a start that fails says why in one
    line, and a start that works has the model loaded before the first request."""
    try:
        from app.nl import server
    except ImportError as missing:  # FastAPI, uvicorn or a library they need
        if (missing.name or "app").split(".")[0] == "app":
            raise
        raise EnvironmentProblem(
            f"serve needs FastAPI and uvicorn ({missing.name} is missing); "
            "install them with: pip install -e '.[serve]'"
        ) from None

    token = args.token or os.environ.get("RPA_SERVE_TOKEN") or None
    if not server.is_loopback(args.host) and not token:
        raise UsageError(
            f"serve: --host {args.host} lets other computers in: give a --token "
            "(or set RPA_SERVE_TOKEN), or listen on 127.0.0.1"
        )
    if not 0 <= args.port <= 65535:
        raise UsageError(f"serve: --port takes 0 to 65535, got {args.port}")
    assistant = _assistant(args)
    provider = assistant.provider  # loads the model now, so the first request is fast
    try:
        sock = server.listen(args.host, args.port)
    except OSError as bad:  # the port is taken, or the address is not this computer's
        why = bad.strerror or str(bad)
        raise EnvironmentProblem(
            f"serve: cannot listen on {args.host}:{args.port}: {why}"
        ) from None
    host = f"[{args.host}]" if ":" in args.host else args.host
    port = sock.getsockname()[1]
    guarded = ", token required" if token else ""
    print(
        f"serving {assistant.backend} ({provider}) on http://{host}:{port}{guarded}",
        file=sys.stderr,
        flush=True,
    )
    try:
        server.serve(server.create_app(assistant, token), sock)
    except KeyboardInterrupt:  # uvicorn stops on Ctrl+C, then raises it again
        print("stopped serving", file=sys.stderr)
        return 130
    return 0
