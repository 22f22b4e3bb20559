"""Read a garden folder: every note file at any depth becomes a :class:`Note`.

Note files are those the configuration's ``[files]`` globs select (by default every
``.md``, ``.txt`` and ``.html`` file outside hidden folders).  A file that cannot be read
(invalid UTF-8, too large, broken or oversized front matter) gives one diagnostic naming
``path:line`` and is skipped; the others go on.  A permalink with no path (``/``, ``.``,
``..``) is refused with a warning and the note gets its default permalink.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..config import FileRules
from ..diagnostics import DiagnosticLog
from ..errors import NoteError
from ..model.notes import PERMALINK_KEYS, Note
from .frontmatter import split_note

NOTE_SUFFIXES = (".md", ".txt", ".html")
#: Largest body read, in bytes of UTF-8 (a larger note is reported and skipped).
MAX_BODY_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class GardenFile:
    fspath: str  # the file's path as the walk found it (a rebuild stats every file and reads few)
    relpath: str

    @property
    def path(self) -> Path:
        return Path(self.fspath)


def walk_garden(garden: Path, rules: FileRules | None = None) -> Iterator[GardenFile]:
    """The note files under ``garden`` in a stable (sorted) order; hidden files and folders skipped.

    With ``rules``, only the files its globs select; without, every ``.md``, ``.txt`` and ``.html`` file.
    """
    garden = Path(garden)
    for root, dirs, files in os.walk(garden):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        folder = os.path.relpath(root, garden)
        prefix = "" if folder == os.curdir else folder.replace(os.sep, "/") + "/"  # the folder's path in the garden
        base = os.path.join(root, "")
        for name in sorted(files):
            if name.startswith(".") or not name.lower().endswith(NOTE_SUFFIXES):
                continue
            item = GardenFile(base + name, prefix + name)
            if rules is None or rules.selects(item.relpath):
                yield item


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
        duplicate_keys=split.duplicate_keys,
    )


def check_permalinks(note: Note, log: DiagnosticLog) -> Note:
    """Refuse (with a warning) permalinks that name no path: ``/``, ``.``, ``..``, ``/../``, or not text."""
    refused = set(note.refused_keys)
    for key in PERMALINK_KEYS:
        if key not in note.front_matter or note.front_matter[key] is None:
            continue
        value = note.front_matter[key]
        if not isinstance(value, str):
            log.warning(note.relpath, note.key_lines.get(key), f"{key}: {value!r} is not text; the note gets its default permalink", code="permalink")
            refused.add(key)
        elif not [s for s in value.split("/") if s.strip() not in ("", ".", "..")]:
            log.warning(note.relpath, note.key_lines.get(key), f"{key}: {value!r} names no page; the note gets its default permalink", code="permalink")
            refused.add(key)
    if refused != note.refused_keys:
        note.refused_keys = frozenset(refused)
    return note
