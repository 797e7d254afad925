"""Opening the user's database: refuse what we cannot read, then bring the schema up to date."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from platformdirs import user_data_dir
from sqlite_utils import Database

from app.core.errors import EnvironmentProblem
from app.storage.migrations import LATEST_VERSION, migrate, schema_version

SQLITE_MAGIC = b"SQLite format 3\x00"


def default_database_path() -> Path:
    """`RPA_DB` if set, else the per-user data folder's rpa.db."""
    env = os.environ.get("RPA_DB")
    if env:
        return Path(env)
    return Path(user_data_dir("rpa-assistant", appauthor=False)) / "rpa.db"


def open_database(path: str | os.PathLike) -> Database:
    """Open (creating if needed) and migrate the database at `path`.

    A file from a newer version of the app, or one that is not a database, is refused
    before anything is written to it.
    """
    path = Path(path)
    _check_file(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=10)
    except (OSError, sqlite3.Error) as bad:
        raise EnvironmentProblem(f"{path}: cannot open the database: {bad}") from None
    db = Database(conn)
    try:
        version = schema_version(db)
        if version > LATEST_VERSION:
            raise EnvironmentProblem(
                f"{path}: this database was written by a newer RPA Assistant (schema "
                f"{version}; this version knows up to {LATEST_VERSION}). It was not changed: "
                "update the app, or pass --db to use another database"
            )
        db.enable_wal()
        db.execute("PRAGMA foreign_keys = ON")
        migrate(db)
    except EnvironmentProblem:
        db.close()
        raise
    except sqlite3.DatabaseError as bad:
        db.close()
        raise EnvironmentProblem(f"{path}: not a usable database ({bad})") from None
    return db


def _check_file(path: Path) -> None:
    if path.is_dir():
        raise EnvironmentProblem(f"{path}: is a folder; --db takes a database file")
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return
    except OSError as bad:
        raise EnvironmentProblem(f"{path}: cannot read the database: {bad}") from None
    if head and head != SQLITE_MAGIC:
        raise EnvironmentProblem(
            f"{path}: is not an SQLite database; it was not changed. Pass --db with another path"
        )


def database_file(db: Database) -> Path:
    """The file behind an open database: worker threads open their own connection to it
    (a SQLite connection belongs to the thread that opened it)."""
    for _, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main" and file:
            return Path(file)
    raise EnvironmentProblem("the database has no file (an in-memory database)")
