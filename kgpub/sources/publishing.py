"""Which notes are published: the Digital Garden plugin's rule, or everything but private notes.

* ``digital-garden`` (default): a note is published only when its front matter says
  ``dg-publish: true`` (a YAML boolean).  A note without front matter, or without the key, is
  not published, as the plugin does.
* ``all-but-private``: every note is published except ``dg-publish: false`` and ``draft: true``.

Both modes fail closed: a ``dg-publish`` (or ``draft``) given twice, or whose value is not a
boolean (``[false]``, ``"False."``, ``yes``), keeps the note private, with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import PublishMode
from ..model.notes import Note

PUBLISH_KEY = "dg-publish"
DRAFT_KEY = "draft"


@dataclass(frozen=True)
class PublishDecision:
    """``published``, and when a key made the note private for a doubtful reason, the warning and its line."""

    published: bool
    warning: str | None = None
    line: int | None = None


def decide(note: Note, mode: PublishMode) -> PublishDecision:
    for key in (PUBLISH_KEY, DRAFT_KEY):
        if key in note.duplicate_keys:
            lines = note.duplicate_keys[key]
            return PublishDecision(False, f"{key} is given {len(lines)} times (lines {', '.join(map(str, lines))}); note kept private", lines[-1])
    fm = note.front_matter
    for key in (PUBLISH_KEY, DRAFT_KEY):
        if key in fm and not isinstance(fm[key], bool):
            return PublishDecision(False, f"{key}: {fm[key]!r} is not true or false; note kept private", note.key_lines.get(key))
    if fm.get(PUBLISH_KEY) is False or fm.get(DRAFT_KEY) is True:
        return PublishDecision(False)
    if mode is PublishMode.DIGITAL_GARDEN:
        return PublishDecision(fm.get(PUBLISH_KEY) is True)
    return PublishDecision(True)
