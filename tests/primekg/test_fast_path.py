"""The two readers of kg.csv give the same import; the fast one hands over whenever it cannot vouch for a line."""

from __future__ import annotations

import gzip

import polars as pl
import pytest

from kgpub.importers.primekg import ImportOptions, import_primekg, pipeline
from kgpub.importers.primekg.reasons import DropReason
from kgpub.importers.primekg.read import read_batches
from kgpub.importers.primekg.scan import raw_line_count
from kgpub.importers.primekg.synth import generate

from .conftest import HEADER, import_rows

KGO = "https://w3id.org/kgpub/ontology/"
GENE = "<https://www.ncbi.nlm.nih.gov/gene/207>"
PTEN = "<https://www.ncbi.nlm.nih.gov/gene/5728>"


def _shard_bytes(folder) -> list[bytes]:
    return [gzip.decompress(p.read_bytes()) for p in sorted(folder.glob("part-*.nt.gz"))]


def _no_line_reader(*args, **kwargs):
    raise AssertionError("the line-checking reader was used on a clean file")


@pytest.fixture(scope="module")
def clean(tmp_path_factory, mapping):
    folder = tmp_path_factory.mktemp("clean")
    made = generate(folder / "kg.csv", 4000, seed=5, bad_per_reason=0, exact_duplicates=5, mapping=mapping)
    return made


def test_clean_file_same_output_from_both_readers(clean, tmp_path, mapping, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(pipeline, "read_batches", _no_line_reader)
        fast = import_primekg(clean.path, tmp_path / "fast", ImportOptions(shards=3), mapping=mapping)
    slow = import_primekg(clean.path, tmp_path / "slow", ImportOptions(shards=3, fast=False, batch_bytes=50_000), mapping=mapping)
    assert _shard_bytes(fast.folder) == _shard_bytes(slow.folder)  # same lines, same order
    assert fast.summary.reader == "polars streaming reader"
    assert slow.summary.reader == "line-checking reader (fast reader not used)"
    assert fast.summary.to_json() | {"source": "", "reader": ""} == slow.summary.to_json() | {"source": "", "reader": ""}
    assert fast.summary.edges == clean.distinct_edges
    assert fast.summary.dropped_counts() == {DropReason.MIRRORED: clean.mirrored_rows, DropReason.EXACT_DUPLICATE: 5}
    assert not fast.has_bad_rows


def _reindexed(made, path, how: str):
    """``made``'s file with its node index columns rewritten ``how``."""
    rows = pl.read_csv(made.path, infer_schema=False)
    if how == "one index, two nodes":  # the y nodes of the last rows take x's index
        rows = rows.with_columns(pl.when(pl.int_range(pl.len()) >= pl.len() - 3).then("x_index").otherwise("y_index").alias("y_index"))
    elif how == "one node, many indexes":  # every row names its nodes with indexes of its own
        rows = rows.with_columns((pl.int_range(pl.len()) * 2).cast(pl.String).alias("x_index"),
                                 (pl.int_range(pl.len()) * 2 + 1).cast(pl.String).alias("y_index"))
    elif how == "empty":
        rows = rows.with_columns(pl.when(pl.int_range(pl.len()) == 100).then(pl.lit(None)).otherwise("y_index").alias("y_index"))
    elif how == "too large":
        rows = rows.with_columns(pl.when(pl.int_range(pl.len()) == 100).then(pl.lit(str(1 << 26))).otherwise("x_index").alias("x_index"))
    elif how == "not a number":
        rows = rows.with_columns(pl.when(pl.int_range(pl.len()) == 100).then(pl.lit("n/a")).otherwise("x_index").alias("x_index"))
    rows.write_csv(path)
    return path


@pytest.mark.parametrize(
    "how, reader",
    [
        ("one index, two nodes", "line-checking reader (node indexes: a node index names two different nodes)"),
        ("one node, many indexes", "polars streaming reader"),
        ("not a number", "line-checking reader (could not parse `n/a` as dtype `u32` at column 'x_index'"),
        ("empty", "line-checking reader (node indexes: a node index is empty)"),
        ("too large", "line-checking reader (node indexes: node index 67108864 is larger than 67108863)"),
    ],
)
def test_node_indexes_are_checked_not_trusted(clean, tmp_path, mapping, how, reader):
    """The fast reader numbers nodes by PrimeKG's node indexes only while each names one node key."""
    path = _reindexed(clean, tmp_path / "kg.csv", how)
    fast = import_primekg(path, tmp_path / "fast", ImportOptions(shards=2), mapping=mapping)
    slow = import_primekg(path, tmp_path / "slow", ImportOptions(shards=2, fast=False), mapping=mapping)
    assert fast.summary.reader.startswith(reader)
    assert _shard_bytes(fast.folder) == _shard_bytes(slow.folder)
    assert fast.summary.to_json() | {"source": "", "reader": ""} == slow.summary.to_json() | {"source": "", "reader": ""}
    assert fast.summary.nodes == slow.summary.nodes > 0
    assert fast.summary.edges == clean.distinct_edges


@pytest.mark.parametrize(
    "row, why",
    [
        ("protein_protein,ppi,0,207,gene/protein,AKT1,NCBI,1,5728,gene/protein,PTEN,NCBI,extra", "ragged"),
        ("protein_protein,ppi,0,207,gene/protein,AKT1,NCBI,1,5728,gene/protein,PTEN", "short"),
        ('protein_protein,ppi,0,207,gene/protein,"AKT\n1",NCBI,1,5728,gene/protein,PTEN,NCBI', "quoted line break"),
        ("protein_protein,ppi,0,207,gene/protein,AKT1,ENSEMBL,1,5728,gene/protein,PTEN,NCBI", "unknown source"),
        ("protein_protein,ppi,0,,gene/protein,AKT1,NCBI,1,5728,gene/protein,PTEN,NCBI", "empty id"),
    ],
)
def test_fast_reader_refuses_what_it_cannot_vouch_for(tmp_path, mapping, monkeypatch, row, why):
    good = "pathway_protein,interacts with,7,R-HSA-109704,pathway,PI3K Cascade,REACTOME,0,207,gene/protein,AKT1,NCBI\n"
    path = tmp_path / "kg.csv"
    path.write_bytes((HEADER + good * 3 + row + "\n" + good).encode("utf-8"))
    used = []

    def line_reader(*args, **kwargs):
        used.append(args)
        return read_batches(*args, **kwargs)

    monkeypatch.setattr(pipeline, "read_batches", line_reader)
    result = import_primekg(path, tmp_path / "out", ImportOptions(shards=1), mapping=mapping)
    assert used, f"the fast reader vouched for a file with a {why} row"
    assert result.summary.reader.startswith("line-checking reader (")
    # the import completes through the line-checking reader, which reports the row's line
    assert result.has_bad_rows
    assert any(d.line == 5 for d in result.log), [str(d) for d in result.log]
    assert result.summary.edges == 1


def test_raw_line_count(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"a\nb\n\"c\nd\"\n")
    assert raw_line_count(path) == 4
    path.write_bytes(b"a\nb")  # no final newline
    assert raw_line_count(path) == 2


def test_orientation_and_dedup_semantics(tmp_path, mapping):
    rows = [
        # symmetric: PTEN-AKT1 first, but the triple has the smaller IRI (gene/207) as subject
        "protein_protein,ppi,1,5728,gene/protein,PTEN,NCBI,0,207,gene/protein,AKT1,NCBI",
        "protein_protein,ppi,0,207,gene/protein,AKT1,NCBI,1,5728,gene/protein,PTEN,NCBI",  # mirrored
        "protein_protein,ppi,0,207,gene/protein,AKT1,NCBI,1,5728,gene/protein,PTEN,NCBI",  # duplicate of the mirror
        # typed, written object first: the drug becomes the subject
        "drug_protein,target,0,207,gene/protein,AKT1,NCBI,2,DB00435,drug,Nitric Oxide,DrugBank",
        # MONDO 1117 and 0001117 are one node (one IRI): the second row is the same edge
        "disease_phenotype_positive,phenotype present,4,1117,disease,Proteus syndrome,MONDO,5,855,effect/phenotype,Insulin resistance,HPO",
        "disease_phenotype_positive,phenotype present,4,0001117,disease,Proteus syndrome,MONDO,5,855,effect/phenotype,Insulin resistance,HPO",
    ]
    _, result = import_rows(tmp_path, rows, mapping, shards=1)
    lines = gzip.decompress((result.folder / "part-00000.nt.gz").read_bytes()).decode().splitlines()
    assert f"{GENE} <{KGO}interactsWith> {PTEN} ." in lines
    assert f"{PTEN} <{KGO}interactsWith> {GENE} ." not in lines
    assert f"<https://go.drugbank.com/drugs/DB00435> <{KGO}hasTarget> {GENE} ." in lines
    mondo = "<http://purl.obolibrary.org/obo/MONDO_0001117>"
    assert sum(line.startswith(f"{mondo} <{KGO}hasPhenotype>") for line in lines) == 1
    assert sum(line.startswith(f"{mondo} <http://www.w3.org/2000/01/rdf-schema#label>") for line in lines) == 1
    dropped = result.summary.dropped_counts()
    assert dropped == {DropReason.MIRRORED: 1, DropReason.EXACT_DUPLICATE: 2}
    assert result.summary.dropped[DropReason.EXACT_DUPLICATE].first_lines == [4, 7]
    assert result.summary.edges == 3
    # node lines come first, in IRI order, then edges in row order
    edges = [line for line in lines if f"<{KGO}" in line and "#type>" not in line]
    assert edges[0].startswith(GENE) and edges[1].startswith("<https://go.drugbank.com") and edges[2].startswith(mondo)
