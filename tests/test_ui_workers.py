"""The worker-thread job: the function runs off the GUI thread, its signals arrive on it."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QTimer

from app.ui.workers import Job


def test_job_runs_off_the_gui_thread_and_reports_on_it(qtbot):
    gui_thread = threading.get_ident()
    release = threading.Event()
    seen: list[tuple[str, object, bool]] = []

    def slow(report):
        report(("thread", threading.get_ident()))
        release.wait(10)  # the GUI thread keeps running while this waits
        for n in range(1, 4):
            report(n)
        return "result"

    job = Job(slow, "slow")
    # plain lambdas: they must still run on the GUI thread
    job.started.connect(lambda: seen.append(("started", None, on_gui())))
    job.progress.connect(lambda value: seen.append(("progress", value, on_gui())))
    job.finished.connect(lambda value: seen.append(("finished", value, on_gui())))

    def on_gui() -> bool:
        return threading.get_ident() == gui_thread

    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    with qtbot.waitSignal(job.done, timeout=10_000):
        job.start()
        assert job.is_running()
        qtbot.waitUntil(lambda: len(ticks) >= 5)  # the event loop is not blocked
        release.set()
    timer.stop()

    assert not job.is_running()
    worker_thread = seen[1][1][1]
    assert worker_thread != gui_thread
    kinds = [kind for kind, _, _ in seen]
    assert kinds == ["started", "progress", "progress", "progress", "progress", "finished"]
    assert [s[1] for s in seen[2:]] == [1, 2, 3, "result"]
    assert all(on for _, _, on in seen)


def test_an_exception_arrives_as_failed(qtbot):
    def broken(report):
        raise ValueError("the file is damaged")

    job = Job(broken)
    finished = []
    job.finished.connect(finished.append)
    with qtbot.waitSignal(job.failed, timeout=10_000) as failure:
        job.start()
    qtbot.waitUntil(lambda: not job.is_running())
    (error,) = failure.args
    assert isinstance(error, ValueError) and str(error) == "the file is damaged"
    assert finished == []


def test_a_running_job_cannot_start_twice(qtbot):
    release = threading.Event()
    job = Job(lambda report: release.wait(10))
    job.start()
    try:
        with pytest.raises(RuntimeError, match="already running"):
            job.start()
    finally:
        release.set()
        with qtbot.waitSignal(job.done, timeout=10_000):
            pass
    assert job.wait(1000)
