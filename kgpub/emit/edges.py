"""Relationship edges: one direction per meaning, with the OWL axiom annotation of the edge pattern.

``X ACTIVATED_BY Y`` (relations.tsv direction ``inverse``) is published as
``Y kgo:activates X``.  The axiom carries the note text (``rdfs:comment``), the
key as written (``kgo:relationKey``), the file line and any evidence
(``kgo:evidence`` publication).
"""

from __future__ import annotations

from typing import Iterable, Iterator

from pyoxigraph import Literal, NamedNode, Quad

from ..mapping.tables import Relation
from ..model.entities import Relationship
from ..vocab import KGO, RDFS
from .context import EmitContext


_RELATION_KEY, _COMMENT, _EVIDENCE = KGO.relationKey, RDFS.comment, KGO.evidence


def edge_ends(relation: Relation, entity: NamedNode, target: NamedNode) -> tuple[NamedNode, NamedNode]:
    """(subject, object) of the published triple."""
    return (target, entity) if relation.inverse else (entity, target)


def relationship_quads(
    rel: Relationship,
    relation: Relation,
    entity: NamedNode,
    target: NamedNode,
    ctx: EmitContext,
    evidence: Iterable[NamedNode] = (),
) -> Iterator[Quad]:
    s, o = edge_ends(relation, entity, target)
    annotations: list[tuple[NamedNode, Literal | NamedNode]] = [(_RELATION_KEY, Literal(rel.key))]
    if rel.note_text:
        annotations.append((_COMMENT, Literal(rel.note_text)))
    for publication in evidence:
        annotations.append((_EVIDENCE, publication))
    yield from ctx.edge(s, relation.property, o, annotations, line=rel.location.line)
