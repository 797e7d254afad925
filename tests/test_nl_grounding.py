"""The decoder's grounding rules (app/nl/grounding.py): numbers and keys come from the
command. And its beam search (app/nl/decode.py): the best whole answer, not the best first
token."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import scripted_model

from app.core.language import parse_steps
from app.nl.decode import constrained_search
from app.nl.grounding import answer_ok, mentions
from app.nl.service import OnnxAssistant


def test_the_numbers_keys_and_modifiers_a_command_names_are_found():
    said = mentions("在横坐标320、纵坐标210点一下, then x=-871 y1836 and 拖到（26，11）")
    assert {"320", "210", "-871", "1836", "26", "11"} <= said.numbers
    assert "871" not in said.numbers  # the sign belongs to the number
    said = mentions("paste twice, press tab twelve times, 按三次, 滚二十下, forty-five, x3")
    assert {2, 12, 3, 20, 45} <= said.counts
    said = mentions("hit F2 9 times, then Ctrl ALT Shift F11 and 按住Win再按f")
    assert said.f_keys == {"f2", "f11"}
    assert said.modifiers == {"ctrl", "alt", "shift", "win"}
    # an app's name is not a key: "Windows Explorer", "Windows PowerShell"
    assert mentions("open the Windows Explorer app and Windows PowerShell").modifiers == set()
    assert mentions("switch windows").modifiers == set()
    assert mentions("close Windows Calculator").modifiers == set()
    assert mentions("hold windows and press f4").modifiers == {"win"}
    assert mentions("send ctlr-Alt-U, then cotnrol+f2").modifiers == {"ctrl", "alt"}  # slips
    assert mentions('save it as "Shift Maria Wang.csv"').modifiers == set()  # a literal
    said = mentions("按下F114下")  # F11, four times
    assert "f11" in said.f_keys and 4 in said.counts
    assert mentions("Hit ALT-F11.").f_keys == {"f11"}
    assert mentions("the Windows key, 按住Windows按a").modifiers == {"win"}


@pytest.mark.parametrize(
    ("command", "answer", "ok"),
    [
        ("click at 1571, 709", "click 1571 709\n", True),
        ("click at 1571, 709", "click 1571 70", True),  # still being written: 709
        ("click at 1571, 709", "click 1571 71", False),
        ("click at 1571, 709", "click 390 10\n", False),
        ("click x1836 y2026", "click 1836 1836\n", False),  # a point: x, then its y
        ("click x1836 y2026", "click 1836 20", True),
        ("press at 1531, 296 and drag to (488,322)", "drag 1531 296 to 488 322\n", True),
        ("press at 1531, 296 and drag to (488,322)", "drag 488 322 to 322 322\n", False),
        ("drag from -1380, 1030 to 5, 6", "drag -1380 1030 to 5 6\n", True),
        ("drag from -1380, 1030 to 5, 6", "drag 1380 1030 to 5 6\n", False),  # the sign
        ("往下滚二十下", "scroll -20\n", True),
        ("往下滚二十下", "scroll -120\n", False),
        ("scroll down", "scroll -3\n", True),  # the default amount
        ("press space 12 times", "press space times 12\n", True),
        ("press space 12 times", "press space times 111\n", False),
        ("hit f2 9 times", "press f9 times 9\n", False),
        ("hit f2 9 times", "press f2 times 9\n", True),
        ("刷新4次", "press f4 times 4\n", False),
        ("刷新4次", "press f5 times 4\n", True),  # refresh: a convention
        ("save the file", "hotkey ctrl+s\n", True),  # a convention: no key named
        ("I'd like to hold on for five seconds", "hotkey ctrl+x\n", False),  # nothing cut
        ("I'd like to hold on for five seconds", "h", False),  # no intent: no shortcut at all
        ("SELECT THE WHOLE DOCUMENT", "hotkey ctrl+s\n", False),  # selecting is not saving
        ("SELECT THE WHOLE DOCUMENT", "hotkey ctrl+a\n", True),
        ("选择所有内容", "hotkey ctrl+p\n", False),
        ("选择所有内容", "hotkey ctrl+a\n", True),
        ("make it smaller", "hotkey ctrl+plus\n", False),
        ("make it smaller", "hotkey ctrl+-\n", True),
        ("itlicize the selection", "hotkey ctrl+i\n", True),  # a slip, at a longer word's start
        ("strike the return key", "press f5\n", False),  # refresh's key, but no refresh asked
        ("reload the page", "press f5\n", True),
        ("please coud you press tab 2x?", "hotkey ctrl+w\n", False),  # a key, not a tab to close
        ("close this tab", "hotkey ctrl+w\n", True),
        ("open a new tab", "hotkey ctrl+t\n", True),
        ("hit f2 9 times", "press f5 times 9\n", False),  # refresh's key, but f2 is named
        ("F5", "h", False),  # a key named by name: no shortcut
        ("F5", "press f5\n", True),
        ("alt F4", "hotkey alt+f4\n", True),  # its modifier is named too
        ("延时 6秒", "hotkey ctrl+6\n", False),  # no modifier named
        ("hotkey shift+ctrl+delete", "hotkey shift+delete\n", False),  # ctrl dropped
        ("hotkey shift+ctrl+delete", "hotkey shift+d", False),  # refused at the key
        ("hotkey shift+ctrl+delete", "hotkey shift+c", True),  # ctrl may still come
        ("hotkey shift+ctrl+delete", "hotkey shift+ctrl+delete\n", True),
        ("push CTRL+U!", "press u\n", False),  # a shortcut named: not a key press
        ("push CTRL+U!", "p", False),  # refused at its first letter, while "hotkey" can come
        ("push CTRL+U!", "hotkey ctrl+u\n", True),
        ("hold ctrl and press v", "p", False),  # a modifier named: a shortcut, not a key
        ("hold ctrl and press v", "hotkey ctrl+v\n", True),
        ("hold ctrl and press v", "hotkey ctrl+a\n", False),  # the letter is the one named
        ("hold ctrl and press v", "hotkey ctrl+a", True),  # may still become ctrl+alt+…
        ("Use Control + Shift + tab", "hotkey ctrl+shift+t", True),  # may still be tab
        ("Use Control + Shift + tab", "hotkey ctrl+shift+w\n", False),
        ("hold down Ctrl and hit 8", "hotkey ctrl+8\n", True),
        ("let's lock windows", "hotkey win+l\n", True),  # a convention: no letter named
        ("do Ctrl + ALT + Tab", "hotkey alt+tab\n", False),  # a convention, but ctrl named
        ("do Ctrl + ALT + Tab", "hotkey ctrl+alt+tab\n", True),
        ("rclick 877 957", "click", False),
        ("give x 346 y 430 a right click", "click", False),
        ("give x 346 y 430 a right click", "right_click 346 430\n", True),
        ("在（150，230）双击", "double_click 150 230\n", True),
        ("在（150，230）双击", "click 150 230\n", False),
        ("run the invoice macro 3 times", 'run "Invoice entry" times 3\n', True),
        ("run the invoice macro 3 times", 'run "Invoice entry" times 2025\n', False),
        ("hold on for 750 ms", "wait 0.75\n", True),
        ("延时一点五秒", "wait 1.5\n", True),
        ("两秒半", "wait 2.5\n", True),
        ("idle for two minutes", "wait 120\n", True),
        ("give it a minute and a half", "wait 90\n", True),
        ("wait 3 seconds", "wait 30\n", False),
        ("then give it 1 minute", "wait 60\n", True),
        ("then give it 1 minute", "wait 1\n", False),  # the unit says which: not seconds
        ("hold on for 200ms", "wait 200\n", False),
        ("wait 5s, then half a second", "wait 0.5\n", True),  # a length with no number
        ("wait half a second", "wait 1.5\n", False),  # not "and a half"
        ("pause a second and a half", "wait 1.5\n", True),
        ("hack into the server", "wait 1\n", False),  # no length of time named at all
        ("Idle for two minutes", "wait 1\n", False),  # "minutes" belongs to the "two"
        ("Idle for two minutes", "wait 120\n", True),
        ("idle for 1.5 minutes", "wait 120\n", False),  # a half more only when it says so
        ("Hang on one an a half seconds", "wait 1.5\n", True),  # a slip of "and a half"
        ("open notepad", 'launch "notepad"\n', True),
        ("open notepad", 'launch "chrome"\n', False),  # a program nobody named
        ("open notepad", 'launch "c', False),  # refused as soon as it cannot be one
        ("打开记事本", 'launch "notepad"\n', True),  # by its Chinese name
        ("open Notpead please", 'launch "notepad"\n', True),  # a slip of the finger
        ("Start Microsoft Word", 'launch "winword"\n', True),
        ("launch spotify", 'launch "spotify"\n', True),  # its own word: no entry needed
        ("截图叫 看板", 'launch "chrome"\n', False),
        ("打开网址 https://oa.example.cn/a", 'launch "https://oa.example.cn/a"\n', False),
        ("Close Teams", 'launch "teams"\n', False),  # named, but to be closed
        ("close the outlook window", 'launch "outlook"\n', False),
        ("关闭记事本", 'launch "notepad"\n', False),
        ("close outlook and open teams", 'launch "teams"\n', True),
        ("Close Teams", "hotkey alt+f4\n", True),
        ("close paint", "l", False),  # nothing left that could be started
        ("Close outlook, thanks", 'screenshot "outlook"\n', False),  # no picture asked for
        ("截图叫 看板", 'screenshot "看板"\n', True),
        ("grab the screen as Q3", 'screenshot "Q3"\n', True),
        ("在坐标（1770，940）点击鼠标左键", "double_click 1770 940\n", False),  # one click
        ("在坐标（1770，940）点击鼠标左键", "click 1770 940\n", True),
        ("Rclick 1385 493", "double_click 1385 493\n", False),  # a right click is no double
        ("Rclick 1385 493", "right_click 1385 493\n", True),
        ("dclck 3440 1120", "double_click 3440 1120\n", True),  # slips of a double click
        ("Bring up th context menu at x 1350 y 143", "right_click 1350 143\n", True),
        ("double-click 20 30", "right_click 20 30\n", False),
        ("在横坐标1332、纵坐标812处连点两下", "scroll 2 at 1332 812\n", False),  # two clicks
        ("在横坐标1332、纵坐标812处连点两下", "double_click 1332 812\n", True),
        ("scrlol down 3", "scroll -3\n", True),  # a slip of "scroll"
        ("往下滚3格", "scroll -3\n", True),
        ("I want to give x=1571, y=709 a right click", "move 1571 709\n", False),
        ("mv 340 240", "move 340 240\n", True),  # "mv", "hvoer", "鼠标移到": a move
        ("hvoer at [1462, 939]", "move 1462 939\n", True),
        ("鼠标移到（10，20）", "move 10 20\n", True),
    ],
)
def test_an_answer_may_hold_only_what_the_command_names(command, answer, ok):
    assert answer_ok(answer, mentions(command), final=answer.endswith("\n")) is ok


def test_the_corpus_answers_to_single_requests_pass_grounding():
    """The rules refuse nothing the model was taught: every one-request example of the
    corpus passes, typing slips ("ctlr", "seond") and literals ("Shift Wang.csv") too.
    (One true ambiguity is allowed for: "按F24次" is F2 four times, or F24.)"""
    from app.nl.prompt import clean_command
    from training.corpus import generate

    refused, checked = [], 0
    for example in generate(5, 20_000):
        if "|" in example.template or not example.steps:
            continue
        text, _ = clean_command(example.command)
        if not answer_ok(example.steps, mentions(text), final=True):
            refused.append(example.command)
        checked += 1
    assert checked > 15_000
    assert len(refused) <= checked // 5000, refused


def test_a_line_repeated_n_times_needs_n_named():
    said = mentions("paste 3 times")
    paste = "hotkey ctrl+v\n"
    assert answer_ok(paste * 3, said, final=True)
    assert not answer_ok(paste * 4, said)  # one too many, even before the end
    assert answer_ok(paste * 2, said)  # the third may still come...
    assert not answer_ok(paste * 2, said, final=True)  # ...but the answer cannot end there
    assert not answer_ok(paste * 2 + "p", said)  # nor go on to another step
    assert answer_ok(paste * 3 + "press enter\n", said, final=True)
    # a command naming no number is not held to any count
    assert answer_ok("press tab\n" * 2, mentions("press tab, press tab"), final=True)


def test_the_decoder_writes_the_coordinates_the_command_names():
    # ids: 0 end, 1 'click ', 2 '390', 3 '1571', 4 ' ', 5 '709', 6 '10', 7 '\n'
    table = [None, b"click ", b"390", b"1571", b" ", b"709", b"10", b"\n"] + [b"#"] * 92
    turns = [[1], [2, 3], [4], [6, 5], [7], [0]]
    decoded = constrained_search(
        scripted_model(turns, len(table)), [0], table, 0, 10, source="click at 1571, 709"
    )
    assert decoded.text == "click 1571 709\n"
    decoded = constrained_search(scripted_model(turns, len(table)), [0], table, 0, 10)
    assert decoded.text == "click 390 10\n"  # without the command: what the model prefers


def tree_model(tree: dict[tuple[int, ...], dict[int, float]], vocab: int):
    """A model whose next-token probabilities depend on the whole answer so far: `tree`
    maps the tokens after the prompt to {token: probability}."""

    def advance(state, ids):
        answer = () if state is None else (*state, *ids)
        logits = np.full(vocab, -30.0, dtype=np.float32)
        for token, p in tree.get(answer, {}).items():
            logits[token] = np.log(p)
        return logits, answer

    return advance


def test_beam_search_finds_the_likelier_whole_answer_that_greedy_misses():
    # ids: 0 end, 1 'hotkey ctrl+s\n', 2 'type "收到"\n'
    table = [None, b"hotkey ctrl+s\n", 'type "收到"\n'.encode()] + [b"#"] * 97
    tree = {
        (): {1: 0.55, 2: 0.45},  # greedy takes the shortcut first...
        (1,): {2: 0.5, 0: 0.5},  # ...then is unsure: 0.275 for the whole answer
        (2,): {0: 0.95},  # the other first choice ends at once: 0.43
        (1, 2): {0: 1.0},
    }
    greedy = constrained_search(tree_model(tree, len(table)), [0], table, 0, 10, width=1)
    assert greedy.text in ('hotkey ctrl+s\ntype "收到"\n', "hotkey ctrl+s\n")
    beam = constrained_search(tree_model(tree, len(table)), [0], table, 0, 10, width=2)
    assert beam.text == 'type "收到"\n'


def test_inside_a_copy_the_command_decides_what_comes_next_and_the_model_only_where_it_ends():
    # ids: 0 end, 1 'type " Zhang' (the model's form), 2 ' Wei', 3 '"\n'
    table = [None, b'type " Zhang', b" Wei", b'"\n'] + [b"#"] * 96
    tree = {
        (): {1: 0.6, 0: 0.4},
        (1,): {3: 0.9, 2: 0.0001},  # would close the copy at "Zhang", the request goes on
        (1, 2): {3: 1.0},
        (1, 2, 3): {0: 1.0},
    }
    model = tree_model(tree, len(table))
    decoded = constrained_search(model, [0], table, 0, 10, source="type Zhang Wei", width=2)
    assert decoded.text == 'type "Zhang Wei"\n'  # not "not understood": the name is unknown


def test_a_stuck_copy_finds_its_next_piece_at_the_bottom_of_a_large_vocabulary():
    # ids: 0 end, 1 'type " ORDER', 2 ' (urgent)', 3 '"\n'; 3000 tokens the copy cannot use
    table = [None, b'type " ORDER', b" (urgent)", b'"\n'] + [b"#"] * 3000
    tree = {(): {1: 1.0}, (1,): {0: 0.9, 2: 1e-20}, (1, 2): {3: 1.0}, (1, 2, 3): {0: 1.0}}
    model = tree_model(tree, len(table))
    decoded = constrained_search(model, [0], table, 0, 10, source="type ORDER (urgent)")
    assert decoded.text == 'type "ORDER (urgent)"\n'


def test_a_command_naming_a_saved_macro_is_not_done_until_the_answer_runs_it():
    # ids: 0 end, 1 'run "Send purchase orders 2025"\n'
    table = [None, b'run "Send purchase orders 2025"\n'] + [b"#"] * 98
    tree = {(): {0: 0.55, 1: 0.45}, (1,): {0: 1.0}}  # the model would rather give up
    saved = ["Send purchase orders 2025", "Payroll check", "Save"]

    def decode(command: str) -> str:
        model = tree_model(tree, len(table))
        return constrained_search(model, [0], table, 0, 10, macros=saved, source=command).text

    assert decode("Do the send purchase orders 2025 for me") == table[1].decode()
    assert decode("do the purchase orders") == ""  # not its whole name: the model decides
    assert decode("save the file") == ""  # a one-word name may be said by chance


@pytest.fixture(scope="module")
def assistant():
    return OnnxAssistant(provider="cpu")


@pytest.mark.parametrize(
    ("command", "steps"),
    [
        ("hit ctrl-shift-J", "hotkey ctrl+shift+j\n"),
        ("hit f2 9 times", "press f2 times 9\n"),
        ("刷新3次", "press f5 times 3\n"),
        ("switch to the other window three times", "hotkey alt+tab\n" * 3),
        ("type hi", 'type "hi"\n'),  # the copy starts after what asks for it
        ("then type hi", 'type "hi"\n'),
    ],
)
def test_the_shipped_model_keeps_to_what_the_command_names(assistant, command, steps):
    answer = assistant.ask(command)
    assert answer.text == steps
    assert parse_steps(answer.text) == answer.steps
