"""Streaming SHACL over the import's shards gives pyshacl's whole-graph result."""

from __future__ import annotations

import gzip
import shutil

import pytest
from pyoxigraph import RdfFormat, parse

from kgpub.validate.shacl import validate
from kgpub.validate.stream import StreamOptions, data_files, load_primekg_shapes, validate_stream

KGO = "https://w3id.org/kgpub/ontology/"
DRUG = "<https://go.drugbank.com/drugs/DB00435>"
GENE = "<https://www.ncbi.nlm.nih.gov/gene/207>"
BROKEN = "\n".join(
    [
        f'{DRUG} <http://www.w3.org/2000/01/rdf-schema#label> "second label" .',  # maxCount
        f"{DRUG} <{KGO}hasTarget> <http://purl.obolibrary.org/obo/MONDO_0001117> .",  # range class
        f"{GENE} <{KGO}hasTarget> <https://www.ncbi.nlm.nih.gov/gene/5728> .",  # subject class
        f"<https://go.drugbank.com/drugs/DB99999> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{KGO}Drug> .",
        '<https://go.drugbank.com/drugs/DB99999> <http://purl.org/dc/terms/identifier> "drugbank:XX1" .',  # pattern, no label
        f'{GENE} <{KGO}expressedIn> "liver" .',  # literal where an IRI of class Anatomy is needed
        f"<https://example.org/kg/primekg/group/mondo/1_2> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{KGO}DiseaseGroup> .",
        '<https://example.org/kg/primekg/group/mondo/1_2> <http://www.w3.org/2000/01/rdf-schema#label> "g"@en .',  # datatype
    ]
) + "\n"


@pytest.fixture()
def broken(handmade, tmp_path):
    _, result = handmade
    folder = tmp_path / "primekg"
    shutil.copytree(result.folder, folder)
    (folder / "part-00099.nt.gz").write_bytes(gzip.compress(BROKEN.encode()))
    return folder


def _whole(folder):
    triples = []
    for part in data_files(folder):
        triples += list(parse(gzip.decompress(part.read_bytes()), format=RdfFormat.N_TRIPLES))
    return validate(triples, shapes=load_primekg_shapes())


def test_clean_import_conforms(synth):
    _, result = synth
    report = validate_stream(result.folder, options=StreamOptions(triples_per_partition=1000))
    assert report.conforms and report.results == []


@pytest.mark.parametrize("engine", ["polars", "pyshacl"])
def test_partitions_equal_whole_pyshacl(broken, engine):
    whole = _whole(broken)
    streamed = validate_stream(broken, options=StreamOptions(triples_per_partition=10), engine=engine)
    assert not whole.conforms
    assert {r.key() for r in streamed.results} == {r.key() for r in whole.results}
    components = {r.component.rsplit("#", 1)[1] for r in whole.results}
    assert {"MaxCountConstraintComponent", "ClassConstraintComponent", "PatternConstraintComponent",
            "MinCountConstraintComponent", "NodeKindConstraintComponent", "DatatypeConstraintComponent"} <= components
    focus = {(r.focus_node, r.component.rsplit("#", 1)[1]) for r in whole.results}
    assert (GENE, "ClassConstraintComponent") in focus
    assert ("<https://go.drugbank.com/drugs/DB99999>", "PatternConstraintComponent") in focus
