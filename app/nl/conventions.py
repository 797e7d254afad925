"""The conventions the language model follows, shared by the corpus and the decoder.

The corpus (`training.corpus`) writes every example by them, and the decoder
(`app.nl.grounding`) lets the model write a shortcut nobody named only when it is one of
these: "save" becomes `hotkey ctrl+s` though the command never says "ctrl".
"""

from __future__ import annotations

from app.core import steps as s

SCROLL_DEFAULT = 3  # "scroll down" with no amount → `scroll -3`

# intent → its steps; the corpus has its English and Chinese wordings
INTENT_STEPS: dict[str, tuple[s.Step, ...]] = {
    "save": (s.Hotkey(("ctrl", "s")),),
    "copy": (s.Hotkey(("ctrl", "c")),),
    "paste": (s.Hotkey(("ctrl", "v")),),
    "cut": (s.Hotkey(("ctrl", "x")),),
    "select_all": (s.Hotkey(("ctrl", "a")),),
    "undo": (s.Hotkey(("ctrl", "z")),),
    "redo": (s.Hotkey(("ctrl", "y")),),
    "find": (s.Hotkey(("ctrl", "f")),),  # + type "X" when there is something to find
    "print": (s.Hotkey(("ctrl", "p")),),
    "new_tab": (s.Hotkey(("ctrl", "t")),),
    "close_tab": (s.Hotkey(("ctrl", "w")),),
    "close_window": (s.Hotkey(("alt", "f4")),),
    "refresh": (s.Press("f5"),),
    "zoom_in": (s.Hotkey(("ctrl", "plus")),),
    "zoom_out": (s.Hotkey(("ctrl", "-")),),
    "switch_window": (s.Hotkey(("alt", "tab")),),
    "new_doc": (s.Hotkey(("ctrl", "n")),),
    "bold": (s.Hotkey(("ctrl", "b")),),
    "italic": (s.Hotkey(("ctrl", "i")),),
    "underline": (s.Hotkey(("ctrl", "u")),),
    "task_manager": (s.Hotkey(("ctrl", "shift", "esc")),),
    "lock": (s.Hotkey(("win", "l")),),
    "save_as": (s.Hotkey(("ctrl", "s")),),  # + type "NAME", press enter
    "line_start": (s.Press("home"),),
    "line_end": (s.Press("end"),),
    "doc_start": (s.Hotkey(("ctrl", "home")),),
    "doc_end": (s.Hotkey(("ctrl", "end")),),
    "show_desktop": (s.Hotkey(("win", "d")),),
}
