"""The language model for the desktop app: loaded and asked on a worker thread.

The window opens without importing onnxruntime or numpy (start-up stays fast): the first
question imports and loads the model on a `Job` thread and says so ("loading the model…"),
then generates ("thinking…"). One question at a time; the answer arrives as a signal on
the GUI thread, where the caller writes it to the database (a SQLite connection belongs to
the thread that opened it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QWidget

from app.ui.preferences import BACKENDS, Preferences
from app.ui.workers import Job

LOADING = "loading the model…"
THINKING = "thinking…"
GGUF_NOTE = (
    "llama.cpp runs RPA Assistant's own model as a GGUF file (model-q8_0.gguf in the models "
    "folder, or one written by python -m training gguf); it needs the llama extra"
)


@dataclass(frozen=True, slots=True)
class Progress:
    """What the worker is doing now, and the provider once the model is loaded."""

    stage: str
    provider: str | None = None


def provider_name(provider: str) -> str:
    """onnxruntime's "CUDAExecutionProvider" → "CUDA"."""
    return provider.removesuffix("ExecutionProvider") or provider


class ModelRunner(QObject):
    """Owns the assistant; `ask()` answers through `answered` or `failed`, never blocking."""

    progress = Signal(str)  # LOADING, THINKING
    answered = Signal(object)  # app.nl.service.Answer
    failed = Signal(str)  # why the question got no answer (the model missing, ...)
    status_changed = Signal()  # loaded, or the preferences changed: status_text() is new

    def __init__(self, prefs: Preferences, model_dir=None, parent: QObject | None = None):
        super().__init__(parent)
        self._model_dir = model_dir  # None: the shipped model
        self._prefs = prefs
        self._assistant = None  # created on the worker thread (its import pulls numpy)
        self._provider: str | None = None  # set once loaded
        self._job: Job | None = None
        self._asked_with: tuple | None = None  # the model choice of the running question

    # ------------------------------------------------------------ state

    @property
    def backend(self) -> str:
        """The backend that answers: "onnx", or "gguf" (a GGUF file through llama.cpp)."""
        return self._prefs.backend

    @property
    def provider(self) -> str | None:
        """The execution provider actually running ("CPU", "CUDA"); None until loaded."""
        return self._provider

    @property
    def chosen_provider(self) -> str:
        """The provider preference ("auto", "cuda", "cpu") the next load will use."""
        return self._prefs.provider

    def status_text(self) -> str:
        """For the status bar: "Model: ONNX · CPU", or "Model: ONNX · not loaded yet"."""
        backend = BACKENDS[self.backend].split(" ")[0]
        return f"Model: {backend} · {self._provider or 'not loaded yet'}"

    def is_busy(self) -> bool:
        return self._job is not None

    def apply(self, prefs: Preferences) -> None:
        """New preferences: another model or provider means a fresh load on the next
        question."""
        old, self._prefs = self._prefs, prefs
        if _choice(prefs) != _choice(old):
            self._assistant = None
            self._provider = None
        self.status_changed.emit()

    # ------------------------------------------------------------ asking

    def ask(self, command: str, macros: Sequence[str]) -> bool:
        """Start answering `command`; False (and nothing started) while one is running."""
        if self._job is not None:
            return False
        macros = list(macros)
        choice = self._asked_with = _choice(self._prefs)
        backend, gguf_file, provider_choice = choice
        assistant = self._assistant

        def work(report):
            nonlocal assistant
            if assistant is None:
                from app.nl.grammar_assistant import llama_assistant
                from app.nl.service import OnnxAssistant

                if backend == "gguf":
                    assistant = llama_assistant(Path(gguf_file), provider_choice, self._model_dir)
                else:
                    assistant = OnnxAssistant(self._model_dir, provider_choice)
            report(Progress(LOADING))
            assistant.load()  # at once if loaded already
            report(Progress(THINKING, provider_name(assistant.provider)))
            return assistant, assistant.ask(command, macros)

        job = Job(work, "ask", self)
        job.progress.connect(self._on_progress)
        job.finished.connect(self._on_finished)
        job.failed.connect(self._on_failed)
        job.done.connect(self._on_done)
        self._job = job.start()
        return True

    def wait(self) -> None:
        """Block until a running question ends (before the window goes away)."""
        if self._job is not None:
            self._job.wait()

    def _on_progress(self, progress: Progress) -> None:
        if progress.provider is None:
            if self._provider is None:
                self.progress.emit(progress.stage)  # loading is news only the first time
            return
        current = self._asked_with == _choice(self._prefs)  # not changed meanwhile
        if current and progress.provider != self._provider:
            self._provider = progress.provider
            self.status_changed.emit()
        self.progress.emit(progress.stage)

    def _on_finished(self, result) -> None:
        assistant, answer = result
        if self._asked_with == _choice(self._prefs):
            self._assistant = assistant  # kept loaded, unless the choice changed meanwhile
        self.answered.emit(answer)

    def _on_failed(self, error: BaseException) -> None:
        self.failed.emit(str(error) or type(error).__name__)

    def _on_done(self) -> None:
        self._job = None


def _choice(prefs: Preferences) -> tuple[str, str, str]:
    """What decides which model is loaded: backend, GGUF file, provider."""
    return prefs.backend, prefs.gguf_file, prefs.provider


class ModelStatusLabel(QLabel):
    """The status bar's "Model: ONNX · CPU" ("not loaded yet" until the first question)."""

    def __init__(self, runner: ModelRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("model_status")
        self._runner = runner
        runner.status_changed.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.setText(self._runner.status_text())
        self.setToolTip("The language model that turns commands into steps")
