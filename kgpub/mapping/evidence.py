"""Match a reference note's ``supports:`` claim to the garden's edges.

The subject and object are names (title, slug, alias, link label of an
unresolved target, SSSOM name) or CURIEs; the predicate is a relation key
(``INHIBITED_BY`` is swapped like in notes) or a property CURIE (``kgo:inhibits``).
"""

from __future__ import annotations

from typing import Mapping, Sequence

from pyoxigraph import NamedNode

from ..errors import IdentifierError, MappingError
from ..identifiers import Identifiers
from .resolve import GardenIndex
from .tables import MappingTables, expand_term

Edge = tuple[NamedNode, NamedNode, NamedNode]


def resolve_name(name: str, index: GardenIndex, ids: Identifiers) -> list[NamedNode]:
    """Resources the claim's ``name`` may denote."""
    hits = list(index.lookup(name))
    unresolved = index.unresolved_iri(name)
    if unresolved is not None:
        hits.append(unresolved)
    if ":" in name and not hits:
        try:
            identifier = ids.parse(name)
        except IdentifierError:
            return hits
        for entity in index.entities:
            if any(i.iri == identifier.iri for _, i in entity.matches):
                hits.append(entity.iri)  # type: ignore[arg-type]
    return list(dict.fromkeys(hits))


def resolve_predicate(text: str, tables: MappingTables) -> tuple[NamedNode, bool] | None:
    """``(property, swapped)`` of a relation key or property CURIE."""
    relation = tables.relations.get(text.strip().upper())
    if relation is not None:
        return relation.property, relation.inverse
    try:
        return expand_term(text, path="supports", line=0), False
    except MappingError:
        return None


def match_claim(claim, index: GardenIndex, tables: MappingTables, ids: Identifiers, edges: Mapping[Edge, Sequence[NamedNode]]) -> list[tuple[Edge, Sequence[NamedNode]]]:
    """Edges (with the graphs stating them) that ``claim`` names; empty when none."""
    predicate = resolve_predicate(str(claim.predicate), tables)
    if predicate is None:
        return []
    prop, swapped = predicate
    subjects = resolve_name(str(claim.subject), index, ids)
    objects = resolve_name(str(claim.object), index, ids)
    if swapped:
        subjects, objects = objects, subjects
    found = []
    for s in subjects:
        for o in objects:
            graphs = edges.get((s, prop, o))
            if graphs:
                found.append(((s, prop, o), graphs))
    return found
