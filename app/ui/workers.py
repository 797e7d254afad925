"""Run a slow function off the GUI thread and hear about it through Qt signals.

Playing, recording, importing a big file, loading the language model or generating steps
would freeze the window if they ran on the GUI thread. A `Job` runs one function on its
own `QThread`; the function never touches widgets (STYLE rule 4), it only returns a value,
raises, or calls `report(value)` to say how far it got.

Every signal of a `Job` is emitted on the GUI thread, so it may be connected to anything,
a lambda included. (A signal emitted on a worker thread and connected to a plain function
runs that function on the worker thread, where touching a widget crashes; the job relays
through slots of an object living on the GUI thread to rule that out.)

    job = Job(lambda report: player.play(macro), parent=window)
    job.progress.connect(show_step)      # whatever the function passed to report()
    job.finished.connect(show_result)    # its return value
    job.failed.connect(show_error)       # the exception it raised
    job.start()

Stopping is the function's own business (the player's abort event, the recorder's
`request_stop`): a thread cannot be killed safely. Keep a reference to a running job, and
before the window goes away stop the work and `wait()` for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

Report = Callable[[Any], None]


class _Thread(QThread):
    """Calls the function on the new thread; its signals are relayed by the owning `Job`."""

    reported = Signal(object)
    returned = Signal(object)
    raised = Signal(object)

    def __init__(self, function: Callable[[Report], Any], name: str):
        super().__init__()
        self._function = function
        self.setObjectName(name)

    def run(self) -> None:
        try:
            result = self._function(self.reported.emit)
        except BaseException as error:  # handed to the GUI thread, which decides what to show
            self.raised.emit(error)
        else:
            self.returned.emit(result)


class Job(QObject):
    """One call of `function(report)` on a thread of its own; signals on the GUI thread."""

    started = Signal()  # the thread is running the function
    progress = Signal(object)  # a value the function passed to report()
    finished = Signal(object)  # the function's return value
    failed = Signal(object)  # the exception the function raised
    done = Signal()  # after finished or failed: the thread has ended

    def __init__(
        self,
        function: Callable[[Report], Any],
        name: str = "job",
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.setObjectName(name)
        self._thread = _Thread(function, name)
        # Receivers are slots of this object, which lives on the GUI thread: queued calls.
        self._thread.started.connect(self._on_started)
        self._thread.reported.connect(self._on_reported)
        self._thread.returned.connect(self._on_returned)
        self._thread.raised.connect(self._on_raised)
        self._running = False

    def start(self) -> Job:
        """Start the function on its thread; returns the job, for chaining."""
        if self._running:
            raise RuntimeError(f"the job {self.objectName()!r} is already running")
        self._running = True
        self._thread.start()
        return self

    def is_running(self) -> bool:
        """True from start() until `done` (the result has reached the GUI thread)."""
        return self._running

    def wait(self, milliseconds: int = -1) -> bool:
        """Block until the thread ends (for shutting down); True if it has ended."""
        if milliseconds < 0:
            return self._thread.wait()
        return self._thread.wait(milliseconds)

    @Slot()
    def _on_started(self) -> None:
        self.started.emit()

    @Slot(object)
    def _on_reported(self, value: object) -> None:
        self.progress.emit(value)

    @Slot(object)
    def _on_returned(self, result: object) -> None:
        self._end()
        self.finished.emit(result)
        self.done.emit()

    @Slot(object)
    def _on_raised(self, error: object) -> None:
        self._end()
        self.failed.emit(error)
        self.done.emit()

    def _end(self) -> None:
        # run() returns right after emitting, so this wait is a matter of microseconds; once
        # it is over, dropping the job can no longer destroy a running thread.
        self._thread.wait()
        self._running = False
