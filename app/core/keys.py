"""Key names of the step language: PyAutoGUI's names, so the player passes them on unchanged.

Two spellings differ from PyAutoGUI: `plus` stands for "+" (which joins a chord) and
`space` for " ". "#" (starts a comment) and '"' (starts a string) have no key name: type them.
"""

from __future__ import annotations

import string

NAMED_KEYS = frozenset(
    """
    accept add alt altleft altright apps backspace browserback browserfavorites browserforward
    browserhome browserrefresh browsersearch browserstop capslock clear convert ctrl ctrlleft
    ctrlright decimal del delete divide down end enter esc escape execute final fn hanguel hangul
    hanja help home insert junja kana kanji launchapp1 launchapp2 launchmail launchmediaselect left
    modechange multiply nexttrack nonconvert num0 num1 num2 num3 num4 num5 num6 num7 num8 num9
    numlock pagedown pageup pause pgdn pgup playpause prevtrack print printscreen prntscrn prtsc
    prtscr return right scrolllock select separator shift shiftleft shiftright sleep space stop
    subtract tab up volumedown volumemute volumeup win winleft winright yen command option
    optionleft optionright plus
    """.split()
    + [f"f{n}" for n in range(1, 25)]
)

PUNCTUATION_KEYS = frozenset("!$%&'()*,-./:;<=>?@[\\]^_`{|}~")

KEY_NAMES = (
    NAMED_KEYS | frozenset(string.ascii_lowercase) | frozenset(string.digits) | PUNCTUATION_KEYS
)

MODIFIERS = frozenset(
    "ctrl ctrlleft ctrlright alt altleft altright shift shiftleft shiftright win winleft winright "
    "command option optionleft optionright fn".split()
)
