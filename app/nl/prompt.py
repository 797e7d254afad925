"""The prompt format the model is trained on, shared by training and the runtime.

    <|macros|>Invoice entry\nDaily note<|command|>run the invoice macro<|steps|>

and the model answers with step lines, then `<|end|>`. An empty answer means the command
was not understood. Literals in the command carry numbered tags (`<|1|>905`, see
`app.nl.literals`) that the answer may use in their place. The format is plain text with
special tokens, so another model (the GGUF backend) can be given the same prompt.

In the model's answers a string copied from the command opens with a space
(`type " Hello team"`, see `model_answer`): byte-level BPE writes a word after a space as
another token than the same word after a quote, so without it the first word of a copy
would be a different token from the one in the command and copying would mean learning,
word by word, which token goes with which.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.nl.literals import TAGS, strip_tags, tag, tag_answer

MACROS, COMMAND, STEPS, END = "<|macros|>", "<|command|>", "<|steps|>", "<|end|>"
SPECIAL_TOKENS = (MACROS, COMMAND, STEPS, END, *TAGS)
MAX_COMMAND_CHARS = 400  # longer commands are cut, with a notice
MAX_MACROS = 40
# the steps whose string the model copies from the command
COPYING_HEADS = ('type "', 'type secret "', 'screenshot "', 'open_url "')
_COPYING_BYTES = tuple(h.encode() for h in COPYING_HEADS)


def clean_command(command: str) -> tuple[str, str | None]:
    """The command as the model sees it, and a notice if it had to be changed."""
    text = "".join(c if c.isprintable() or c == " " else " " for c in command)
    for special in SPECIAL_TOKENS:
        text = text.replace(special, " ")
    text = " ".join(strip_tags(text).split())
    notice = None
    if len(text) > MAX_COMMAND_CHARS:
        notice = f"the command was cut to its first {MAX_COMMAND_CHARS} characters"
        text = text[:MAX_COMMAND_CHARS]
    return text, notice


def build_prompt(command: str, macros: Sequence[str] = ()) -> str:
    names = "\n".join(m for m in list(macros)[:MAX_MACROS] if m and "\n" not in m)
    return f"{MACROS}{names}{COMMAND}{command}{STEPS}"


def training_text(command: str, macros: Sequence[str], steps: str) -> tuple[str, str]:
    """(prompt, answer) for one example, literals tagged; the loss is on the answer only."""
    tagged = tag(command)
    answer = model_answer(tag_answer(steps, tagged.literals))
    return build_prompt(tagged.text, macros), answer + END


def model_answer(steps: str) -> str:
    """Steps as the model writes them: a space after the opening quote of each copied
    string, unless it is empty or opens with a literal tag (a tag is copied by position
    already)."""
    lines = []
    for line in steps.split("\n"):
        head = copying_head(line)
        if head is not None:
            rest = line[len(head) :]
            if not rest.startswith(('"', *TAGS)):
                line = f"{head} {rest}"
        lines.append(line)
    return "\n".join(lines)


def copying_head(line: str) -> str | None:
    """The head of the copying step `line` is (`type "`, …), if it is one."""
    return next((h for h in COPYING_HEADS if line.startswith(h)), None)


def steps_from_model(answer: bytes) -> bytes:
    """The step-language text of a model's answer, written or being written (UTF-8
    bytes): the space `model_answer` put after each copying step's opening quote is
    dropped."""
    lines = answer.split(b"\n")
    for i, line in enumerate(lines):
        for head in _COPYING_BYTES:
            if line.startswith(head + b" "):
                lines[i] = head + line[len(head) + 1 :]
                break
    return b"\n".join(lines)
