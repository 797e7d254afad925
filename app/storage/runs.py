"""Run history: one `runs` row per run, one `run_steps` row per step played."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from app.storage.macros import now


@dataclass(frozen=True, slots=True)
class RunSummary:
    id: int
    name: str
    started: str
    finished: str | None
    status: str
    error: str | None
    steps: int
    ms: float  # sum of the step times


@dataclass(frozen=True, slots=True)
class RunStep:
    position: int
    status: str
    started: str
    ms: float
    detail: str | None


class RunStore:
    """Written by the player as it goes, so a crash mid-run still leaves its history."""

    def __init__(self, db: Database):
        self.db = db

    def start(self, name: str, macro_id: int | None) -> int:
        with self.db.atomic():
            return self.db.execute(
                "insert into runs (macro_id, name, started, status) values (?, ?, ?, 'running')",
                [macro_id, name, now()],
            ).lastrowid

    def step(self, run_id: int, position: int, status: str, started: str, ms: float, detail=None):
        with self.db.atomic():
            self.db.execute(
                "insert into run_steps (run_id, position, status, started, ms, detail) "
                "values (?, ?, ?, ?, ?, ?)",
                [run_id, position, status, started, round(ms, 3), detail],
            )

    def screenshot(self, run_id: int, name: str, png: bytes) -> None:
        with self.db.atomic():
            self.db.execute(
                "insert into run_screenshots (run_id, name, at, png) values (?, ?, ?, ?)",
                [run_id, name, now(), png],
            )

    def finish(self, run_id: int, status: str, error: str | None = None, screenshot=None):
        with self.db.atomic():
            self.db.execute(
                "update runs set finished = ?, status = ?, error = ?, screenshot = ? where id = ?",
                [now(), status, error, screenshot, run_id],
            )

    def summaries(self, name: str | None = None, limit: int = 50) -> list[RunSummary]:
        where, params = ("where r.name = ?", [name]) if name is not None else ("", [])
        rows = self.db.execute(
            "select r.id, r.name, r.started, r.finished, r.status, r.error, "
            "count(s.run_id), coalesce(sum(s.ms), 0) from runs r "
            f"left join run_steps s on s.run_id = r.id {where} "
            "group by r.id order by r.id desc limit ?",
            [*params, limit],
        ).fetchall()
        return [RunSummary(*row) for row in rows]

    def steps(self, run_id: int) -> list[RunStep]:
        rows = self.db.execute(
            "select position, status, started, ms, detail from run_steps where run_id = ? "
            "order by rowid",
            [run_id],
        )
        return [RunStep(*row) for row in rows]

    def failure_screenshot(self, run_id: int) -> bytes | None:
        row = self.db.execute("select screenshot from runs where id = ?", [run_id]).fetchone()
        return row[0] if row else None

    def screenshots(self, run_id: int) -> list[tuple[str, bytes]]:
        rows = self.db.execute(
            "select name, png from run_screenshots where run_id = ? order by rowid", [run_id]
        )
        return [(name, png) for name, png in rows]
