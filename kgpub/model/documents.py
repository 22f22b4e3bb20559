"""Typed records for documents: publications, articles and their parts.

Readers in ``kgpub.sources`` (``reference_note``, ``citations``, ``article``)
produce these; emitters in ``kgpub.emit`` (``publications``, ``documents``)
turn them into quads.  Nothing here knows RDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .notes import Location


@dataclass(frozen=True)
class SupportClaim:
    """An edge a publication supports: ``supports: [{subject, predicate, object}]``.

    ``subject`` and ``object`` are names as written (note titles, link labels,
    CURIEs); ``predicate`` is a garden relation key (``INHIBITS``).
    """

    subject: str
    predicate: str
    object: str
    location: Location


@dataclass
class Publication:
    """A cited work: from a reference note, a References entry or a Sources entry.

    ``year`` is the four-digit year as text; ``authors`` keep their order and
    are written as in the source (``"Kim AH"``, ``"Garofalo, R. S."``).
    ``et_al`` records that the source list was truncated.
    """

    title: str | None
    location: Location
    authors: list[str] = field(default_factory=list)
    et_al: bool = False
    journal: str | None = None
    year: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    doi: str | None = None
    url: str | None = None
    url_host: str | None = None
    abstract: str | None = None
    content_type: str | None = None
    raw: str | None = None
    supports: list[SupportClaim] = field(default_factory=list)


@dataclass(frozen=True)
class PartialDate:
    """A date of known precision: a year, a year and month, or a full date."""

    year: int
    month: int | None = None
    day: int | None = None

    def isoformat(self) -> str:
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
            if self.day:
                text += f"-{self.day:02d}"
        return text


@dataclass
class Paragraph:
    """A block of body text and the citation numbers its markers carry, in order."""

    text: str
    location: Location
    citations: list[int] = field(default_factory=list)


@dataclass
class Section:
    """A headed part of an article; ``position`` is 1-based in document order."""

    heading: str
    position: int
    location: Location
    paragraphs: list[Paragraph] = field(default_factory=list)

    @property
    def citations(self) -> list[int]:
        """Citation numbers cited anywhere in the section, first occurrence order."""
        seen: dict[int, None] = {}
        for paragraph in self.paragraphs:
            for number in paragraph.citations:
                seen.setdefault(number, None)
        return list(seen)

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)


@dataclass
class TableCell:
    """One value of a table row, under column ``column`` (its header text)."""

    column: str
    value: str
    citations: list[int] = field(default_factory=list)


@dataclass
class TableRow:
    """A table row: the feature (first column) and one cell per compared column."""

    feature: str
    position: int
    location: Location
    cells: list[TableCell] = field(default_factory=list)


@dataclass
class Table:
    """A comparison table: its caption, column headers and rows."""

    caption: str | None
    position: int
    location: Location
    columns: list[str] = field(default_factory=list)
    rows: list[TableRow] = field(default_factory=list)
    section: int | None = None  # position of the section holding it


@dataclass
class ReferenceEntry:
    """One entry of a reference list: its number (for numbered lists) and the work."""

    list_name: str
    position: int
    number: int | None
    text: str
    publication: Publication | None  # None: no recognisable title (e.g. a bare web host)


@dataclass
class Article:
    """A long-form article read from a garden note."""

    title: str
    location: Location
    authors: list[str] = field(default_factory=list)
    date: PartialDate | None = None
    date_text: str | None = None
    abstract: str | None = None
    sections: list[Section] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    references: list[ReferenceEntry] = field(default_factory=list)

    def numbered(self) -> dict[int, ReferenceEntry]:
        """Numbered entries (the *Sources* list) by number: what in-text markers refer to."""
        result: dict[int, ReferenceEntry] = {}
        for entry in self.references:
            if entry.number is not None:
                result.setdefault(entry.number, entry)
        return result
