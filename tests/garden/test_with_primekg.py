"""``kgpub build GARDEN --with DIST/primekg --out DIST``: the import's graphs are listed, not loaded.

Garden and PrimeKG meet in one resource: the garden's AKT1 is ``skos:exactMatch`` NCBI gene 207,
and that IRI is a node of the imported shards.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pyoxigraph
import pytest

from kgpub.build import build_garden
from kgpub.errors import ConfigError
from kgpub.importers.primekg import ImportOptions, import_primekg
from kgpub.importers.primekg.synth import generate
from kgpub.importers.primekg.sink import shards_digest
from kgpub.publish.manifest import Manifest

B = "https://example.org/kg/"
AKT1 = "https://example.org/kg/garden/dev_admin/gene/akt1"
GENE_207 = "https://www.ncbi.nlm.nih.gov/gene/207"
KGO = "https://w3id.org/kgpub/ontology/"
# rows about NCBI gene 207 appended to the generated file (the generator draws its ids at random)
AKT1_ROWS = [
    "drug_protein,target,900001,DB00435,drug,Nitric Oxide,DrugBank,900000,207,gene/protein,AKT1,NCBI",
    "pathway_protein,interacts with,900002,R-HSA-109704,pathway,PI3K Cascade,REACTOME,900000,207,gene/protein,AKT1,NCBI",
    "protein_protein,ppi,900000,207,gene/protein,AKT1,NCBI,900003,5728,gene/protein,PTEN,NCBI",
]


@pytest.fixture(scope="module")
def merged(tmp_path_factory, example_garden: Path):
    folder = tmp_path_factory.mktemp("with-primekg")
    csv = folder / "kg.csv"
    generate(csv, 600, seed=5)
    with csv.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(AKT1_ROWS) + "\n")
    dist = folder / "dist"
    imported = import_primekg(csv, dist, ImportOptions(shards=2))
    result = build_garden(example_garden, dist, extra_dists=[dist / "primekg"])
    return dist, imported, result


def _shard_lines(dist: Path, files: list[str]) -> list[str]:
    lines: list[str] = []
    for name in files:
        lines += [x for x in gzip.decompress((dist / name).read_bytes()).decode("utf-8").split("\n") if x]
    return lines


def test_manifest_lists_the_import(merged):
    dist, imported, result = merged
    manifest = Manifest.read(dist)
    entry = manifest.graph(B + "graph/primekg")
    assert entry is not None and entry.role == "primekg"
    assert entry.format == "application/n-triples"
    assert entry.files == [f"primekg/{name}" for name in imported.summary.files]
    assert all((dist / name).is_file() for name in entry.files)
    lines = _shard_lines(dist, entry.files)
    assert entry.triples == imported.summary.triples == len(set(lines)) == len(lines)
    assert entry.digest == shards_digest(hashlib.sha256((dist / name).read_bytes()).hexdigest() for name in entry.files)
    meta = manifest.graph(B + "graph/primekg/metadata")
    assert meta is not None and meta.files == ["primekg/void.ttl"] and (dist / "primekg/void.ttl").is_file()
    # the garden's own graphs are still there, in kg.nq
    assert manifest.graph(B + "graph/metadata").files == ["kg.nq"]
    assert any(f"{B}graph/primekg ({entry.triples} triples" in line for line in result.summary().splitlines())


def test_primekg_not_loaded_into_garden_files(merged):
    dist, _, result = merged
    nq = (dist / "kg.nq").read_text(encoding="utf-8")
    assert "graph/primekg" not in nq
    assert "Nitric Oxide" not in nq
    # the garden shapes did not see PrimeKG nodes (which have no prov:wasDerivedFrom a note)
    assert result.exit_code == 0, result.summary()
    assert GENE_207 not in (dist / "validation.ttl").read_text(encoding="utf-8")


def test_garden_and_primekg_meet_in_one_resource(merged):
    dist, _, _ = merged
    manifest = Manifest.read(dist)
    store = pyoxigraph.Store()
    with (dist / "kg.nq").open("rb") as handle:
        store.load(handle, format=pyoxigraph.RdfFormat.N_QUADS)
    entry = manifest.graph(B + "graph/primekg")
    for name in entry.files:
        store.load(gzip.decompress((dist / name).read_bytes()), format=pyoxigraph.RdfFormat.N_TRIPLES,
                   to_graph=pyoxigraph.NamedNode(entry.iri))
    rows = list(store.query(
        f"""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?p ?other WHERE {{
          <{AKT1}> skos:exactMatch ?gene .
          GRAPH <{entry.iri}> {{ {{ ?gene ?p ?other }} UNION {{ ?other ?p ?gene }} }}
          FILTER(isIRI(?other))
        }}""",
        use_default_graph_as_union=True,
    ))
    found = {(r["p"].value, r["other"].value) for r in rows}
    assert (KGO + "hasTarget", "https://go.drugbank.com/drugs/DB00435") in found
    assert (KGO + "participatesInPathway", "https://reactome.org/content/detail/R-HSA-109704") in found
    assert (KGO + "interactsWith", "https://www.ncbi.nlm.nih.gov/gene/5728") in found


def test_foreign_base_iri_is_refused(merged, example_garden: Path, tmp_path: Path):
    dist, _, _ = merged
    with pytest.raises(ConfigError, match="base IRI"):
        build_garden(example_garden, tmp_path / "out", base_iri="https://other.example/kg/", extra_dists=[dist / "primekg"])
    assert not (tmp_path / "out" / "kg.nq").exists()


def test_cli_with(merged, tmp_path: Path, example_garden: Path):
    from typer.testing import CliRunner

    from kgpub.cli import app

    dist, _, _ = merged
    out = tmp_path / "dist"
    out.mkdir()
    import shutil

    shutil.copytree(dist / "primekg", out / "primekg")
    run = CliRunner().invoke(app, ["build", str(example_garden), "--with", str(out / "primekg"), "--out", str(out)])
    assert run.exit_code == 0, run.output
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    graphs = {g["iri"]: g for g in data["graphs"]}
    assert graphs[B + "graph/primekg"]["files"][0].startswith("primekg/part-")


def test_embedded_store_loads_the_merged_build_and_joins_garden_and_primekg(merged, tmp_path: Path):
    """``kgpub serve``'s loader reads every manifest entry: kg.nq, the gzip shards and the import's void.ttl."""
    from kgpub.publish.store import load_build

    dist, imported, _ = merged
    load_build(dist, tmp_path / "store")
    store = pyoxigraph.Store(str(tmp_path / "store"))
    graphs = {g.value for g in store.named_graphs()}
    assert {"https://example.org/kg/graph/primekg", "https://example.org/kg/graph/primekg/metadata"} <= graphs
    rows = list(store.query(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT DISTINCT ?p ?o WHERE { "
        "<https://example.org/kg/garden/dev_admin/gene/akt1> skos:exactMatch ?id . ?id ?p ?o . "
        "FILTER(isIRI(?o) && ?p != <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>) }",
        use_default_graph_as_union=True))
    assert rows, "garden AKT1 reaches no PrimeKG edge in the served store"
