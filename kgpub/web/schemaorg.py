"""A schema.org / Bioschemas JSON-LD snippet per note, for the garden's own pages to embed.

The snippet describes the note's entity (``foaf:primaryTopic``): its schema.org type from
``mappings/schemaorg_types.tsv`` (the first row whose class the entity has), name, description,
identifiers, ``sameAs`` (its exact matches), ``url`` (its IRI, which dereferences) and
``mainEntityOfPage`` (the note's page in the garden, when the garden's site is known).
The context is inline (``@vocab`` schema.org), so the snippet reads as RDF offline too.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from ..paths import mappings_dir
from ..vocab import PREFIXES
from . import sparql

TABLE = "schemaorg_types.tsv"
SCHEMA = "https://schema.org/"
CONTEXT = {"@vocab": SCHEMA, "url": {"@type": "@id"}, "sameAs": {"@type": "@id"},
           "mainEntityOfPage": {"@type": "@id"}}
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_FIELDS = {"http://www.w3.org/2000/01/rdf-schema#label": "name",
           "http://purl.org/dc/terms/description": "description",
           "http://purl.org/dc/terms/identifier": "identifier",
           "http://www.w3.org/2004/02/skos/core#exactMatch": "sameAs"}
_KGO = PREFIXES["kgo"]


@cache
def type_table(folder: Path | None = None) -> tuple[tuple[str, str], ...]:
    """(class IRI, schema.org type) rows of ``mappings/schemaorg_types.tsv``, in order."""
    path = (folder or mappings_dir()) / TABLE
    rows = []
    with path.open(encoding="utf-8") as handle:
        reader = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        for row in reader:
            prefix, _, local = row["class"].partition(":")
            if prefix not in PREFIXES:
                raise ValueError(f"{path}:{reader.line_num}: unknown prefix {prefix!r} in {row['class']!r}")
            rows.append((PREFIXES[prefix] + local, row["schema_type"]))
    return tuple(rows)


@dataclass
class NoteSnippet:
    note: str  #: the note's IRI
    key: str  #: the note's permalink (or its source path without suffix), without leading/trailing "/"
    data: dict = field(default_factory=dict)  #: the JSON-LD object


def schema_type(classes: set[str]) -> str:
    return next((t for c, t in type_table() if c in classes), "Thing")


async def note_snippets(query: sparql.Sparql, *, site_url: str | None = None) -> list[NoteSnippet]:
    """One snippet per note whose entity the store describes."""
    notes: dict[str, dict[str, list[ox.Term]]] = defaultdict(lambda: defaultdict(list))
    topics: dict[tuple[str, str], dict[str, list[ox.Term]]] = defaultdict(lambda: defaultdict(list))
    for name in ("schemaorg_notes", "schemaorg_topics"):
        for row in await query.select(sparql.text(name)):
            note, topic = row["note"].value, row["topic"].value
            target = notes[note] if name == "schemaorg_notes" else topics[(note, topic)]
            if row["o"] not in target[row["p"].value]:
                target[row["p"].value].append(row["o"])
    out = []
    for (note, topic), fields in sorted(topics.items()):
        own = notes.get(note, {})
        permalink = _first(own, _KGO + "permalink")
        key = (permalink or _stem(_first(own, _KGO + "sourcePath") or note.rsplit("/", 1)[-1])).strip("/")
        data: dict = {"@context": CONTEXT, "@id": topic,
                      "@type": schema_type({t.value for t in fields.get(_RDF_TYPE, ())}), "url": topic}
        for predicate, name in _FIELDS.items():
            values = sorted(v.value for v in fields.get(predicate, ()))
            if values:
                data[name] = values[0] if name in ("name", "description") else values
        for name, (timed, day) in _DATES.items():  # a date-time (dcterms), else a day alone (kgo:...On)
            value = _first(own, timed) or _first(own, day)
            if value:
                data[name] = value
        if site_url and permalink:
            data["mainEntityOfPage"] = site_url.rstrip("/") + "/" + permalink.lstrip("/")
        out.append(NoteSnippet(note, key, data))
    return out


#: schema.org's date of a note -> (its date-time property, its day-alone property; ontology/kgpub.ttl)
_DATES = {"dateCreated": ("http://purl.org/dc/terms/created", _KGO + "createdOn"),
          "dateModified": ("http://purl.org/dc/terms/modified", _KGO + "modifiedOn")}


def _first(fields, predicate: str) -> str | None:
    values = fields.get(predicate, ())
    return values[0].value if values else None


def _stem(path: str) -> str:
    name = Path(path)
    return str(name.with_suffix("")) if name.suffix else path
