"""Read a garden folder: every ``.md``, ``.txt`` and ``.html`` file at any depth becomes a :class:`Note`.

A file that cannot be read (invalid UTF-8, too large, broken front matter)
gives one diagnostic naming ``path:line`` and is skipped; the others go on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..diagnostics import DiagnosticLog
from ..errors import NoteError
from ..model.notes import Note
from .frontmatter import split_note

NOTE_SUFFIXES = (".md", ".txt", ".html")
#: Largest body read, in bytes of UTF-8 (a larger note is reported and skipped).
MAX_BODY_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class GardenFile:
    path: Path
    relpath: str


def walk_garden(garden: Path) -> Iterator[GardenFile]:
    """The note files under ``garden`` in a stable (sorted) order; hidden files and folders skipped."""
    garden = Path(garden)
    for root, dirs, files in os.walk(garden):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or not name.lower().endswith(NOTE_SUFFIXES):
                continue
            path = Path(root) / name
            yield GardenFile(path, path.relative_to(garden).as_posix())


def read_note(path: Path, relpath: str, *, max_body_bytes: int = MAX_BODY_BYTES) -> Note:
    """Read one note file.  Raises :class:`NoteError` with the file and line at fault."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise NoteError(f"cannot read file: {error.strerror or error}", path=relpath) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise NoteError(f"invalid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})", path=relpath, line=line) from None
    text = text.replace("\r\n", "\n")
    split = split_note(text, relpath, Path(relpath).suffix.lower())
    body_bytes = len(split.body.encode("utf-8"))
    if body_bytes > max_body_bytes:
        raise NoteError(
            f"body is {body_bytes} bytes, over the limit of {max_body_bytes} bytes; note skipped",
            path=relpath,
            line=split.body_line,
        )
    return Note(
        path=path,
        relpath=relpath,
        front_matter=split.front_matter,
        key_lines=split.key_lines,
        body=split.body,
        body_line=split.body_line,
        body_format=split.body_format,
        has_front_matter=split.has_front_matter,
    )


def read_garden(garden: Path, log: DiagnosticLog) -> list[Note]:
    """Every readable note of ``garden``; each unreadable one is logged (``path:line``) and skipped."""
    notes: list[Note] = []
    for item in walk_garden(garden):
        try:
            notes.append(read_note(item.path, item.relpath))
        except NoteError as error:
            log.error(error.path or item.relpath, error.line, error.message, code="note")
    return notes
