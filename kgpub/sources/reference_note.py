"""Reference notes: one cited paper per note (front matter + PubMed abstract body).

Front matter: ``reference_id`` (a CURIE: ``PMID:11154276`` or ``DOI:10...``),
keys named after an identifier scheme of ``mappings/publication_ids.tsv``
(``pmid:``, ``doi:``, ``pmcid:``), ``title``, ``authors`` (a list or one
string), ``journal``, ``year`` (text or number), ``volume``, ``issue``,
``pages``, ``url``, ``content_type`` and ``supports: [{subject, predicate,
object}]``.  Each bad field gives one diagnostic at its line; the others are
still read.
"""

from __future__ import annotations

import csv
import html
import re
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from ..diagnostics import DiagnosticLog
from ..errors import IdentifierError
from ..mapping.publication_ids import PublicationIds
from ..model.documents import Publication, SupportClaim
from ..model.notes import Location, Note
from ..paths import mappings_dir
from ..vocab import KGO
from .citations import _VANCOUVER_TAIL, split_authors

#: The front-matter key holding the note's main identifier as a CURIE.
REFERENCE_ID_KEY = "reference_id"
_TEXT_FIELDS = ("journal", "volume", "issue", "pages", "content_type")
_SUPPORT_KEYS = ("subject", "predicate", "object")


def is_reference_note(note: Note) -> bool:
    """A note describing one publication.

    Its ``type`` maps to ``kgo:Publication`` in ``mappings/note_types.tsv``, or
    (no ``type``) its front matter carries a publication identifier.
    """
    fm = note.front_matter
    if note.type:
        return note.type.lower() in _publication_types()
    if not isinstance(fm, dict) or not fm:
        return False
    if REFERENCE_ID_KEY in fm:
        return True
    pubids = PublicationIds.default()
    return any(isinstance(k, str) and pubids.scheme_for(k) is not None for k in fm)


@cache
def _publication_types() -> frozenset[str]:
    """Note types whose class is ``kgo:Publication`` (or a subclass named ``kgo:*Publication``)."""
    path = mappings_dir() / "note_types.tsv"
    if not path.is_file():
        return frozenset()
    wanted = {str(KGO.Publication.value), "kgo:Publication"}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return frozenset(
            (row.get("note_type") or "").strip().lower()
            for row in rows
            if (row.get("class") or "").strip() in wanted
        )


def read_reference_note(note: Note, log: DiagnosticLog) -> Publication:
    """Read a reference note into a :class:`Publication` (never raises on bad fields)."""
    fm = note.front_matter if isinstance(note.front_matter, dict) else {}
    pubids = PublicationIds.default()
    pub = Publication(title=None, location=note.location(REFERENCE_ID_KEY if REFERENCE_ID_KEY in fm else "title"))

    def where(key: str) -> int | None:
        return note.key_lines.get(key)

    def report(key: str, message: str) -> None:
        log.error(note.relpath, where(key), message, code="reference")

    # identifiers: reference_id CURIE, then keys named after a scheme
    ref_id = fm.get(REFERENCE_ID_KEY)
    if ref_id is not None:
        prefix, sep, local = str(ref_id).strip().partition(":")
        scheme = pubids.scheme_for(prefix) if sep else None
        if scheme is None:
            report(REFERENCE_ID_KEY, f"reference_id {str(ref_id)!r} is not a publication CURIE (PMID:..., DOI:...)")
        else:
            _set_id(pub, pubids, scheme, local, lambda m: report(REFERENCE_ID_KEY, m))
    for key, value in fm.items():
        if not isinstance(key, str) or key == REFERENCE_ID_KEY or value in (None, ""):
            continue
        scheme = pubids.scheme_for(key)
        if scheme is not None and getattr(pub, scheme.field) is None:
            _set_id(pub, pubids, scheme, str(value), lambda m, k=key: report(k, m))

    title = _text(fm.get("title"))
    pub.title = title
    authors = fm.get("authors", fm.get("author"))
    if isinstance(authors, list):
        pub.authors = [" ".join(str(a).split()) for a in authors if a is not None and str(a).strip()]
    elif authors is not None and str(authors).strip():
        pub.authors, pub.et_al = split_authors(str(authors))
    year = fm.get("year")
    if year is not None and str(year).strip():
        text = str(year).strip()
        if re.fullmatch(r"[0-9]{4}", text):
            pub.year = text
        else:
            report("year", f"year {text!r} is not a four-digit year")
    for name in _TEXT_FIELDS:
        value = _text(fm.get(name))
        if value is not None:
            setattr(pub, name, value)
    url = _text(fm.get("url"))
    if url:
        pub.url = url
        pub.url_host = urlsplit(url).hostname
    pub.supports = list(_supports(note, fm.get("supports"), log))

    _read_body(note, pub, pubids)
    if not pub.title:
        report("title", "reference note has no title")
    return pub


def _set_id(pub: Publication, pubids: PublicationIds, scheme, local: str, report) -> None:
    try:
        ident = pubids.parse(scheme, local)
    except IdentifierError as error:
        report(f"malformed {scheme.prefix} identifier: {error}")
        return
    setattr(pub, scheme.field, ident.local)


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = " ".join(html.unescape(str(value)).split())
    return text or None


def _supports(note: Note, value: Any, log: DiagnosticLog):
    if value is None:
        return
    line = note.key_lines.get("supports")
    items = value if isinstance(value, list) else [value]
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not all(_text(item.get(k)) for k in _SUPPORT_KEYS):
            log.error(note.relpath, line, f"supports[{index}] needs subject, predicate and object", code="reference")
            continue
        yield SupportClaim(
            subject=_text(item["subject"]), predicate=_text(item["predicate"]), object=_text(item["object"]),
            location=Location(note.relpath, line),
        )


def _read_body(note: Note, pub: Publication, pubids: PublicationIds) -> None:
    """Fill what the front matter lacks from a PubMed-style body; extract the abstract."""
    body = html.unescape(note.body or "")
    if not body.strip():
        return
    for name, value in pubids.find_in_text(body).items():
        if getattr(pub, name) is None:
            setattr(pub, name, value)
    blocks = [b.strip() for b in re.split(r"\n\s*\n", body) if b.strip()]
    content = _content_blocks(blocks)
    abstract: list[str] = []
    title_key = _squash(pub.title or "")
    for block in content:
        flat = " ".join(block.split())
        citation = re.match(r"^[0-9]+\.\s+(.*)$", flat)
        if citation:
            tail = _VANCOUVER_TAIL.search(citation.group(1))
            if tail:
                pub.volume = pub.volume or tail.group("volume")
                pub.issue = pub.issue or tail.group("issue")
                pub.pages = pub.pages or (tail.group("pages") or "").replace(" ", "") or None
                pub.year = pub.year or tail.group("year")
            continue
        if title_key and _squash(flat) == title_key:
            continue
        if _is_metadata_block(flat, pub):
            continue
        abstract.append(flat)
    if abstract and not pub.abstract:
        pub.abstract = "\n\n".join(abstract)


def _content_blocks(blocks: list[str]) -> list[str]:
    """The blocks after a ``Content``/``Abstract`` heading, else those after the last heading block."""
    for index, block in enumerate(blocks):
        if re.match(r"^#{1,6}\s*(content|abstract)\b", block, re.IGNORECASE):
            return blocks[index + 1 :]
    return [b for b in blocks if not b.lstrip().startswith("#") and not b.lstrip().startswith("**")]


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text).casefold()


def _is_metadata_block(flat: str, pub: Publication) -> bool:
    """Author lines, affiliations, identifier lines and copyright notices of a PubMed record."""
    if re.match(r"^(author information|copyright|©|\(c\)|erratum|comment in|update of|conflict of interest)", flat, re.IGNORECASE):
        return True
    if re.match(r"^(DOI|PMCID|PMID|PMC)\s*:", flat):
        return True
    if re.match(r"^\([0-9]+\)", flat):
        return True
    if pub.authors:
        first = pub.authors[0].split()[0].rstrip(",") if pub.authors[0].split() else ""
        if first and flat.startswith(first) and len(flat) < 40 * max(1, len(pub.authors)) and flat.endswith("."):
            return "," in flat or len(pub.authors) == 1
    return False
