"""What a macro asks of the operating system besides input: programs, web pages, secrets."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import webbrowser
from typing import Protocol
from urllib.parse import urlsplit

from app.frozen import dll_directory_cleared

KEYRING_SERVICE = "rpa-assistant"


class SystemError_(Exception):
    """A request the system could not fulfil; the message says what and why."""


class System(Protocol):
    def launch(self, program: str) -> None: ...
    def open_url(self, url: str) -> None: ...
    def secret(self, name: str) -> str: ...


def with_scheme(url: str) -> str:
    """`example.com/x` → `https://example.com/x`; a URL with a scheme is left as it is."""
    return url if urlsplit(url).scheme else "https://" + url


class RealSystem:
    def launch(self, program: str) -> None:
        command = _command(program)
        if command is None:
            raise SystemError_(f'program "{program}" not found (not a file, and not on PATH)')
        options: dict = {
            "stdin": subprocess.DEVNULL,
            "stdout": subprocess.DEVNULL,
            "stderr": subprocess.DEVNULL,
        }
        if sys.platform == "win32":
            options["creationflags"] = subprocess.DETACHED_PROCESS  # type: ignore[attr-defined]
        else:
            options["start_new_session"] = True  # it outlives the run
        try:
            with dll_directory_cleared():  # the packaged app's DLLs are not the program's
                subprocess.Popen(command, **options)
        except OSError as bad:
            raise SystemError_(f'program "{program}" could not start: {bad.strerror}') from None

    def open_url(self, url: str) -> None:
        with dll_directory_cleared():
            opened = webbrowser.open(with_scheme(url))
        if not opened:
            raise SystemError_(f'no web browser could open "{url}"')

    def secret(self, name: str) -> str:
        import keyring
        from keyring.errors import KeyringError

        try:
            value = keyring.get_password(KEYRING_SERVICE, name)
        except KeyringError as bad:
            raise SystemError_(f"the system keyring cannot be read: {bad}") from None
        if value is None:
            raise SystemError_(
                f'no secret named "{name}" in the system keyring; store it with: '
                f'rpa-assistant secret set "{name}"'
            )
        return value


def _command(program: str) -> list[str] | None:
    """The argv for `program`: a path, a name on PATH, or a name followed by arguments."""
    if os.path.isfile(program) or shutil.which(program):
        return [shutil.which(program) or program]
    parts = shlex.split(program, posix=sys.platform != "win32")
    if parts and (os.path.isfile(parts[0]) or shutil.which(parts[0])):
        return [shutil.which(parts[0]) or parts[0], *parts[1:]]
    return None
