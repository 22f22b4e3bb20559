"""SHACL validation: violations attributed to the right note file and line; warnings do not fail."""

from __future__ import annotations

import rdflib
from pyoxigraph import RdfFormat, parse

from kgpub.validate.shacl import validate
from synthetic import synthetic_quads

P = """
@prefix kgo: <https://w3id.org/kgpub/ontology/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix n: <https://example.org/kg/note/garden/u/> .
@prefix e: <https://example.org/kg/garden/u/> .
n:gene\\/akt1 a kgo:Note ; kgo:sourcePath "gene/akt1.md" ; kgo:permalink "/garden/u/gene/akt1/" .
n:pathway\\/ins a kgo:Note ; kgo:sourcePath "pathway/ins.md" ; kgo:permalink "/garden/u/pathway/ins/" .
e:pathway\\/ins a kgo:Pathway ; rdfs:label "Insulin Signaling" ; prov:wasDerivedFrom n:pathway\\/ins ;
    skos:exactMatch <http://purl.obolibrary.org/obo/GO_0008286> .
"""

GOOD = P + """
e:gene\\/akt1 a kgo:Gene ; rdfs:label "AKT1" ; prov:wasDerivedFrom n:gene\\/akt1 ;
    skos:exactMatch <https://www.ncbi.nlm.nih.gov/gene/207> , <https://identifiers.org/hgnc:391> ;
    kgo:participatesIn e:pathway\\/ins ; kgo:encodes e:protein\\/akt1 .
e:protein\\/akt1 a kgo:Protein ; rdfs:label "AKT1 Protein" ; prov:wasDerivedFrom n:gene\\/akt1 ;
    skos:exactMatch <http://purl.uniprot.org/uniprot/P31749> .
<https://example.org/kg/unresolved/pten> a kgo:Entity , kgo:UnresolvedEntity ; rdfs:label "PTEN" ;
    prov:wasDerivedFrom n:gene\\/akt1 ; kgo:inhibits e:gene\\/akt1 .
_:ax a owl:Axiom ; owl:annotatedSource <https://example.org/kg/unresolved/pten> ; owl:annotatedProperty kgo:inhibits ;
    owl:annotatedTarget e:gene\\/akt1 ; prov:wasDerivedFrom n:gene\\/akt1 ; kgo:sourceLine "57"^^xsd:positiveInteger ;
    kgo:relationKey "INHIBITED_BY" ; rdfs:comment "Tumor suppressor that antagonizes PI3K" .
"""


def quads(text: str):
    return list(parse(text.encode(), format=RdfFormat.TURTLE))


def test_good_data_has_only_the_unresolved_warning():
    report = validate(quads(GOOD))
    assert not report.has_violations
    assert not report.conforms  # SHACL 3.1: any result, a warning too, makes conforms false
    assert [r.severity for r in report.results] == ["Warning"]
    w = report.results[0]
    assert w.focus_node == "<https://example.org/kg/unresolved/pten>"
    assert (w.source_path, w.source_line) == ("gene/akt1.md", 57)
    assert "no published note" in w.message
    assert "gene/akt1.md:57: warning: Link target has no published note" in report.summary()


def test_wrong_range_is_a_violation_at_the_edge_line():
    data = GOOD + """
    e:gene\\/akt1 kgo:encodes e:pathway\\/ins .
    _:bad a owl:Axiom ; owl:annotatedSource e:gene\\/akt1 ; owl:annotatedProperty kgo:encodes ;
        owl:annotatedTarget e:pathway\\/ins ; prov:wasDerivedFrom n:gene\\/akt1 ; kgo:sourceLine "42"^^xsd:positiveInteger .
    """
    report = validate(quads(data))
    assert not report.conforms
    (v,) = report.violations
    assert v.focus_node == "<https://example.org/kg/garden/u/gene/akt1>"
    assert v.path == "<https://w3id.org/kgpub/ontology/encodes>"
    assert v.value == "<https://example.org/kg/garden/u/pathway/ins>"
    assert v.message == "ENCODES must point to a protein."
    assert (v.source_path, v.source_line) == ("gene/akt1.md", 42)
    assert "gene/akt1.md:42: error: ENCODES must point to a protein." in report.summary()


def test_missing_label_and_bad_uniprot_iri_name_the_note_file():
    data = P + """
    e:protein\\/x a kgo:Protein ; prov:wasDerivedFrom n:pathway\\/ins ;
        skos:exactMatch <http://purl.uniprot.org/uniprot/NOTANACC> .
    """
    report = validate(quads(data))
    got = {(r.message, r.source_path, r.value) for r in report.violations}
    assert ("Each entity needs exactly one label (rdfs:label).", "pathway/ins.md", None) in got
    assert any(m.startswith("A protein's exact match must be a UniProt") and v == "<http://purl.uniprot.org/uniprot/NOTANACC>"
               for m, _p, v in got)
    assert len(report.violations) == 2


def test_bad_go_and_pubmed_ids():
    data = P + """
    e:pathway\\/bad a kgo:Pathway ; rdfs:label "Bad" ; prov:wasDerivedFrom n:pathway\\/ins ;
        skos:exactMatch <http://purl.obolibrary.org/obo/GO_123> .
    <https://example.org/kg/publication/pubmed/x> a kgo:Publication ; rdfs:label "P" ; kgo:title "P" ;
        skos:exactMatch <https://pubmed.ncbi.nlm.nih.gov/12ab> , <https://doi.org/10.1128/MCB.21.3.893-901.2001> .
    <https://example.org/kg/publication/pubmed/y> a kgo:Publication ; rdfs:label "No title" .
    """
    report = validate(quads(data))
    values = sorted(r.value for r in report.violations if r.value)
    assert values == ["<http://purl.obolibrary.org/obo/GO_123>", "<https://pubmed.ncbi.nlm.nih.gov/12ab>"]
    assert any(r.message.startswith("A publication needs exactly one title") for r in report.violations)


def test_report_turtle_is_deterministic_and_carries_source():
    data = GOOD + "e:gene\\/akt1 kgo:associatedWithCondition e:pathway\\/ins ."
    a = validate(quads(data)).to_turtle()
    b = validate(rdflib.Graph().parse(data=data, format="turtle")).to_turtle()
    assert a == b
    g = rdflib.Graph().parse(data=a, format="turtle")
    kgo = rdflib.Namespace("https://w3id.org/kgpub/ontology/")
    assert set(map(str, g.objects(None, kgo.sourcePath))) == {"gene/akt1.md"}
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert (None, sh.conforms, rdflib.Literal(False)) in g


def test_partitioned_equals_whole_on_generated_sample():
    sample = list(synthetic_quads(120, bad_every=9))
    whole = validate(sample)
    for size in (7, 50):
        parts = validate(sample, batch_size=size, engine="pyshacl")
        assert [r.key() for r in parts.results] == [r.key() for r in whole.results]
        assert parts.results == whole.results
    assert len(whole.violations) == 4  # genes 0, 36, 72, 108: ENCODES a pathway
    assert {r.source_line for r in whole.violations} == {13}
    assert len(whole.warnings) == 18


def test_summary_caps_lines_per_message_and_counts_the_rest():
    from kgpub.validate.report import ValidationReport, ValidationResult

    results = [
        ValidationResult(f"n{i}.md", 3, "Warning", f"<https://example.org/kg/unresolved/x{i}>", None, None,
                         "Link target has no published note", None, "http://www.w3.org/ns/shacl#NotConstraintComponent")
        for i in range(25)
    ]
    report = ValidationReport(results)
    full = report.summary().splitlines()
    capped = report.summary(per_message=20).splitlines()
    assert len(full) == 26
    assert len(capped) == 22 and capped[-1].startswith("... and 5 more warning(s) like: Link target has no published note")
