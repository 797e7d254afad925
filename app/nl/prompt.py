"""The prompt format the model is trained on, shared by training and the runtime.

    <|macros|>Invoice entry\nDaily note<|command|>run the invoice macro<|steps|>

and the model answers with step lines, then `<|end|>`. An empty answer means the command
was not understood. Literals in the command carry numbered tags (`<|1|>905`, see
`app.nl.literals`) that the answer may use in their place. The format is plain text with
special tokens, so another model (the GGUF backend) can be given the same prompt.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.nl.literals import TAGS, strip_tags, tag, tag_answer

MACROS, COMMAND, STEPS, END = "<|macros|>", "<|command|>", "<|steps|>", "<|end|>"
SPECIAL_TOKENS = (MACROS, COMMAND, STEPS, END, *TAGS)
MAX_COMMAND_CHARS = 400  # longer commands are cut, with a notice
MAX_MACROS = 40


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
    return build_prompt(tagged.text, macros), tag_answer(steps, tagged.literals) + END
