"""Literal tags (app/nl/literals.py) and the macro names shown (app/nl/relevance.py): which
parts of a command are tagged, how a training answer uses the tags, how the decoder writes
a tag's literal back, and which saved names the model sees and may write."""

from __future__ import annotations

import pytest
from conftest import scripted_model

from app.core.language import parse_steps
from app.nl.decode import constrained_search
from app.nl.literals import TAGS, expansion, strip_tags, tag, tag_answer
from app.nl.prompt import (
    END,
    clean_command,
    model_answer,
    steps_from_model,
    training_text,
)
from app.nl.relevance import relevant_macros, stems
from training import corpus


def untag(text: str, literals: tuple[str, ...]) -> str:
    """Tags replaced by what they stand for, as the decoder writes them."""
    for index, literal in enumerate(literals):
        text = text.replace(TAGS[index], expansion(literal))
    return text


@pytest.mark.parametrize(
    ("command", "literals"),
    [
        ("click at x=905, y=482", ("905", "482")),
        ("drag (-5, 20) to 30,40", ("5", "20", "30", "40")),
        ('type "Hello, World!" then press enter', ("Hello, World!",)),
        ("输入“张伟”，然后按回车", ("张伟",)),
        ("type 「报告」 and ‘ok’ and `x`", ("报告", "ok", "x")),
        ("open https://example.com/a?b=1&c=2.", ("https://example.com/a?b=1&c=2",)),
        ("先打开zh.wikipedia.org/?date=2026-11-23，再保存", ("zh.wikipedia.org/?date=2026-11-23",)),
        ("mail wang.fang@qq.com now", ("wang.fang@qq.com",)),
        (r"type C:\Users\zoë\report.docx please", (r"C:\Users\zoë\report.docx",)),
        ("save it as report-final.xlsx", ("report-final.xlsx",)),
        (r"type C:\Program Files\Acme\bin and press enter", (r"C:\Program Files\Acme\bin",)),
        (r"Save as D:\Backup\minutes 12-05.docx", (r"D:\Backup\minutes 12-05.docx",)),
        ("wait 1.5 seconds, then 4s more", ("1.5", "4")),
        ("press tab 3x", ("3",)),
        ("跳到 a.example.com/r?page=2,然后按回车", ("a.example.com/r?page=2",)),  # a clause
        ("打开 a.cn/wiki/机器人#1", ("a.cn/wiki/机器人#1",)),  # Chinese in the address
        ("put 23.11.2026 in the box", ("23.11.2026",)),  # a date is one literal
        ("type 2026-11-23 or 3/15/2026", ("2026-11-23", "3/15/2026")),
        ("save as export 23.11.2026.csv", ("23.11.2026.csv",)),  # a file name still
    ],
)
def test_literals_are_tagged_in_order(command, literals):
    tagged = tag(command)
    assert tagged.literals == literals
    assert [tagged.text.index(t) for t in TAGS[: len(literals)]] == sorted(
        tagged.text.index(t) for t in TAGS[: len(literals)]
    )
    # the literal stays readable right after its tag
    for t, literal in zip(TAGS, literals, strict=False):
        assert tagged.text[tagged.text.index(t) + len(t) :].startswith(literal)


@pytest.mark.parametrize(
    "command",
    [
        "press f5 then f12",  # key names, not numbers
        "run the Q4 forecast macro",
        "wait 100ms",  # a unit the model converts itself
        "wait 2min",
        "remind me to call Mike O'Neil's office",  # apostrophes, not quotes
        "hit ctrl+a",
    ],
)
def test_parts_that_are_not_literals_stay_untagged(command):
    assert tag(command).literals == ()
    assert tag(command).text == command


def test_no_more_tags_than_there_are_tag_tokens():
    command = " ".join(f"click {n} {n + 1}," for n in range(100, 200, 2))
    tagged = tag(command)
    assert len(tagged.literals) == len(TAGS)
    assert "<|33|>" not in tagged.text


def test_answer_uses_the_tags_in_order_and_untags_back():
    tagged = tag("click 10, 10 then type '10 apples' then wait 10 seconds")
    assert tagged.literals == ("10", "10", "10 apples", "10")
    steps = 'click 10 10\ntype "10 apples"\nwait 10\n'
    answer = tag_answer(steps, tagged.literals)
    assert answer == 'click <|1|> <|2|>\ntype "<|3|>"\nwait <|4|>\n'
    assert untag(answer, tagged.literals) == steps


def test_a_literal_is_not_found_inside_a_longer_number_or_word():
    assert tag_answer("press f5\nwait 0.5\nclick 150 5\n", ("5",)) == (
        "press f5\nwait 0.5\nclick 150 <|1|>\n"
    )


def test_expansion_is_step_language_string_content():
    assert expansion(r"C:\temp") == r"C:\\temp"
    assert expansion('say "hi"') == r"say \"hi\""
    assert expansion("1234") == "1234"


def test_every_corpus_answer_round_trips_through_its_tags():
    for example in corpus.generate(11, 3000):
        tagged = tag(example.command)
        answer = tag_answer(example.steps, tagged.literals)
        assert untag(answer, tagged.literals) == example.steps, example
        prompt, written = training_text(example.command, example.macros, example.steps)
        assert tagged.text in prompt
        assert written == model_answer(answer) + END
        assert steps_from_model(model_answer(answer).encode()).decode() == answer, example


def test_a_copied_string_opens_with_a_space_in_the_models_answers():
    assert model_answer('type "Hello team"\npress enter\n') == ('type " Hello team"\npress enter\n')
    assert model_answer('screenshot "a"\ntype secret "vpn"\nopen_url "<|1|>"\ntype ""') == (
        'screenshot " a"\ntype secret " vpn"\nopen_url "<|1|>"\ntype ""'
    )
    # a string that itself opens with a space keeps it
    assert steps_from_model(model_answer('type " x"\n').encode()) == b'type " x"\n'
    # while it is being written, too
    assert steps_from_model(b'type " He') == b'type "He'
    assert steps_from_model(b'click 1 2\nrun " x"') == b'click 1 2\nrun " x"'


def test_a_bare_copy_is_the_same_tokens_in_the_command_and_the_answer():
    from tokenizers import Tokenizer

    from app.core.resources import resource_path

    tokenizer = Tokenizer.from_file(str(resource_path("models") / "tokenizer.json"))
    for command, copy in [
        ("type Budget final review", "Budget final review"),
        ("please enter the text Hello team", "Hello team"),
        ("screenshot before save", "before save"),
    ]:
        prompt, answer = training_text(command, [], f'type "{copy}"\n')
        in_command = tokenizer.encode(prompt).ids
        copied = tokenizer.encode(f" {copy}").ids
        assert tokenizer.encode(answer).ids[2 : 2 + len(copied)] == copied
        assert any(in_command[i : i + len(copied)] == copied for i in range(len(in_command))), (
            command
        )


def test_the_decoder_reads_the_models_answer_form_as_step_language():
    # ids: 0 end, 1 'type "', 2 ' Hello', 3 ' team', 4 '"\n'
    table = [None, b'type "', b" Hello", b" team", b'"\n'] + [b"#"] * 95
    decoded = constrained_search(
        scripted_model([[1], [2], [3], [4], [0]], len(table)),
        [0],
        table,
        0,
        10,
        source="type Hello team",
    )
    assert decoded.text == 'type "Hello team"\n'


def test_tags_a_user_types_are_removed_before_tagging():
    cleaned, _ = clean_command("type <|1|> and <|steps|> <|99|>x")
    assert "<|" not in cleaned
    assert strip_tags("a<|3|>b") == "a b"


def test_the_decoder_writes_a_tag_as_its_literal_and_never_an_unknown_tag():
    # ids: 0 end, 1 "open_url \"", 2 "\"\n", 3 tag <|1|>, 4 tag <|2|> (no literal given)
    table = [None, b'open_url "', b'"\n', None, None] + [b"#"] * 95
    url = "https://example.com/p/12345?page=2&sort=desc"
    tags = {3: expansion(url).encode()}
    decoded = constrained_search(
        scripted_model([[1], [4, 3], [2], [0]], len(table)), [0], table, 0, 10, tags
    )
    assert decoded.text == f'open_url "{url}"\n'
    assert parse_steps(decoded.text)[0].url == url


def test_a_run_step_can_only_name_a_saved_macro():
    # ids: 0 end, 1 'run "', 2 'Invoice', 3 ' entry', 4 '"\n', 5 'Report'
    table = [None, b'run "', b"Invoice", b" entry", b'"\n', b"Report"] + [b"#"] * 94
    # the model prefers the unknown name "Report", then a name cut short; neither is allowed
    turns = [[1], [5, 2], [4, 3], [4], [0]]
    decoded = constrained_search(
        scripted_model(turns, len(table)), [0], table, 0, 10, macros=["Invoice entry"]
    )
    assert decoded.text == 'run "Invoice entry"\n'
    # with no saved macros, no run step can be written at all
    decoded = constrained_search(scripted_model([[1], [0]], len(table)), [0], table, 0, 10)
    assert decoded.text == ""


def test_only_the_macro_names_a_command_may_mean_are_shown():
    names = ["Confirm save dialog", "Invoice entry", "每日报告", "Daily note", "Weekly report"]
    assert relevant_macros("press enter", names) == []
    assert relevant_macros("run the invoice macro twice", names) == ["Invoice entry"]
    assert relevant_macros("运行日报", names) == ["每日报告"]
    # most shared stems first, at most `limit`
    assert relevant_macros("the daily report note", names, limit=2) == [
        "Daily note",
        "Weekly report",
    ]
    assert stems("Month-end close") == {"month", "end", "close"}
