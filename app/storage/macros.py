"""Saved macros: list, load, save (one transaction), rename, delete."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlite_utils import Database

from app.core.errors import InputError
from app.core.macro import Anchor, Macro, check_macro_name
from app.core.steps import InvalidStep, step_args, step_from_args

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class UnknownMacro(InputError):
    """No saved macro has this name."""


class MacroExists(InputError):
    """A macro of this name is already saved."""


@dataclass(frozen=True, slots=True)
class MacroSummary:
    name: str
    steps: int
    updated: str
    description: str


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class MacroStore:
    """The macros in one database. Every write is a single transaction."""

    def __init__(self, db: Database):
        self.db = db

    # ------------------------------------------------------------ reading

    def summaries(self) -> list[MacroSummary]:
        rows = self.db.execute(
            "select m.name, count(s.id), m.updated, m.description from macros m "
            "left join steps s on s.macro_id = m.id group by m.id order by m.name"
        ).fetchall()
        return [MacroSummary(*row) for row in rows]

    def names(self) -> list[str]:
        return [row[0] for row in self.db.execute("select name from macros order by name")]

    def id_of(self, name: str) -> int:
        """The macro's row id; UnknownMacro if there is none."""
        return self._require(name)

    def exists(self, name: str) -> bool:
        return self._id(name) is not None

    def load(self, name: str) -> Macro:
        macro_id = self._require(name)
        row = self.db.execute(
            "select description, screen_w, screen_h from macros where id = ?", [macro_id]
        ).fetchone()
        description, screen_w, screen_h = row
        steps = []
        for position, kind, args in self.db.execute(
            "select position, kind, args from steps where macro_id = ? order by position",
            [macro_id],
        ):
            try:
                steps.append(step_from_args(kind, json.loads(args)))
            except (InvalidStep, KeyError, TypeError, ValueError) as bad:
                raise InputError(
                    f"macro {name!r}, step {position + 1}: the stored step is damaged ({bad})"
                ) from None
        anchors = tuple(
            Anchor(*row)
            for row in self.db.execute(
                "select id, png, x, y, w, h from anchors where macro_id = ? order by id",
                [macro_id],
            )
        )
        screen = (screen_w, screen_h) if screen_w and screen_h else None
        return Macro(name, tuple(steps), description, screen, anchors)

    # ------------------------------------------------------------ writing

    def save(self, macro: Macro, *, replace: bool = True) -> None:
        """Store `macro` under its name, replacing its steps and anchors in one transaction.

        With `replace=False` an existing macro of that name is an error.
        """
        stamp = now()
        screen_w, screen_h = macro.screen or (None, None)
        with self.db.atomic():
            macro_id = self._id(macro.name)
            if macro_id is not None and not replace:
                raise MacroExists(
                    f"a macro named {macro.name!r} already exists; pass --replace to overwrite "
                    "it, or --name to import under another name"
                )
            if macro_id is None:
                macro_id = self.db.execute(
                    "insert into macros (name, description, screen_w, screen_h, created, updated)"
                    " values (?, ?, ?, ?, ?, ?)",
                    [macro.name, macro.description, screen_w, screen_h, stamp, stamp],
                ).lastrowid
            else:
                self.db.execute(
                    "update macros set description = ?, screen_w = ?, screen_h = ?, updated = ? "
                    "where id = ?",
                    [macro.description, screen_w, screen_h, stamp, macro_id],
                )
                self.db.execute("delete from steps where macro_id = ?", [macro_id])
                self.db.execute("delete from anchors where macro_id = ?", [macro_id])
            self.db.conn.executemany(
                "insert into steps (macro_id, position, kind, args) values (?, ?, ?, ?)",
                (
                    (macro_id, position, step.kind, _encode(step_args(step)))
                    for position, step in enumerate(macro.steps)
                ),
            )
            self.db.conn.executemany(
                "insert into anchors (id, macro_id, png, x, y, w, h) values (?, ?, ?, ?, ?, ?, ?)",
                ((a.id, macro_id, a.png, a.x, a.y, a.w, a.h) for a in macro.anchors),
            )

    def delete(self, name: str) -> list[str]:
        """Delete a macro with its steps, anchors and run history.

        Returns the names of macros whose `run` steps still call it, so the user can be told.
        """
        with self.db.atomic():
            macro_id = self._require(name)
            callers = self.callers(name)
            run_ids = "select id from runs where macro_id = ?"
            self.db.execute(f"delete from run_steps where run_id in ({run_ids})", [macro_id])
            self.db.execute(f"delete from run_screenshots where run_id in ({run_ids})", [macro_id])
            self.db.execute("delete from runs where macro_id = ?", [macro_id])
            self.db.execute("delete from anchors where macro_id = ?", [macro_id])
            self.db.execute("delete from steps where macro_id = ?", [macro_id])
            self.db.execute("delete from macros where id = ?", [macro_id])
        return callers

    def rename(self, old: str, new: str) -> int:
        """Rename a macro and every `run` step that calls it; returns how many steps changed."""
        check_macro_name(new)
        with self.db.atomic():
            macro_id = self._require(old)
            if new != old and self._id(new) is not None:
                raise MacroExists(f"a macro named {new!r} already exists; choose another name")
            self.db.execute(
                "update macros set name = ?, updated = ? where id = ?", [new, now(), macro_id]
            )
            cursor = self.db.execute(
                "update steps set args = json_set(args, '$.macro', ?) "
                "where kind = 'run' and json_extract(args, '$.macro') = ?",
                [new, old],
            )
        return cursor.rowcount

    def callers(self, name: str) -> list[str]:
        """Names of the other macros with a `run` step that calls `name`."""
        rows = self.db.execute(
            "select distinct m.name from steps s join macros m on m.id = s.macro_id "
            "where s.kind = 'run' and json_extract(s.args, '$.macro') = ? and m.name != ? "
            "order by m.name",
            [name, name],
        )
        return [row[0] for row in rows]

    # ------------------------------------------------------------ helpers

    def _id(self, name: str) -> int | None:
        row = self.db.execute("select id from macros where name = ?", [name]).fetchone()
        return row[0] if row else None

    def _require(self, name: str) -> int:
        macro_id = self._id(name)
        if macro_id is None:
            message = f"no macro named {name!r}"
            close = difflib.get_close_matches(name, self.names(), n=1, cutoff=0.6)
            if close:
                message += f" (did you mean {close[0]!r}?)"
            raise UnknownMacro(message + "; 'macros list' shows the saved ones")
        return macro_id
