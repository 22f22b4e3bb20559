"""Entity notes (gene, protein, pathway, ...) -> :class:`EntityNote` records.

Identifiers come from ``xrefs:`` (a list of CURIEs) and from front-matter keys
named after a bioregistry prefix (``ncbigene: 207``, ``go: GO:0008286``); a
bad identifier is logged at its key's line and dropped.  Relationships come
from the body's inline fields and from front-matter keys whose values are links
(``sources/relationships.py``); keys the tables lack are kept (the build mints a
property for them).  A field whose value has no link is reported: an error
for a relation key of ``mappings/relations.tsv`` (a link was meant), a warning
for any other key (a literal-valued Dataview field, which is not published).
"""

from __future__ import annotations

import html
import re
from typing import Any

from ..diagnostics import DiagnosticLog
from ..errors import IdentifierError
from ..identifiers import Identifiers
from ..mapping.primekg_sources import NODE_ID, NODE_SOURCE, primekg_sources
from ..mapping.tables import MappingTables
from ..model.entities import EntityNote, IdentifierRef, ReferenceEntry
from ..model.notes import Location, Note
from .permalink import note_permalink
from .relationships import clean_text, read_body_fields, read_front_matter_relationships

#: Front-matter keys that describe the note itself, never identifiers.
NOTE_KEYS = frozenset({
    "type", "title", "slug", "permalink", "description", "tags", "aliases", "alias", "created", "updated",
    "dg-publish", "dg-home", "gardenUsername", "templateEngineOverride", "xrefs",
    NODE_ID, NODE_SOURCE, "node_type", "node_name", "node_index",  # PrimeKG-style fields (kg.csv x_id, x_source...)
})

_HTML_REFS = re.compile(r"<h([1-6])\b[^>]*>\s*References\s*</h\1\s*>", re.IGNORECASE)
_HTML_NEXT_HEADING = re.compile(r"<h[1-6]\b", re.IGNORECASE)
_HTML_LI = re.compile(r"<li\b[^>]*>(.*?)</li\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_MD_REFS = re.compile(r"^#{1,6}[ \t]*References[ \t]*#*[ \t]*$", re.MULTILINE | re.IGNORECASE)
_MD_HEADING = re.compile(r"^#{1,6}[ \t]", re.MULTILINE)
_MD_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+(.+)$", re.MULTILINE)


def read_entity_note(note: Note, tables: MappingTables, ids: Identifiers, log: DiagnosticLog) -> EntityNote:
    """The entity note record of ``note`` (whose type is a row of note_types.tsv)."""
    fm = note.front_matter
    note_type = (note.type or "").lower()
    title = note.title or note.slug or note.path.stem
    record = EntityNote(
        note=note,
        note_type=note_type,
        title=clean_text(title),
        permalink=note_permalink(note, note_type),
        aliases=[clean_text(a) for a in _strings(fm.get("aliases", fm.get("alias"))) if clean_text(a)],
        tags=[t for t in (clean_text(x) for x in _strings(fm.get("tags"))) if t],
        description=clean_text(str(fm["description"])) if fm.get("description") not in (None, "") else None,
        created=_scalar(fm.get("created")),
        modified=_scalar(fm.get("updated", fm.get("modified"))),
    )
    record.identifiers = _identifiers(note, ids, log)
    identifier_keys = {key for key in fm if isinstance(key, str) and ids.standardize_prefix(key) is not None}
    record.relationships.extend(read_front_matter_relationships(note, NOTE_KEYS | identifier_keys))
    fields = read_body_fields(note, log)
    record.relationships.extend(fields.relationships)
    for literal in fields.literals:
        if literal.key in tables.relations:
            log.error(literal.location.path, literal.location.line, f"{literal.raw_key}:: has no link to a note ([[...]] or [..](...md)); relationship skipped", code="relation")
        else:
            log.warning(literal.location.path, literal.location.line, f"{literal.raw_key}:: has no link: a literal-valued field, not published", code="field")
    record.references = read_reference_list(note)
    return record


def _strings(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v is not None and not isinstance(v, (dict, list))]
    if isinstance(value, dict):
        return []
    return [str(value)]


def _scalar(value: Any) -> str | None:
    if value is None or isinstance(value, (list, dict)):
        return None
    return str(value).strip() or None


def _identifiers(note: Note, ids: Identifiers, log: DiagnosticLog) -> list[IdentifierRef]:
    found: dict[str, IdentifierRef] = {}

    def add(text: str, key: str, default_prefix: str | None) -> None:
        location = note.location(key)
        try:
            identifier = ids.parse(text, default_prefix=default_prefix)
        except IdentifierError as error:
            log.error(note.relpath, location.line, f"{key}: {error}; identifier skipped", code="identifier")
            return
        found.setdefault(identifier.iri, IdentifierRef(identifier, location))

    xrefs = note.front_matter.get("xrefs")
    xref_items = xrefs if isinstance(xrefs, list) else ([x.strip() for x in str(xrefs).split(",")] if xrefs else [])
    for item in xref_items:
        if item is None or isinstance(item, (dict, list)) or not str(item).strip():
            log.error(note.relpath, note.location("xrefs").line, f"xrefs: {item!r} is not a CURIE; skipped", code="identifier")
            continue
        add(str(item), "xrefs", None)
    node_id, node_source = note.front_matter.get(NODE_ID), note.front_matter.get(NODE_SOURCE)
    if node_id not in (None, "") or node_source not in (None, ""):
        source = primekg_sources().get(str(node_source).strip().casefold()) if node_source not in (None, "") else None
        if node_id in (None, "") or isinstance(node_id, (dict, list)):
            log.error(note.relpath, note.location(NODE_SOURCE).line, f"{NODE_SOURCE}: given without a {NODE_ID}; identifier skipped", code="identifier")
        elif source is None:
            known = ", ".join(sorted({k for k in primekg_sources()}))
            log.error(note.relpath, note.location(NODE_SOURCE).line, f"{NODE_SOURCE}: {node_source!r} is not a PrimeKG node source (known, any case: {known}); identifier skipped", code="identifier")
        elif source.grouped:
            log.warning(note.relpath, note.location(NODE_ID).line, f"{NODE_ID}: {node_id!r} names a PrimeKG group of diseases, not one identifier; skipped", code="identifier")
        else:
            add(source.local(str(node_id)), NODE_ID, source.prefix)
    for key, value in note.front_matter.items():
        if key in NOTE_KEYS or ids.standardize_prefix(key) is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            if item is None or isinstance(item, (dict, list)):
                continue
            add(str(item), key, key)
    return list(found.values())


def read_reference_list(note: Note) -> list[ReferenceEntry]:
    """The raw entries of the body's *References* list, each with its file line."""
    body = note.body
    entries: list[ReferenceEntry] = []
    if note.body_format == "html":
        heading = _HTML_REFS.search(body)
        if heading is None:
            return entries
        end = _HTML_NEXT_HEADING.search(body, heading.end())
        for item in _HTML_LI.finditer(body, heading.end(), end.start() if end else len(body)):
            text = clean_text(html.unescape(_TAG.sub("", item.group(1))))
            if text:
                entries.append(ReferenceEntry(text, note.body_location(item.start())))
        return entries
    heading = _MD_REFS.search(body)
    if heading is None:
        return entries
    end = _MD_HEADING.search(body, heading.end())
    for item in _MD_ITEM.finditer(body, heading.end(), end.start() if end else len(body)):
        text = clean_text(item.group(1))
        if text:
            entries.append(ReferenceEntry(text, note.body_location(item.start(1))))
    return entries


def note_location(note: Note, key: str | None = None) -> Location:
    return note.location(key)
