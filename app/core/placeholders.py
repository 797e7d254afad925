"""`{{column}}` placeholders in text steps, filled from one row of data when a macro runs."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping

from app.core.errors import InputError
from app.core.steps import Launch, OpenUrl, Step, Type

PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s][^{}]*?)\s*\}\}")
_FILLABLE = {Type: "text", Launch: "program", OpenUrl: "url"}


def placeholders_in(text: str) -> list[str]:
    """Column names used in `text`, in order of first use."""
    return list(dict.fromkeys(PLACEHOLDER.findall(text)))


def macro_placeholders(steps: Iterable[Step]) -> list[str]:
    """Every column the steps need, in order of first use."""
    names: dict[str, None] = {}
    for step in steps:
        attr = _FILLABLE.get(type(step))
        if attr:
            names.update(dict.fromkeys(placeholders_in(getattr(step, attr))))
    return list(names)


def fill_text(text: str, row: Mapping[str, str]) -> str:
    def value(match: re.Match) -> str:
        column = match.group(1)
        if column not in row:
            known = ", ".join(sorted(row)) or "none"
            raise InputError(f"no column {column!r} in the data (columns: {known})")
        return str(row[column])

    return PLACEHOLDER.sub(value, text)


def fill_step(step: Step, row: Mapping[str, str]) -> Step:
    """The step with its placeholders replaced by the row's values."""
    attr = _FILLABLE.get(type(step))
    if not attr:
        return step
    return dataclasses.replace(step, **{attr: fill_text(getattr(step, attr), row)})
