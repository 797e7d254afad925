"""The SQLite store: migrations, atomic saves, renames, deletes, and surviving kill -9."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest
from conftest import PNG
from sqlite_utils import Database

from app.core.errors import EnvironmentProblem
from app.core.macro import Anchor, Macro
from app.core.steps import Click, Press, RunMacro, Type, Wait
from app.storage import migrations
from app.storage.database import open_database
from app.storage.macros import MacroExists, MacroStore, UnknownMacro

DESIGN_TABLES = {
    "macros": {"id", "name", "description", "screen_w", "screen_h", "created", "updated"},
    "steps": {"id", "macro_id", "position", "kind", "args"},
    "anchors": {"id", "macro_id", "png", "x", "y", "w", "h"},
    "raw_events": {"recording_id", "t", "kind", "data"},
    "runs": {"id", "macro_id", "name", "started", "finished", "status", "error", "screenshot"},
    "run_steps": {"run_id", "position", "status", "started", "ms", "detail"},
    "chat": {"id", "at", "command", "dsl", "backend", "ms", "accepted"},
}


@pytest.fixture
def store(tmp_path):
    db = open_database(tmp_path / "rpa.db")
    yield MacroStore(db)
    db.close()


def sample(name="Invoice entry", n=5, text="hello") -> Macro:
    return Macro(
        name,
        tuple(Type(f"{text} {i}") if i % 2 else Click(i, i + 1, anchor="ok") for i in range(n)),
        description="Types invoices",
        screen=(1920, 1080),
        anchors=(Anchor.from_png("ok", PNG, 10, 20),),
    )


def test_empty_file_gets_the_whole_schema_in_wal_mode(tmp_path):
    db = open_database(tmp_path / "new" / "rpa.db")
    assert migrations.schema_version(db) == migrations.LATEST_VERSION
    assert db.journal_mode == "wal"
    for table, columns in DESIGN_TABLES.items():
        assert columns <= set(db[table].columns_dict), table
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    db.close()


@pytest.mark.parametrize("start", range(migrations.LATEST_VERSION + 1))
def test_migrates_from_every_older_version_keeping_data(tmp_path, start):
    path = tmp_path / "old.db"
    old = Database(path)
    migrations.migrate(old, target=start)
    assert migrations.schema_version(old) == start
    if start >= 1:  # version 1 has macros and steps: put a user's macro in
        old.execute(
            "insert into macros (id, name, description, created, updated) "
            "values (1, 'Kept', '', '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')"
        )
        old.execute(
            "insert into steps (macro_id, position, kind, args) "
            "values (1, 0, 'press', '{\"key\": \"enter\"}')"
        )
        old.conn.commit()
    old.close()
    db = open_database(path)
    assert migrations.schema_version(db) == migrations.LATEST_VERSION
    if start >= 1:
        assert MacroStore(db).load("Kept").steps == (Press("enter"),)
    db.close()


def test_migration_that_fails_leaves_the_previous_version(tmp_path, monkeypatch):
    db = Database(tmp_path / "x.db")

    def broken(database):
        database["half"].create({"id": int}, pk="id")
        raise RuntimeError("boom")

    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, broken))
    with pytest.raises(RuntimeError):
        migrations.migrate(db, target=len(migrations.MIGRATIONS))
    assert migrations.schema_version(db) == len(migrations.MIGRATIONS) - 1
    assert "half" not in db.table_names()


def test_newer_database_is_refused_before_any_write(tmp_path):
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute("create table future (x)")
    conn.execute("PRAGMA user_version = 42")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(EnvironmentProblem, match="newer RPA Assistant"):
        open_database(path)
    assert path.read_bytes() == before
    assert not (tmp_path / "future.db-wal").exists()


def test_save_and_load_round_trip(store):
    macro = sample()
    store.save(macro)
    assert store.load(macro.name) == macro
    assert [s.name for s in store.summaries()] == [macro.name]
    assert store.summaries()[0].steps == 5


def test_save_replaces_steps_and_anchors(store):
    store.save(sample(n=50))
    smaller = Macro("Invoice entry", (Wait(1),), description="now short")
    store.save(smaller)
    assert store.load("Invoice entry") == smaller
    assert store.db.execute("select count(*) from steps").fetchone()[0] == 1
    assert store.db.execute("select count(*) from anchors").fetchone()[0] == 0


def test_save_is_one_transaction(store):
    original = sample(n=10)
    store.save(original)
    # Two anchors with the same id break the primary key after the old steps were deleted:
    # the whole save must roll back.
    bad = Macro(
        "Invoice entry",
        (Type("new"),),
        anchors=(Anchor.from_png("a", PNG, 0, 0), Anchor.from_png("a", PNG, 1, 1)),
    )
    with pytest.raises(sqlite3.IntegrityError):
        store.save(bad)
    assert store.load("Invoice entry") == original


def test_save_without_replace_refuses_an_existing_name(store):
    store.save(sample())
    with pytest.raises(MacroExists):
        store.save(sample(text="other"), replace=False)
    assert store.load("Invoice entry") == sample()


def test_rename_updates_run_steps_that_call_it(store):
    store.save(sample())
    store.save(Macro("Month end", (RunMacro("Invoice entry", 3), RunMacro("Other"))))
    assert store.rename("Invoice entry", "Invoices") == 1
    assert store.load("Month end").steps == (RunMacro("Invoices", 3), RunMacro("Other"))
    with pytest.raises(UnknownMacro):
        store.load("Invoice entry")


def test_delete_removes_everything_and_names_callers(store):
    store.save(sample())
    store.save(Macro("Month end", (RunMacro("Invoice entry"),)))
    macro_id = store.db.execute("select id from macros where name = 'Invoice entry'").fetchone()[0]
    run_id = store.db.execute(
        "insert into runs (macro_id, name, started, status) values (?, 'x', 'now', 'ok')",
        [macro_id],
    ).lastrowid
    store.db.execute(
        "insert into run_steps (run_id, position, status) values (?, 0, 'ok')", [run_id]
    )
    store.db.conn.commit()
    assert store.delete("Invoice entry") == ["Month end"]
    for table in ("steps", "anchors", "runs", "run_steps"):
        count = store.db.execute(f"select count(*) from {table}").fetchone()[0]
        assert count == (1 if table == "steps" else 0), table  # Month end's one step stays


CRASHING_SAVER = textwrap.dedent(
    """
    import sys
    from app.core.macro import Macro
    from app.core.steps import Type
    from app.storage.database import open_database
    from app.storage.macros import MacroStore

    store = MacroStore(open_database(sys.argv[1]))
    steps = tuple(Type("new version %d" % i) for i in range(int(sys.argv[2])))
    macro = Macro("Big", steps)
    print("saving", flush=True)
    store.save(macro)
    print("saved", flush=True)
    """
)


def test_kill_9_in_the_middle_of_a_save_keeps_the_previous_version(tmp_path):
    path = tmp_path / "rpa.db"
    db = open_database(path)
    previous = Macro("Big", tuple(Type(f"old version {i}") for i in range(1000)))
    MacroStore(db).save(previous)
    db.close()
    size = 400_000
    for _attempt in range(4):
        child = subprocess.Popen(
            [sys.executable, "-c", CRASHING_SAVER, str(path), str(size)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout.readline().strip() == "saving"
        time.sleep(0.3)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        if child.stdout.read().strip() != "saved":
            break
        size *= 2  # the save finished before the kill: try again with more to write
    else:
        pytest.fail("the save always finished before the kill")

    check = sqlite3.connect(path)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()
    db = open_database(path)
    assert MacroStore(db).load("Big") == previous
    db.close()
