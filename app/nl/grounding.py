"""Grounding: the numbers and keys of an answer must come from the command.

A small model misreads what it should copy: `press f9 times 9` for "hit f2 9 times",
`drag 488 322 to 3 322`, four `hotkey ctrl+v` lines for "paste 3 times", `hotkey shift+delete`
for "shift+ctrl+delete", `hotkey ctrl+6` for "延时 6秒" (wait 6 seconds). The decoder asks
these checks of every token, so the model still chooses, but only among what the command
says:

- a point is two numbers written one after the other in the command, sign and all;
- a repeat count (`times N`, or N identical lines in a row) and a scroll amount are numbers
  the command names, in digits or words ("twice", "五", "二十"); a scroll with no amount may
  use the default;
- a wait is a length of time the command's numbers can mean (seconds, milliseconds,
  minutes, a half more; only the unit written right after a number in digits: "1 minute"
  is 60), or, when it names a unit of time, "half a second", "a minute" ("a minute and
  a half" only when it says "and a half");
- an F key is one the command names;
- a shortcut holds exactly the modifier keys the command names; only a command naming
  none may get one of the conventions (`app.nl.conventions`: "save" is `ctrl+s`), and
  only one whose intent it names ("hold on for five seconds" is no `ctrl+x`); the
  letter or digit of a shortcut the command spells out is one it names standing alone
  ("hold ctrl and press v" is not `ctrl+a`);
- a command naming a modifier ("hold ctrl and press v", "push CTRL+U") gets no `press`
  line, one naming an F key but no modifier ("F5") no `hotkey` line, and one naming a
  right or a double click no plain `click`; a `double_click` or a `right_click` needs a
  command that names that kind ("rclick" is no double click), and a `scroll` one that
  names scrolling ("连点两下" is a double click, not `scroll 2`), and a `move` one that
  asks to move the pointer ("move", "mv", "hover", "鼠标移到"), and a `screenshot` one that
  asks for a picture of the screen;
- `launch` starts a program the command names, but not one it asks to close ("close
  paint" gets no `launch` line at all).

Each check reads the text written so far, so a line is refused as soon as it cannot end
well: at the token that starts a wrong number or key, while the model can still choose
another.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from app.core import steps as s
from app.core.keys import MODIFIERS, NAMED_KEYS
from app.core.language import format_seconds
from app.core.prefix import string_after, string_end
from app.nl.conventions import APPS, INTENT_ALSO, INTENT_STEPS, INTENT_WORDS, SCROLL_DEFAULT
from app.nl.literals import literal_spans

_SIGNED = re.compile(r"(?<![0-9.])-?[0-9]+(?![0-9])")  # "x1836", "横坐标320", "x=-871"
_GLUED_DIGITS = re.compile(r"(?<![A-Za-z0-9])([A-Za-z])([0-9]+)(?![0-9])")
_SLIPPABLE = ("ctrl", "control", "shift", "switch")
_KEY_SLIP = re.compile(r"[A-Za-z]{3,8}")
_MODIFIER_SPELLINGS = {"ctrl": "ctrl|control|ctl", "shift": "shift", "alt": "alt", "win": "win"}
_MODIFIER_WORDS = {
    name: re.compile(rf"(?<![A-Za-z])(?:{spellings})(?![A-Za-z])", re.IGNORECASE)
    for name, spellings in _MODIFIER_SPELLINGS.items()
}
_WINDOWS = re.compile(r"(?<![A-Za-z])windows(?![A-Za-z])", re.IGNORECASE)
_KEY_AFTER = re.compile(r"\s*(?:key|键|[+＋-])", re.IGNORECASE)
# "Windows Explorer", "Windows Notepad": a word after it that is not a joint names an app
_APP_AFTER = re.compile(
    r"\s+(?!(?:and|then|while|with|plus|together|at|to|for|key|held|down|shift|ctrl|control|alt)\b)"
    r"[A-Za-z]{2,}",
    re.IGNORECASE,
)
_NOT_KEY_BEFORE = re.compile(r"(?:switch|between|other|all|open|two|the\s+last)\s+$", re.IGNORECASE)
_CHORD = re.compile(
    rf"(?<![A-Za-z])(?:{'|'.join(_MODIFIER_SPELLINGS.values())})\s*[+＋-]\s*[A-Za-z0-9]",
    re.IGNORECASE,
)
_LONE_CHARACTER = re.compile(r"(?<![A-Za-z0-9'’])[A-Za-z0-9](?![A-Za-z0-9])")  # "press v", "+S"
_SPECIAL_CLICK = re.compile(
    r"(?:right|double|dbl|r)[\s_-]?click|右键|右击|双击|连点两下|点两下", re.IGNORECASE
)
_ASCII_WORD = re.compile(r"[a-z]+")
# "close Outlook", "quit Teams", "关闭记事本": the program named there is not one to start
_CLOSING = re.compile(
    r"(?:(?<![a-z])(?:close|quit|exit|kill|shut\s+down)(?:\s+the)?\s+[a-z0-9+._-]+"
    r"|(?:关闭|关掉|关上|退出)\s*[^\s，。,;；]{1,4})",
    re.IGNORECASE,
)
_EN_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_EN_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_TENS, _UNITS, _SMALL = "|".join(_EN_TENS), "|".join(_EN_UNITS[1:10]), "|".join(_EN_UNITS)
_EN_NUMBER = re.compile(
    rf"(?<![A-Za-z])(?:(?P<tens>{_TENS})(?:[- ](?P<unit>{_UNITS}))?|(?P<small>{_SMALL})"
    r"|(?P<times>once|twice|thrice))(?![A-Za-z])",
    re.IGNORECASE,
)
_ZH_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}  # fmt: skip
_DIGITS = re.compile(r"(?<![0-9.])[0-9]+(?:\.[0-9]+)?(?![0-9])")
# a unit written right after a number: "200ms", "1 minute", "3 秒"
_UNIT_AFTER = re.compile(
    r"\s*(?:(?P<ms>ms|msecs?|millisec(?:ond)?s?|毫秒)|(?P<s>s|secs?|seconds?|秒)"
    r"|(?P<min>mins?|minutes?|分钟|分))(?![A-Za-z])",
    re.IGNORECASE,
)
_AND_A_HALF = re.compile(r"(?<![a-z])a\s+half|半", re.IGNORECASE)  # "and a half", "an a half"
_ZH_DECIMAL = re.compile(r"([零一二两三四五六七八九十]+)点([零一二三四五六七八九]+)")
_MAX_WAIT = 86400.0
# a unit of time, typing slips included ("seond", "miunte"): a word that merely looks like
# one only lets "a second", "half a minute" and the like through
_TIME_UNIT = re.compile(r"sec|min|\bs\w{2,5}d\b|\bm\w{3,5}e\b|秒|分", re.IGNORECASE)
_ZH_NUMBER = re.compile(r"[零一二两三四五六七八九十百]+")

# shortcuts the model may write unasked: (modifiers, key) of each intent, and its keys
_CHORDS_OF = {
    intent: frozenset((h.keys[:-1], h.keys[-1]) for h in steps if isinstance(h, s.Hotkey))
    for intent, steps in INTENT_STEPS.items()
}
_KEYS_OF = {
    intent: frozenset(step.key for step in steps if isinstance(step, s.Press))
    for intent, steps in INTENT_STEPS.items()
}
MAX_REPEAT = 100  # more identical lines in a row than this is never asked for
_POINTER = frozenset({"click", "double_click", "right_click", "move"})
_WORD = re.compile(r"[a-z][a-z0-9_.-]*[a-z0-9]")  # "spotify", "notepad++" less its "++"


@dataclass(frozen=True)
class Mentions:
    """What a command names that an answer may use."""

    numbers: frozenset[str]  # numbers in digits, as written ("-871", "1571")
    pairs: frozenset[tuple[str, str]]  # each number with the one written next after it
    counts: frozenset[int]  # whole numbers in digits or words
    f_keys: frozenset[str]  # "f2", "f11"
    modifiers: frozenset[str]  # "ctrl", "shift", "alt", "win"
    chord: bool  # a modifier joined to a key: "CTRL+U", "ctrl-shift-k", "Win＋f2"
    characters: frozenset[str]  # letters and digits standing alone: "hit S" → "s"
    special_click: bool  # a right or a double click: "right-click", "双击", "右键"
    double_click: bool  # may be a double click: "double-click", "dblclick", "双击"
    right_click: bool  # may be a right click: "right-click", "secondary", "context menu", "右"
    scrolling: bool  # names scrolling: "scroll", "wheel", "滚"; not "连点两下" (click twice)
    moving: bool  # asks to move the pointer: "move", "mv", "hover", "鼠标移到"
    screenshot: bool  # asks for a picture of the screen: "screenshot", "capture", "截图"
    waits: frozenset[str]  # `wait` values its numbers can mean
    programs: frozenset[str]  # what `launch` may start: programs it names, its own words
    chords: frozenset[tuple[tuple[str, ...], str]]  # conventional shortcuts of intents it names
    usual_keys: frozenset[str]  # conventional keys of intents it names: "refresh" → f5


def mentions(command: str) -> Mentions:
    written = _SIGNED.findall(command)
    numbers = frozenset(written)
    pairs = frozenset(itertools.pairwise(written))
    counts = {abs(int(n)) for n in numbers} | _word_numbers(command)
    f_keys = set()
    for glued, digits in _GLUED_DIGITS.findall(command):  # "F114下" is F11 4 times; "v22次"
        if glued in "Ff" and 1 <= int(digits) <= 24:
            f_keys.add(f"f{int(digits)}")
            continue
        for cut in range(1, len(digits)):
            counts.add(int(digits[cut:]))
            if glued in "Ff" and 1 <= int(digits[:cut]) <= 24:
                f_keys.add(f"f{int(digits[:cut])}")
    words = _KEY_SLIP.sub(_unslipped, _without_literals(command))  # not "Shift Wang.csv"
    modifiers = frozenset(
        [m for m, word in _MODIFIER_WORDS.items() if word.search(words)]
        + (["win"] if any(_is_the_key(words, at) for at in _WINDOWS.finditer(words)) else [])
    )
    chord = bool(_CHORD.search(words))
    characters = frozenset(c.lower() for c in _LONE_CHARACTER.findall(command))
    special = bool(_SPECIAL_CLICK.search(command))
    ascii_words = frozenset(_ASCII_WORD.findall(command.lower()))
    double, right, scrolling, moving, screenshot = (
        kind.named_in(ascii_words, command)
        for kind in (_DOUBLE, _RIGHT, _SCROLL, _MOVE, _SCREENSHOT)
    )
    waits = _waits(command)
    programs = _programs(command)
    intents = [
        name
        for name, namings in _INTENTS.items()
        if all(naming.named_in(ascii_words, command) for naming in namings)
    ]
    return Mentions(
        numbers,
        pairs,
        frozenset(counts),
        frozenset(f_keys),
        modifiers,
        chord,
        characters,
        special,
        double,
        right,
        scrolling,
        moving,
        screenshot,
        waits,
        programs,
        frozenset().union(*(_CHORDS_OF[i] for i in intents)),
        frozenset().union(*(_KEYS_OF[i] for i in intents)),
    )


def _programs(command: str) -> frozenset[str]:
    """The programs `command` names by one of their names (`APPS`), a slip of the finger
    allowed ("open Notpead"), and its own words, for a program with no entry there
    ("launch spotify")."""
    low = _CLOSING.sub(" ", command.lower())
    words = set(_WORD.findall(low))
    named = set(words)
    for program, (english, chinese) in APPS.items():
        for name in (*english, *chinese):
            name = name.lower()
            if name in low or any(len(part) >= 4 and words & _slips(part) for part in name.split()):
                named.add(program)
                break
    return frozenset(named)


def _is_the_key(words: str, at: re.Match) -> bool:
    """Is this "Windows" the key ("hold Windows and press f4", "the Windows key"), not the
    system ("switch windows", "Windows Explorer")?"""
    if _KEY_AFTER.match(words, at.end()):
        return True
    return not _APP_AFTER.match(words, at.end()) and not _NOT_KEY_BEFORE.search(
        words, 0, at.start()
    )


def _without_literals(command: str) -> str:
    """`command` with its quoted text, addresses and file names blanked out."""
    out = list(command)
    for start, end in literal_spans(command):
        out[start:end] = " " * (end - start)
    return "".join(out)


def _unslipped(word: re.Match) -> str:
    """A modifier's name (or "switch", of "switch windows") typed with one slip ("ctlr",
    "cotnrol", "shfit") as it should be."""
    low = word[0].lower()
    return next((name for name in _SLIPPABLE if low in _slips(name)), word[0])


def _slips(name: str) -> set[str]:
    """`name` and every one-slip spelling of it: two letters swapped, one dropped or
    doubled (the slips `training.corpus` makes)."""
    found = {name}
    for i in range(len(name)):
        found.add(name[:i] + name[i + 1 :])
        found.add(name[:i] + name[i] + name[i:])
        if i + 1 < len(name):
            found.add(name[:i] + name[i + 1] + name[i] + name[i + 2 :])
    return found


class _Naming:
    """The words that name one kind of step: English words with the slips a hurried typist
    makes (less those that are words themselves: "click" of "rclick"), words taken only as
    written, English stems of longer words ("scrolling"), and Chinese words."""

    def __init__(self, slipped=(), exact=(), stems=(), chinese=()):
        forms = {form for word in slipped for form in _slips(word) if len(form) >= 3}
        self.forms = frozenset(forms - {"click"}) | frozenset(exact)
        self.stems, self.chinese = tuple(stems), tuple(chinese)

    def named_in(self, words: frozenset[str], command: str) -> bool:
        """Does `command`, whose English words are `words`, name this kind?"""
        return any(w in self.forms or w.startswith(self.stems) for w in words) or any(
            w in command for w in self.chinese
        )


_DOUBLE = _Naming(
    slipped=("double", "dbl", "dblclick", "dclick", "doubleclick", "dbclick"),
    chinese=("双击", "两下", "2下"),
)
_RIGHT = _Naming(slipped=("right", "rclick", "rightclick", "secondary", "context"), chinese=("右",))
_SCROLL_WORDS = ("scroll", "wheel", "roll", "swipe")
_SCROLL = _Naming(slipped=_SCROLL_WORDS, stems=_SCROLL_WORDS, chinese=("滚", "滑", "翻"))
# asking to move the pointer: "mv 10 20", "hover at", "鼠标移到"
_MOVE_WORDS = ("move", "mouse", "hover", "mv", "cursor", "pointer", "position", "point")
_MOVE = _Naming(
    slipped=[w for w in _MOVE_WORDS if len(w) > 2],
    exact=("go", "put", "place", "bring", "drag"),
    stems=_MOVE_WORDS,
    chinese=("移", "鼠标", "悬停", "指", "光标", "放"),
)
_SCREEN_WORDS = ("screen", "shot", "capture", "snap", "grab")
_SCREENSHOT = _Naming(
    slipped=("screenshot", *_SCREEN_WORDS),
    stems=_SCREEN_WORDS,
    chinese=("截", "屏", "快照"),
)


def _intent_naming(english: tuple[str, ...], chinese: tuple[str, ...]) -> _Naming:
    """An intent's words, slips and all, also as the start of a longer word ("itlicize")."""
    slips = sorted({form for word in english for form in _slips(word) if len(form) >= 3})
    return _Naming(slipped=english, stems=slips, chinese=chinese)


# each intent: the words of which the command must say one (of each)
_INTENTS = {
    intent: [_intent_naming(*words) for words in (INTENT_WORDS[intent], INTENT_ALSO.get(intent))
             if words]
    for intent in INTENT_WORDS
}  # fmt: skip


def _waits(command: str) -> frozenset[str]:
    """Seconds a command may be asking to wait, generously: each number it names (1.5,
    一点五 too) as seconds, as milliseconds, as minutes; and the lengths said without a
    number ("half a second", "a minute"). A number right before its unit means that unit
    only ("1 minute" and "two minutes" are never `wait 1`, `wait 2`), and a half more only
    when the command says "and a half" or 半. A wait the command gives no number for
    (`wait 3` for "hack into the server") is not among them."""
    half = _AND_A_HALF.search(command) is not None
    loose: set[float] = set()
    for whole, decimals in _ZH_DECIMAL.findall(command):  # 一点五 → 1.5
        digits = "".join(str(_ZH_DIGITS[c]) for c in decimals)
        loose.add(min(_zh_values(whole)) + float(f"0.{digits}"))
    seconds: set[float] = set()
    unsaid = list(command)  # the command less each unit a number took
    for end, values in _numbers_in(command):
        unit = _UNIT_AFTER.match(command, end)
        if unit is None or len(values) > 1:
            loose.update(values)
            continue
        unsaid[unit.start() : unit.end()] = " " * (unit.end() - unit.start())
        n = values[0]
        if unit["ms"]:
            seconds.add(n / 1000)
        elif unit["s"]:
            seconds.update((n, n + 0.5) if half else (n,))
        else:
            seconds.update((n * 60, n * 60 + 30) if half else (n * 60,))
    if _TIME_UNIT.search("".join(unsaid)):  # "half a second", "a minute"
        seconds.update((0.1, 0.25, 0.5, 0.75, 1.0, 60.0))
        if half:  # "a second and a half", "a minute and a half"
            seconds.update((1.5, 90.0))
    for n in loose:
        seconds.update((n, n / 1000, n * 60))
        if half:
            seconds.update((n + 0.5, n * 60 + 30))
    return frozenset(format_seconds(round(v, 3)) for v in seconds if 0 < v <= _MAX_WAIT)


def _numbers_in(command: str) -> list[tuple[int, list[float]]]:
    """(where it ends, what it may be) of each number in `command`, in digits ("1.5"), in
    English words ("twenty-five") or in Chinese ("十五"; "一两" may be one or two)."""
    found = [(m.end(), [float(m[0])]) for m in _DIGITS.finditer(command)]
    found += [(m.end(), [float(_en_value(m))]) for m in _EN_NUMBER.finditer(command)]
    found += [(m.end(), sorted(map(float, _zh_values(m[0])))) for m in _ZH_NUMBER.finditer(command)]
    return found


def _word_numbers(command: str) -> set[int]:
    found = set()
    found.update(_en_value(match) for match in _EN_NUMBER.finditer(command))
    for run in _ZH_NUMBER.findall(command):
        found.update(_zh_values(run))
    return found


def _en_value(match: re.Match) -> int:
    if match["times"]:
        return ("once", "twice", "thrice").index(match["times"].lower()) + 1
    if match["small"]:
        return _EN_UNITS.index(match["small"].lower())
    unit = _EN_UNITS.index(match["unit"].lower()) if match["unit"] else 0
    return 20 + 10 * _EN_TENS.index(match["tens"].lower()) + unit


def _zh_values(run: str) -> set[int]:
    """Numbers in a run of Chinese numerals: 二十 → 20, 十五 → 15, 一百 → 100; a run that is
    not one number ("一两") gives each numeral alone."""
    section, digit = 0, None
    try:
        for c in run:
            if c == "百":
                section += (1 if digit is None else digit) * 100
                digit = None
            elif c == "十":
                section += (1 if digit is None else digit) * 10
                digit = None
            elif digit is not None:
                raise ValueError(run)
            else:
                digit = _ZH_DIGITS[c]
    except ValueError:
        return {_ZH_DIGITS[c] for c in run if c in _ZH_DIGITS}
    return {section + (digit or 0)}


def answer_ok(text: str, said: Mentions, final: bool = False) -> bool:
    """May the answer written so far (`final`: the whole answer) stand, given what the
    command names? The last line is still being written unless `text` ends in a new line."""
    *whole, partial = text.split("\n")
    if not all(_line_ok(line, said, complete=True) for line in whole):
        return False
    if partial and not _line_ok(partial, said, complete=False):
        return False
    return _repeats_ok(whole, partial, said, final)


def _line_ok(line: str, said: Mentions, complete: bool) -> bool:
    words = line.split(" ")
    kind = words[0]
    if (said.chord or said.modifiers) and kind and "press".startswith(kind):
        return False  # "push CTRL+U" is a shortcut, not a key
    shortcut = kind and "hotkey".startswith(kind)
    if shortcut and not said.modifiers and (said.f_keys or not said.chords):
        return False  # "F5" names a key; "hold on" no intent: no shortcut for either
    if kind and "launch".startswith(kind) and not said.programs:
        return False  # "close paint": nothing left to start
    if kind == "click" and said.special_click:
        return False  # "right-click at …" is not a plain click
    if kind == "double_click" and not said.double_click:
        return False  # "点击鼠标左键" is one click
    if kind == "right_click" and not said.right_click:
        return False  # nor is "rclick" a double one
    if kind == "scroll" and not said.scrolling:
        return False  # "连点两下" is two clicks, not a scroll of 2
    if kind == "screenshot" and not said.screenshot:
        return False  # "Close outlook" takes no picture of the screen
    if kind == "move" and not said.moving:
        return False  # "give x=1571, y=709 a right click" is no move
    if len(words) == 1:
        return True
    if kind in _POINTER:
        return _point_in(words, 1, said, complete)
    if kind == "drag":
        return _point_in(words, 1, said, complete) and _point_in(words, 4, said, complete)
    if kind == "scroll":
        amounts = {f"{sign}{n}" for n in said.counts | {SCROLL_DEFAULT} for sign in ("", "-")}
        return _words_in(words, (1,), amounts, complete) and _point_in(words, 3, said, complete)
    if kind == "press":
        return _key_ok(words[1], (), said, complete or len(words) > 2) and _count_ok(
            words[2:], said, complete
        )
    if kind == "hotkey":
        *held, key = words[1].split("+")
        return _chord_ok(tuple(held), key, said, complete)
    if kind == "wait":
        return _words_in(words, (1,), said.waits, complete)
    if kind == "launch" and line.startswith('launch "'):
        name, closed = string_after(line, 'launch "')
        if not closed:
            return any(program.startswith(name) for program in said.programs)
        return name in said.programs
    if kind == "run" and line.startswith('run "'):
        end = string_end(line, len("run "))
        return end is None or _count_ok(line[end:].split(" ")[1:], said, complete)
    return True


def _point_in(words: list[str], at: int, said: Mentions, complete: bool) -> bool:
    """Is the point at `words[at:at + 2]` two numbers written one after the other in the
    command ("x=1571, y=709", "(1571, 709)"), as far as it is written?"""
    if not _words_in(words, (at, at + 1), said.numbers, complete):
        return False
    if len(words) <= at + 1:
        return True
    x, y = words[at], words[at + 1]
    still = not complete and len(words) == at + 2  # y is being written
    return any(a == x and (b == y or (still and b.startswith(y))) for a, b in said.pairs)


def _words_in(words: list[str], at: tuple[int, ...], allowed, complete: bool) -> bool:
    """Are the words at positions `at` in `allowed`? The line's last word, when it is still
    being written, need only be the start of one."""
    last = len(words) - 1
    for i in at:
        if i > last:
            break
        if not complete and i == last:
            if not any(a.startswith(words[i]) for a in allowed):
                return False
        elif words[i] not in allowed:
            return False
    return True


def _count_ok(rest: list[str], said: Mentions, complete: bool) -> bool:
    """`times N` after a key or a macro: N is a number the command names."""
    if len(rest) < 2 or rest[0] != "times":
        return True
    counts = {str(n) for n in said.counts}
    return rest[1] in counts if complete else any(c.startswith(rest[1]) for c in counts)


def _key_ok(key: str, held: tuple[str, ...], said: Mentions, complete: bool) -> bool:
    """An F key must be named in the command, unless a convention uses it and the command
    names none ("hit f2 9 times" is no refresh)."""
    if not re.fullmatch(r"f[0-9]+", key):
        return True
    usual = {k for h, k in said.chords if h == held} if held else said.usual_keys
    allowed = said.f_keys or usual
    return key in allowed if complete else any(k.startswith(key) for k in allowed)


def _chord_ok(held: tuple[str, ...], key: str, said: Mentions, complete: bool) -> bool:
    if not said.modifiers:  # only a convention, and one whose intent the command names
        written = "+".join((*held, key))
        chords = ("+".join((*h, k)) for h, k in said.chords)
        return any(c == written or (not complete and c.startswith(written)) for c in chords)
    if not complete and any(m.startswith(key) for m in MODIFIERS):
        return True  # may still be a modifier: the chord is not known yet
    return (
        set(held) == set(said.modifiers)
        and _key_ok(key, held, said, complete)
        and _character_ok(held, key, said, complete)
    )


def _character_ok(held: tuple[str, ...], key: str, said: Mentions, complete: bool) -> bool:
    """The letter or digit of a shortcut the command spells out ("hold ctrl and press v")
    must be one it names, standing alone; a key written so far may still grow into a named
    one ("t" of "tab"). A command naming no letter or digit at all may still get a
    convention ("lock Windows": `win+l`)."""
    if len(key) != 1 or not key.isalnum() or key in said.characters:
        return True
    if not said.characters and (held, key) in said.chords:
        return True
    return not complete and any(name.startswith(key) for name in NAMED_KEYS)


def _repeats_ok(whole: list[str], partial: str, said: Mentions, final: bool) -> bool:
    """N identical lines in a row (an intent asked for N times) need N named; never more
    lines than the largest number named. A command naming no number is not checked."""
    counts = {n for n in said.counts if n <= MAX_REPEAT}
    if not said.counts:
        return True
    runs: list[int] = []
    for i, line in enumerate(whole):
        if i and line == whole[i - 1]:
            runs[-1] += 1
        else:
            runs.append(1)
    if not runs:
        return True
    closed = runs if final or (partial and not whole[-1].startswith(partial)) else runs[:-1]
    if any(k > 1 and k not in counts for k in closed):
        return False
    return runs[-1] == 1 or runs[-1] <= max(counts, default=1)
