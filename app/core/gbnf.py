"""The step language as a GBNF grammar (llama.cpp's grammar format), generated from the forms
in `grammar.py`, so a model run by llama.cpp can only write canonical step lines.

The grammar accepts what `format_step` writes: one space between words, whole numbers
without leading zeros, seconds with at most three decimals and no trailing zero, strings
as JSON writes them (`ensure_ascii=False`), the key names of `keys.py`. An answer is any
number of lines, each ending in a newline; no lines at all is "not understood". Checks
that need more than syntax (a hotkey names each key once, a wait is longer than zero)
are left to the validation every answer goes through.
"""

from __future__ import annotations

import json
import re
from functools import cache

from app.core.grammar import FORMS, Arg, ArgType, Form, Lit, Opt
from app.core.keys import KEY_NAMES

# one rule per argument type, named after it: "coord", "seconds", … (and "key": the names)
_TYPE_RULES: dict[ArgType, str] = {
    ArgType.COORD: '"0" | "-"? [1-9] [0-9]{0,5}',
    ArgType.SIGNED: '"0" | "-"? [1-9] [0-9]{0,5}',
    ArgType.COUNT: "[1-9] [0-9]{0,4}",
    ArgType.SECONDS: '("0" | [1-9] [0-9]{0,4}) ("." [0-9]{0,2} [1-9])?',
    ArgType.KEY: " | ".join(json.dumps(k) for k in sorted(KEY_NAMES)),
    ArgType.CHORD: 'key ("+" key)+',
    # JSON as `json.dumps(..., ensure_ascii=False)` writes it: only '"', '\' and control
    # characters escaped, these as \n, \t, … or \u00XX
    ArgType.STRING: r'"\"" ([^"\\\x00-\x1f] | "\\" (["\\bfnrt] | "u00" [01] [0-9a-f]))* "\""',
    ArgType.ANCHOR: r'"\"" [A-Za-z0-9_-]{1,64} "\""',
}


def _rule_name(arg_type: ArgType) -> str:
    return arg_type.name.lower()


def _items(items: tuple[Lit | Arg | Opt, ...]) -> str:
    parts = []
    for i, item in enumerate(items):
        space = '" " ' if i else ""
        if isinstance(item, Lit):
            parts.append(space + json.dumps(item.word))
        elif isinstance(item, Arg):
            parts.append(space + _rule_name(item.type))
        else:
            parts.append(f'(" " {_items(item.items)})?')
    return " ".join(parts)


def _form_rule(form: Form) -> str:
    return re.sub(r"[^a-z0-9]+", "-", form.cls.__name__.lower())


@cache
def step_grammar() -> str:
    """The GBNF text: `root` is a whole answer, `line` one step line with its newline."""
    rules = [
        "root ::= line*",
        'line ::= step "\\n"',
        "step ::= " + " | ".join(_form_rule(form) for form in FORMS),
    ]
    rules += [f"{_form_rule(form)} ::= {_items(form.items)}" for form in FORMS]
    rules += [f"{_rule_name(arg_type)} ::= {body}" for arg_type, body in _TYPE_RULES.items()]
    return "\n".join(rules) + "\n"
