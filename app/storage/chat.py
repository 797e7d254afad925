"""What was asked of the language model, what it answered, and what the user did with it.

`chat.accepted` holds bit flags, so one answer can be both run and saved: 0 means nothing
was done with it (the default: generated steps never run by themselves).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from app.storage.macros import now

RUN, INSERT, SAVE = 1, 2, 4  # played it; inserted it into a macro; saved it as a new macro
ACTION_WORDS = {RUN: "run", INSERT: "inserted", SAVE: "saved"}


@dataclass(frozen=True, slots=True)
class ChatEntry:
    id: int
    at: str
    command: str
    dsl: str  # the generated steps in the step language; "" when not understood
    backend: str | None  # None when the command was refused before reaching a model
    ms: float
    accepted: int  # RUN | INSERT | SAVE bits

    @property
    def understood(self) -> bool:
        return bool(self.dsl)

    def actions(self) -> list[str]:
        """What was done, in words: ["run", "saved"]; [] for nothing."""
        return [word for flag, word in ACTION_WORDS.items() if self.accepted & flag]


class ChatStore:
    """The `chat` table: one row per question, written before any action is offered."""

    def __init__(self, db: Database):
        self.db = db

    def add(self, command: str, dsl: str, backend: str | None, ms: float, accepted: int = 0) -> int:
        with self.db.atomic():
            return self.db.execute(
                "insert into chat (at, command, dsl, backend, ms, accepted) "
                "values (?, ?, ?, ?, ?, ?)",
                [now(), command, dsl, backend, round(ms, 1), accepted],
            ).lastrowid

    def mark(self, entry_id: int, action: int) -> None:
        """Record that the user did `action` (RUN, INSERT or SAVE) with the answer."""
        if action not in ACTION_WORDS:
            raise ValueError(f"unknown chat action {action!r}")
        with self.db.atomic():
            self.db.execute(
                "update chat set accepted = coalesce(accepted, 0) | ? where id = ?",
                [action, entry_id],
            )

    def get(self, entry_id: int) -> ChatEntry | None:
        row = self.db.execute(f"{_SELECT} where id = ?", [entry_id]).fetchone()
        return ChatEntry(*row) if row else None

    def history(self, limit: int = 200) -> list[ChatEntry]:
        """The last `limit` questions, oldest first (the order a conversation reads in)."""
        rows = self.db.execute(f"{_SELECT} order by id desc limit ?", [limit]).fetchall()
        return [ChatEntry(*row) for row in reversed(rows)]


_SELECT = (
    "select id, at, command, coalesce(dsl, ''), backend, coalesce(ms, 0), "
    "coalesce(accepted, 0) from chat"
)
