"""Synthetic garden data in the documented patterns (docs/design.md), for validation tests and timing.

``synthetic_quads(n)`` gives ``n`` notes' graphs: each note, its entity (label,
identifiers, provenance), three relations with their owl:Axiom annotations,
and every 7th note's relation points to an unresolved target.  ``bad_every``
plants a wrong-range ENCODES edge every k-th note so tests can count them.
"""

from __future__ import annotations

from typing import Iterator

from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from kgpub.iris import IriMinter, short_hash
from kgpub.vocab import FOAF, KGO, OWL, PROV, RDF, RDFS, SKOS, XSD

KINDS = [("gene", KGO.Gene), ("protein", KGO.Protein), ("pathway", KGO.Pathway), ("condition", KGO.Disease)]


def synthetic_quads(n: int, *, bad_every: int = 0, base: str = "https://example.org/kg/") -> Iterator[Quad]:
    minter = IriMinter(base)

    def permalink(i: int) -> str:
        return f"/garden/u/{KINDS[i % 4][0]}/n{i}/"

    for i in range(n):
        kind, cls = KINDS[i % 4]
        note = minter.note(permalink(i))
        ent = minter.entity(permalink(i))
        g = note

        def q(s, p, o):
            return Quad(s, p, o, g)

        yield q(note, RDF.type, KGO.Note)
        yield q(note, KGO.sourcePath, Literal(f"{kind}/n{i}.md"))
        yield q(note, KGO.permalink, Literal(permalink(i)))
        yield q(note, FOAF.primaryTopic, ent)
        yield q(ent, RDF.type, cls)
        yield q(ent, RDFS.label, Literal(f"{kind} {i}"))
        yield q(ent, PROV.wasDerivedFrom, note)
        if kind == "gene":
            yield q(ent, SKOS.exactMatch, NamedNode(f"https://www.ncbi.nlm.nih.gov/gene/{1000 + i}"))
        elif kind == "protein":
            yield q(ent, SKOS.exactMatch, NamedNode(f"http://purl.uniprot.org/uniprot/P{10000 + i % 90000:05d}"))
        elif kind == "pathway":
            yield q(ent, SKOS.exactMatch, NamedNode(f"http://purl.obolibrary.org/obo/GO_{i % 10_000_000:07d}"))
        else:
            yield q(ent, SKOS.exactMatch, NamedNode(f"http://purl.obolibrary.org/obo/MONDO_{i % 10_000_000:07d}"))

        edges: list[tuple[NamedNode, NamedNode, int]] = []
        base_i = i - i % 4
        if kind == "gene":
            edges.append((KGO.encodes, minter.entity(permalink(base_i + 1)), 10))
            edges.append((KGO.participatesIn, minter.entity(permalink(base_i + 2)), 11))
            edges.append((KGO.associatedWithCondition, minter.entity(permalink(base_i + 3)), 12))
            if bad_every and i % bad_every == 0:
                edges.append((KGO.encodes, minter.entity(permalink(base_i + 2)), 13))  # a pathway: wrong range
        elif kind == "protein":
            edges.append((KGO.activates, minter.entity(permalink((i + 4) % n if (i + 4) < n else i)), 10))
            edges.append((KGO.participatesIn, minter.entity(permalink(base_i + 2)), 11))
        elif kind == "pathway":
            edges.append((KGO.associatedWithCondition, minter.entity(permalink(base_i + 3)), 10))
        if i % 7 == 0:
            unresolved = minter.unresolved(f"missing {i}")
            yield q(unresolved, RDF.type, KGO.Entity)
            yield q(unresolved, RDF.type, KGO.UnresolvedEntity)
            yield q(unresolved, RDFS.label, Literal(f"missing {i}"))
            yield q(unresolved, PROV.wasDerivedFrom, note)
            edges.append((KGO.inhibits, unresolved, 20))
        for p, o, line in edges:
            if o.value.startswith(minter.base + "garden/") and int(o.value.rstrip("/").rsplit("n", 1)[1]) >= n:
                continue
            yield q(ent, p, o)
            ax = BlankNode("e" + short_hash(g.value, ent.value, p.value, o.value))
            yield q(ax, RDF.type, OWL.Axiom)
            yield q(ax, OWL.annotatedSource, ent)
            yield q(ax, OWL.annotatedProperty, p)
            yield q(ax, OWL.annotatedTarget, o)
            yield q(ax, RDFS.comment, Literal(f"note text {i}"))
            yield q(ax, KGO.relationKey, Literal("KEY"))
            yield q(ax, PROV.wasDerivedFrom, note)
            yield q(ax, KGO.sourceLine, Literal(str(line), datatype=XSD.positiveInteger))
