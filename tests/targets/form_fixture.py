"""Start the office form (tests/targets/office_form.py) in its own process and drive it.

Needs a real X display (scripts/run-tests.sh starts Xvfb); input goes in through `xdotool`.

    from targets.form_fixture import OfficeForm, office_form, start_office_form, xdotool

    __all__ = ["office_form"]  # a fixture used below

    def test_fill(office_form: OfficeForm):        # pytest fixture: form at (100, 100)
        office_form.click("name")
        xdotool("type", "--delay", "20", "Ada")
        office_form.click("submit")
        assert office_form.result()["name"] == "Ada"

    def test_moved(tmp_path):                      # anywhere else: a context manager
        with start_office_form(tmp_path / "form.json", x=300, y=250) as form:
            ...

Name imported fixtures in the test module's `__all__` (`__all__ = ["office_form"]`): else
ruff reports them as unused (F401) and each test argument as a redefinition (F811).
`office_form_factory` starts forms with other options (x, y, title) and stops them all.

An `OfficeForm` has
    .geometry        (x, y, w, h) of the window on screen (the READY line)
    .layout          {objectName: (x, y)} global centres of name, email, city, subscribe,
                     notes, submit, clear (the LAYOUT line)
    .point(name)     .layout[name]
    .click(name)     `xdotool mousemove X Y click 1` on that widget's centre
    .result(submits=1, timeout=10)   the JSON that Submit wrote, once it has counted
                     at least `submits` submits (waits; raises TimeoutError / RuntimeError)
    .lines           every stdout line so far (READY, LAYOUT, SUBMITTED N, CLEARED)
    .stop()          SIGTERM, then SIGKILL after 5 s; idempotent
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

FORM_SCRIPT = Path(__file__).resolve().with_name("office_form.py")
START_TIMEOUT = 20.0  # seconds for READY + LAYOUT (a cold Qt start on a slow machine)


def xdotool(*args: str | int, timeout: float = 15) -> None:
    """Run `xdotool ARGS...` on the current DISPLAY; raises if it fails."""
    subprocess.run(["xdotool", *map(str, args)], check=True, timeout=timeout)


class OfficeForm:
    """A running office form process; see the module docstring."""

    def __init__(
        self,
        out: Path,
        *,
        x: int = 100,
        y: int = 100,
        title: str | None = None,
        paste_delay_ms: int = 0,
        timeout: float = START_TIMEOUT,
    ) -> None:
        if not os.environ.get("DISPLAY"):
            raise RuntimeError("the office form needs an X display: run scripts/run-tests.sh")
        self.out = Path(out)
        self.lines: list[str] = []
        self._cond = threading.Condition()
        self._stderr_path = self.out.with_name(self.out.name + ".stderr.txt")
        command = [sys.executable, str(FORM_SCRIPT), "--out", str(self.out)]
        command += ["--x", str(x), "--y", str(y), "--print-layout"]
        if title is not None:
            command += ["--title", title]
        if paste_delay_ms:
            command += ["--paste-delay", str(paste_delay_ms)]
        env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1"}
        env.setdefault("QT_QPA_PLATFORM", "xcb")
        with open(self._stderr_path, "wb") as err:
            self.proc = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
                encoding="utf-8",
                env=env,
            )
        self._reader = threading.Thread(target=self._read_stdout, daemon=True)
        self._reader.start()
        try:
            ready = self.wait_line("READY ", timeout)
            layout = self.wait_line("LAYOUT ", timeout)
        except BaseException:
            self.stop()
            raise
        x0, y0, w, h = (int(v) for v in ready.split()[1:5])
        self.geometry: tuple[int, int, int, int] = (x0, y0, w, h)
        self.layout: dict[str, tuple[int, int]] = {
            name: (int(p[0]), int(p[1])) for name, p in json.loads(layout[7:]).items()
        }

    # --- process output -------------------------------------------------------------
    def _read_stdout(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._cond:
                self.lines.append(line.rstrip("\n"))
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def stderr(self) -> str:
        try:
            return self._stderr_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def _died(self, waiting_for: str) -> RuntimeError:
        return RuntimeError(
            f"office form exited (rc {self.proc.returncode}) while waiting for {waiting_for};"
            f" stdout: {self.lines!r}; stderr:\n{self.stderr()}"
        )

    def wait_line(self, prefix: str, timeout: float = 10) -> str:
        """The first stdout line starting with `prefix`, waiting up to `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for line in self.lines:
                    if line.startswith(prefix):
                        return line
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"office form printed no {prefix.strip()!r} line in {timeout} s;"
                        f" stdout: {self.lines!r}; stderr:\n{self.stderr()}"
                    )
                if self.proc.poll() is not None and not self._reader.is_alive():
                    raise self._died(repr(prefix.strip()))
                self._cond.wait(min(left, 0.1))

    # --- driving it -----------------------------------------------------------------
    def point(self, name: str) -> tuple[int, int]:
        return self.layout[name]

    def click(self, name: str) -> None:
        px, py = self.point(name)
        xdotool("mousemove", px, py, "click", 1)

    def result(self, submits: int = 1, timeout: float = 10) -> dict:
        """The submitted form once `submits` submits were counted (waits up to `timeout` s)."""
        deadline = time.monotonic() + timeout
        data: dict | None = None
        while True:
            if self.out.exists():
                data = json.loads(self.out.read_text(encoding="utf-8"))
                if data["submits"] >= submits:
                    return data
            if self.proc.poll() is not None:
                raise self._died(f"submit {submits}")
            if time.monotonic() >= deadline:
                raise TimeoutError(
                    f"no submit {submits} within {timeout} s; last result: {data!r};"
                    f" stdout: {self.lines!r}"
                )
            time.sleep(0.05)

    def stop(self) -> int:
        """Terminate the form (SIGTERM, then SIGKILL); returns its exit status."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self._reader.join(5)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        return self.proc.returncode

    def __enter__(self) -> OfficeForm:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def start_office_form(out: Path, **options) -> Iterator[OfficeForm]:
    """Start a form writing to `out` (options: x, y, title, paste_delay_ms, timeout); stop it
    on exit."""
    form = OfficeForm(out, **options)
    try:
        yield form
    finally:
        form.stop()


@pytest.fixture
def office_form_factory(tmp_path: Path) -> Iterator[Callable[..., OfficeForm]]:
    """A function `start(**options) -> OfficeForm`; every form started is stopped afterwards.

    Each form writes to its own file in tmp_path (form-1.json, form-2.json, ...).
    """
    forms: list[OfficeForm] = []

    def start(**options) -> OfficeForm:
        form = OfficeForm(tmp_path / f"form-{len(forms) + 1}.json", **options)
        forms.append(form)
        return form

    try:
        yield start
    finally:
        for form in forms:
            form.stop()


@pytest.fixture
def office_form(tmp_path: Path) -> Iterator[OfficeForm]:
    """An office form at the default position (100, 100) writing tmp_path/form.json."""
    with start_office_form(tmp_path / "form.json") as form:
        yield form
