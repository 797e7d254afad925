"""Macro files on disk: `.txt` (the text format) and `.zip` (macro.txt + anchors/ID.png).

Reading is defensive, since files come from other people: sizes are capped, zip paths are
checked before anything is read, and every problem names the file. Writing is atomic (a
temporary file renamed over the target), so a crash never leaves half a file.
"""

from __future__ import annotations

import io
import json
import os
import secrets
import zipfile
from pathlib import Path, PurePosixPath

from app.core.errors import InputError
from app.core.macro import Anchor, Macro, decode_text, format_macro, parse_macro

MAX_TEXT_BYTES = 16 * 1024 * 1024
MAX_PNG_BYTES = 4 * 1024 * 1024
MAX_ZIP_BYTES = 256 * 1024 * 1024
MAX_MEMBERS = 10_000
MACRO_MEMBER = "macro.txt"
ANCHOR_INDEX = "anchors.json"  # {"ID": {"x": .., "y": ..}}: where each patch was on screen
SUFFIXES = (".txt", ".zip")


def read_macro_file(path: str | os.PathLike, name: str | None = None) -> Macro:
    """Load a `.txt` or `.zip` macro; `name` overrides the name in the file."""
    path = Path(path)
    source = str(path)
    try:
        size = path.stat().st_size
        limit = MAX_ZIP_BYTES if path.suffix.lower() == ".zip" else MAX_TEXT_BYTES
        if size > limit:
            raise InputError(f"{source}: the file is {_mb(size)}, more than the {_mb(limit)} limit")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{source}: is a folder, not a macro file") from None
    except PermissionError:
        raise InputError(f"{source}: permission denied") from None
    if path.suffix.lower() == ".zip":
        macro = unpack_zip(data, source)
    else:
        if data.startswith(b"PK\x03\x04"):
            raise InputError(f"{source}: this is a zip archive; name it .zip to import it")
        macro = parse_macro(decode_text(data, source), default_name=path.stem, source=source)
    if name is not None:
        macro = _renamed(macro, name)
    return macro


def missing_anchors_warning(macro: Macro, source: str) -> str | None:
    """The warning for steps that use images the file does not carry (a .txt export)."""
    missing = macro.missing_anchors()
    if not missing:
        return None
    return (
        f"{source}: the steps use images {', '.join(missing)} that the file does not carry "
        "(a .zip export keeps them); clicks fall back to their coordinates"
    )


def _renamed(macro: Macro, name: str) -> Macro:
    return Macro(name, macro.steps, macro.description, macro.screen, macro.anchors)


def write_macro_file(macro: Macro, path: str | os.PathLike, overwrite: bool = False) -> list[str]:
    """Write `macro` as .txt or .zip by the suffix; returns warnings for the user."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(f"{path}: a macro file ends in .txt or .zip, not {suffix or 'nothing'}")
    if path.exists() and not overwrite:
        raise InputError(f"{path}: the file exists; choose another name or pass --force")
    warnings = []
    if suffix == ".zip":
        data = pack_zip(macro)
    else:
        data = format_macro(macro).encode("utf-8")
        if macro.anchors:
            warnings.append(
                f"{path}: the {len(macro.anchors)} image anchors are not in a .txt file; "
                "export to .zip to keep them"
            )
    atomic_write(path, data)
    return warnings


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        # mode 0o666 minus the umask, like any file the user creates (mkstemp would make it 0600)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except FileNotFoundError:
        raise InputError(f"{path}: the folder {path.parent} does not exist") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------- zip bundles


def pack_zip(macro: Macro) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MACRO_MEMBER, format_macro(macro))
        index = {a.id: {"x": a.x, "y": a.y} for a in macro.anchors}
        if index:
            zf.writestr(ANCHOR_INDEX, json.dumps(index, indent=1, sort_keys=True))
        for anchor in macro.anchors:
            zf.writestr(f"anchors/{anchor.id}.png", anchor.png, compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()


def unpack_zip(data: bytes, source: str) -> Macro:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError(f"{source}: not a zip archive (or a damaged one)") from None
    with zf:
        members = _checked_members(zf, source)
        if MACRO_MEMBER not in members:
            raise InputError(
                f"{source}: no {MACRO_MEMBER} in the zip "
                "(a macro zip holds macro.txt and anchors/ID.png files)"
            )
        text_bytes = _read_member(zf, members[MACRO_MEMBER], MAX_TEXT_BYTES, source)
        inner = f"{source}: {MACRO_MEMBER}"
        macro = parse_macro(
            decode_text(text_bytes, inner), default_name=Path(source).stem, source=inner
        )
        index = _anchor_index(zf, members, source)
        anchors = []
        for anchor_id in sorted({*index, *_png_ids(members)}):
            member = members.get(f"anchors/{anchor_id}.png")
            if member is None:
                raise InputError(
                    f"{source}: {ANCHOR_INDEX} lists {anchor_id} but the zip has no "
                    f"anchors/{anchor_id}.png"
                )
            png = _read_member(zf, member, MAX_PNG_BYTES, source)
            where = index.get(anchor_id, {"x": 0, "y": 0})
            try:
                anchors.append(Anchor.from_png(anchor_id, png, int(where["x"]), int(where["y"])))
            except (ValueError, KeyError, TypeError) as bad:
                raise InputError(f"{source}: anchors/{anchor_id}.png: {bad}") from None
    macro = Macro(macro.name, macro.steps, macro.description, macro.screen, tuple(anchors))
    missing = macro.missing_anchors()
    if missing:
        raise InputError(
            f"{source}: the steps use image {missing[0]!r} but the zip has no "
            f"anchors/{missing[0]}.png"
        )
    return macro


def _checked_members(zf: zipfile.ZipFile, source: str) -> dict[str, zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InputError(f"{source}: the zip holds {len(infos)} files, more than {MAX_MEMBERS}")
    total = 0
    members = {}
    for info in infos:
        name = info.filename
        parts = PurePosixPath(name).parts
        if "\\" in name or name.startswith("/") or ".." in parts or (parts and ":" in parts[0]):
            raise InputError(f"{source}: unsafe path {name!r} in the zip; refusing to import it")
        total += info.file_size
        if total > MAX_ZIP_BYTES:
            raise InputError(f"{source}: the zip unpacks to more than {_mb(MAX_ZIP_BYTES)}")
        if not info.is_dir():
            members[name] = info
    return members


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, source: str) -> bytes:
    if info.file_size > limit:
        raise InputError(
            f"{source}: {info.filename} is {_mb(info.file_size)}, more than the {_mb(limit)} limit"
        )
    try:
        with zf.open(info) as member:
            data = member.read(limit + 1)  # the header's size may lie; never read past the limit
    except (zipfile.BadZipFile, OSError, RuntimeError) as bad:
        raise InputError(f"{source}: {info.filename} cannot be read: {bad}") from None
    if len(data) > limit:
        raise InputError(f"{source}: {info.filename} is larger than the {_mb(limit)} limit")
    return data


def _anchor_index(zf: zipfile.ZipFile, members: dict, source: str) -> dict:
    if ANCHOR_INDEX not in members:
        return {}
    raw = _read_member(zf, members[ANCHOR_INDEX], MAX_TEXT_BYTES, source)
    try:
        index = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as bad:
        raise InputError(f"{source}: {ANCHOR_INDEX} is not valid JSON: {bad}") from None
    if not isinstance(index, dict) or not all(isinstance(v, dict) for v in index.values()):
        raise InputError(f'{source}: {ANCHOR_INDEX} must map ids to {{"x": .., "y": ..}}')
    return index


def _png_ids(members: dict) -> set[str]:
    return {
        name[len("anchors/") : -len(".png")]
        for name in members
        if name.startswith("anchors/") and name.endswith(".png") and name.count("/") == 1
    }


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{size} bytes"
