"""Shared helpers: run the real command line in a subprocess, against a private database."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PNG = (  # a real 2x1 PNG
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x02\x00\x00\x00\x01\x08\x00\x00\x00\x00"
    b"\x9e\xe6\xf4\xa9\x00\x00\x00\x0bIDATx\x9cc`\x00\x02\x00\x00\x05\x00\x01z^\xab?\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def run_cli(*args: str | os.PathLike, db: Path | None = None, timeout: float = 60, **kw):
    """`python -m app [--db DB] ARGS` as a user would run it; returns the CompletedProcess."""
    command = [sys.executable, "-m", "app"]
    if db is not None:
        command += ["--db", str(db)]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("RPA_DB", None)
    env.update(kw.pop("env", {}))
    return subprocess.run(
        command + [str(a) for a in args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=timeout,
        cwd=kw.pop("cwd", ROOT),
        **kw,
    )


def scripted_model(turns: list[list[int]], vocab: int):
    """A model for the decoder (`app.nl.decode.Advance`) whose logits at the n-th token of
    an answer rank turn n's tokens first, in the order given, whatever came before: the
    decoder's rules can then be tested token by token."""
    import numpy as np

    def advance(state, _ids):
        turn = 0 if state is None else state
        logits = np.zeros(vocab, dtype=np.float32)
        for rank, token in enumerate(turns[turn]):
            logits[token] = 100.0 - rank
        return logits, turn + 1

    return advance


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(autouse=True)
def _private_user_data(tmp_path_factory, monkeypatch):
    """Never touch the real per-user database, even when a test forgets --db."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.delenv("RPA_DB", raising=False)
