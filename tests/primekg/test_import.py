"""The PrimeKG import: exact triples, dedup counts, bad rows, output files, tools that read them."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
import sys

import pytest

from kgpub.importers.primekg import ImportOptions, import_primekg, merge_into
from kgpub.importers.primekg.read import HeaderError
from kgpub.importers.primekg.reasons import BAD_REASONS, DropReason
from kgpub.importers.primekg.sink import shards_digest
from kgpub.publish.manifest import Manifest

from .conftest import HEADER, import_rows, read_shards

KGO = "https://w3id.org/kgpub/ontology/"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
GENE = "<https://www.ncbi.nlm.nih.gov/gene/207>"
PTEN = "<https://www.ncbi.nlm.nih.gov/gene/5728>"
DRUG = "<https://go.drugbank.com/drugs/DB00435>"
GROUP = "<https://example.org/kg/primekg/group/mondo/13924_12592>"


def test_exact_triples_of_handmade_rows(handmade):
    _, result = handmade
    lines = read_shards(result.folder)
    assert f"{GENE} {RDF_TYPE} <{KGO}Gene> ." in lines
    assert f'{GENE} {LABEL} "AKT1" .' in lines
    assert f'{GENE} <http://purl.org/dc/terms/identifier> "ncbigene:207" .' in lines
    # symmetric: one triple, subject is the smaller IRI
    assert f"{GENE} <{KGO}interactsWith> {PTEN} ." in lines
    assert f"{PTEN} <{KGO}interactsWith> {GENE} ." not in lines
    # typed: the drug is the subject whatever the row order
    assert f"{DRUG} <{KGO}hasTarget> {GENE} ." in lines
    assert f"{GENE} <{KGO}hasTarget> {DRUG} ." not in lines
    # MONDO padded, grouped MONDO -> a group with members
    mondo = "<http://purl.obolibrary.org/obo/MONDO_0001117>"
    assert f"{mondo} <{KGO}hasPhenotype> <http://purl.obolibrary.org/obo/HP_0000855> ." in lines
    assert f"{GROUP} {RDF_TYPE} <{KGO}DiseaseGroup> ." in lines
    assert f"{GROUP} <{KGO}hasMember> <http://purl.obolibrary.org/obo/MONDO_0013924> ." in lines
    assert f"{GROUP} <{KGO}hasMember> <http://purl.obolibrary.org/obo/MONDO_0012592> ." in lines
    assert f"<http://purl.obolibrary.org/obo/MONDO_0012592> {RDF_TYPE} <{KGO}Disease> ." in lines
    assert f'{GROUP} {LABEL} "osteogenesis imperfecta, \\"grouped\\"" .' in lines
    assert f"{GENE} <{KGO}geneAssociatedWithDisease> {GROUP} ." in lines
    assert f"<http://id.nlm.nih.gov/mesh/D000082> <{KGO}exposureLinkedToDisease> {mondo} ." in lines
    assert f"{GENE} <{KGO}participatesInPathway> <https://reactome.org/content/detail/R-HSA-109704> ." in lines
    assert f"{GENE} <{KGO}involvedInProcess> <http://purl.obolibrary.org/obo/GO_0008286> ." in lines
    # exactly one label per node
    labels = [line for line in lines if line.startswith(GENE + " " + LABEL)]
    assert labels == [f'{GENE} {LABEL} "AKT1" .']


def test_handmade_counts_and_diagnostics(handmade):
    path, result = handmade
    dropped = result.summary.dropped_counts()
    assert dropped[DropReason.MIRRORED] == 2
    assert dropped[DropReason.EXACT_DUPLICATE] == 1
    assert dropped[DropReason.UNKNOWN_SOURCE] == 1
    assert dropped[DropReason.MALFORMED_ID] == 1
    assert result.summary.edges == 7
    messages = [str(d) for d in result.log]
    assert any(m.startswith(f"{path}:12: error: unknown node source") for m in messages)
    assert any(m.startswith(f"{path}:13: error: id does not match") and "P31749" in m for m in messages)


def test_nodes_only_in_dropped_rows_get_no_triples(tmp_path, mapping):
    rows = [
        "protein_protein,ppi,0,207,gene/protein,AKT1,NCBI,1,5728,gene/protein,PTEN,NCBI",
        # gene 9999 is named only beside a malformed id, gene 4444 only by a row of an unknown source
        "protein_protein,ppi,2,9999,gene/protein,LONELY,NCBI,3,P31749,gene/protein,BAD,NCBI",
        "protein_protein,ppi,4,4444,gene/protein,ALONE,NCBI,0,207,gene/protein,AKT1,ENSEMBL",
    ]
    _, result = import_rows(tmp_path, rows, mapping, shards=2)
    lines = read_shards(result.folder)
    assert f"{GENE} <{KGO}interactsWith> {PTEN} ." in lines
    assert f'{PTEN} {LABEL} "PTEN" .' in lines
    assert not [line for line in lines if "/gene/9999>" in line or "/gene/4444>" in line]
    assert not [line for line in lines if '"LONELY"' in line or '"ALONE"' in line]
    assert len(lines) == 7  # 2 nodes x (type, label, identifier) + 1 edge
    assert result.summary.nodes == 2


def test_generated_file_counts(synth):
    made, result = synth
    s = result.summary
    assert s.rows == made.rows
    assert s.edges == made.distinct_edges
    dropped = s.dropped_counts()
    assert dropped[DropReason.MIRRORED] == made.mirrored_rows
    assert dropped[DropReason.EXACT_DUPLICATE] == made.exact_duplicates == 7
    for reason in BAD_REASONS:
        assert dropped.get(reason, 0) == 2, reason
        assert sorted(s.dropped[reason].first_lines) == sorted(made.bad_lines[reason]), reason
    assert result.has_bad_rows


def test_summary_void_and_manifest(synth):
    made, result = synth
    summary = json.loads((result.folder / "summary.json").read_text())
    assert summary["edges"] == made.distinct_edges
    assert summary["dropped"]["mirrored"]["rows"] == made.mirrored_rows
    assert summary["dropped"]["invalid_utf8"]["first_lines"] == sorted(made.bad_lines[DropReason.INVALID_UTF8])
    assert sum(e["edges"] for e in summary["edges_per_relation"]) == made.distinct_edges
    manifest = Manifest.read(result.folder)
    entry = manifest.graph("https://example.org/kg/graph/primekg")
    assert entry.files == ["part-00000.nt.gz", "part-00001.nt.gz", "part-00002.nt.gz"]
    lines = read_shards(result.folder)
    assert entry.triples == len(lines) == summary["triples"]
    parts = sorted(result.folder.glob("part-*.nt.gz"))
    assert entry.digest == shards_digest(hashlib.sha256(p.read_bytes()).hexdigest() for p in parts)
    void = (result.folder / "void.ttl").read_text()
    assert "prov:wasDerivedFrom <https://doi.org/10.7910/DVN/IXA7BM>" in void
    assert '"mirrored"' in void


def test_rapper_and_oxigraph_accept_the_shards(synth, tmp_path):
    _, result = synth
    if shutil.which("rapper") is None or shutil.which("oxigraph") is None:
        pytest.fail("rapper (raptor2-utils) and oxigraph are needed")
    total = 0
    for part in sorted(result.folder.glob("part-*.nt.gz")):
        plain = tmp_path / part.name.removesuffix(".gz")
        plain.write_bytes(gzip.decompress(part.read_bytes()))
        out = subprocess.run(["rapper", "-i", "ntriples", "-c", str(plain)], capture_output=True, text=True, check=True)
        total += int(out.stderr.split("returned")[1].split()[0])
    assert total == result.summary.triples
    store = tmp_path / "store"
    files = [str(p) for p in sorted(result.folder.glob("part-*.nt.gz"))]
    subprocess.run(["oxigraph", "load", "--location", str(store), "--file", *files], check=True, capture_output=True)
    out = subprocess.run(
        ["oxigraph", "query", "--location", str(store), "--query", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
         "--results-format", "tsv"],
        check=True, capture_output=True, text=True,
    )
    assert int(out.stdout.split()[1].split("^^")[0].strip('"')) == result.summary.triples


def test_turtle_variant(handmade, tmp_path):
    path, _ = handmade
    result = import_primekg(path, tmp_path, ImportOptions(shards=1, fmt="ttl"))
    part = result.folder / "part-00000.ttl"
    out = subprocess.run(["rapper", "-i", "turtle", "-c", str(part)], capture_output=True, text=True, check=True)
    assert f"returned {result.summary.triples} triples" in out.stderr


def test_plain_ntriples_variant(handmade, tmp_path):
    _, gz = handmade
    result = import_primekg(gz.summary.source, tmp_path, ImportOptions(shards=2, fmt="nt"))
    parts = sorted(result.folder.glob("part-*.nt"))
    assert [p.name for p in parts] == ["part-00000.nt", "part-00001.nt"]
    lines = {x for p in parts for x in p.read_text(encoding="utf-8").split("\n") if x}
    assert lines == read_shards(gz.folder)
    entry = result.manifest.graph("https://example.org/kg/graph/primekg")
    assert entry.format == "application/n-triples" and entry.files == [p.name for p in parts]
    assert entry.digest == shards_digest(hashlib.sha256(p.read_bytes()).hexdigest() for p in parts)


def test_wrong_header_is_refused(tmp_path):
    bad = tmp_path / "kg.csv"
    bad.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(HeaderError, match=r"kg.csv:1: not a PrimeKG kg.csv"):
        import_primekg(bad, tmp_path / "out")
    assert not (tmp_path / "out" / "primekg").exists()


def test_cli_exit_codes(handmade, tmp_path):
    path, _ = handmade
    cli = [sys.executable, "-c", "from kgpub.cli import run; run()"]
    out = subprocess.run([*cli, "import", "primekg", str(path), "--out", str(tmp_path), "-q"], capture_output=True, text=True)
    assert out.returncode == 1, out.stderr  # bad rows: data problem, output still written
    assert f"{path}:12: error: unknown node source" in out.stderr
    assert (tmp_path / "primekg" / "manifest.json").exists()
    good = tmp_path / "good.csv"
    good.write_text(HEADER + path.read_text().splitlines()[1] + "\n")
    out = subprocess.run([*cli, "import", "primekg", str(good), "--out", str(tmp_path / "g"), "-q"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("x,y\n")
    out = subprocess.run([*cli, "import", "primekg", str(wrong), "--out", str(tmp_path / "w"), "-q"], capture_output=True, text=True)
    assert out.returncode == 2 and "not a PrimeKG kg.csv" in out.stderr


def test_merge_into_build_manifest(synth, tmp_path):
    _, result = synth
    build = Manifest(base_iri="https://example.org/kg/", kgpub_version="0")
    merged = merge_into(build, result.folder, result.folder.parent)
    entry = merged.graph("https://example.org/kg/graph/primekg")
    assert entry.files[0] == "primekg/part-00000.nt.gz"
    assert merged.graph("https://example.org/kg/graph/primekg/metadata").files == ["primekg/void.ttl"]
