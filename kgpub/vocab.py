"""Namespaces used across kgpub, as pyoxigraph terms.

``KGO.Gene`` or ``KGO["Gene"]`` gives a :class:`pyoxigraph.NamedNode`;
``str(KGO)`` gives the namespace IRI.  Term *meanings* live in ``ontology/``;
this module only spells IRIs.
"""

from __future__ import annotations

from pyoxigraph import NamedNode


class Namespace(str):
    """An IRI prefix whose attributes and items are :class:`NamedNode` terms.

    Every attribute that is not a dunder is a term, so ``DCTERMS.title`` is
    ``<http://purl.org/dc/terms/title>``, not the ``str.title`` method.  The
    namespace is still a ``str`` (``KGO + "Gene"``, ``iri.startswith(KGO)``).
    """

    def __getattribute__(self, local: str):
        if local.startswith("__"):
            return super().__getattribute__(local)
        return NamedNode(str.__str__(self) + local)

    def __getitem__(self, local: str) -> NamedNode:  # type: ignore[override]
        return NamedNode(str.__str__(self) + local)


#: kgpub's own ontology (classes and properties in ontology/kgpub.ttl).
KGO = Namespace("https://w3id.org/kgpub/ontology/")
#: IRI of the ontology itself.
ONTOLOGY_IRI = "https://w3id.org/kgpub/ontology"

RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SCHEMA = Namespace("http://schema.org/")
OBO = Namespace("http://purl.obolibrary.org/obo/")
BIOLINK = Namespace("https://w3id.org/biolink/vocab/")
UP = Namespace("http://purl.uniprot.org/core/")
CITO = Namespace("http://purl.org/spar/cito/")
FABIO = Namespace("http://purl.org/spar/fabio/")
BIBO = Namespace("http://purl.org/ontology/bibo/")
PAV = Namespace("http://purl.org/pav/")

#: Prefixes written at the top of Turtle output, in this order.
PREFIXES: dict[str, str] = {
    "kgo": str(KGO),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "void": str(VOID),
    "dcat": str(DCAT),
    "foaf": str(FOAF),
    "schema": str(SCHEMA),
    "obo": str(OBO),
    "biolink": str(BIOLINK),
    "up": str(UP),
    "cito": str(CITO),
    "fabio": str(FABIO),
    "bibo": str(BIBO),
    "pav": str(PAV),
}
