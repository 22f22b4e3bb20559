"""Declarations of the properties a build minted for relation keys the tables lack (``mapping/fallback.py``).

Each goes into the build's ontology graph as an ``owl:ObjectProperty`` with its
label (the key in words, ``INHIBITED_BY`` -> "inhibited by"), the key
(``kgo:relationKey``) and a comment saying where it comes from.
"""

from __future__ import annotations

from typing import Iterator

from pyoxigraph import Literal, NamedNode, Quad

from ..mapping.fallback import MintedTerms
from ..vocab import KGO, OWL, RDF, RDFS


def minted_property_quads(minted: MintedTerms, graph: NamedNode) -> Iterator[Quad]:
    for key, relation in sorted(minted.relations.items()):
        prop = relation.property
        yield Quad(prop, RDF.type, OWL.ObjectProperty, graph)
        yield Quad(prop, RDFS.label, Literal(key.replace("_", " ").lower(), language="en"), graph)
        yield Quad(prop, KGO.relationKey, Literal(key), graph)
        yield Quad(
            prop, RDFS.comment,
            Literal(f"Relation key {key} of the garden, not in mappings/relations.tsv: a property minted for this garden.", language="en"),
            graph,
        )
