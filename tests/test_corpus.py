"""The synthetic training corpus: labels parse, conventions hold, the split holds out phrasing."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from app.core import steps as s
from app.core.language import format_steps, parse_steps
from training.corpus import (
    APPS,
    COMMANDLIKE_TEXTS,
    NOVEL_VERB_TEMPLATES,
    SCROLL_DEFAULT,
    TRAIN_ONLY,
    Example,
    corpus_hash,
    family,
    generate,
    split,
    template_ids,
    template_units,
    to_jsonl_record,
)


@pytest.fixture(scope="module")
def corpus() -> list[Example]:
    return generate(seed=1234, count=20_000)


def parsed(ex: Example) -> list:
    return parse_steps(ex.steps)


def single_of(corpus, name: str, lang: str | None = None) -> list[Example]:
    return [
        ex
        for ex in corpus
        if "|" not in ex.template
        and family(ex.template) == name
        and (lang is None or ex.lang == lang)
    ]


def test_deterministic_for_a_seed():
    a, b = generate(7, 2000), generate(7, 2000)
    assert a == b
    assert corpus_hash(a) == corpus_hash(b)
    other = generate(8, 2000)
    assert other != a
    assert corpus_hash(other) != corpus_hash(a)
    assert generate(7, 0) == []
    assert generate(7, 10) == a[:10]  # a prefix of a longer run


def test_deterministic_across_processes():
    code = (
        "from training.corpus import corpus_hash, generate; print(corpus_hash(generate(5, 3000)))"
    )
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    hashes = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert hashes == {corpus_hash(generate(5, 3000))}


def test_every_label_is_canonical_step_text(corpus):
    for ex in corpus:
        steps = parse_steps(ex.steps)
        assert format_steps(steps) == ex.steps, ex
        if ex.steps:
            assert ex.steps.endswith("\n") and not ex.steps.endswith("\n\n")
            assert ex.command.strip(), ex
        assert ex.lang in ("en", "zh")
        assert isinstance(ex.macros, tuple)


def test_language_mix(corpus):
    zh = sum(ex.lang == "zh" for ex in corpus) / len(corpus)
    assert 0.25 <= zh <= 0.30
    assert all(family(u) in ("multi", "none", "nomacro") or f".{ex.lang}." in u
               for ex in corpus for u in template_units(ex.template))  # fmt: skip


def test_negatives_are_present_with_empty_labels(corpus):
    negatives = [ex for ex in corpus if ex.steps == ""]
    share = len(negatives) / len(corpus)
    assert 0.035 <= share <= 0.07
    assert {family(ex.template) for ex in negatives} == {"none", "nomacro"}
    assert {ex.lang for ex in negatives} == {"en", "zh"}
    categories = {ex.template.split(".")[2] for ex in negatives if family(ex.template) == "none"}
    assert categories >= {"chat", "question", "outside", "inject", "gibberish", "empty"}
    assert any(ex.command.lower().startswith("ignore") for ex in negatives)
    # only negatives have an empty label
    assert all(family(ex.template) not in ("none", "nomacro") for ex in corpus if ex.steps)


def test_unknown_macro_is_not_understood(corpus):
    unknown = [ex for ex in corpus if family(ex.template) == "nomacro"]
    assert len(unknown) > 50
    assert all(ex.steps == "" for ex in unknown)
    assert any(not ex.macros for ex in unknown) and any(ex.macros for ex in unknown)


def test_every_step_kind_appears_except_image_ones(corpus):
    kinds = {step.kind for ex in corpus for step in parsed(ex)}
    assert kinds == set(s.STEP_TYPES) - {"click_image", "wait_for"}
    assert not any(getattr(step, "anchor", None) for ex in corpus for step in parsed(ex))


def test_multi_step_commands(corpus):
    multi = [ex for ex in corpus if "|" in ex.template]
    assert 0.10 <= len(multi) / len(corpus) <= 0.20
    for ex in multi:
        units = template_units(ex.template)
        assert family(units[0]) == "multi"
        assert 2 <= len(units) - 1 <= 4
        assert len(parsed(ex)) >= len(units) - 1
    assert {ex.lang for ex in multi} == {"en", "zh"}


def test_template_breadth():
    ids = template_ids()
    assert len(ids) == len(set(ids))
    per_kind: dict[tuple[str, str], int] = {}
    for tid in ids:
        key = (family(tid), tid.split(".")[1])
        per_kind[key] = per_kind.get(key, 0) + 1
    for kind in ("click", "type", "press", "hotkey", "scroll", "launch", "open_url", "run"):
        assert per_kind[(kind, "en")] >= 15, kind
        assert per_kind[(kind, "zh")] >= 10, kind


def test_split_holds_out_whole_templates(corpus):
    train, test = split(corpus, test_templates_fraction=0.15, seed=3)
    assert len(train) + len(test) == len(corpus)
    assert 0.08 <= len(test) / len(corpus) <= 0.3
    train_units = {u for ex in train for u in template_units(ex.template)}
    held = {u for ex in test for u in template_units(ex.template)} - train_units
    assert held
    for ex in test:  # every test example uses phrasing never trained on
        assert any(u in held for u in template_units(ex.template))
    # stratified: held-out templates in many kinds, both languages, joiners too
    assert len({family(u) for u in held}) >= 15
    assert {u.split(".")[1] for u in held} == {"en", "zh"}
    assert any(family(u) == "multi" for u in held)
    # no stratum loses all of its templates
    for u in held:
        stratum = u.split(".")[:2]
        assert any(t.split(".")[:2] == stratum for t in train_units), u
    assert split(corpus, seed=3) == (train, test)
    assert split(corpus, seed=4) != (train, test)


def held_units(train, test) -> set[str]:
    train_units = {u for ex in train for u in template_units(ex.template)}
    return {u for ex in test for u in template_units(ex.template)} - train_units


def test_templates_added_later_are_always_trained_and_leave_the_split_alone(corpus):
    """The committed held-out file stays held out when the corpus gains phrasings."""
    used = {u for ex in corpus for u in template_units(ex.template)}
    assert used & TRAIN_ONLY
    held = held_units(*split(corpus, seed=3))
    assert not held & TRAIN_ONLY
    older = [ex for ex in corpus if not any(u in TRAIN_ONLY for u in template_units(ex.template))]
    assert held_units(*split(older, seed=3)) == held


def test_some_requests_use_a_verb_no_other_request_uses(corpus):
    """ "idle for 4 secs", "填写…": the verb is unknown, what the request holds is not."""
    novel = [ex for ex in corpus if set(template_units(ex.template)) & NOVEL_VERB_TEMPLATES]
    kinds = {family(u) for ex in novel for u in template_units(ex.template)}
    assert {"wait", "type", "open_url"} <= kinds
    assert {ex.lang for ex in novel} == {"en", "zh"}
    assert 0.003 < len(novel) / len(corpus) < 0.03
    novel_ids = {id(ex) for ex in novel}
    plain_words = {
        w
        for ex in corpus
        if id(ex) not in novel_ids
        for w in re.findall(r"[a-z]+", ex.command.lower())
    }
    singles = [ex for ex in novel if "|" not in ex.template]
    for ex in singles:
        (step,) = parsed(ex)
        literal = getattr(step, "text", None) or getattr(step, "url", "")
        rest = ex.command.replace(literal, " ") if literal else ex.command
        if ex.lang == "en":
            assert set(re.findall(r"[a-z]+", rest.lower())) - plain_words, ex
        elif isinstance(step, s.Type) and re.match(r"[\u4e00-\u9fff]", literal):
            before = ex.command[: ex.command.index(literal)]
            assert before[-1:] in (" ", "“", "「", '"', "『", "‘"), ex  # where the text starts


def test_macro_references_use_names_from_the_list(corpus):
    runs = [ex for ex in corpus if any(isinstance(st, s.RunMacro) for st in parsed(ex))]
    assert len(runs) > 500
    for ex in runs:
        for step in parsed(ex):
            if isinstance(step, s.RunMacro):
                assert step.macro in ex.macros, ex
    assert any(len(ex.macros) >= 3 for ex in runs)  # distractors
    assert any(ex.lang == "zh" and "宏" in ex.command for ex in runs)
    assert any("times 2" in ex.steps for ex in runs)
    # fuzzy wording: the exact name is not always written in the command
    assert any(
        step.macro.lower() not in ex.command.lower()
        for ex in runs
        for step in parsed(ex)
        if isinstance(step, s.RunMacro)
    )


def test_literals_are_copied_exactly(corpus):
    quoted = 0
    for ex in corpus:
        for step in parsed(ex):
            if isinstance(step, s.Type):
                assert step.text in ex.command, ex
                quoted += '"' in step.text or "'" in step.text
            elif isinstance(step, s.OpenUrl):
                assert step.url in ex.command, ex
            elif isinstance(step, s.Screenshot | s.TypeSecret):
                assert step.name in ex.command, ex
    assert quoted > 50
    texts = {st.text for ex in corpus for st in parsed(ex) if isinstance(st, s.Type)}
    assert 'He said "hi"' in texts
    assert r"C:\Users\anna\Documents\invoice_2024.pdf" in texts
    # text that looks like a command is still just text
    assert len(texts & set(COMMANDLIKE_TEXTS)) >= 5


def test_urls_never_gain_a_scheme(corpus):
    urls = [st.url for ex in corpus for st in parsed(ex) if isinstance(st, s.OpenUrl)]
    assert any(u.startswith("https://") for u in urls)
    assert any("://" not in u for u in urls)
    assert any("?" in u and "&" in u for u in urls)


def test_scroll_sign_convention(corpus):
    checked = 0
    for ex in single_of(corpus, "scroll"):
        (step,) = parsed(ex)
        text = ex.command.lower()
        if ex.lang == "en":
            down, up = "down" in text, " up" in f" {text}" and "down" not in text
        else:
            down, up = ("向下" in text or "往下" in text), ("向上" in text or "往上" in text)
        if down:
            assert step.amount < 0, ex
        elif up:
            assert step.amount > 0, ex
        if down or up:
            checked += 1
            if not any(c.isdigit() for c in text) and not any(
                w in text for w in ("one", "two", "three", "four", "five", "six", "eight",
                                    "ten", "twelve", "fifteen", "twenty", "once", "twice")
            ) and ex.lang == "en":  # fmt: skip
                assert abs(step.amount) == SCROLL_DEFAULT, ex
    assert checked > 500
    commands = {ex.command.lower().rstrip(".!") for ex in single_of(corpus, "scroll")}
    steps = {ex.command.lower().rstrip(".!"): ex.steps for ex in single_of(corpus, "scroll")}
    assert "scroll down" in commands and steps["scroll down"] == "scroll -3\n"


def test_save_as_sequence(corpus):
    save_as = single_of(corpus, "save_as")
    assert len(save_as) > 50
    for ex in save_as:
        lines = ex.steps.splitlines()
        assert lines[0] == "hotkey ctrl+s" and lines[2] == "press enter", ex
        (typed,) = [st for st in parsed(ex) if isinstance(st, s.Type)]
        assert typed.text in ex.command
    assert any(ex.lang == "zh" and "另存为" in ex.command for ex in save_as)


def test_intents_map_to_fixed_shortcuts(corpus):
    expected = {
        "save": "hotkey ctrl+s\n", "copy": "hotkey ctrl+c\n", "paste": "hotkey ctrl+v\n",
        "select_all": "hotkey ctrl+a\n", "undo": "hotkey ctrl+z\n", "redo": "hotkey ctrl+y\n",
        "refresh": "press f5\n", "zoom_in": "hotkey ctrl+plus\n", "zoom_out": "hotkey ctrl+-\n",
        "close_window": "hotkey alt+f4\n", "task_manager": "hotkey ctrl+shift+esc\n",
        "lock": "hotkey win+l\n", "switch_window": "hotkey alt+tab\n", "line_end": "press end\n",
        "doc_start": "hotkey ctrl+home\n", "show_desktop": "hotkey win+d\n",
    }  # fmt: skip
    for name, label in expected.items():
        examples = single_of(corpus, name)
        assert examples, name
        for ex in examples:  # once, or asked N times: the line N times (a key: `times N`)
            repeated = ex.steps == label * ex.steps.count("\n")
            key_times = re.fullmatch(re.escape(label[:-1]) + r" times [2-9]\n", ex.steps)
            assert repeated or key_times, ex
    finds = single_of(corpus, "find")
    assert all(ex.steps.startswith("hotkey ctrl+f\n") for ex in finds)
    assert any(ex.steps == "hotkey ctrl+f\n" for ex in finds)
    assert any(ex.steps.count("\n") == 2 for ex in finds)


def test_launch_uses_plain_lower_case_program_names(corpus):
    programs = [st.program for ex in corpus for st in parsed(ex) if isinstance(st, s.Launch)]
    assert set(programs) == set(APPS)
    assert all(p == p.lower() and " " not in p for p in programs)
    commands = {ex.command.lower(): ex.steps for ex in single_of(corpus, "launch", "en")}
    assert commands.get("open notepad", 'launch "notepad"\n') == 'launch "notepad"\n'
    zh = {ex.command.rstrip("。"): ex.steps for ex in single_of(corpus, "launch", "zh")}
    assert zh.get("打开记事本", 'launch "notepad"\n') == 'launch "notepad"\n'
    assert any(ex.steps == 'launch "calc"\n' and "计算器" in ex.command for ex in corpus)


def test_press_counts_and_keys(corpus):
    presses = [st for ex in corpus for st in parsed(ex) if isinstance(st, s.Press)]
    assert any(p.times > 1 for p in presses)
    assert {"enter", "tab", "esc", "backspace", "pageup", "space", "f5"} <= {p.key for p in presses}
    assert all(p.key != "escape" for p in presses)
    zh_repeats = [
        ex for ex in single_of(corpus, "press", "zh") if "times" in ex.steps and "次" in ex.command
    ]
    assert zh_repeats


def test_hotkeys_are_lower_case_in_written_order(corpus):
    hotkeys = single_of(corpus, "hotkey")
    assert len(hotkeys) > 300
    for ex in hotkeys:
        (step,) = parsed(ex)
        assert all(k == k.lower() for k in step.keys)
    assert any("Ctrl" in ex.command or "CTRL" in ex.command for ex in hotkeys)
    assert any(ex.steps.startswith("hotkey shift+ctrl") for ex in corpus)  # order kept


def test_waits_only_when_asked(corpus):
    for ex in corpus:
        if any(isinstance(st, s.Wait) for st in parsed(ex)):
            assert any(family(u) == "wait" for u in template_units(ex.template)), ex
    waits = {st.seconds for ex in corpus for st in parsed(ex) if isinstance(st, s.Wait)}
    assert {0.5, 1.0, 2.0, 3.0, 60.0} <= waits
    assert any("半秒" in ex.command for ex in corpus if ex.steps == "wait 0.5\n")


def test_jsonl_record_and_hash():
    (ex,) = generate(3, 1)
    record = to_jsonl_record(ex)
    assert list(record) == ["command", "macros", "steps", "template", "lang"]
    assert record["macros"] == list(ex.macros)
    json.dumps(record, ensure_ascii=False)
    h = corpus_hash([ex])
    assert len(h) == 64 and int(h, 16) >= 0
    assert corpus_hash([ex]) == h and corpus_hash([]) != h
