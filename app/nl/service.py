"""Ask the model: a command (and the saved macro names) in, validated steps out.

The model is loaded lazily on first use and only once, behind a lock, so a GUI can create
the service at start-up for free and call it from a worker thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.core.language import parse_steps
from app.core.resources import resource_path
from app.core.steps import Step
from app.nl.clauses import by_clauses
from app.nl.decode import Decoded, byte_table, constrained_search
from app.nl.literals import TAGS, expansion, tag
from app.nl.prompt import END, build_prompt, clean_command
from app.nl.relevance import relevant_macros

MAX_NEW_TOKENS = 200
BEAM_WIDTH = 2  # answers kept in the running while decoding (1: greedy)
GGUF_FILE = "model-q8_0.gguf"  # the shipped model for llama.cpp (`training.gguf_export`)


@dataclass
class Answer:
    command: str
    steps: list[Step]
    text: str  # the steps in the step language ("" when not understood)
    ms: float  # generation time
    backend: str
    notices: list[str] = field(default_factory=list)

    @property
    def understood(self) -> bool:
        return bool(self.steps)


class OnnxAssistant:
    """The shipped GPT-2 model through onnxruntime."""

    backend = "onnx"

    def __init__(
        self,
        model_dir: Path | None = None,
        provider: str = "auto",
        file: str = "model.onnx",
        width: int = BEAM_WIDTH,
    ):
        self.model_dir = model_dir or resource_path("models")
        self.provider_choice = provider
        self.file = file
        self.width = width
        self._lock = threading.Lock()
        self._model = None

    def load(self):
        """Load the model now (it loads itself on the first question otherwise)."""
        with self._lock:
            if self._model is None:
                from tokenizers import Tokenizer

                model = self._engine()
                tokenizer = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
                self._table = byte_table(tokenizer)
                self._end = tokenizer.token_to_id(END)
                self._tag_ids = [tokenizer.token_to_id(t) for t in TAGS]
                self._tokenizer = tokenizer
                self._model = model
        return self._model

    def _engine(self):
        from app.nl.onnx_backend import OnnxModel

        return OnnxModel(self.model_dir, self.provider_choice, self.file)

    @property
    def provider(self) -> str:
        return self.load().provider

    def ask(self, command: str, macros: Sequence[str] = ()) -> Answer:
        """Steps for `command`: part by part when it joins several requests
        (`app.nl.clauses`), else, or when a part means nothing even with its neighbour,
        the command as a whole."""
        model = self.load()
        started = time.perf_counter()
        text, notice = clean_command(command)
        notices = [n for n in (notice, model.notice) if n]
        left_out: list[str] = []
        parts = by_clauses(text, lambda clause: self._decode(clause, macros, []), left_out)
        if parts:
            notices += [f'not understood, so left out: "{part}"' for part in left_out]
            decoded = Decoded(
                "".join(p.text for p in parts),
                sum(p.tokens for p in parts),
                cut=any(p.cut for p in parts),
            )
        else:
            decoded = self._decode(text, macros, notices)
        text = _without_no_ops(decoded.text)
        steps = parse_steps(text) if text.strip() else []
        if decoded.cut and steps:
            notices.append("the answer was cut to its last complete step")
        ms = (time.perf_counter() - started) * 1000
        return Answer(command, steps, text if steps else "", ms, self.backend, notices)

    def _decode(self, text: str, macros: Sequence[str], notices: list[str]) -> Decoded:
        """The model's answer to one cleaned command."""
        model = self._model
        tagged = tag(text)
        tags = {
            token: expansion(literal).encode("utf-8")
            for token, literal in zip(self._tag_ids, tagged.literals, strict=False)
            if token is not None
        }
        shown = relevant_macros(text, macros)
        ids = self._tokenizer.encode(build_prompt(tagged.text, shown)).ids
        answer_budget = min(MAX_NEW_TOKENS, model.max_positions // 2)
        budget = model.max_positions - answer_budget
        if len(ids) > budget:
            ids = ids[: budget - 1] + ids[-1:]  # keep the <|steps|> separator
            notices.append("the command was too long for the model and was cut")
        with self._lock:  # one decoding at a time: the session keeps no per-call state
            return constrained_search(
                model.advance,
                ids,
                self._table,
                self._end,
                model.max_positions - len(ids),
                tags,
                shown,
                source=text,
                width=self.width,
            )


class LlamaAssistant(OnnxAssistant):
    """Our model as a GGUF file (`training.gguf_export`) through llama.cpp, under the same
    prompt, tokenizer and constrained, grounded search as the ONNX one."""

    backend = "llama"

    def __init__(self, gguf: Path | None = None, model_dir: Path | None = None,
                 provider: str = "cpu", width: int = BEAM_WIDTH):  # fmt: skip
        super().__init__(model_dir, provider, width=width)
        self.gguf = gguf or self.model_dir / GGUF_FILE

    def _engine(self):
        from app.nl.llama_backend import LlamaModel

        return LlamaModel(self.gguf, self.provider_choice)


_NO_OP = 'type ""'


def _without_no_ops(text: str) -> str:
    """The answer less the lines that do nothing: the model follows "find" with the text to
    find, and when the command names none ("查找") it can only type nothing."""
    return "".join(line for line in text.splitlines(keepends=True) if line.rstrip("\n") != _NO_OP)
