"""The conventions the language model follows, shared by the corpus and the decoder.

The corpus (`training.corpus`) writes every example by them, and the decoder
(`app.nl.grounding`) lets the model write a shortcut nobody named only when it is one of
these: "save" becomes `hotkey ctrl+s` though the command never says "ctrl"; and it lets
it launch only a program the command names ("打开记事本" is `launch "notepad"`).
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

# program → (its English names, its Chinese names): `launch "notepad"` for "open Notepad",
# "打开记事本"; a program launches by its plain lower-case name
APPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "notepad": (("Notepad", "notepad", "Windows Notepad"), ("记事本", "Notepad")),
    "calc": (("Calculator", "calculator", "calc", "Windows Calculator"), ("计算器", "calc")),
    "excel": (("Excel", "excel", "Microsoft Excel", "MS Excel"), ("Excel", "excel", "Excel表格")),
    "winword": (("Word", "word", "Microsoft Word", "MS Word"), ("Word", "word", "Word文档")),
    "outlook": (("Outlook", "outlook", "Microsoft Outlook"), ("Outlook", "outlook", "Outlook邮箱")),
    "chrome": (("Chrome", "chrome", "Google Chrome"), ("Chrome", "谷歌浏览器", "Chrome浏览器")),
    "msedge": (("Edge", "edge", "Microsoft Edge"), ("Edge", "Edge浏览器")),
    "mspaint": (("Paint", "paint", "MS Paint", "Microsoft Paint"), ("画图", "画图工具")),
    "explorer": (
        ("File Explorer", "file explorer", "Explorer", "Windows Explorer"),
        ("文件资源管理器", "资源管理器"),
    ),
    "cmd": (("Command Prompt", "command prompt", "cmd", "CMD"), ("命令提示符", "cmd", "命令行")),
    "powershell": (
        ("PowerShell", "powershell", "Windows PowerShell"),
        ("PowerShell", "powershell"),
    ),
    "firefox": (("Firefox", "firefox", "Mozilla Firefox"), ("Firefox", "火狐浏览器", "火狐")),
    "teams": (("Teams", "teams", "Microsoft Teams", "MS Teams"), ("Teams", "微软Teams")),
}
