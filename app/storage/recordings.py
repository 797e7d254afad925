"""Recordings in progress: raw events streamed in small batches, then turned into a macro.

Raw events are written while recording so that a crash loses at most the last batch; an
unfinished recording is found later and recovered. Saving the macro, marking the
recording finished and deleting its raw events happen in one transaction. Events are
plain `(t, kind, data)` tuples here: their meaning belongs to the recorder.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from app.core.macro import Macro
from app.storage.macros import MacroStore, now

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


@dataclass(frozen=True, slots=True)
class RecordingInfo:
    id: int
    name: str
    started: str
    pid: int | None
    screen: tuple[int, int] | None
    events: int


class RecordingStore:
    def __init__(self, db: Database):
        self.db = db

    def start(self, name: str, screen: tuple[int, int] | None, pid: int) -> int:
        w, h = screen or (None, None)
        with self.db.atomic():
            return self.db.execute(
                "insert into recordings (name, started, status, screen_w, screen_h, pid) "
                "values (?, ?, 'recording', ?, ?, ?)",
                [name, now(), w, h, pid],
            ).lastrowid

    def append(self, recording_id: int, events: Iterable[tuple[float, str, dict[str, Any]]]):
        """Write a batch of events in one transaction (one commit per batch)."""
        with self.db.atomic():
            self.db.conn.executemany(
                "insert into raw_events (recording_id, t, kind, data) values (?, ?, ?, ?)",
                ((recording_id, t, kind, _encode(data)) for t, kind, data in events),
            )

    def events(self, recording_id: int) -> list[tuple[float, str, dict[str, Any]]]:
        rows = self.db.execute(
            "select t, kind, data from raw_events where recording_id = ? order by rowid",
            [recording_id],
        )
        return [(t, kind, json.loads(data)) for t, kind, data in rows]

    def unfinished(self) -> list[RecordingInfo]:
        """Recordings never saved: still running elsewhere, or interrupted by a crash."""
        rows = self.db.execute(
            "select r.id, r.name, r.started, r.pid, r.screen_w, r.screen_h, "
            "(select count(*) from raw_events e where e.recording_id = r.id) "
            "from recordings r where r.status = 'recording' order by r.id"
        ).fetchall()
        return [
            RecordingInfo(i, name, started, pid, (w, h) if w and h else None, count)
            for i, name, started, pid, w, h, count in rows
        ]

    def finish(self, recording_id: int, macro: Macro, status: str = "saved") -> None:
        """Save the macro and close the recording in one transaction."""
        with self.db.atomic():
            MacroStore(self.db).save(macro, replace=True)
            self._close(recording_id, status)

    def discard(self, recording_id: int) -> None:
        with self.db.atomic():
            self._close(recording_id, "discarded")

    def _close(self, recording_id: int, status: str) -> None:
        self.db.execute(
            "update recordings set status = ?, finished = ? where id = ?",
            [status, now(), recording_id],
        )
        self.db.execute("delete from raw_events where recording_id = ?", [recording_id])
