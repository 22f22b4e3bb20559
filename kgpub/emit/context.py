"""What every emitter needs to turn one note's records into quads.

Emitters are functions ``records -> Iterator[Quad]`` that take an
:class:`EmitContext`: the IRI minter, the identifier converter, the note's
named graph, and helpers for the patterns of docs/design.md (provenance,
annotated edges with deterministic blank nodes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator, Protocol

from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from ..diagnostics import DiagnosticLog
from ..identifiers import Identifier, Identifiers
from ..iris import IriMinter, short_hash
from ..model.notes import Note
from ..vocab import KGO, OWL, PROV, RDF, XSD

Term = NamedNode | BlankNode | Literal

# the terms of the edge pattern, spelt once (a Namespace attribute makes a new NamedNode each time)
_TYPE, _AXIOM, _DERIVED_FROM = RDF.type, OWL.Axiom, PROV.wasDerivedFrom
_SOURCE, _PROPERTY, _TARGET = OWL.annotatedSource, OWL.annotatedProperty, OWL.annotatedTarget
_SOURCE_LINE, _POSITIVE_INTEGER = KGO.sourceLine, XSD.positiveInteger


class EntityIndex(Protocol):
    """Names of the garden's entities, for link resolution and mention matching.

    Built by the build after all notes are read; ``lookup`` is case-insensitive.
    """

    def lookup(self, name: str) -> list[NamedNode]: ...

    def names(self) -> Iterable[tuple[str, NamedNode]]: ...

    def identifier_label(self, identifier: Identifier) -> str | None: ...


@dataclass
class EmitContext:
    minter: IriMinter
    ids: Identifiers
    note: Note
    note_iri: NamedNode  # the note resource, also its named graph
    log: DiagnosticLog
    index: EntityIndex | None = None

    @property
    def graph(self) -> NamedNode:
        return self.note_iri

    def quad(self, s: NamedNode | BlankNode, p: NamedNode, o: Term) -> Quad:
        return Quad(s, p, o, self.note_iri)

    def derived(self, resource: NamedNode | BlankNode) -> Quad:
        """``resource prov:wasDerivedFrom <note>`` in the note's graph."""
        return Quad(resource, _DERIVED_FROM, self.note_iri, self.note_iri)

    def edge(
        self,
        s: NamedNode,
        p: NamedNode,
        o: NamedNode,
        annotations: Iterable[tuple[NamedNode, Term]] = (),
        *,
        line: int | None = None,
    ) -> Iterator[Quad]:
        """The plain triple plus its OWL axiom annotation (docs/design.md, edge pattern).

        The axiom's blank node id is a hash of graph, s, p and o, so builds are
        byte-identical and one edge stated twice in a note is one axiom.
        """
        g = self.note_iri
        yield Quad(s, p, o, g)
        axiom = BlankNode("e" + short_hash(g.value, s.value, p.value, o.value))
        yield Quad(axiom, _TYPE, _AXIOM, g)
        yield Quad(axiom, _SOURCE, s, g)
        yield Quad(axiom, _PROPERTY, p, g)
        yield Quad(axiom, _TARGET, o, g)
        yield Quad(axiom, _DERIVED_FROM, g, g)
        if line:
            yield Quad(axiom, _SOURCE_LINE, Literal(str(line), datatype=_POSITIVE_INTEGER), g)
        for ap, value in annotations:
            yield Quad(axiom, ap, value, g)

    @staticmethod
    def axiom_node(graph: NamedNode, s: NamedNode, p: NamedNode, o: NamedNode) -> BlankNode:
        """The blank node :meth:`edge` uses for (s, p, o) in ``graph`` (to add annotations later)."""
        return BlankNode("e" + short_hash(graph.value, s.value, p.value, o.value))
