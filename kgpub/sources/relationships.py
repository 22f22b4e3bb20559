"""Relationships of entity notes, in both body forms and the front matter, as :class:`Relationship` records.

Every Dataview inline field of the body (``sources/inline_fields.py``: ``KEY:: v``
on its own line, in list items, tasks, block quotes, callouts and table cells,
``[KEY:: v]`` and ``(KEY:: v)`` anywhere, keys in any case, spacing or
emphasis) whose value holds links gives one record per link.  The body is read
with markdown-it-py (vault form, ``sources/markdown_body.py``) or the HTML
parser (published form, ``sources/html_body.py``); both give the same records::

    KEY::<a href="/garden/u/type/slug/" class="internal-link">Label</a> - note text<br />
    KEY:: [[Target]] - note text
    - [Key:: [[Target|Shown label]], [Other](Other.md)]

The targets are the links before the first other text of the value; the rest
is the note text, with the evidence written there (``PMID:nnn`` and links).
A field whose value has no link is a :class:`LiteralField` (the caller
decides what to say about it); an ``<a>`` left open is an error and its field
is skipped.

Front-matter keys whose values are links and nothing else (``targets: "[[EGFR]]"``,
a list of links, or ``related: [[X]]`` that YAML reads as a nested list) are
relationships too, at the key's line; a value of prose with links is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from ..diagnostics import DiagnosticLog
from ..model.entities import Link, Relationship
from ..model.notes import Location, Note
from .html_body import html_lines
from .inline_fields import Field, Segment, garden_key, line_fields
from .markdown_body import inline_segments, markdown_lines, wikilink

_PMID = re.compile(r"\bPMID:\s*(\d{1,9})\b", re.IGNORECASE)
_DASH = re.compile(r"^\s*[-\u2013\u2014]+\s*")
_SPACE = re.compile(r"\s+")
_SEPARATORS = re.compile(r"[\s,;\"'\u201c\u201d\u2018\u2019]*")


def clean_text(text: str) -> str:
    """Whitespace collapsed to single spaces, ends stripped."""
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class LiteralField:
    """A field whose value holds no link (``Status:: draft``): key as written, garden key, text, where."""

    raw_key: str
    key: str
    text: str
    location: Location


@dataclass
class NoteFields:
    """What the fields of a note say: relationships and literal-valued fields."""

    relationships: list[Relationship]
    literals: list[LiteralField]


def read_relationships(note: Note, log: DiagnosticLog) -> list[Relationship]:
    """Every relationship of ``note``'s body, in file order."""
    return read_body_fields(note, log).relationships


def read_body_fields(note: Note, log: DiagnosticLog) -> NoteFields:
    """Every inline field of ``note``'s body, in file order."""
    if note.body_format == "html":
        lines = html_lines(note.body, note.body_line)
    else:
        lines = markdown_lines(note.body, note.body_line)
    result = NoteFields([], [])
    for line in lines:
        for field in line_fields(line):
            _add_field(field, Location(note.relpath, field.line), result, log)
    return result


def read_front_matter_relationships(note: Note, skip: Iterable[str]) -> list[Relationship]:
    """Relationships of front-matter keys (other than ``skip``) whose values are links."""
    skipped = set(skip)
    found: list[Relationship] = []
    for key, value in note.front_matter.items():
        if key in skipped or not isinstance(key, str):
            continue
        links = [s.link for s in _value_segments(value) if s.kind in ("link", "embed") and s.link is not None]
        name = garden_key(key)
        if not name:
            continue
        location = note.location(key)
        found.extend(Relationship(name, link, None, location) for link in links if link.label or link.target or link.href)
    return found


def _value_segments(value: Any) -> list[Segment]:
    """The link segments of a front-matter value made only of links (``"[[A]], [[B]]"``); prose gives none."""
    if isinstance(value, str):
        if "[" not in value:
            return []
        segments = [seg for seg in inline_segments(value) if seg.kind != "markup"]
        if any(seg.kind not in ("link", "embed") and not _SEPARATORS.fullmatch(seg.text) for seg in segments):
            return []
        return segments
    if isinstance(value, list):
        out: list[Segment] = []
        for item in value:
            if isinstance(item, list) and len(item) == 1 and isinstance(item[0], str):
                out.append(wikilink(item[0]))  # related: [[X]] without quotes: YAML's [["X"]]
            elif isinstance(item, (str, list)):
                out.extend(_value_segments(item))
        return out
    return []


# --- shared ----------------------------------------------------------------


def _add_field(field: Field, location: Location, result: NoteFields, log: DiagnosticLog) -> None:
    """Targets are the links before the first non-separator text; the rest is the note text."""
    if any(s.kind == "broken" for s in field.value):
        log.error(location.path, location.line, f"{field.raw_key}: broken HTML, <a> not closed; relationship skipped", code="html")
        return
    targets: list[Link] = []
    index = 0
    pieces = field.value
    while index < len(pieces):
        piece = pieces[index]
        if piece.kind in ("link", "embed") and piece.link is not None:
            if piece.link.label or piece.link.target or piece.link.href:
                targets.append(piece.link)
        elif piece.kind == "markup" or _SEPARATORS.fullmatch(piece.text):
            pass
        else:
            break
        index += 1
    rest = pieces[index:]
    rest_text = "".join(p.text for p in rest if p.kind != "markup")
    if not targets:
        result.literals.append(LiteralField(field.raw_key, field.key, clean_text(rest_text), location))
        return
    evidence = tuple(p.link for p in rest if p.kind in ("link", "embed") and p.link is not None)
    note_text: str | None = clean_text(_DASH.sub("", rest_text, count=1))
    if _SEPARATORS.fullmatch(note_text or ""):  # nothing, or only the closing quote of "[[X]]"
        note_text = None
    pmids = tuple(dict.fromkeys(_PMID.findall(rest_text)))
    result.relationships.extend(Relationship(field.key, link, note_text, location, evidence, pmids) for link in targets)
