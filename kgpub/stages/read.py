"""Stage 1: the garden folder -> :class:`Note` records (files the configuration selects)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..config import FileRules
from ..diagnostics import DiagnosticLog
from ..errors import NoteError
from ..model.notes import Note
from ..sources.garden import check_permalinks, read_note, walk_garden
from .collector import collector_paused


@dataclass
class ReadNotes:
    """The readable notes, and how many selected files could not be read (each logged once)."""

    notes: list[Note] = field(default_factory=list)
    unreadable: int = 0

    @property
    def files(self) -> int:
        return len(self.notes) + self.unreadable


@collector_paused()
def read_notes(garden: Path, rules: FileRules, log: DiagnosticLog) -> ReadNotes:
    """Every note file ``rules`` selects under ``garden``; an unreadable one is one diagnostic and skipped."""
    result = ReadNotes()
    for item in walk_garden(garden, rules):
        try:
            note = read_note(item.path, item.relpath)
        except NoteError as error:
            log.error(error.path or item.relpath, error.line, error.message, code="note")
            result.unreadable += 1
            continue
        result.notes.append(check_permalinks(note, log))
    return result
