"""pyoxigraph terms <-> rdflib terms, keeping lexical forms and blank node labels.

rdflib normalises literals it parses (``"01"^^xsd:integer`` becomes ``"1"``,
an ill-typed ``"none"^^xsd:boolean`` becomes ``"false"``) and relabels blank
nodes; both change what a SHACL engine sees and reports.  Terms built here
keep the lexical form (``normalize=False``) and the blank node label, so a
shape that is a blank node keeps its identity from the shapes graph to the
report.
"""

from __future__ import annotations

from typing import Iterable

import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def to_rdflib_term(term):
    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language, normalize=False)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return rdflib.Literal(term.value, normalize=False)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype), normalize=False)
    raise TypeError(f"not an RDF term: {term!r}")


def to_rdflib(triples: Iterable[Triple], graph=None) -> rdflib.Graph:
    """An rdflib Graph of ``triples`` (lexical forms and blank node labels kept)."""
    g = graph if graph is not None else rdflib.Graph()
    for t in triples:
        g.add((to_rdflib_term(t.subject), to_rdflib_term(t.predicate), to_rdflib_term(t.object)))
    return g


def to_oxigraph_term(term):
    """The pyoxigraph term of an rdflib term (lexical form and blank node label as stored)."""
    if isinstance(term, rdflib.URIRef):
        return NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return Literal(str(term), language=term.language)
        if term.datatype is not None:
            return Literal(str(term), datatype=NamedNode(str(term.datatype)))
        return Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def nt(term) -> str:
    """The N-Triples form of an rdflib term, as kgpub's results carry it."""
    return str(to_oxigraph_term(term))


def from_rdflib(graph) -> list[Triple]:
    """The triples of an rdflib Graph or Dataset (union of its graphs) as pyoxigraph triples."""
    rows = (graph.quads((None, None, None, None)) if graph.context_aware
            else graph.triples((None, None, None)))
    return list(dict.fromkeys(Triple(to_oxigraph_term(r[0]), to_oxigraph_term(r[1]), to_oxigraph_term(r[2]))
                              for r in rows))
