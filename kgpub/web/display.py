"""How pages name and group predicates (``display.tsv``) and how they spell terms."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from ..vocab import PREFIXES

TABLE = Path(__file__).resolve().parent / "display.tsv"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_EXTRA_PREFIXES = {"sh": "http://www.w3.org/ns/shacl#", "oa": "http://www.w3.org/ns/oa#",
                   "prism": "http://prismstandard.org/namespaces/basic/2.0/"}


@cache
def roles() -> dict[str, str]:
    """predicate IRI -> role (label, definition, identifier, curie, provenance, ...)."""
    with TABLE.open(encoding="utf-8") as handle:
        rows = csv.reader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return {row[0]: row[1] for row in rows if row}


@cache
def predicates(role: str) -> tuple[str, ...]:
    return tuple(p for p, r in roles().items() if r == role)


def role(predicate: str) -> str | None:
    return roles().get(predicate)


@cache
def _prefixes() -> list[tuple[str, str]]:
    pairs = {**PREFIXES, **_EXTRA_PREFIXES}
    return sorted(((ns, p) for p, ns in pairs.items()), key=lambda x: -len(x[0]))


def curie(iri: str) -> str:
    """``kgo:Gene`` for a known namespace, else the IRI itself."""
    for ns, prefix in _prefixes():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def datatype_label(literal: ox.Literal) -> str | None:
    """``xsd:integer`` etc. for typed literals other than plain strings."""
    dt = literal.datatype.value
    if literal.language or dt == _XSD + "string":
        return None
    return curie(dt)
