"""Recording from the app: the recorder on a worker thread, as `record` does it.

The worker runs `record_until_stopped`, the same function as the command line: the
recorder's own stop hotkey ends it, and `stop()` asks it to end from the app. Raw events go
to the database as they happen, so a crash of the app loses nothing (see recovery).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.core.errors import RpaError
from app.recorder.session import RecorderSettings, Recording, record_until_stopped
from app.ui.workers import Job


class RecordController(QObject):
    """Records one macro at a time; every signal arrives on the GUI thread."""

    armed = Signal()  # input is provably being recorded: the user may start
    finished = Signal(object)  # RecordingResult: the macro is saved
    error = Signal(str)  # it could not record (no display, a database problem)
    ended = Signal()  # after finished or error

    def __init__(self, db_path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.db_path = db_path
        self._job: Job | None = None
        self._recording: Recording | None = None

    def is_running(self) -> bool:
        return self._job is not None

    def record(self, name: str, settings: RecorderSettings) -> None:
        if self._job is not None:
            raise RuntimeError("a recording is already running")
        recording = Recording(self.db_path, name, settings)
        self._recording = recording

        def run(report):
            return record_until_stopped(recording, on_armed=lambda: report("armed"))

        job = Job(run, "record", self)
        job.progress.connect(lambda _: self.armed.emit())
        job.finished.connect(self.finished)
        job.failed.connect(self._on_failed)
        job.done.connect(self._on_done)
        self._job = job.start()

    def stop(self) -> None:
        """End the recording and save it, as the stop hotkey does."""
        if self._recording is not None:
            self._recording.request_stop("stopped from the app")

    def wait(self, milliseconds: int = -1) -> bool:
        return self._job.wait(milliseconds) if self._job is not None else True

    def _on_failed(self, error: BaseException) -> None:
        if isinstance(error, RpaError):
            self.error.emit(str(error))
        else:
            self.error.emit(f"could not record: {type(error).__name__}: {error}")

    def _on_done(self) -> None:
        self._job = None
        self._recording = None
        self.ended.emit()
