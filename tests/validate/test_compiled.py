"""The compiled SHACL engine (SPARQL over pyoxigraph) gives pyshacl's results, and falls back outside its subset."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Triple, parse

from kgpub.errors import UnsupportedShape
from kgpub.validate.compiled import compile_shapes
from kgpub.validate.compiled_store import CappedReport, validate_ntriples_files
from kgpub.validate.shacl import validate
from kgpub.validate.stream import load_primekg_shapes
from synthetic import synthetic_quads

KGO = "https://w3id.org/kgpub/ontology/"
PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix kgo: <https://w3id.org/kgpub/ontology/> .
@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


def skolem(term):
    """Blank nodes as IRIs: pyshacl (through rdflib) renames blank nodes, so compare on named nodes."""
    return NamedNode(f"urn:bnode:{term.value}") if isinstance(term, BlankNode) else term


def triples_of(items) -> list[Triple]:
    return [Triple(skolem(q.subject), q.predicate, skolem(q.object)) for q in items]


def keys(report) -> set[tuple]:
    return {(r.focus_node, r.path, r.value, r.component, r.shape, r.severity) for r in report.results}


def assert_same(data, **kwargs) -> set[tuple]:
    compiled = validate(data, engine="compiled", **kwargs)
    reference = validate(data, engine="pyshacl", **kwargs)
    assert keys(compiled) == keys(reference)
    assert compiled.conforms == reference.conforms
    return keys(compiled)


def components(found: set[tuple]) -> set[str]:
    return {k[3].rsplit("#", 1)[-1] for k in found}


# -- the example garden ---------------------------------------------------------------

@pytest.fixture(scope="module")
def example_quads(example_garden, tmp_path_factory) -> list:
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run([sys.executable, "-c", "from kgpub.cli import run; run()", "build", str(example_garden),
                           "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return [q for q in parse(path=str(out / "kg.nq"), format=RdfFormat.N_QUADS)
            if not q.graph_name.value.endswith("/graph/ontology")]


def test_example_garden_equals_pyshacl(example_quads):
    found = assert_same(triples_of(example_quads))
    assert len(found) == 6 and {k[5] for k in found} == {"Warning"}  # the six unresolved links
    assert components(found) == {"NotConstraintComponent"}


def test_example_garden_keeps_note_file_and_line(example_quads):
    report = validate(example_quads, engine="compiled")
    assert not report.has_violations
    where = sorted((r.source_path, r.source_line) for r in report.warnings)
    assert where[0][0] == "gene/akt1.md" and all(line for _p, line in where)


# -- synthetic garden data with a violation of every kind ---------------------------------

BAD_GARDEN = PREFIXES + """
@prefix e: <https://example.org/kg/garden/u/> .
@prefix n: <https://example.org/kg/note/garden/u/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
e:gene\\/n0 rdfs:label "second label" .                                  # maxCount
e:protein\\/n1 kgo:encodes e:protein\\/n5 .                              # sh:class on the subject (domain)
e:gene\\/n4 skos:exactMatch <https://www.ncbi.nlm.nih.gov/gene/ABC> ,     # pattern
    "NCBIGene:207" .                                                     # nodeKind IRI + pattern on a literal
e:gene\\/x a kgo:Gene ; prov:wasDerivedFrom e:gene\\/n0 , "note" ;       # class on IRI and literal
    rdfs:label <https://example.org/not-a-literal> .                     # nodeKind Literal
e:gene\\/y a kgo:Gene ; prov:wasDerivedFrom n:gene\\/n0 .                 # minCount label
n:gene\\/n0 kgo:sourcePath "gene/n0.md"@en .                             # datatype: a language string is not xsd:string
n:gene\\/n8 kgo:permalink "a" , "b" .                                    # maxCount on a note
<https://example.org/kg/publication/x> a kgo:Publication ; rdfs:label "P" ; kgo:title "P" ;
    kgo:year "19x4"^^xsd:integer , "2001"^^xsd:integer ;                 # ill-typed integer, maxCount
    kgo:hasAuthorship [ a kgo:Authorship ; kgo:authorRank "0"^^xsd:positiveInteger ; kgo:authorName "A" ] ,
                      [ a kgo:Authorship ; kgo:authorRank "01"^^xsd:integer ; kgo:authorName "B" ] ,
                      [ kgo:authorRank "2"^^xsd:positiveInteger ] .       # not an Authorship
_:ax a owl:Axiom ; owl:annotatedSource e:gene\\/n0 ; owl:annotatedProperty kgo:encodes ;
    owl:annotatedTarget e:protein\\/n1 ; prov:wasDerivedFrom n:gene\\/n0 ;
    kgo:sourceLine "7" .                                                  # datatype: a string, not a positive integer
"""


@pytest.fixture(scope="module")
def bad_garden() -> list[Triple]:
    extra = parse(BAD_GARDEN.encode(), format=RdfFormat.TURTLE)
    return triples_of([*synthetic_quads(120, bad_every=9), *extra])


def test_synthetic_garden_with_violations_equals_pyshacl(bad_garden):
    found = assert_same(bad_garden)
    assert {"ClassConstraintComponent", "MinCountConstraintComponent", "MaxCountConstraintComponent",
            "NodeKindConstraintComponent", "PatternConstraintComponent", "DatatypeConstraintComponent",
            "NotConstraintComponent"} <= components(found)
    values = {k[2] for k in found}
    assert '"19x4"^^<http://www.w3.org/2001/XMLSchema#integer>' in values  # kept verbatim, not canonicalised
    assert '"01"^^<http://www.w3.org/2001/XMLSchema#integer>' in values  # the value node as written, not rdflib's "1"
    assert '"0"^^<http://www.w3.org/2001/XMLSchema#positiveInteger>' in values


def test_clean_synthetic_garden_has_only_the_planted_results():
    data = triples_of(synthetic_quads(200, bad_every=0))
    report = validate(data, engine="compiled")
    assert not report.has_violations and report.violations == []
    assert len(report.warnings) == len(range(0, 200, 7))


# -- a shapes graph exercising the rest of the subset ----------------------------------------

CUSTOM_SHAPES = PREFIXES + """
ex:S1 a sh:NodeShape ; sh:targetNode ex:a , ex:missing ; sh:targetObjectsOf ex:likes ; sh:severity sh:Info ;
    sh:property [ sh:path ex:colour ; sh:in ( "red" "green" ex:blue ) ] ,
                [ sh:path ex:tag ; sh:hasValue "x" ] ,
                [ sh:path [ sh:inversePath ex:likes ] ; sh:minCount 2 ; sh:maxCount 2 ] ,
                [ sh:path ex:size ; sh:minInclusive 1 ; sh:maxExclusive 10 ] ,
                [ sh:path ex:name ; sh:pattern "^ab" ; sh:flags "i" ] ,
                [ sh:path ex:name ; sh:minLength 99 ; sh:deactivated true ] .
ex:S2 a sh:NodeShape ; sh:targetSubjectsOf ex:likes ; sh:nodeKind sh:IRI ; sh:hasValue ex:a ;
    sh:message "only ex:a likes"@en , "seul ex:a aime"@fr .
ex:S3 a sh:PropertyShape ; sh:targetClass ex:C ; sh:path ex:size ; sh:datatype xsd:decimal ; sh:maxCount 1 .
ex:Off a sh:NodeShape ; sh:targetClass ex:C ; sh:deactivated true ; sh:or ( [ sh:class ex:C ] ) .
"""

CUSTOM_DATA = PREFIXES + """
ex:a ex:colour "red" , "blue" , ex:blue ; ex:tag "y" ; ex:size 0 , 5 , "7" , 11 ; ex:name "ABc" , "xab" , ex:ab .
ex:b ex:likes ex:a , ex:c ; ex:colour "green" .
ex:c ex:likes ex:a ; ex:tag "x" ; a ex:C .
ex:D rdfs:subClassOf ex:C .
ex:d a ex:D ; ex:size 1.5 , "2.5"^^xsd:decimal , "x"^^xsd:decimal .
"""


def test_custom_shapes_cover_the_subset_and_equal_pyshacl():
    shapes = rdflib.Graph().parse(data=CUSTOM_SHAPES, format="turtle")
    data = list(parse(CUSTOM_DATA.encode(), format=RdfFormat.TURTLE))
    ontology = [t for t in data if t.predicate.value.endswith("subClassOf")]
    found = assert_same(data, shapes=shapes, ontology=ontology)
    assert {"InConstraintComponent", "HasValueConstraintComponent", "MinCountConstraintComponent",
            "MaxInclusiveConstraintComponent", "MinInclusiveConstraintComponent", "MaxExclusiveConstraintComponent",
            "PatternConstraintComponent", "DatatypeConstraintComponent", "MaxCountConstraintComponent"} \
        - components(found) <= {"MaxInclusiveConstraintComponent"}
    assert any(k[0] == "<https://example.org/missing>" and k[1].startswith("^<") and k[4].startswith("_:")
               and k[3] == "http://www.w3.org/ns/shacl#MinCountConstraintComponent"
               for k in found)  # a target node absent from the data; an inverse sh:resultPath; a blank source shape;
    # the node shape's sh:Info applies to its own constraints, not to its property shapes
    assert ("<https://example.org/b>", None, "<https://example.org/b>", "http://www.w3.org/ns/shacl#HasValueConstraintComponent",
            "<https://example.org/S2>", "Violation") not in found  # node-level sh:hasValue reports no value
    assert any(k[4] == "<https://example.org/S2>" and k[0] == "<https://example.org/b>" for k in found)
    assert any(k[0] == "<https://example.org/d>" and k[3].endswith("MaxCountConstraintComponent") for k in found)


def test_unsupported_construct_falls_back_to_pyshacl():
    shapes = rdflib.Graph().parse(data=PREFIXES + """
ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:likes ; sh:or ( [ sh:class ex:C ] [ sh:nodeKind sh:BlankNode ] ) .
""", format="turtle")
    [reason] = compile_shapes(shapes).unsupported.values()
    assert "sh:or" in reason
    data = list(parse(CUSTOM_DATA.encode(), format=RdfFormat.TURTLE))
    with pytest.raises(UnsupportedShape):
        validate(data, shapes=shapes, engine="compiled")
    auto = validate(data, shapes=shapes)
    assert list(auto.fallbacks) == ["<https://example.org/S>"]  # the fallback is reported, per shape
    assert keys(auto) == keys(validate(data, shapes=shapes, engine="pyshacl"))
    assert {k[0] for k in keys(auto)} == {"<https://example.org/b>"}
    assert {k[3] for k in keys(auto)} == {"http://www.w3.org/ns/shacl#OrConstraintComponent"}


# -- PrimeKG: bulk N-Triples files through an on-disk store --------------------------------------

GENE = "<https://www.ncbi.nlm.nih.gov/gene/207>"
DRUG = "<https://go.drugbank.com/drugs/DB00435>"
BROKEN = "\n".join([
    f'{DRUG} <http://www.w3.org/2000/01/rdf-schema#label> "second label" .',
    f"{DRUG} <{KGO}hasTarget> <http://purl.obolibrary.org/obo/MONDO_0001117> .",
    f"{GENE} <{KGO}hasTarget> <https://www.ncbi.nlm.nih.gov/gene/5728> .",
    f"<https://go.drugbank.com/drugs/DB99999> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{KGO}Drug> .",
    '<https://go.drugbank.com/drugs/DB99999> <http://purl.org/dc/terms/identifier> "drugbank:XX1" .',
    f'{GENE} <{KGO}expressedIn> "liver" .',
    f"_:g <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{KGO}DiseaseGroup> .",
    '_:g <http://www.w3.org/2000/01/rdf-schema#label> "g"@en .',
    f'_:g <{KGO}hasMember> "1"^^<http://www.w3.org/2001/XMLSchema#int> .',
]) + "\n"


@pytest.fixture(scope="module")
def primekg_files(tmp_path_factory) -> list[Path]:
    from kgpub.importers.primekg import ImportOptions, import_primekg
    from kgpub.importers.primekg.synth import generate

    folder = tmp_path_factory.mktemp("primekg")
    made = generate(folder / "kg.csv", 1500, seed=5)
    result = import_primekg(made.path, folder / "dist", ImportOptions(shards=2))
    broken = folder / "part-broken.nt"
    broken.write_text(BROKEN, encoding="utf-8")
    return [*sorted(result.folder.glob("part-*.nt.gz")), broken]


def _read(files: list[Path]) -> list[Triple]:
    out = []
    for f in files:
        data = gzip.decompress(f.read_bytes()) if f.suffix == ".gz" else f.read_bytes()
        out += list(parse(data, format=RdfFormat.N_TRIPLES))
    return out


def test_primekg_files_equal_pyshacl(primekg_files, tmp_path):
    shapes = load_primekg_shapes()
    reference = validate(triples_of(_read(primekg_files)), shapes=shapes, engine="pyshacl")
    report = validate_ntriples_files(primekg_files, shapes=shapes, workdir=tmp_path)
    def blank_as_one(found):  # the bulk loader relabels blank nodes; the sample has one
        return {("BLANK" if k[0].startswith(("_:", "<urn:bnode:")) else k[0], *k[1:]) for k in found}

    assert blank_as_one(keys(report)) == blank_as_one(keys(reference))
    assert not report.conforms and len(report.violations) >= 9
    assert list(tmp_path.iterdir()) == []  # the temporary store is deleted


def test_primekg_sample_through_validate_equals_pyshacl(primekg_files):
    assert_same(triples_of(_read(primekg_files[:-1])), shapes=load_primekg_shapes())


def test_results_are_capped_per_shape_and_component_but_counted(tmp_path):
    lines = [f"<https://example.org/g{i}> <{KGO}interactsWith> <https://example.org/h{i}> ." for i in range(30)]
    path = tmp_path / "part-00000.nt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = validate_ntriples_files([path], cap=4, workdir=tmp_path)
    assert isinstance(report, CappedReport)
    assert report.counts()["Violation"] == 60  # per edge: the subject and the object are not genes
    assert len(report.results) == 8 and report.omitted == 52
    assert "52 more result(s) not listed: at most 4 are kept" in report.summary()
