"""Any GGUF model through llama.cpp: the user's own instruction-tuned model, of any size.

Such a model knows nothing of our prompt or tokenizer, so it gets the step language
described in words (`GUIDE`, the system message), the command as the user message, and
its model's own chat template (llama.cpp reads it from the file). What it writes is held
to the step grammar (`app.core.gbnf`) token by token, so it can only write step lines,
then validated like every answer: parsed into steps, and a `run` must name a saved macro.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path

from app.core.errors import EnvironmentProblem, StepSyntaxError
from app.core.gbnf import step_grammar
from app.core.language import format_step, parse_steps
from app.core.steps import RunMacro
from app.nl.llama_backend import gpu_offload, is_our_model, load_llama
from app.nl.prompt import clean_command
from app.nl.service import MAX_NEW_TOKENS, Answer, LlamaAssistant

CONTEXT = 2048  # tokens: the guide, a long command and its answer
TEMPLATE_TOKENS = 64  # what a chat template adds around the messages, at most
MIN_ANSWER = 32  # tokens: a few step lines
GUIDE = """\
You turn a request for the Windows desktop into steps of a macro, one step a line, in
this language and nothing else:
click X Y | double_click X Y | right_click X Y | move X Y | drag X1 Y1 to X2 Y2
scroll N (N > 0 up, N < 0 down) | scroll N at X Y
type "TEXT" (JSON string) | type secret "NAME" | press KEY | press KEY times N
hotkey KEY+KEY (e.g. hotkey ctrl+s) | wait SECONDS | launch "PROGRAM" | open_url "URL"
run "MACRO" | run "MACRO" times N | screenshot "NAME"
Keys are lower case (enter, tab, esc, f5, a, ...). Use Windows shortcuts for common intents
(save: hotkey ctrl+s, copy: hotkey ctrl+c, close window: hotkey alt+f4, refresh: press f5).
"Save it as X" is hotkey ctrl+s, then type "X", then press enter. Copy text to type exactly.
Wait only when asked. A macro is run by its exact saved name. If the request cannot be done
with these steps, write nothing."""


def llama_assistant(gguf: Path | None, provider: str = "cpu", model_dir: Path | None = None):
    """The assistant for a GGUF file: ours (or none given: the shipped one) under our own
    decoding (tokenizer from `model_dir`), any other model under its chat template and the
    grammar."""
    if gguf is None or is_our_model(gguf) or not gguf.is_file():
        return LlamaAssistant(gguf, model_dir, provider)  # a missing file: its error
    return GrammarAssistant(gguf, provider)


class GrammarAssistant:
    """A GGUF model that is not ours, answering through its chat template and the grammar."""

    backend = "llama"

    def __init__(self, gguf: Path, provider: str = "cpu"):
        self.gguf = gguf
        self.provider_choice = provider
        self._lock = threading.Lock()
        self._llama = None
        self._grammar = None

    def load(self):
        with self._lock:
            if self._llama is None:
                from llama_cpp import LlamaGrammar

                gpu = self.provider_choice in ("auto", "cuda") and gpu_offload()
                self._llama = load_llama(self.gguf, gpu, n_ctx=CONTEXT)
                self._grammar = LlamaGrammar.from_string(step_grammar(), verbose=False)
                self._provider = "llama.cpp " + ("GPU" if gpu else "CPU")
        return self._llama

    @property
    def provider(self) -> str:
        self.load()
        return self._provider

    def ask(self, command: str, macros: Sequence[str] = ()) -> Answer:
        llama = self.load()
        started = time.perf_counter()
        text, notice = clean_command(command)
        notices = [notice] if notice else []
        if not text.strip():
            return Answer(command, [], "", 0.0, self.backend, notices)
        request = text + (f"\nSaved macros: {', '.join(macros)}" if macros else "")
        budget = self._answer_budget(GUIDE + "\n" + request)
        with self._lock:
            reply = llama.create_chat_completion(
                messages=[
                    {"role": "system", "content": GUIDE},
                    {"role": "user", "content": request},
                ],
                grammar=self._grammar,
                temperature=0.0,
                max_tokens=budget,
            )
        written = reply["choices"][0]["message"]["content"] or ""
        if reply["choices"][0]["finish_reason"] == "length":  # cut off: its whole lines
            written = written[: written.rfind("\n") + 1]
            notices.append("the answer was cut to its last complete step")
        steps = _valid_steps(written, macros, notices)
        ms = (time.perf_counter() - started) * 1000
        shown = "".join(format_step(step) + "\n" for step in steps)
        return Answer(command, steps, shown, ms, self.backend, notices)

    def _answer_budget(self, prompt: str) -> int:
        """Tokens left for the answer. A model with learned positions (GPT-2) crashes
        llama.cpp past the context it was trained on, so that is the limit too."""
        llama = self._llama
        context = min(llama.n_ctx(), llama._model.n_ctx_train())
        used = len(llama.tokenize(prompt.encode("utf-8"), add_bos=True)) + TEMPLATE_TOKENS
        if used + MIN_ANSWER > context:
            raise EnvironmentProblem(
                f"{self.gguf}: this model reads {context} tokens at most, and the guide to the "
                f"step language with this command takes {used}: use a model with a longer "
                "context, or a shorter command"
            )
        return min(MAX_NEW_TOKENS, context - used)


def _valid_steps(written: str, macros: Sequence[str], notices: list[str]) -> list:
    """The steps of `written`, or none (not understood) with a notice saying why."""
    if not written.strip():
        return []
    try:
        steps = parse_steps(written)
    except StepSyntaxError as bad:  # the grammar knows no more than syntax ("ctrl+ctrl")
        notices.append(f"the model's answer did not parse: {bad}")
        return []
    unknown = [s.macro for s in steps if isinstance(s, RunMacro) and s.macro not in macros]
    if unknown:
        notices.append(f"the model named a macro that is not saved: {unknown[0]}")
        return []
    return steps
