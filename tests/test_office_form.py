"""The office form target app works under a real X display, driven through xdotool.

Recorder and player tests replay macros against this form, so it must take input, report
where its widgets are and write exactly what was entered.
"""

from __future__ import annotations

import time

from targets.form_fixture import OfficeForm, office_form, office_form_factory, xdotool

__all__ = ["office_form", "office_form_factory"]  # fixtures used by the tests below


def test_fill_and_submit_twice(office_form: OfficeForm):
    form = office_form
    assert form.geometry == (100, 100, 520, 460)
    assert set(form.layout) == {"name", "email", "city", "subscribe", "notes", "submit", "clear"}
    x, y, w, h = form.geometry
    for px, py in form.layout.values():
        assert x < px < x + w and y < py < y + h

    form.click("name")
    xdotool("type", "--delay", "20", "Ada Lovelace")
    form.click("email")
    xdotool("type", "--delay", "20", "ada@example.org")
    form.click("subscribe")
    form.click("city")
    time.sleep(0.3)  # the popup opens on the press; let it show before the keys
    xdotool("key", "--delay", "50", "Down", "Return")
    form.click("notes")
    xdotool("type", "--delay", "20", "Hello, World!")
    xdotool("key", "Return")
    xdotool("type", "--delay", "20", "Second line: 1 + 1 = 2")
    form.click("submit")

    assert form.result(1) == {
        "name": "Ada Lovelace",
        "email": "ada@example.org",
        "city": "London",
        "subscribe": True,
        "notes": "Hello, World!\nSecond line: 1 + 1 = 2",
        "submits": 1,
    }
    assert form.wait_line("SUBMITTED 1") == "SUBMITTED 1"

    # Change one field and submit again: the form keeps running and counts.
    form.click("name")
    xdotool("key", "ctrl+a")
    xdotool("type", "--delay", "20", "Grace Hopper")
    form.click("subscribe")
    form.click("submit")
    second = form.result(2)
    assert second["name"] == "Grace Hopper"
    assert second["subscribe"] is False
    assert second["city"] == "London"
    assert second["submits"] == 2


def test_clear_then_submit(office_form: OfficeForm):
    form = office_form
    xdotool("type", "--delay", "20", "typed without a click")  # initial focus is on name
    form.click("clear")
    form.wait_line("CLEARED")
    form.click("submit")
    assert form.result(1) == {
        "name": "",
        "email": "",
        "city": "Berlin",
        "subscribe": False,
        "notes": "",
        "submits": 1,
    }


def test_window_position_option(office_form_factory):
    default = office_form_factory()
    default_layout = default.layout
    assert default.stop() == 0  # SIGTERM quits cleanly

    form = office_form_factory(x=300, y=250, title="Moved Form")
    x, y, w, h = form.geometry
    assert (x, y) == (300, 250)
    assert (w, h) == (520, 460)
    # Every widget moved with the window, by exactly (200, 150).
    assert {k: (px - 200, py - 150) for k, (px, py) in form.layout.items()} == default_layout

    form.click("name")
    xdotool("type", "--delay", "20", "moved")
    form.click("submit")
    assert form.result()["name"] == "moved"
    assert form.stop() == 0
