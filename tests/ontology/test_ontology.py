"""The core ontology: parses everywhere, every term documented and aligned, HermiT finds it consistent."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kgpub.ontology import check_consistency, load_ontology_quads, load_ontology_triples, write_ontology
from kgpub.paths import ontology_dir

KGO = rdflib.Namespace("https://w3id.org/kgpub/ontology/")
OBO = rdflib.Namespace("http://purl.obolibrary.org/obo/")
BIOLINK = rdflib.Namespace("https://w3id.org/biolink/vocab/")
IAO_DEF = OBO.IAO_0000115
CORE = ontology_dir() / "kgpub.ttl"
ALIGN = [RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty,
         SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch]


@pytest.fixture(scope="module")
def core() -> rdflib.Graph:
    return rdflib.Graph().parse(CORE, format="turtle")


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("onto")
    write_ontology(out)
    return out


def kgo_terms(g: rdflib.Graph) -> set[rdflib.URIRef]:
    kinds = [OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty]
    return {s for k in kinds for s in g.subjects(RDF.type, k) if str(s).startswith(str(KGO))}


def test_header(core):
    onto = rdflib.URIRef("https://w3id.org/kgpub/ontology")
    assert (onto, RDF.type, OWL.Ontology) in core
    assert core.value(onto, OWL.versionIRI) == rdflib.URIRef("https://w3id.org/kgpub/ontology/releases/0.1.0")
    assert core.value(onto, rdflib.DCTERMS.license) == rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert str(core.value(onto, rdflib.URIRef("http://purl.org/dc/elements/1.1/creator"))) == "kgpub developers"
    for p in (rdflib.DCTERMS.title, rdflib.DCTERMS.description):
        assert core.value(onto, p) is not None, p


def test_one_ontology_header_over_all_files(written):
    """Every module is part of one ontology: one owl:Ontology, so OWL API and pyLODE see one identity."""
    g = rdflib.Graph().parse(written / "ontology.ttl", format="turtle")
    assert list(g.subjects(RDF.type, OWL.Ontology)) == [rdflib.URIRef("https://w3id.org/kgpub/ontology")]
    assert len(list(g.objects(None, OWL.versionIRI))) == 1
    onto = rdflib.URIRef("https://w3id.org/kgpub/ontology")
    assert len(list(g.objects(onto, RDFS.label))) == 1


def test_definitions_in_both_iao_and_skos(written):
    """Each kgo: term's definition is IAO:0000115 (OBO tools) and skos:definition (pyLODE), the same text."""
    g = rdflib.Graph().parse(written / "ontology.ttl", format="turtle")
    terms = kgo_terms(g)
    assert len(terms) > 100
    for term in terms:
        iao = sorted(g.objects(term, IAO_DEF))
        skos = sorted(g.objects(term, SKOS.definition))
        assert len(iao) == 1 and iao == skos, term


def test_design_terms_declared(core):
    terms = kgo_terms(core)
    classes = ["Entity", "Gene", "Protein", "Pathway", "Condition", "Disease", "PhenotypicFeature", "ChemicalEntity",
               "Hormone", "LabTest", "UnresolvedEntity", "Note", "Publication", "Authorship"]
    for c in classes:
        assert (KGO[c], RDF.type, OWL.Class) in core, c
    for p in ["encodes", "encodedBy", "participatesIn", "hasParticipant", "activates", "activatedBy", "inhibits",
              "inhibitedBy", "associatedWithCondition", "hasReference", "hasAuthorship"]:
        assert (KGO[p], RDF.type, OWL.ObjectProperty) in core, p
    for p in ["relationKey", "sourceLine", "tag", "evidence"]:
        assert (KGO[p], RDF.type, OWL.AnnotationProperty) in core, p
    for p in ["sourcePath", "permalink", "title", "journal", "year", "volume", "pages", "abstract", "authorRank", "authorName"]:
        assert (KGO[p], RDF.type, OWL.DatatypeProperty) in core, p
    assert len(terms) >= 39


def test_every_term_has_one_label_a_definition_an_alignment_and_a_source(core):
    for term in sorted(kgo_terms(core)):
        assert len(list(core.objects(term, RDFS.label))) == 1, term
        assert core.value(term, IAO_DEF) is not None, term
        assert any(core.value(term, p) is not None and not str(core.value(term, p)).startswith(str(KGO))
                   for p in ALIGN) or any(not str(o).startswith(str(KGO)) for p in ALIGN for o in core.objects(term, p)), term
        assert core.value(term, rdflib.DCTERMS.source) is not None, term


def test_each_iri_is_one_kind_of_property(core):
    kinds = [OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty]
    props = {s for k in kinds for s in core.subjects(RDF.type, k)}
    for p in props:
        assert sum((p, RDF.type, k) in core for k in kinds) == 1, p
    for ann in [rdflib.PROV.wasDerivedFrom, SKOS.exactMatch, KGO.evidence, KGO.relationKey, KGO.sourceLine,
                KGO.tag, rdflib.DCTERMS.description]:
        assert (ann, RDF.type, OWL.AnnotationProperty) in core, ann
    # of the kinds FaBiO declares them, so nothing is punned with FaBiO imported
    for prop in (rdflib.DCTERMS.identifier, rdflib.DCTERMS.title):
        assert (prop, RDF.type, OWL.DatatypeProperty) in core, prop
    assert (rdflib.DCTERMS.license, RDF.type, OWL.ObjectProperty) in core
    assert (KGO.year, rdflib.RDFS.subPropertyOf, None) not in core
    documents = rdflib.Graph().parse(ontology_dir() / "documents.ttl", format="turtle")
    assert (rdflib.DCTERMS.issued, RDF.type, OWL.DatatypeProperty) in documents
    assert (KGO.issued, RDF.type, OWL.AnnotationProperty) in documents


def test_inverses(core):
    assert (KGO.encodes, OWL.inverseOf, KGO.encodedBy) in core
    assert (KGO.participatesIn, OWL.inverseOf, KGO.hasParticipant) in core
    assert (KGO.activates, OWL.inverseOf, KGO.activatedBy) in core
    assert (KGO.inhibits, OWL.inverseOf, KGO.inhibitedBy) in core
    assert (KGO.encodes, RDFS.range, KGO.Protein) in core
    assert (KGO.associatedWithCondition, RDFS.range, KGO.Condition) in core


def test_reference_alignments_exact_iris(core):
    sub = RDFS.subPropertyOf
    assert (KGO.encodes, sub, OBO.RO_0002205) in core
    assert (KGO.encodedBy, sub, OBO.RO_0002204) in core
    assert (KGO.participatesIn, sub, OBO.RO_0000056) in core
    assert (KGO.hasParticipant, sub, OBO.RO_0000057) in core
    # regulation between material entities (RO:0011002); RO's process relations are close matches only
    assert (KGO.activates, sub, OBO.RO_0011002) in core and (KGO.activates, SKOS.closeMatch, OBO.RO_0002213) in core
    assert (KGO.activatedBy, SKOS.closeMatch, OBO.RO_0002336) in core
    assert (KGO.inhibits, sub, OBO.RO_0011002) in core and (KGO.inhibits, SKOS.closeMatch, OBO.RO_0002212) in core
    assert (KGO.inhibitedBy, SKOS.closeMatch, OBO.RO_0002335) in core
    for p in (KGO.activates, KGO.inhibits, KGO.activatedBy, KGO.inhibitedBy):
        for process_relation in (OBO.RO_0002213, OBO.RO_0002212, OBO.RO_0002336, OBO.RO_0002335):
            assert (p, sub, process_relation) not in core
    assert (KGO.encodes, SKOS.exactMatch, BIOLINK.has_gene_product) in core
    assert (KGO.participatesIn, SKOS.exactMatch, BIOLINK.participates_in) in core
    assert (KGO.associatedWithCondition, SKOS.closeMatch, BIOLINK.gene_associated_with_condition) in core
    assert (KGO.associatedWithCondition, SKOS.closeMatch, OBO.RO_0003302) in core
    assert (KGO.Gene, RDFS.subClassOf, OBO.SO_0000704) in core
    assert (KGO.Gene, RDFS.subClassOf, BIOLINK.Gene) in core
    assert (KGO.Protein, RDFS.subClassOf, BIOLINK.Protein) in core
    assert (KGO.Disease, RDFS.subClassOf, OBO.MONDO_0000001) in core
    assert (KGO.encodedBy, SKOS.exactMatch, rdflib.URIRef("http://purl.uniprot.org/core/encodedBy")) in core


def test_sparql_finds_terms_by_ro_and_biolink(core):
    rows = core.query("SELECT ?p WHERE { ?p rdfs:subPropertyOf*/skos:closeMatch? <http://purl.obolibrary.org/obo/RO_0002212> }",
                      initNs={"skos": SKOS})
    assert KGO.inhibits in {r.p for r in rows}
    rows = core.query("SELECT ?p WHERE { ?p rdfs:subPropertyOf* <http://purl.obolibrary.org/obo/RO_0011002> }")
    assert {r.p for r in rows} >= {KGO.activates, KGO.inhibits}
    rows = core.query("SELECT ?c WHERE { ?c rdfs:subClassOf* <https://w3id.org/biolink/vocab/Disease> }")
    assert {r.c for r in rows} >= {KGO.Disease}


def test_no_ro_domains_imported(core):
    for ext in core.subjects(RDF.type, OWL.ObjectProperty):
        if str(ext).startswith(str(OBO)) or str(ext).startswith(str(BIOLINK)):
            assert core.value(ext, RDFS.domain) is None and core.value(ext, RDFS.range) is None, ext


def test_written_files_parse_in_three_parsers_and_are_deterministic(written, tmp_path):
    ttl, owl = written / "ontology.ttl", written / "ontology.owl"
    g = rdflib.Graph().parse(ttl, format="turtle")
    assert len(g) == len(load_ontology_triples()) > 400
    assert len(list(pyoxigraph.parse(path=str(ttl), format=pyoxigraph.RdfFormat.TURTLE))) == len(g)
    assert len(rdflib.Graph().parse(owl, format="xml")) == len(g)
    if shutil.which("rapper") is None:
        pytest.fail("rapper (raptor2-utils) is needed: make test-deps installs it")
    for path, syntax in ((ttl, "turtle"), (owl, "rdfxml")):
        proc = subprocess.run(["rapper", "-i", syntax, "-c", str(path)], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        assert f"returned {len(g)} triples" in proc.stderr
    write_ontology(tmp_path)
    assert (tmp_path / "ontology.ttl").read_bytes() == ttl.read_bytes()
    assert (tmp_path / "ontology.owl").read_bytes() == owl.read_bytes()


def test_quads_go_into_the_given_graph():
    g = pyoxigraph.NamedNode("https://example.org/kg/graph/ontology")
    quads = load_ontology_quads(g)
    assert quads and all(q.graph_name == g for q in quads)


def test_owlready2_loads_rdfxml(written):
    import owlready2

    world = owlready2.World()
    onto = world.get_ontology((written / "ontology.owl").as_uri()).load()
    gene = world["https://w3id.org/kgpub/ontology/Gene"]
    assert gene is not None and str(gene.label.first()) == "gene"
    assert world["https://w3id.org/kgpub/ontology/inhibits"].inverse_property is world["https://w3id.org/kgpub/ontology/inhibitedBy"]
    assert onto.base_iri.startswith("https://w3id.org/kgpub/ontology")


def test_hermit_consistent_no_unsatisfiable_classes():
    result = check_consistency()
    assert result.consistent, result.message
    assert result.unsatisfiable == []
