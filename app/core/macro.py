"""A macro (named steps plus its image anchors) and its text file format.

A macro file is UTF-8 text: a header of `# key: value` lines (name, description, screen,
format), then one step per line. Header values that need it (leading spaces, control
characters) are written as JSON strings, so every description survives a round trip.
"""

from __future__ import annotations

import json
import re
import struct
from dataclasses import dataclass, field

from app.core.errors import InputError, StepSyntaxError
from app.core.language import format_steps, parse_steps
from app.core.steps import ANCHOR_ID, Step, anchor_ids

FORMAT_VERSION = 1
MAX_NAME = 120
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HEADER_KEYS = ("name", "description", "screen", "format")
_HEADER_LINE = re.compile(r"#\s*([a-z_]+):[ \t]?(.*)")
_SCREEN = re.compile(r"([0-9]{1,6})x([0-9]{1,6})")


def check_macro_name(name: object) -> str:
    """Return `name` if it can name a macro; otherwise raise InputError saying why."""
    if not isinstance(name, str) or not name.strip():
        raise InputError("a macro name must not be empty")
    if name != name.strip():
        raise InputError(f"macro name {json.dumps(name)} starts or ends with spaces")
    if len(name) > MAX_NAME:
        raise InputError(f"a macro name has at most {MAX_NAME} characters, got {len(name)}")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in name):
        raise InputError(f"macro name {json.dumps(name)} holds a control character")
    return name


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk; raises ValueError if it is no PNG."""
    if len(png) < 24 or not png.startswith(PNG_SIGNATURE) or png[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    return struct.unpack(">II", png[16:24])


@dataclass(frozen=True, slots=True)
class Anchor:
    """An image patch grabbed while recording; (x, y) is its top-left corner on the screen."""

    id: str
    png: bytes
    x: int
    y: int
    w: int
    h: int

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not ANCHOR_ID.fullmatch(self.id):
            raise ValueError(f"anchor id must be 1-64 letters, digits, '_' or '-', got {self.id!r}")
        if png_size(self.png) != (self.w, self.h):
            raise ValueError(f"anchor {self.id}: the PNG is not {self.w}x{self.h}")

    @classmethod
    def from_png(cls, anchor_id: str, png: bytes, x: int, y: int) -> Anchor:
        w, h = png_size(png)
        return cls(anchor_id, png, x, y, w, h)


@dataclass(frozen=True, slots=True)
class Macro:
    name: str
    steps: tuple[Step, ...] = ()
    description: str = ""
    screen: tuple[int, int] | None = None  # (width, height) of the screen it was recorded on
    anchors: tuple[Anchor, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        check_macro_name(self.name)
        object.__setattr__(self, "steps", tuple(self.steps))
        # anchors are a set keyed by id: keep them sorted so equal macros compare equal
        object.__setattr__(self, "anchors", tuple(sorted(self.anchors, key=lambda a: a.id)))
        if self.screen is not None:
            object.__setattr__(self, "screen", tuple(self.screen))

    def missing_anchors(self) -> list[str]:
        """Anchor ids the steps refer to that the macro does not carry, in step order."""
        have = {a.id for a in self.anchors}
        wanted = [i for step in self.steps for i in anchor_ids(step)]
        return [i for i in dict.fromkeys(wanted) if i not in have]


# ---------------------------------------------------------------- text format


def format_macro(macro: Macro) -> str:
    lines = [f"# name: {_header_value(macro.name)}"]
    if macro.description:
        lines.append(f"# description: {_header_value(macro.description)}")
    if macro.screen:
        lines.append(f"# screen: {macro.screen[0]}x{macro.screen[1]}")
    lines.append(f"# format: {FORMAT_VERSION}")
    return "\n".join(lines) + "\n" + format_steps(macro.steps)


def _header_value(value: str) -> str:
    plain = value == value.strip() and not value.startswith('"')
    if plain and all(ord(c) >= 0x20 for c in value):
        return value
    return json.dumps(value, ensure_ascii=False)


def parse_macro(text: str, default_name: str | None = None, source: str | None = None) -> Macro:
    """Parse a macro file's text. `default_name` is used when the header names none."""
    try:
        if not text.strip():
            raise InputError(
                "the file is empty (a macro file holds a '# name: ...' line, then one step a line)"
            )
        header = _parse_header(text)
        steps = parse_steps(text)
        name = header.get("name", default_name)
        if name is None:
            raise InputError("the file names no macro: add a '# name: ...' line at the top")
        try:
            check_macro_name(name)
        except InputError as bad:
            raise StepSyntaxError(str(bad), header.get("name_line", 1), 1) from None
        return Macro(
            name=name,
            steps=tuple(steps),
            description=header.get("description", ""),
            screen=header.get("screen"),
        )
    except StepSyntaxError as bad:
        raise bad.with_source(source) if source else bad from None
    except InputError as bad:
        raise InputError(f"{source}: {bad}" if source else str(bad)) from None


def _parse_header(text: str) -> dict:
    """Read `# key: value` lines from the leading block of comments and blank lines."""
    header: dict = {}
    for lineno, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r").strip()
        if not line:
            continue
        if not line.startswith("#"):
            break
        match = _HEADER_LINE.fullmatch(line)
        if not match or match.group(1) not in HEADER_KEYS:
            continue  # an ordinary comment
        key, value = match.group(1), match.group(2).strip()
        col = raw.index(":") + 1
        while col < len(raw) and raw[col] in " \t":
            col += 1
        col += 1  # 1-based column where the value starts
        if key in header:
            raise StepSyntaxError(f"the header gives '{key}' twice", lineno, 1)
        if value.startswith('"'):
            try:
                value = json.loads(value)
            except json.JSONDecodeError as bad:
                raise StepSyntaxError(
                    f"bad quoted value for '{key}': {bad.msg}", lineno, col
                ) from None
            if not isinstance(value, str):
                raise StepSyntaxError(f"the value of '{key}' must be text", lineno, col)
        header[key] = _header_field(key, value, lineno, col)
        if key == "name":
            header["name_line"] = lineno
    return header


def _header_field(key: str, value: str, lineno: int, col: int):
    if key == "screen":
        match = _SCREEN.fullmatch(value)
        if not match or 0 in (int(match.group(1)), int(match.group(2))):
            raise StepSyntaxError(
                "expected the screen size as WIDTHxHEIGHT (like 1920x1080), "
                f"got {json.dumps(value)}",
                lineno,
                col,
            )
        return int(match.group(1)), int(match.group(2))
    if key == "format":
        if not value.isdigit():
            raise StepSyntaxError(f"expected a format number, got {json.dumps(value)}", lineno, col)
        if int(value) > FORMAT_VERSION:
            raise StepSyntaxError(
                f"this file has format {value}, made by a newer RPA Assistant; this version reads "
                f"format {FORMAT_VERSION} and older: update the app to import it",
                lineno,
                col,
            )
        return int(value)
    return value


def decode_text(data: bytes, source: str) -> str:
    """UTF-8 (a BOM is allowed) to text; bad bytes are reported by line and column."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as bad:
        start = bad.start - (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
        before = body[:start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise StepSyntaxError(
            f"not valid UTF-8 (byte 0x{data[bad.start]:02x}); save the file as UTF-8",
            line,
            col,
            source,
        ) from None
