"""The ontology plus hand-written data in the documented edge/annotation pattern, checked by HermiT."""

from __future__ import annotations

from pyoxigraph import RdfFormat, parse

from kgpub.ontology import check_consistency

PREFIXES = """
@prefix kgo: <https://w3id.org/kgpub/ontology/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix b: <https://example.org/kg/> .
"""

ABOX = PREFIXES + """
<https://example.org/kg/note/garden/u/gene/akt1> a kgo:Note ; kgo:sourcePath "gene/akt1.md" ;
    kgo:permalink "/garden/u/gene/akt1/" ; foaf:primaryTopic <https://example.org/kg/garden/u/gene/akt1> .
<https://example.org/kg/garden/u/gene/akt1> a kgo:Gene ; rdfs:label "AKT1" ;
    skos:exactMatch <https://www.ncbi.nlm.nih.gov/gene/207> ;
    prov:wasDerivedFrom <https://example.org/kg/note/garden/u/gene/akt1> ;
    kgo:encodes <https://example.org/kg/garden/u/protein/akt1> ;
    kgo:participatesIn <https://example.org/kg/garden/u/pathway/insulin-signaling> ;
    kgo:associatedWithCondition <https://example.org/kg/garden/u/condition/cancer> ;
    kgo:hasReference <https://example.org/kg/publication/pubmed/11154276> .
<https://example.org/kg/garden/u/protein/akt1> a kgo:Protein ; rdfs:label "AKT1 Protein" .
<https://example.org/kg/garden/u/pathway/insulin-signaling> a kgo:Pathway ; rdfs:label "Insulin Signaling" .
<https://example.org/kg/garden/u/condition/cancer> a kgo:Disease ; rdfs:label "Cancer" .
<https://example.org/kg/unresolved/pten> a kgo:Entity , kgo:UnresolvedEntity ; rdfs:label "PTEN" ;
    kgo:inhibits <https://example.org/kg/garden/u/gene/akt1> .
_:e1 a owl:Axiom ; owl:annotatedSource <https://example.org/kg/unresolved/pten> ;
    owl:annotatedProperty kgo:inhibits ; owl:annotatedTarget <https://example.org/kg/garden/u/gene/akt1> ;
    rdfs:comment "Tumor suppressor that antagonizes PI3K" ; kgo:relationKey "INHIBITED_BY" ;
    prov:wasDerivedFrom <https://example.org/kg/note/garden/u/gene/akt1> ; kgo:sourceLine "57"^^xsd:positiveInteger .
<https://example.org/kg/publication/pubmed/11154276> a kgo:Publication ; rdfs:label "Akt phosphorylates ASK1" ;
    kgo:title "Akt phosphorylates and negatively regulates apoptosis signal-regulating kinase 1." ;
    kgo:year 2001 ; kgo:journal "Mol Cell Biol" ;
    skos:exactMatch <https://pubmed.ncbi.nlm.nih.gov/11154276> ;
    kgo:hasAuthorship _:a1 , _:a2 .
_:a1 a kgo:Authorship ; kgo:authorRank "1"^^xsd:positiveInteger ; kgo:authorName "Kim AH" .
_:a2 a kgo:Authorship ; kgo:authorRank "2"^^xsd:positiveInteger ; kgo:authorName "Khursigara G" .
"""


def triples(text: str):
    return list(parse(text.encode(), format=RdfFormat.TURTLE))


def test_abox_in_documented_patterns_is_consistent():
    result = check_consistency(triples(ABOX))
    assert result.consistent, result.message
    assert result.unsatisfiable == []


def test_hermit_detects_a_gene_that_is_also_a_protein():
    # ENCODES from a protein: the domain makes it a gene too, and Gene/Protein are disjoint.
    bad = PREFIXES + """
    <https://example.org/kg/p1> a kgo:Protein ; rdfs:label "P1" ; kgo:encodes <https://example.org/kg/p2> .
    """
    result = check_consistency(triples(bad))
    assert not result.consistent
