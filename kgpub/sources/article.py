"""Long-form articles: plain text or Markdown, with or without front matter.

Shape of an article (no file-name rules): a title line, a by-line
(``Author: ... Date: January 2026``) or an *Abstract* heading near the top,
headed sections, and a reference list (*References*, numbered *Sources*).
Front matter, when present, wins: its ``type`` decides (through
``mappings/note_types.tsv``), and its ``title``/``authors``/``date`` replace
what the body says.

Headings are isolated short lines without final punctuation; ``Table N:``
captions open a table whose rows are tab-separated lines or Markdown pipe
rows.  Sections after the last reference list are back matter (contact
details, disclaimers) and are not part of the article.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from ..diagnostics import DiagnosticLog
from ..model.documents import (
    Article, Paragraph, PartialDate, Publication, ReferenceEntry, Section, Table, TableCell, TableRow,
)
from ..model.notes import Location, Note
from ..paths import mappings_dir
from ..vocab import KGO
from .citations import normalise_title, parse_reference_entry, split_authors, split_numbered

_REFERENCE_HEADINGS = re.compile(r"^(references|bibliography|sources|works cited|literature cited)$", re.IGNORECASE)
_ABSTRACT_HEADING = re.compile(r"^(abstract|summary)$", re.IGNORECASE)
_BYLINE = re.compile(r"^\**\s*(?:authors?|by)\s*:?\**\s*:?\s*(?P<rest>.+)$", re.IGNORECASE)
_DATE_IN_LINE = re.compile(r"\**\s*date\s*:?\s*\**\s*:?\s*(?P<date>.+?)\s*$", re.IGNORECASE)
_TABLE_CAPTION = re.compile(r"^table\s+[0-9]+\s*[:.]", re.IGNORECASE)
_MARKER_RE = re.compile(
    r"\[\\\[(?P<esc>[0-9]{1,3})\\\]\]\([^)]*\)"      # [\[10\]](#)
    r"|\^\{(?P<sup>(?:\s*\[[0-9]{1,3}\])+)\s*\}"       # ^{[3][7]}
    r"|\[(?P<plain>[0-9]{1,3}(?:\s*[,–-]\s*[0-9]{1,3})*)\](?!\()"  # [1] [1,2] [3-5]
)
_ONLY_LINK = re.compile(r"^\[[^\]]*\]\([^)]*\)$")
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})


def looks_like_article(note: Note) -> bool:
    """True for an article: by front-matter ``type`` when there is one, else by the body's shape."""
    if note.type:
        return note.type.lower() in _article_types()
    lines = [l.strip() for l in (note.body or "").splitlines() if l.strip()]
    if len(lines) < 5:
        return False
    head = lines[:8]
    has_byline = any(_BYLINE.match(l) or _DATE_IN_LINE.search(l) and "date" in l.lower() for l in head[1:])
    has_abstract = any(_ABSTRACT_HEADING.match(_plain(l)) for l in lines[:40])
    has_references = any(_REFERENCE_HEADINGS.match(_plain(l)) for l in lines)
    markers = len(_MARKER_RE.findall(note.body or ""))
    title_like = len(head[0]) <= 200 and not head[0].endswith((".", ":", ";", ","))
    return title_like and (has_byline or has_abstract) and (has_references or markers >= 3)


@cache
def _article_types() -> frozenset[str]:
    """Note types mapped to ``kgo:Article`` in ``mappings/note_types.tsv``."""
    path = mappings_dir() / "note_types.tsv"
    if not path.is_file():
        return frozenset()
    wanted = {KGO["Article"].value, "kgo:Article"}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return frozenset((r.get("note_type") or "").strip().lower() for r in rows if (r.get("class") or "").strip() in wanted)


@dataclass
class _Block:
    lines: list[str]
    line: int  # file line of the first line

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def read_article(note: Note, log: DiagnosticLog) -> Article:
    """Read an article note.  Unparseable parts are reported and skipped; never raises."""
    blocks = _blocks(note)
    title_block = next((b for b in blocks), None)
    title = _plain(title_block.lines[0]) if title_block else ""
    fm = note.front_matter if isinstance(note.front_matter, dict) else {}
    article = Article(title=note.title or title or note.relpath, location=Location(note.relpath, title_block.line if title_block else None))

    body_blocks = blocks[1:] if title_block and not note.title else blocks
    # by-line and date near the top
    for block in body_blocks[:6]:
        line = _plain(block.lines[0])
        match = _BYLINE.match(line)
        if not match:
            continue
        rest = match.group("rest")
        date_match = re.search(r"\.?\s*\**\s*date\s*:?\**\s*:?", rest, re.IGNORECASE)
        if date_match:
            article.date_text = _plain(rest[date_match.end():]).strip() or None
            rest = rest[: date_match.start()]
        article.authors = [a for a in split_authors(_plain(rest))[0] if a]
        break
    if fm.get("authors") or fm.get("author"):
        value = fm.get("authors") or fm.get("author")
        article.authors = [str(a).strip() for a in value] if isinstance(value, list) else split_authors(str(value))[0]
    if fm.get("date") is not None:
        article.date_text = str(fm["date"]).strip()
    if article.date_text:
        article.date = parse_date(article.date_text)
        if article.date is None:
            where = note.key_lines.get("date") if fm.get("date") is not None else article.location.line
            log.warning(note.relpath, where, f"cannot read date {article.date_text!r}", code="article")

    _read_sections(note, body_blocks, article, log)
    if fm.get("abstract"):
        article.abstract = " ".join(str(fm["abstract"]).split())
    _resolve_reference_lists(article)
    _check_markers(note, article, log)
    return article


def parse_date(text: str) -> PartialDate | None:
    """``January 2026`` -> 2026-01; ``2026-01-15`` -> full date; ``2026`` -> year."""
    text = _plain(text).strip().rstrip(".")
    if isinstance(text, (dt.date,)):
        return PartialDate(text.year, text.month, text.day)
    iso = re.fullmatch(r"([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?(?:[T ].*)?", text)
    if iso:
        year, month, day = (int(g) if g else None for g in iso.groups())
        try:
            if month and day:
                dt.date(year, month, day)
            elif month and not 1 <= month <= 12:
                return None
        except ValueError:
            return None
        return PartialDate(year, month, day)
    words = re.findall(r"[A-Za-z]+|[0-9]+", text)
    month = next((_MONTHS[w.lower()] for w in words if w.lower() in _MONTHS), None)
    years = [int(w) for w in words if re.fullmatch(r"[0-9]{4}", w)]
    days = [int(w) for w in words if re.fullmatch(r"[0-9]{1,2}", w)]
    if not years:
        return None
    day = days[0] if days and month else None
    if day:
        try:
            dt.date(years[0], month, day)
        except ValueError:
            day = None
    return PartialDate(years[0], month, day)


def citation_numbers(text: str) -> list[int]:
    """Citation numbers of the markers in ``text``, in order (``[1][2]``, ``^{[3][7]}``, ``[\\[10\\]](#)``)."""
    numbers: list[int] = []
    for match in _MARKER_RE.finditer(text):
        if match.group("esc"):
            numbers.append(int(match.group("esc")))
        elif match.group("sup"):
            numbers.extend(int(n) for n in re.findall(r"[0-9]+", match.group("sup")))
        else:
            for part in re.split(r"\s*,\s*", match.group("plain")):
                bounds = [int(n) for n in re.split(r"\s*[–-]\s*", part) if n]
                if len(bounds) == 2 and bounds[0] <= bounds[1] <= bounds[0] + 50:
                    numbers.extend(range(bounds[0], bounds[1] + 1))
                else:
                    numbers.extend(bounds)
    return numbers


def strip_markers(text: str) -> str:
    """``text`` without citation markers (for table values and display)."""
    return " ".join(_MARKER_RE.sub(" ", text).split())


# ---------------------------------------------------------------- internals


def _plain(text: str) -> str:
    """Drop Markdown emphasis and heading marks from one line."""
    text = re.sub(r"^#{1,6}\s+", "", text.strip())
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    return text.strip().strip("*").strip()


def _blocks(note: Note) -> list[_Block]:
    """Runs of non-blank lines (whitespace-only lines are blank)."""
    blocks: list[_Block] = []
    current: _Block | None = None
    for offset, raw in enumerate((note.body or "").split("\n")):
        line = raw.rstrip()
        if not line.strip():
            current = None
            continue
        if current is None:
            current = _Block([], note.body_line + offset)
            blocks.append(current)
        current.lines.append(line)
    return blocks


def _is_heading(block: _Block) -> bool:
    if len(block.lines) != 1:
        return False
    line = block.lines[0].strip()
    if line.startswith("#"):
        return True
    text = _plain(line)
    if not text or len(text) > 120 or "\t" in line or line.startswith(("-", "*", "|", "[", ">")):
        return False
    if _TABLE_CAPTION.match(text) or re.match(r"^(figure|fig\.)\s*[0-9]", text, re.IGNORECASE):
        return False
    if text.endswith((".", ",", ";", ":", "?", "!", ")")) and not _ABSTRACT_HEADING.match(text):
        return False
    if re.match(r"^[0-9]+\.\s", text):
        return False
    return text[0].isupper() or text[0].isdigit()


def _read_sections(note: Note, blocks: list[_Block], article: Article, log: DiagnosticLog) -> None:
    section: Section | None = None
    table: Table | None = None
    list_name: str | None = None
    last_reference_section = -1
    pending_entries: list[tuple[str, int, Location, int | None]] = []  # name, position, location, number
    entry_texts: list[str] = []

    abstract_at = next((i for i, b in enumerate(blocks) if _is_heading(b) and _ABSTRACT_HEADING.match(_plain(b.lines[0]))), None)
    if abstract_at is not None:
        blocks = blocks[abstract_at:]  # before the abstract: by-line and boxes of the header
    for block in blocks:
        if _is_heading(block):
            heading = _plain(block.lines[0])
            table = None
            section = Section(heading=heading, position=len(article.sections) + 1, location=Location(note.relpath, block.line))
            article.sections.append(section)
            list_name = heading.lower() if _REFERENCE_HEADINGS.match(heading) else None
            if list_name:
                last_reference_section = section.position
            continue
        if section is None:
            continue  # header block: title, by-line, product boxes before the first heading
        if list_name:
            for offset, line in enumerate(block.lines):
                text = line.strip()
                location = Location(note.relpath, block.line + offset)
                if text.startswith(("- ", "* ", "• ")) or re.match(r"^[0-9]+\.\s", text):
                    body = re.sub(r"^[-*•]\s+", "", text)
                    number, _ = split_numbered(body)
                    pending_entries.append((list_name, section.position, location, number))
                    entry_texts.append(body)
                elif entry_texts and pending_entries[-1][0] == list_name and _continues(entry_texts[-1], text):
                    entry_texts[-1] += " " + text  # continuation of the previous entry
            continue
        caption = _plain(block.lines[0])
        if _TABLE_CAPTION.match(caption):
            table = Table(caption=caption, position=len(article.tables) + 1, location=Location(note.relpath, block.line), section=section.position)
            article.tables.append(table)
            rows = block.lines[1:]
            if rows:
                _table_rows(table, rows, block.line + 1, note)
            continue
        if table is not None and all("\t" in l or l.strip().startswith("|") for l in block.lines):
            _table_rows(table, block.lines, block.line, note)
            continue
        table = None
        for paragraph in _paragraphs(block, note):
            section.paragraphs.append(paragraph)

    numbered_lists = {name for name, _, _, number in pending_entries if number is not None}
    for (name, position, location, number), text in zip(pending_entries, entry_texts):
        if number is None and name in numbered_lists:
            log.warning(location.path, location.line, f"unnumbered entry in the numbered list {name!r} skipped: {text[:60]!r}", code="citation")
            continue
        body = split_numbered(text)[1] if number is not None else text
        pub = parse_reference_entry(body, location)
        if pub is None:
            log.warning(location.path, location.line, f"reference entry without a recognisable title: {text[:80]!r}", code="citation")
        entries_in_list = sum(1 for e in article.references if e.list_name == name)
        article.references.append(
            ReferenceEntry(list_name=name, position=entries_in_list + 1, number=number, text=" ".join(text.split()), publication=pub)
        )
    if last_reference_section > 0:
        article.sections = [s for s in article.sections if s.position <= last_reference_section]
    abstract = next((s for s in article.sections if _ABSTRACT_HEADING.match(s.heading)), None)
    if abstract and abstract.paragraphs:
        article.abstract = " ".join(strip_markers(abstract.text).split())


_ENDS_WITH_LINK = re.compile(r"(\[\\?\[?Link\\?\]?\](\([^)]*\))?|\]\([^)]*\))\s*$", re.IGNORECASE)


def _continues(previous: str, text: str) -> bool:
    """A line continuing a list entry broken over lines: the entry has no closing link yet
    and the line brings one (``Cellular Signalling. [Link]``)."""
    return not _ENDS_WITH_LINK.search(previous) and bool(_ENDS_WITH_LINK.search(text)) and len(text.split()) <= 12


def _paragraphs(block: _Block, note: Note) -> list[Paragraph]:
    """A block is one paragraph, except that each list item is its own paragraph."""
    items: list[tuple[list[str], int]] = []
    for offset, line in enumerate(block.lines):
        if line.lstrip().startswith(("- ", "* ", "• ")) or not items:
            items.append(([line.strip()], block.line + offset))
        else:
            items[-1][0].append(line.strip())
    result = []
    for lines, line_no in items:
        text = " ".join(lines)
        if _ONLY_LINK.match(text):
            continue
        result.append(Paragraph(text=text, location=Location(note.relpath, line_no), citations=citation_numbers(text)))
    return result


def _split_row(line: str) -> list[str]:
    if "\t" in line:
        return [c.strip() for c in line.split("\t")]
    cells = line.strip().strip("|").split("|")
    return [c.strip() for c in cells]


def _table_rows(table: Table, lines: list[str], first_line: int, note: Note) -> None:
    for offset, line in enumerate(lines):
        cells = _split_row(line)
        if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
            continue  # Markdown separator row
        if not table.columns:
            table.columns = [strip_markers(c) for c in cells]
            continue
        location = Location(note.relpath, first_line + offset)
        row = TableRow(feature=strip_markers(cells[0]), position=len(table.rows) + 1, location=location)
        for column, value in zip(table.columns[1:], cells[1:]):
            row.cells.append(TableCell(column=column, value=strip_markers(value), citations=citation_numbers(value)))
        table.rows.append(row)


def _merge(into: Publication, other: Publication) -> None:
    for name in ("journal", "year", "volume", "issue", "pages", "pmid", "pmcid", "doi", "url", "url_host", "abstract"):
        if getattr(into, name) is None and getattr(other, name) is not None:
            setattr(into, name, getattr(other, name))
    if not into.authors and other.authors:
        into.authors, into.et_al = list(other.authors), other.et_al


def _resolve_reference_lists(article: Article) -> None:
    """Collapse duplicate works: same identifier, or same title and year, or same title where one side has no year.

    All entries naming one work then share one :class:`Publication` record,
    whose missing fields are filled from the others.
    """
    canonical: list[Publication] = []
    by_title: dict[str, list[Publication]] = {}
    by_id: dict[tuple[str, str], Publication] = {}
    for entry in article.references:
        pub = entry.publication
        if pub is None:
            continue
        match = None
        for key in (("pmid", pub.pmid), ("doi", (pub.doi or "").lower() or None)):
            if key[1] and key in by_id:
                match = by_id[key]
        title = normalise_title(pub.title or "")
        if match is None:
            for other in by_title.get(title, []):
                if other.year == pub.year or other.year is None or pub.year is None:
                    match = other
                    break
        if match is None:
            canonical.append(pub)
            by_title.setdefault(title, []).append(pub)
            match = pub
        else:
            _merge(match, pub)
            entry.publication = match
        for key in (("pmid", match.pmid), ("doi", (match.doi or "").lower() or None)):
            if key[1]:
                by_id[key] = match


def _check_markers(note: Note, article: Article, log: DiagnosticLog) -> None:
    numbered = article.numbered()
    if not numbered:
        return
    for section in article.sections:
        for paragraph in section.paragraphs:
            for number in paragraph.citations:
                if number not in numbered:
                    log.warning(note.relpath, paragraph.location.line, f"citation [{number}] has no entry in the numbered reference list", code="citation")
