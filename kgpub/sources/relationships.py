"""Relationship lines of entity notes, in both forms, as :class:`Relationship` records.

HTML (published form)::

    KEY::<a href="/garden/u/type/slug/" class="internal-link">Label</a> - note text<br />
    KEY::<a class="internal-link is-unresolved" href="/404">Label</a>

Markdown (vault form)::

    KEY:: [[Target]] - note text
    KEY:: [[Target|Shown label]], [[Other]]

Both give the same records: one per target link, with the note text, the file
line, and the evidence written on the line (``PMID:nnn`` and links in the note
text).  Problems on one line (no link, unclosed ``<a>``) are logged and that
line skipped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from ..diagnostics import DiagnosticLog
from ..model.entities import Link, Relationship
from ..model.notes import Note

_KEY = r"([A-Z][A-Z0-9_]*)::"
_HTML_KEY = re.compile(r"(?:^|<p\b[^>]*>|<br\s*/?>|<li\b[^>]*>|<div\b[^>]*>)[ \t]*" + _KEY, re.MULTILINE | re.IGNORECASE)
_HTML_END = re.compile(r"<br\s*/?>|</p\s*>|</li\s*>|</div\s*>|<p\b|<li\b|\n[ \t]*\n", re.IGNORECASE)
_MD_LINE = re.compile(r"^[ \t]*(?:[-*+][ \t]+)?" + _KEY + r"(.*)$", re.MULTILINE)
_WIKILINK = re.compile(r"\[\[([^\[\]]*?)\]\]")
_PMID = re.compile(r"\bPMID:\s*(\d{1,9})\b", re.IGNORECASE)
_DASH = re.compile(r"^\s*[-\u2013\u2014]+\s*")
_SPACE = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """Whitespace collapsed to single spaces, ends stripped."""
    return _SPACE.sub(" ", text).strip()


@dataclass
class _Piece:
    """Either a link or a run of text inside one relationship line."""

    text: str
    link: Link | None = None


def read_relationships(note: Note, log: DiagnosticLog) -> list[Relationship]:
    """Every relationship of ``note``'s body, in file order."""
    if note.body_format == "html":
        return _read_html(note, log)
    return _read_markdown(note, log)


# --- HTML ------------------------------------------------------------------


class _SegmentParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[_Piece] = []
        self._href: str | None = None
        self._classes: str = ""
        self._label: list[str] | None = None
        self.unclosed = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "a":
            return
        if self._label is not None:  # <a> inside <a>: close the first
            self._finish()
        values = dict(attrs)
        self._href = (values.get("href") or "").strip() or None
        self._classes = values.get("class") or ""
        self._label = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._label is not None:
            self._finish()

    def handle_data(self, data: str) -> None:
        if self._label is not None:
            self._label.append(data)
        else:
            self.pieces.append(_Piece(data))

    def _finish(self) -> None:
        label = clean_text("".join(self._label or []))
        classes = self._classes.split()
        link = Link(label=label, href=self._href, marked_unresolved="is-unresolved" in classes)
        self.pieces.append(_Piece(label, link))
        self._label = None

    def end(self) -> list[_Piece]:
        self.close()
        if self._label is not None:
            self.unclosed = True
            self._label = None
        return self.pieces


def _read_html(note: Note, log: DiagnosticLog) -> list[Relationship]:
    body = note.body
    result: list[Relationship] = []
    starts = list(_HTML_KEY.finditer(body))
    for i, match in enumerate(starts):
        begin = match.end()
        limit = starts[i + 1].start() if i + 1 < len(starts) else len(body)
        end = _HTML_END.search(body, begin, limit)
        segment = body[begin: end.start() if end else limit]
        location = note.body_location(match.start(1))
        parser = _SegmentParser()
        parser.feed(segment)
        pieces = parser.end()
        if parser.unclosed:
            log.error(note.relpath, location.line, f"{match.group(1)}: broken HTML, <a> not closed; relationship skipped", code="html")
            continue
        result.extend(_relationships(match.group(1), pieces, note, location, log))
    return result


# --- Markdown --------------------------------------------------------------


def _markdown_pieces(text: str) -> list[_Piece]:
    pieces: list[_Piece] = []
    pos = 0
    for m in _WIKILINK.finditer(text):
        if m.start() > pos:
            pieces.append(_Piece(text[pos: m.start()]))
        inner = m.group(1)
        target, bar, shown = _split_wikilink(inner)
        target = clean_text(target.split("#", 1)[0]) if not target.startswith("#") else clean_text(target)
        label = clean_text(html.unescape(shown)) if bar else target
        pieces.append(_Piece(label, Link(label=label, target=target)))
        pos = m.end()
    if pos < len(text):
        pieces.append(_Piece(text[pos:]))
    return pieces


def _split_wikilink(inner: str) -> tuple[str, bool, str]:
    index = inner.find("|")
    if index < 0:
        return inner, False, ""
    target = inner[:index]
    if target.endswith("\\"):  # [[Target\|Label]] as written inside tables
        target = target[:-1]
    return target, True, inner[index + 1:]


def _read_markdown(note: Note, log: DiagnosticLog) -> list[Relationship]:
    result: list[Relationship] = []
    for match in _MD_LINE.finditer(note.body):
        location = note.body_location(match.start(1))
        pieces = _markdown_pieces(match.group(2))
        result.extend(_relationships(match.group(1), pieces, note, location, log))
    return result


# --- shared ----------------------------------------------------------------


def _relationships(key: str, pieces: list[_Piece], note: Note, location, log: DiagnosticLog) -> list[Relationship]:
    """Targets are the links before the first non-separator text; the rest is the note text."""
    targets: list[Link] = []
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        if piece.link is not None:
            if piece.link.label or piece.link.target or piece.link.href:
                targets.append(piece.link)
        elif piece.text.strip(" \t\n,;") != "":
            break
        index += 1
    rest = pieces[index:]
    rest_text = "".join(p.text for p in rest)
    evidence = tuple(p.link for p in rest if p.link is not None)
    note_text = clean_text(_DASH.sub("", rest_text, count=1)) or None
    pmids = tuple(dict.fromkeys(_PMID.findall(rest_text)))
    if not targets:
        log.error(note.relpath, location.line, f"{key}:: has no link to a target; relationship skipped", code="relation")
        return []
    return [Relationship(key, link, note_text, location, evidence, pmids) for link in targets]
