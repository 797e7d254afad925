"""`{{column}}` placeholders: found in order, filled from a row, a missing column is named."""

from __future__ import annotations

import pytest

from app.core.errors import InputError
from app.core.placeholders import fill_step, macro_placeholders, placeholders_in
from app.core.steps import Click, Launch, OpenUrl, Type


def test_placeholders_are_listed_once_in_order_of_use():
    steps = [
        Type("Dear {{ name }}, your order {{order}}"),
        Click(1, 2),
        OpenUrl("https://crm.local/customers/{{id}}?o={{order}}"),
        Type("{{姓名}}"),
    ]
    assert macro_placeholders(steps) == ["name", "order", "id", "姓名"]


def test_text_that_is_not_a_placeholder_is_left_alone():
    assert placeholders_in("{{ }} {name} {{unclosed") == []
    assert fill_step(Type("{name} {{unclosed"), {}) == Type("{name} {{unclosed")


def test_fill_replaces_every_use_and_keeps_other_steps():
    row = {"name": "José Álvarez", "order": "PO-1", "app": "notepad"}
    assert fill_step(Type("{{name}} / {{name}} / {{ order }}"), row) == Type(
        "José Álvarez / José Álvarez / PO-1"
    )
    assert fill_step(Launch("{{app}}"), row) == Launch("notepad")
    assert fill_step(Click(3, 4), row) == Click(3, 4)


def test_a_missing_column_is_a_clear_error():
    with pytest.raises(InputError, match=r"no column 'email' in the data \(columns: name\)"):
        fill_step(Type("{{email}}"), {"name": "x"})
