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

# intent → (English words, Chinese words) that ask for it: a shortcut nobody named is written
# only for a command that says one of these ("hold on for five seconds" is no `ctrl+x`).
# Generous on purpose: a word the command does not hold merely rules the convention out,
# while a missing one would refuse a fair request. English words match with a typing slip
# and as the start of a longer word ("printer", "saving").
INTENT_WORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "save": (("save", "sav", "store"), ("存",)),
    "copy": (("copy", "copie", "duplicate"), ("复制", "拷")),
    "paste": (("paste", "insert"), ("粘", "贴")),
    "cut": (("cut",), ("剪",)),
    "select_all": (("select", "highlight", "mark", "choose"), ("选",)),
    "undo": (("undo", "revert", "back", "reverse"), ("撤", "取消")),
    "redo": (("redo", "again"), ("重做", "恢复")),
    "find": (("find", "search", "look", "locate"), ("找", "查", "搜")),
    "print": (("print",), ("打印",)),
    "new_tab": (("tab",), ("标签",)),
    "close_tab": (("tab",), ("标签",)),
    "close_window": (("close", "quit", "exit", "shut", "kill"), ("关", "退出")),
    "refresh": (("refresh", "reload", "update"), ("刷新", "加载", "载入")),
    "zoom_in": (("zoom", "bigger", "enlarge", "larger", "magnify", "increase", "grow"), ("大",)),
    "zoom_out": (("zoom", "smaller", "shrink", "decrease", "reduce"), ("小",)),
    "switch_window": (("switch", "window", "other", "change", "previous"), ("切", "换", "窗口")),
    "new_doc": (("new", "create", "blank"), ("新", "创建")),
    "bold": (("bold",), ("粗",)),
    "italic": (("italic",), ("斜",)),
    "underline": (("underline",), ("划线",)),
    "task_manager": (("task",), ("任务",)),
    "lock": (("lock",), ("锁",)),
    "save_as": (("save", "sav", "store"), ("存",)),
    "line_start": (("start", "beginning", "begin", "home"), ("首", "开头")),
    "line_end": (("end",), ("尾", "末")),
    "doc_start": (("top", "start", "beginning", "begin", "first"), ("开头", "顶", "最上", "首")),
    "doc_end": (("end", "bottom", "last"), ("末", "尾", "最下", "最后", "底")),
    "show_desktop": (("desktop", "minimize", "minimise"), ("桌面", "最小化")),
}
# intents whose words also name a key ("press tab twice" is no `ctrl+w`): they need one of
# these words as well
INTENT_ALSO: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "new_tab": (("new", "open", "another", "add", "create", "extra"), ("新", "开")),
    "close_tab": (("close", "shut", "quit", "exit", "kill"), ("关",)),
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
