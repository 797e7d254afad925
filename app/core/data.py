"""Data rows for data-driven runs: a UTF-8 CSV file whose first line names the columns."""

from __future__ import annotations

import csv
import os
from pathlib import Path

from app.core.errors import InputError

MAX_ROWS = 100_000


def read_rows(path: str | os.PathLike, needed: list[str]) -> list[dict[str, str]]:
    """The rows of a CSV file, checked to hold every column in `needed`."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            columns = reader.fieldnames or []
            missing = [c for c in needed if c not in columns]
            if not columns:
                raise InputError(f"{path}: the file is empty (its first line names the columns)")
            if missing:
                raise InputError(
                    f"{path}: line 1: no column {', '.join(map(repr, missing))} "
                    f"(the file has: {', '.join(columns)})"
                )
            rows = []
            for row in reader:
                if None in row:  # more fields than column names
                    raise InputError(
                        f"{path}: line {reader.line_num}: {len(columns) + len(row[None])} "
                        f"fields, but the first line names {len(columns)} columns"
                    )
                rows.append({k: (v or "") for k, v in row.items()})
                if len(rows) > MAX_ROWS:
                    raise InputError(f"{path}: more than {MAX_ROWS} rows")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not valid UTF-8; save the file as UTF-8 CSV") from None
    except csv.Error as bad:
        raise InputError(f"{path}: not a readable CSV file ({bad})") from None
    if not rows:
        raise InputError(f"{path}: no data rows after the column names")
    return rows
