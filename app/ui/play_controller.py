"""Playing a macro from the app: the player on a worker thread, its progress as signals.

The run uses `play_on_screen`, exactly what `run` does on the command line, with the stop
hotkey armed; the Stop button sets the same abort flag. The worker opens its own
connection to the database, since a SQLite connection belongs to the thread that opened it.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.core.errors import RpaError
from app.core.macro import Macro
from app.player.runner import PlayResult, PlaySettings, StepFailed, Stopped
from app.storage.database import open_database
from app.ui.workers import Job

ARMED = "armed"


class PlayController(QObject):
    """Plays one macro at a time; every signal arrives on the GUI thread."""

    armed = Signal()  # the stop hotkey listens: input is about to start
    step = Signal(int)  # the position of the top-level step starting now
    warning = Signal(str)  # an anchor not found, a click at the recorded point instead
    finished = Signal(object)  # PlayResult
    failed = Signal(str)  # a step could not be done (StepFailed): "step N (...): why"
    stopped = Signal(str)  # the user stopped it: Stop, the hotkey, the failsafe
    error = Signal(str)  # anything else: no display, a damaged database
    ended = Signal()  # after any of the four above

    def __init__(self, db_path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.db_path = db_path
        self._abort = threading.Event()
        self._job: Job | None = None
        self.macro: Macro | None = None  # what is playing, or played last

    def is_running(self) -> bool:
        return self._job is not None

    def play(
        self, macro: Macro, settings: PlaySettings, first_step: int = 0, saved: bool = True
    ) -> None:
        """Start playing `macro`; its history is filed under its name (and id when `saved`)."""
        if self._job is not None:
            raise RuntimeError("a macro is already playing")
        self.macro = macro
        self._abort = abort = threading.Event()
        db_path = self.db_path

        def run(report) -> PlayResult:
            from app.player.on_screen import play_on_screen

            db = open_database(db_path)
            try:
                return play_on_screen(
                    db,
                    macro,
                    settings,
                    abort,
                    first_step=first_step,
                    saved=saved,
                    warn=lambda message: report(("warning", message)),
                    on_armed=lambda: report((ARMED, None)),
                    on_step=lambda position, step: report(("step", position)),
                )
            finally:
                db.close()

        job = Job(run, "play", self)
        job.progress.connect(self._on_progress)
        job.finished.connect(self.finished)
        job.failed.connect(self._on_failed)
        job.done.connect(self._on_done)
        self._job = job.start()

    def stop(self) -> None:
        """Ask the run to stop: it ends within a poll interval, even inside a long wait."""
        self._abort.set()

    def wait(self, milliseconds: int = -1) -> bool:
        """Block until the worker has ended (when the window closes)."""
        return self._job.wait(milliseconds) if self._job is not None else True

    def _on_progress(self, value: tuple[str, object]) -> None:
        kind, data = value
        if kind == ARMED:
            self.armed.emit()
        elif kind == "step":
            self.step.emit(data)
        elif kind == "warning":
            self.warning.emit(data)

    def _on_failed(self, error: BaseException) -> None:
        if isinstance(error, StepFailed):
            self.failed.emit(str(error))
        elif isinstance(error, Stopped):
            self.stopped.emit(str(error))
        elif isinstance(error, RpaError):
            self.error.emit(str(error))
        else:
            self.error.emit(f"{type(error).__name__}: {error}")

    def _on_done(self) -> None:
        self._job = None
        self.ended.emit()
