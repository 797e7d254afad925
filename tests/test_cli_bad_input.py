"""Bad input through the real command line: a clear one-line error, exit 1, database untouched."""

from __future__ import annotations

import io
import shutil
import sqlite3
import zipfile

import pytest
from conftest import PNG, file_digest, run_cli

from app.core.macro import Anchor, Macro
from app.core.steps import Click, Type

GOOD = '# name: Existing\n# format: 1\nclick 10 20\ntype "hello"\n'


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def _text(body: str) -> bytes:
    return ("# name: Broken\n" + body + "\n").encode()


# (file name, content, what the message must contain); "L:C" = line and column expected.
MALFORMED = [
    ("unknown-step.txt", _text("clik 1 2"), 'line 2, col 1: unknown step "clik"'),
    ("missing-arg.txt", _text("click 10"), "line 2, col 10: expected a number after '10'"),
    ("extra-arg.txt", _text("click 10 20 30"), 'line 2, col 13: unexpected "30"'),
    ("not-a-number.txt", _text("click abc 5"), "line 2, col 7: expected a number after 'click'"),
    ("float-coord.txt", _text("move 1.5 2"), "line 2, col 6: expected a number"),
    ("huge-coord.txt", _text("move 5 9999999"), "line 2, col 8: coordinate y must be between"),
    ("unterminated.txt", _text('type "abc'), "line 2, col 6: unterminated string"),
    ("bad-escape.txt", _text('type "C:\\Users"'), 'line 2, col 9: bad escape "\\\\U"'),
    ("bad-unicode-escape.txt", _text('type "\\u12"'), "line 2, col 7: bad escape"),
    ("raw-tab.txt", _text('type "a\tb"'), "line 2, col 8: control character U+0009"),
    ("lone-surrogate.txt", _text('type "\\udc00"'), "line 2, col 6: text holds a lone surrogate"),
    ("unquoted.txt", _text("type hello"), 'line 2, col 6: expected a "quoted string"'),
    ("negative-repeat.txt", _text("press tab times -2"), "line 2, col 17: expected a whole number"),
    ("zero-repeat.txt", _text("press tab times 0"), "line 2, col 17: the repeat count must be"),
    ("run-negative.txt", _text('run "X" times -1'), "line 2, col 15: expected a whole number"),
    ("unknown-key.txt", _text("press entr"), 'line 2, col 7: unknown key "entr"'),
    ("upper-key.txt", _text("hotkey CTRL+s"), 'line 2, col 8: unknown key "CTRL"'),
    ("bad-chord.txt", _text("hotkey ctrl+"), "line 2, col 13: empty key in a hotkey"),
    ("one-key-chord.txt", _text("hotkey ctrl"), "line 2, col 8: a hotkey joins two or more"),
    ("negative-wait.txt", _text("wait -1"), "line 2, col 6: expected a number of seconds"),
    ("wait-unit.txt", _text("wait 5s"), "line 2, col 6: expected a number of seconds"),
    ("scroll-zero.txt", _text("scroll 0"), "line 2, col 8: the scroll amount must not be 0"),
    ("drag-no-to.txt", _text("drag 1 2 3 4"), "line 2, col 10: expected 'to'"),
    ("bad-anchor-id.txt", _text('click image "../x"'), "line 2, col 13: anchor id must be"),
    ("bad-utf8.txt", b'# name: Broken\ntype "caf\xe9"\n', "line 2, col 10: not valid UTF-8"),
    ("empty.txt", b"", "the file is empty"),
    ("blank.txt", b"  \n\n\t\n", "the file is empty"),
    ("bad-screen.txt", b"# name: B\n# screen: big\nclick 1 2\n", "line 2, col 11: expected the"),
    ("newer-format.txt", b"# name: B\n# format: 9\nclick 1 2\n", "made by a newer RPA Assistant"),
    ("twice.txt", b"# name: A\n# name: B\nclick 1 2\n", "line 2, col 1: the header gives 'name'"),
    ("bad-name.txt", b'# name: "  padded  "\nclick 1 2\n', "starts or ends with spaces"),
    ("zip-as-text.txt", _zip({"macro.txt": GOOD.encode()}), "this is a zip archive"),
    ("not-a-zip.zip", b"just some text", "not a zip archive"),
    ("no-macro.zip", _zip({"steps.txt": GOOD.encode()}), "no macro.txt in the zip"),
    ("traversal.zip", _zip({"macro.txt": GOOD.encode(), "../evil.png": PNG}), "unsafe path"),
    ("absolute.zip", _zip({"macro.txt": GOOD.encode(), "/etc/evil": b"x"}), "unsafe path"),
    ("backslash.zip", _zip({"macro.txt": GOOD.encode(), "..\\evil": b"x"}), "unsafe path"),
    ("oversized.zip", _zip({"macro.txt": b"#" * (17 * 1024 * 1024)}), "more than the 16.0 MB"),
    (
        "missing-anchor.zip",
        _zip({"macro.txt": b'# name: Z\nclick image "ok"\n'}),
        "the zip has no anchors/ok.png",
    ),
    (
        "fake-png.zip",
        _zip({"macro.txt": b'# name: Z\nclick image "ok"\n', "anchors/ok.png": b"GIF89a..."}),
        "anchors/ok.png: not a PNG image",
    ),
    (
        "bad-inner.zip",
        _zip({"macro.txt": b"# name: Z\nclick 1 2\nclick abc 2\n"}),
        "macro.txt: line 3, col 7: expected a number",
    ),
]


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory):
    """A database that already holds one macro, closed (WAL checkpointed) before use."""
    folder = tmp_path_factory.mktemp("seed")
    (folder / "existing.txt").write_text(GOOD)
    db = folder / "rpa.db"
    result = run_cli("macros", "import", folder / "existing.txt", db=db)
    assert result.returncode == 0, result.stderr
    return db


@pytest.fixture
def db(seeded_db, tmp_path):
    copy = tmp_path / "rpa.db"
    shutil.copy(seeded_db, copy)
    return copy


def _assert_refused(result, db, before, *fragments):
    assert result.returncode == 1, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert result.stdout == ""
    assert file_digest(db) == before
    assert not db.with_name(db.name + "-wal").exists()


def test_there_are_at_least_thirty_cases():
    assert len(MALFORMED) >= 30


@pytest.mark.parametrize(("name", "content", "expected"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_import_of_malformed_file_is_refused(db, tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    before = file_digest(db)
    result = run_cli("macros", "import", path, db=db)
    _assert_refused(result, db, before, str(path), expected)
    # `check` reports the same error, also with exit 1
    checked = run_cli("check", path)
    assert checked.returncode == 1
    assert expected in checked.stderr


def test_missing_file_and_folder(db, tmp_path):
    before = file_digest(db)
    result = run_cli("macros", "import", tmp_path / "nope.txt", db=db)
    _assert_refused(result, db, before, "nope.txt: no such file")
    result = run_cli("macros", "import", tmp_path, db=db)
    _assert_refused(result, db, before, "is a folder")


def test_bad_name_option(db, tmp_path):
    path = tmp_path / "ok.txt"
    path.write_text(GOOD)
    before = file_digest(db)
    result = run_cli("macros", "import", path, "--name", " spaced", db=db)
    _assert_refused(result, db, before, "starts or ends with spaces")


def test_existing_name_needs_replace(db, tmp_path):
    path = tmp_path / "again.txt"
    path.write_text(GOOD.replace('"hello"', '"changed"'))
    before = file_digest(db)
    result = run_cli("macros", "import", path, db=db)
    _assert_refused(result, db, before, "a macro named 'Existing' already exists", "--replace")
    assert run_cli("macros", "import", path, "--replace", db=db).returncode == 0
    assert '"changed"' in run_cli("macros", "show", "Existing", db=db).stdout


def test_unknown_macro_suggests_a_close_name(db):
    before = file_digest(db)
    for args in (("show", "Existng"), ("delete", "Existng"), ("rename", "Existng", "New")):
        result = run_cli("macros", *args, db=db)
        _assert_refused(result, db, before, "no macro named 'Existng'", "did you mean 'Existing'")


def test_rename_onto_an_existing_name(db, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("# name: Other\nclick 1 1\n")
    assert run_cli("macros", "import", other, db=db).returncode == 0
    before = file_digest(db)
    result = run_cli("macros", "rename", "Other", "Existing", db=db)
    _assert_refused(result, db, before, "a macro named 'Existing' already exists")


def test_export_never_overwrites_without_force(db, tmp_path):
    target = tmp_path / "mine.txt"
    target.write_text("my own notes")
    result = run_cli("macros", "export", "Existing", target, db=db)
    assert result.returncode == 1
    assert "the file exists" in result.stderr and "--force" in result.stderr
    assert target.read_text() == "my own notes"
    assert run_cli("macros", "export", "Existing", target, "--force", db=db).returncode == 0
    assert target.read_text() == GOOD
    wrong = run_cli("macros", "export", "Existing", tmp_path / "x.doc", db=db)
    assert wrong.returncode == 1 and "ends in .txt or .zip" in wrong.stderr


def test_check_goes_on_past_a_bad_file(tmp_path):
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text(GOOD)
    bad.write_text("# name: B\nclick abc 1\n")
    result = run_cli("check", bad, good)
    assert result.returncode == 1
    assert f"{good}: OK (2 steps)" in result.stdout
    assert f"error: {bad}: line 2, col 7: expected a number after 'click', got \"abc\"" in (
        result.stderr
    )


@pytest.mark.parametrize(
    "args",
    [(), ("macros",), ("macros", "frob"), ("frob",), ("macros", "show"), ("check",)],
    ids=["nothing-after-db", "no-action", "bad-action", "bad-command", "no-name", "no-files"],
)
def test_usage_errors_exit_2(db, args):
    before = file_digest(db)
    result = run_cli(*args, db=db) if args else run_cli("--db")
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert file_digest(db) == before


def test_database_from_a_newer_version_is_refused_untouched(db, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(GOOD.replace("Existing", "Another"))
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = file_digest(db)
    for args in (("macros", "list"), ("macros", "import", good)):
        result = run_cli(*args, db=db)
        assert result.returncode == 5, result.stderr
        assert "newer RPA Assistant (schema 99" in result.stderr
        assert "It was not changed" in result.stderr
        assert file_digest(db) == before


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_text("my precious notes\n" * 100)
    before = file_digest(notes)
    result = run_cli("macros", "list", db=notes)
    assert result.returncode == 5
    assert "is not an SQLite database; it was not changed" in result.stderr
    assert file_digest(notes) == before


def test_zip_with_anchors_round_trips(db, tmp_path):
    from app.core.files import pack_zip

    macro = Macro(
        "With images",
        (Click(5, 6, anchor="ok"), Type("x")),
        anchors=(Anchor.from_png("ok", PNG, 4, 5),),
    )
    source = tmp_path / "images.zip"
    source.write_bytes(pack_zip(macro))
    assert run_cli("macros", "import", source, db=db).returncode == 0
    out = tmp_path / "out.zip"
    assert run_cli("macros", "export", "With images", out, db=db).returncode == 0
    with zipfile.ZipFile(out) as zf:
        assert zf.read("anchors/ok.png") == PNG
    text_export = run_cli("macros", "export", "With images", tmp_path / "out.txt", db=db)
    assert text_export.returncode == 0
    assert "image anchors are not in a .txt file" in text_export.stderr


def test_export_is_an_ordinary_file_and_leaves_no_temporary_behind(db, tmp_path):
    target = tmp_path / "shared.zip"
    assert run_cli("macros", "export", "Existing", target, db=db).returncode == 0
    assert target.stat().st_mode & 0o044 == 0o044  # readable by others, as the umask allows
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rpa.db", "shared.zip"]
