"""The chat history in a real SQLite file: questions, answers and what was done with them."""

from __future__ import annotations

import sqlite3

import pytest
from conftest import run_cli

from app.storage.chat import INSERT, RUN, SAVE, ChatStore
from app.storage.database import open_database


@pytest.fixture
def db(tmp_path):
    db = open_database(tmp_path / "rpa.db")
    yield db
    db.close()


def test_a_question_is_kept_with_nothing_done(db):
    chat = ChatStore(db)
    entry_id = chat.add("press enter", "press enter\n", "onnx", 12.345)
    entry = chat.get(entry_id)
    assert (entry.command, entry.dsl, entry.backend, entry.ms) == (
        "press enter",
        "press enter\n",
        "onnx",
        12.3,
    )
    assert entry.accepted == 0 and entry.actions() == [] and entry.understood
    assert entry.at.endswith("+00:00")


def test_actions_add_up(db):
    chat = ChatStore(db)
    entry_id = chat.add("open notepad", 'launch "notepad"\n', "onnx", 5)
    chat.mark(entry_id, RUN)
    chat.mark(entry_id, SAVE)
    chat.mark(entry_id, RUN)
    entry = chat.get(entry_id)
    assert entry.accepted == RUN | SAVE
    assert entry.actions() == ["run", "saved"]
    with pytest.raises(ValueError, match="unknown chat action 3"):
        chat.mark(entry_id, RUN | INSERT)


def test_history_is_oldest_first_and_survives_reopening(tmp_path, db):
    chat = ChatStore(db)
    first = chat.add("press enter", "press enter\n", "onnx", 3)
    chat.add("😀", "", None, 0)
    third = chat.add("type hello", 'type "hello"\n', "onnx", 4)
    chat.mark(third, INSERT)
    db.close()
    reopened = open_database(tmp_path / "rpa.db")
    try:
        history = ChatStore(reopened).history()
        last_two = ChatStore(reopened).history(2)
    finally:
        reopened.close()
    assert [e.command for e in history] == ["press enter", "😀", "type hello"]
    assert history[0].id == first
    assert not history[1].understood and history[1].backend is None
    assert history[2].actions() == ["inserted"]
    assert [e.command for e in last_two] == ["😀", "type hello"]


def test_the_command_line_marks_a_saved_answer(tmp_path):
    path = tmp_path / "rpa.db"
    result = run_cli("ask", "press enter", "--save", "Enter", db=path)
    assert result.returncode == 0, result.stderr
    rows = sqlite3.connect(path).execute("select command, dsl, accepted from chat").fetchall()
    assert rows == [("press enter", result.stdout, SAVE)]
    result = run_cli("ask", "press enter", db=path)
    rows = sqlite3.connect(path).execute("select accepted from chat order by id").fetchall()
    assert rows == [(SAVE,), (0,)]
