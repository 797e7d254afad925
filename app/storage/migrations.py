"""Forward-only schema migrations, keyed on `PRAGMA user_version`.

Migration N (1-based) takes a database at version N-1 to version N inside one transaction,
so a crash mid-migration leaves the previous version. Never edit a released migration:
append a new one.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database


def _v1_initial(db: Database) -> None:
    """The schema of DESIGN §3, plus `recordings`, the parent of streamed raw events."""
    db["macros"].create(
        {
            "id": int,
            "name": str,
            "description": str,
            "screen_w": int,
            "screen_h": int,
            "created": str,
            "updated": str,
        },
        pk="id",
        not_null={"name", "description", "created", "updated"},
        defaults={"description": ""},
    )
    db["macros"].create_index(["name"], unique=True)
    db["steps"].create(
        {"id": int, "macro_id": int, "position": int, "kind": str, "args": str},
        pk="id",
        not_null={"macro_id", "position", "kind", "args"},
        foreign_keys=[("macro_id", "macros", "id")],
    )
    db["steps"].create_index(["macro_id", "position"], unique=True)
    db["anchors"].create(
        {"id": str, "macro_id": int, "png": bytes, "x": int, "y": int, "w": int, "h": int},
        pk=("macro_id", "id"),
        not_null={"png", "x", "y", "w", "h"},
        foreign_keys=[("macro_id", "macros", "id")],
    )
    db["recordings"].create(
        {
            "id": int,
            "name": str,
            "started": str,
            "finished": str,
            "status": str,  # recording | saved | recovered | discarded
            "screen_w": int,
            "screen_h": int,
            "pid": int,  # the recording process, to tell a live recording from a crashed one
        },
        pk="id",
        not_null={"name", "started", "status"},
    )
    db["raw_events"].create(
        {"recording_id": int, "t": float, "kind": str, "data": str},
        not_null={"recording_id", "t", "kind", "data"},
        foreign_keys=[("recording_id", "recordings", "id")],
    )
    db["raw_events"].create_index(["recording_id", "t"])
    db["runs"].create(
        {
            "id": int,
            "macro_id": int,  # NULL for steps run straight from the chat
            "name": str,  # what ran, as shown in the history
            "started": str,
            "finished": str,
            "status": str,  # running | ok | failed | aborted
            "error": str,
            "screenshot": bytes,  # PNG of the screen when a step failed
        },
        pk="id",
        not_null={"name", "started", "status"},
        foreign_keys=[("macro_id", "macros", "id")],
    )
    db["runs"].create_index(["macro_id", "started"])
    db["run_screenshots"].create(
        {"run_id": int, "name": str, "at": str, "png": bytes},
        not_null={"run_id", "name", "at", "png"},
        foreign_keys=[("run_id", "runs", "id")],
    )
    db["run_steps"].create(
        {
            "run_id": int,
            "position": int,
            "status": str,
            "started": str,
            "ms": float,
            "detail": str,
        },
        not_null={"run_id", "position", "status"},
        foreign_keys=[("run_id", "runs", "id")],
    )
    db["run_steps"].create_index(["run_id", "position"])
    db["chat"].create(
        {
            "id": int,
            "at": str,
            "command": str,
            "dsl": str,
            "backend": str,
            "ms": float,
            "accepted": int,
        },
        pk="id",
        not_null={"at", "command"},
    )


MIGRATIONS: tuple[Callable[[Database], None], ...] = (_v1_initial,)
LATEST_VERSION = len(MIGRATIONS)


def schema_version(db: Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: Database, target: int = LATEST_VERSION) -> int:
    """Apply each missing migration up to `target` in its own transaction; returns how many."""
    current = schema_version(db)
    for number in range(current + 1, target + 1):
        with db.atomic():
            MIGRATIONS[number - 1](db)
            db.execute(f"PRAGMA user_version = {number}")
    return max(0, target - current)
