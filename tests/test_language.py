"""The step language: every form parses and formats back; errors point at the right place."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core import steps as s
from app.core.errors import StepSyntaxError
from app.core.grammar import FORMS
from app.core.keys import KEY_NAMES
from app.core.language import format_step, format_steps, parse_line, parse_steps
from app.core.macro import Macro, format_macro, parse_macro

CANONICAL = {
    "click 10 20": s.Click(10, 20),
    'click -1920 5 anchor "ok_1"': s.Click(-1920, 5, anchor="ok_1"),
    'click image "save-btn"': s.ClickImage("save-btn"),
    "double_click 3 4": s.DoubleClick(3, 4),
    'right_click 3 4 anchor "menu"': s.RightClick(3, 4, anchor="menu"),
    "move 0 0": s.Move(0, 0),
    "drag 1 2 to 300 400": s.Drag(1, 2, 300, 400),
    "scroll -3": s.Scroll(-3),
    "scroll 5 at 100 200": s.Scroll(5, 100, 200),
    'type "Hello, World!"': s.Type("Hello, World!"),
    'type ""': s.Type(""),
    'type "tab\\there \\"quoted\\" back\\\\slash\\nnew line"': s.Type(
        'tab\there "quoted" back\\slash\nnew line'
    ),
    'type "你好，世界 café 😀"': s.Type("你好，世界 café 😀"),
    'type secret "bank password"': s.TypeSecret("bank password"),
    "press enter": s.Press("enter"),
    "press tab times 3": s.Press("tab", 3),
    "hotkey ctrl+s": s.Hotkey(("ctrl", "s")),
    "hotkey ctrl+shift+esc": s.Hotkey(("ctrl", "shift", "esc")),
    "hotkey ctrl+plus": s.Hotkey(("ctrl", "plus")),
    "wait 2": s.Wait(2),
    "wait 0.5": s.Wait(0.5),
    'wait_for image "dialog" timeout 10': s.WaitFor("dialog", 10),
    'launch "notepad"': s.Launch("notepad"),
    'open_url "https://example.com/a?b=1&c=2"': s.OpenUrl("https://example.com/a?b=1&c=2"),
    'run "Invoice entry"': s.RunMacro("Invoice entry"),
    'run "Invoice entry" times 2': s.RunMacro("Invoice entry", 2),
    'screenshot "after save"': s.Screenshot("after save"),
}


@pytest.mark.parametrize("line", CANONICAL)
def test_each_form_parses_and_formats_back(line):
    step = parse_line(line)
    assert step == CANONICAL[line]
    assert format_step(step) == line


def test_every_step_kind_is_covered_by_the_examples():
    assert {type(step) for step in CANONICAL.values()} == set(s.STEP_TYPES.values())
    assert {form.cls for form in FORMS} == set(s.STEP_TYPES.values())


def test_comments_blank_lines_tabs_and_crlf():
    text = '# a comment\n\n  click\t10   20  # the OK button\r\n\t# indented comment\ntype "#"\n'
    assert parse_steps(text) == [s.Click(10, 20), s.Type("#")]


def test_unicode_escapes_are_decoded():
    assert parse_line(r'type "caf\u00e9 \ud83d\ude00"') == s.Type("café 😀")


ERRORS = [
    ("click abc 5", 7, "expected a number after 'click', got \"abc\""),
    ("click 10", 10, "expected a number after '10', got the end of the line"),
    ("clik 1 2", 1, "unknown step \"clik\" (did you mean 'click'?)"),
    ("Click 1 2", 1, "unknown step \"Click\" (did you mean 'click'?)"),
    ("click 10 20 foo", 13, "unexpected \"foo\" after 'click 10 20' (expected 'anchor' or"),
    ("click 10 20 anchor", 20, "expected an image id in quotes"),
    ('click 10 20 anchor "bad id"', 20, "anchor id must be 1-64 letters"),
    ("click 999999 1", 7, "coordinate x must be between -100000 and 100000"),
    ("click 1.5 2", 7, "expected a number after 'click', got \"1.5\""),
    ('type "abc', 6, "unterminated string"),
    ('type "a\\qb"', 8, 'bad escape "\\\\q"'),
    ('type "a\\u12"', 8, "\\u takes four hex digits"),
    ('type "a\tb"', 8, "control character U+0009 in string"),
    ('type "a"b', 9, "expected a space after the string"),
    ('type x"a"', 7, "a string must start after a space"),
    ("type hello", 6, 'expected a "quoted string" after \'type\', got "hello"'),
    ('type "\\ud800"', 6, "lone surrogate"),
    ('type secret ""', 13, "name must not be empty"),
    ('"click" 1 2', 1, "a line starts with a step name"),
    ("press entr", 7, "unknown key \"entr\" (did you mean 'enter'?)"),
    ("press A", 7, "unknown key \"A\" (key names are lower case: 'a')"),
    ("press enter times -2", 19, "expected a whole number of 1 or more after 'times'"),
    ("press enter times 0", 19, "the repeat count must be between 1 and 10000, got 0"),
    ("press enter times", 19, "expected a whole number of 1 or more"),
    ("hotkey ctrl", 8, "a hotkey joins two or more keys"),
    ("hotkey ctrl+", 13, "empty key in a hotkey"),
    ("hotkey ctrl+shft+s", 13, "unknown key \"shft\" (did you mean 'shift'?)"),
    ("hotkey ctrl+ctrl", 8, "a hotkey names each key once"),
    ("scroll 0", 8, "the scroll amount must not be 0"),
    ("scroll 3 at 5", 15, "expected a number after '5'"),
    ("wait -1", 6, "expected a number of seconds (like 2 or 0.5) after 'wait', got \"-1\""),
    ("wait 5s", 6, "expected a number of seconds"),
    ("wait 100000", 6, "seconds must be between 0 and 86400"),
    ('wait_for image "x"', 20, "expected 'timeout' after '\"x\"', got the end of the line"),
    ('wait_for "x" timeout 3', 10, "expected 'image' after 'wait_for'"),
    ("drag 1 2 3 4", 10, "expected 'to' after '2', got \"3\""),
    ('launch ""', 8, "program must not be empty"),
    ('run "x" times 2 extra', 17, 'unexpected "extra"'),
]


@pytest.mark.parametrize(("line", "col", "message"), ERRORS)
def test_errors_name_line_column_and_what_was_found(line, col, message):
    with pytest.raises(StepSyntaxError) as caught:
        parse_steps("# header\n\n" + line)
    error = caught.value
    assert (error.line, error.col) == (3, col), str(error)
    assert message in error.message
    assert str(error).startswith(f"line 3, col {col}: ")


def test_invalid_steps_cannot_be_constructed():
    with pytest.raises(s.InvalidStep):
        s.Press("enter", times=0)
    with pytest.raises(s.InvalidStep):
        s.Click(True, 3)  # a bool is not a coordinate
    with pytest.raises(s.InvalidStep):
        s.Scroll(3, x=1)
    with pytest.raises(s.InvalidStep):
        s.Wait(float("nan"))


def test_step_args_round_trip_through_storage_form():
    for step in CANONICAL.values():
        assert s.step_from_args(step.kind, s.step_args(step)) == step


# ---------------------------------------------------------------- property test

_text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from([*list('"\\\n\t\r#{}+'), "你", "好", "😀", "é", "\u2028", "\x00"]),
    ),
    max_size=40,
)
_nonempty = _text.filter(str.strip)
_coord = st.integers(-s.MAX_COORD, s.MAX_COORD)
_times = st.integers(1, s.MAX_TIMES)
_seconds = st.integers(0, int(s.MAX_SECONDS * 1000)).map(lambda ms: ms / 1000)
_anchor = st.from_regex(s.ANCHOR_ID, fullmatch=True)
_key = st.sampled_from(sorted(KEY_NAMES))

STEPS = st.one_of(
    st.builds(s.Click, _coord, _coord, st.none() | _anchor),
    st.builds(s.DoubleClick, _coord, _coord, st.none() | _anchor),
    st.builds(s.RightClick, _coord, _coord, st.none() | _anchor),
    st.builds(s.ClickImage, _anchor),
    st.builds(s.Move, _coord, _coord),
    st.builds(s.Drag, _coord, _coord, _coord, _coord),
    st.builds(s.Scroll, st.integers(-s.MAX_SCROLL, s.MAX_SCROLL).filter(bool)),
    st.builds(s.Scroll, st.integers(1, s.MAX_SCROLL), _coord, _coord),
    st.builds(s.Type, _text),
    st.builds(s.TypeSecret, _nonempty),
    st.builds(s.Press, _key, _times),
    st.builds(s.Hotkey, st.lists(_key, min_size=2, max_size=4, unique=True).map(tuple)),
    st.builds(s.Wait, _seconds),
    st.builds(s.WaitFor, _anchor, _seconds),
    st.builds(s.Launch, _nonempty),
    st.builds(s.OpenUrl, _nonempty),
    st.builds(s.RunMacro, _nonempty, _times),
    st.builds(s.Screenshot, _nonempty),
)

_name = (
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)

MACROS = st.builds(
    Macro,
    name=_name,
    steps=st.lists(STEPS, max_size=30).map(tuple),
    description=_text,
    screen=st.none() | st.tuples(st.integers(1, 99999), st.integers(1, 99999)),
)


@settings(max_examples=300, deadline=None)
@given(STEPS)
def test_parse_of_format_is_identity_for_steps(step):
    line = format_step(step)
    assert "\n" not in line
    assert parse_line(line) == step


@settings(max_examples=200, deadline=None)
@given(MACROS)
def test_parse_of_format_is_identity_for_macros(macro):
    assert parse_macro(format_macro(macro)) == macro
    assert parse_steps(format_steps(macro.steps)) == list(macro.steps)
