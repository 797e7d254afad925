"""Commands of several requests asked part by part (app/nl/clauses.py), and the decoder's
rule that copied text comes from the command word for word (app/nl/decode.py)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from conftest import scripted_model

from app.nl.clauses import MAX_CLAUSES, by_clauses, clause_spans
from app.nl.decode import constrained_search
from app.nl.service import OnnxAssistant


def clauses(command: str) -> list[str]:
    return [command[start:end] for start, end in clause_spans(command)]


@pytest.mark.parametrize(
    ("command", "parts"),
    [
        (
            "open notepad, type Hello world and save it",
            ["open notepad", "type Hello world", "save it"],
        ),
        ("click at 420, 310, then type 5000", ["click at 420, 310", "type 5000"]),
        ("click x=10, y=20 and wait", ["click x=10, y=20", "wait"]),
        ("move to X: 150, Y: 180 and save", ["move to X: 150, Y: 180", "save"]),
        ("type Dr. Anna Schmidt. Then press tab", ["type Dr. Anna Schmidt", "press tab"]),
        ("move to (3, 4), then scroll up", ["move to (3, 4)", "scroll up"]),
        ("first press esc. After that, refresh", ["press esc", "refresh"]),
        ("zoom in -> print", ["zoom in", "print"]),
        ("press tab twice and then type Zhang Wei", ["press tab twice", "type Zhang Wei"]),
        ("先点 500 300，再输入 1280.50，然后按回车", ["点 500 300", "输入 1280.50", "按回车"]),
        ("在 150，230 处双击；最后保存", ["在 150，230 处双击", "保存"]),
        ("全选然后复制", ["全选", "复制"]),
        (  # "and a half" is part of a length of time
            "delay two and a half seconds and press enter",
            ["delay two and a half seconds", "press enter"],
        ),
        ("输入 2024年3月15日 再按Tab", ["输入 2024年3月15日", "按Tab"]),
        ("保存，再次运行日报", ["保存", "再次运行日报"]),  # 再次 is "again", not "then"
        (  # a name given after a comma belongs to the screenshot before it
            "截屏，命名为“login page”，截一张屏幕截图，叫做report preview (draft)",
            ["截屏，命名为“login page”", "截一张屏幕截图，叫做report preview (draft)"],
        ),
        (
            "hold ctrl+shift and press l, and then delay for 1 sec",
            ["hold ctrl+shift and press l", "delay for 1 sec"],
        ),
        (
            "select all, then take a screenshot, call it Step 4 - totals",
            ["select all", "take a screenshot, call it Step 4 - totals"],
        ),
    ],
)
def test_a_command_is_cut_where_its_requests_join(command, parts):
    assert clauses(command) == parts


@pytest.mark.parametrize(
    "command",
    [
        'type "red, green and blue" please',  # quoted text is never cut
        "输入“你好，世界”",
        "open https://example.com/a,b",
        "click 420, 310",  # a coordinate pair
        "double-click at (1,2)",
        "press enter",
        "不再提醒",
        "press at 1531, 296 and drag to (488, 322)",  # one drag told in two halves
        "hold the left button at x=1510, y=320 and release at x 1701 y 241",
        "screenshot pls, name it before submit",
        "hold ctrl and press v",  # one shortcut told in two halves
        "Hold down control and shift and hit S",
        "按住 Ctrl 再按 S",
        "截个图，叫 报销单_03",
    ],
)
def test_literals_and_single_requests_stay_whole(command):
    assert clauses(command) == [command.strip()]


@dataclass
class Said:
    text: str


def test_a_part_that_means_nothing_alone_is_asked_again_with_its_neighbour():
    known = {
        "press tab": "press tab\n",
        "type Hello team": 'type "Hello team"\n',
        "type Hello team, the report is attached": 'type "Hello team, the report is attached"\n',
        "wait 2": "wait 2\n",
    }
    asked = []

    def decode(clause):
        asked.append(clause)
        return Said(known.get(clause, ""))

    parts = by_clauses("press tab, type Hello team, the report is attached, then wait 2", decode)
    assert [p.text for p in parts] == [
        "press tab\n",
        'type "Hello team, the report is attached"\n',
        "wait 2\n",
    ]
    assert asked == [
        "press tab",
        "type Hello team",
        "the report is attached",
        "type Hello team, the report is attached",
        "wait 2",
    ]
    # a leading part joins the one after it
    known["please, press tab"] = "press tab\n"
    assert [p.text for p in by_clauses("please, press tab", decode)] == ["press tab\n"]


def test_a_part_its_neighbour_does_not_take_in_is_reported_as_left_out():
    known = {"go to the end": "hotkey ctrl+end\n", "go to the end, hold on": "hotkey ctrl+end\n"}
    left_out: list[str] = []
    parts = by_clauses("go to the end, hold on", lambda c: Said(known.get(c, "")), left_out)
    assert [p.text for p in parts] == ["hotkey ctrl+end\n"]
    assert left_out == ["hold on"]


def test_when_a_part_means_nothing_even_joined_the_whole_command_is_asked():
    assert (
        by_clauses("press tab, then dance", lambda c: Said("press tab\n" * (c == "press tab")))
        is None
    )
    assert by_clauses("press tab", lambda c: Said("press tab\n")) is None  # one clause


def test_a_list_longer_than_any_list_of_requests_is_asked_as_a_whole():
    """ "a, a, a, …" is typed text or noise: asking each part, then each part again with its
    neighbour, would only cost time."""
    asked = []
    parts = ", ".join(["press tab"] * (MAX_CLAUSES + 1))
    assert by_clauses(parts, lambda c: asked.append(c) or Said("press tab\n")) is None
    assert asked == []
    parts = ", ".join(["press tab"] * MAX_CLAUSES)
    assert len(by_clauses(parts, lambda c: Said("press tab\n"))) == MAX_CLAUSES


def test_text_to_type_is_copied_from_the_command_word_for_word():
    # ids: 0 end, 1 'type "', 2 'Hello', 3 ' there', 4 '"\n', 5 ' team', 6 'llo', 7 '  team'
    table = [None, b'type "', b"Hello", b" there", b'"\n', b" team", b"llo", b"  team"]
    table += [b"#"] * 92
    command = "type Hello team"
    # the model would rather write "Hello there" (not in the command), then close early
    turns = [[1], [6, 2], [3, 5], [4], [0]]
    decoded = constrained_search(
        scripted_model(turns, len(table)), [0], table, 0, 10, source=command
    )
    assert decoded.text == 'type "Hello team"\n'  # "llo" starts inside a word: refused
    # without the command to copy from, the decoder writes what the model prefers
    decoded = constrained_search(scripted_model(turns, len(table)), [0], table, 0, 10)
    assert decoded.text == 'type "llo there"\n'
    # nor may a copy start with a space (one space after the quote is the model's own form
    # of a copy, `app.nl.prompt.model_answer`: " team" copies "team")
    turns = [[1], [7, 2], [7, 5], [4], [0]]
    decoded = constrained_search(
        scripted_model(turns, len(table)), [0], table, 0, 10, source=command
    )
    assert decoded.text == 'type "Hello team"\n'  # "Hello  team" is not in the command
    turns = [[1], [5, 2], [4], [0]]
    decoded = constrained_search(
        scripted_model(turns, len(table)), [0], table, 0, 10, source=command
    )
    assert decoded.text == 'type "team"\n'


def test_text_copied_without_quotes_runs_to_the_end_of_its_request():
    """ "type Hello team": a copy that stops at "Hello" leaves out what was asked. Text in
    no quotes ends where the request does, or before where it goes ("in the text box",
    "here"), what it is ("password") or the Chinese that says so ("的密码")."""
    # ids: 0 end, 1 'type "', 2 'Hello', 3 ' team', 4 '"\n'
    table = [None, b'type "', b"Hello", b" team", b'"\n'] + [b"#"] * 95
    # the model would close the quote after "Hello"
    turns = [[1], [2], [4, 3], [4], [0]]
    for source, copied in [
        ("type Hello team", "Hello team"),
        ("type Hello team.", "Hello team"),
        ("put Hello in the text box", "Hello"),
        ("type my Hello password", "Hello"),
        ("输入Hello的密码", "Hello"),
        ('type "Hello" team', "Hello"),  # quotes say where it ends
    ]:
        decoded = constrained_search(
            scripted_model(turns, len(table)), [0], table, 0, 10, source=source
        )
        assert decoded.text == f'type "{copied}"\n', source


def test_text_copied_without_quotes_does_not_start_after_a_word_with_a_digit():
    """ "type Q1 Sales": "Q1" is part of the text, not of the request to type it."""
    # ids: 0 end, 1 'type "', 2 'Sales', 3 'Q1', 4 ' Sales', 5 '"\n'
    table = [None, b'type "', b"Sales", b"Q1", b" Sales", b'"\n'] + [b"#"] * 94
    turns = [[1], [2, 3], [5, 4], [5], [0]]  # the model would start at "Sales"
    for source, copied in [
        ("type Q1 Sales", "Q1 Sales"),
        ("type Sales", "Sales"),
        ("再输入 Sales", "Sales"),  # no space-separated word before it
    ]:
        decoded = constrained_search(
            scripted_model(turns, len(table)), [0], table, 0, 10, source=source
        )
        assert decoded.text == f'type "{copied}"\n', source


def test_closing_a_copy_early_does_not_make_the_corrected_answer_lose_to_no_answer():
    """The model gives "Hello" then closing most of its weight; the rules make the copy go
    on, and what closing had goes to the ways it may go on, so that answer still beats
    answering nothing (the end token, 5 % at the start, against 0.95 × 0.03 for the
    answer as the model weighed it)."""
    import numpy as np

    table = [None, b'type "', b"Hello", b" team", b'"\n'] + [b"#"] * 95

    def advance(state, _ids):
        step = 0 if state is None else state
        probs = np.full(len(table), 1e-6)
        if step == 0:
            probs[1], probs[0] = 0.95, 0.05
        elif step == 1:
            probs[2] = 1.0
        elif step == 2:
            probs[4], probs[3] = 0.97, 0.03  # closing after "Hello": refused
        elif step == 3:
            probs[4] = 1.0
        else:
            probs[0] = 1.0
        return np.log(probs / probs.sum()).astype(np.float32), step + 1

    decoded = constrained_search(advance, [0], table, 0, 10, source="type Hello team", width=2)
    assert decoded.text == 'type "Hello team"\n'


def test_the_shipped_model_answers_a_three_part_command_part_by_part():
    answer = OnnxAssistant(provider="cpu").ask("open notepad, type Hello world and save it")
    assert answer.text == 'launch "notepad"\ntype "Hello world"\nhotkey ctrl+s\n'


def test_a_copy_does_not_stop_inside_a_date_or_start_after_a_currency_sign():
    # ids: 0 end, 1 'type "', 2 '2024', 3 '-03-15', 4 '"\n', 5 '$', 6 '49.99'
    table = [None, b'type "', b"2024", b"-03-15", b'"\n', b"$", b"49.99"] + [b"#"] * 93
    # the model would close the quote after the year
    turns = [[1], [2], [4, 3], [4], [0]]
    decoded = constrained_search(
        scripted_model(turns, len(table)), [0], table, 0, 10, source="type the date 2024-03-15"
    )
    assert decoded.text == 'type "2024-03-15"\n'
    # and would leave out the dollar sign
    turns = [[1], [6, 5], [6], [4], [0]]
    decoded = constrained_search(
        scripted_model(turns, len(table)), [0], table, 0, 10, source="then type $49.99"
    )
    assert decoded.text == 'type "$49.99"\n'


def test_a_copy_does_not_start_or_end_at_a_point_inside_a_number():
    # ids: 0 end, 1 'type "', 2 '23', 3 '.11', 4 '.2026', 5 '2026', 6 '"\n'
    table = [None, b'type "', b"23", b".11", b".2026", b"2026", b'"\n'] + [b"#"] * 93
    source = "then put 23.11.2026 in the text box"
    # the model would start at the year, then stop after the day
    turns = [[1], [5, 2], [6, 3], [6, 4], [6], [0]]
    decoded = constrained_search(
        scripted_model(turns, len(table)), [0], table, 0, 10, source=source
    )
    assert decoded.text == 'type "23.11.2026"\n'


def test_a_character_split_across_tokens_must_begin_the_next_character_of_the_copy():
    # 会 is E4 BC 9A in UTF-8; C2 begins a character the command does not have
    # ids: 0 end, 1 'type "', 2 C2, 3 E4 BC, 4 9A, 5 '"\n'
    table = [None, b'type "', b"\xc2", b"\xe4\xbc", b"\x9a", b'"\n'] + [b"#"] * 94
    turns = [[1], [2, 3], [4], [5], [0]]
    decoded = constrained_search(
        scripted_model(turns, len(table)), [0], table, 0, 10, source="输入 会"
    )
    assert decoded.text == 'type "会"\n'
