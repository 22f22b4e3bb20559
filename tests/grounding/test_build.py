"""A build of a garden whose kgpub.toml names lexicons: notes and links without written identifiers are grounded."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pyoxigraph

from kgpub.build import build_garden

FIXTURES = Path(__file__).parent / "fixtures"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"

NOTE = """---
type: {type}
title: {title}
dg-publish: true
permalink: /{type}/{slug}/
---
# {title}

## Relationships
{rels}
"""


def garden(tmp_path: Path) -> Path:
    root = tmp_path / "garden"
    (root / "notes").mkdir(parents=True)
    for name in ("hgnc_subset.tsv", "mondo_subset.obo", "go_subset.obo", "drugbank_subset.obo"):
        shutil.copy(FIXTURES / name, root / name)
    (root / "kgpub.toml").write_text(
        '[[lexicon]]\npath = "hgnc_subset.tsv"\nformat = "hgnc-tsv"\n\n[[lexicon]]\npath = "mondo_subset.obo"\nformat = "obo"\n\n'
        '[[lexicon]]\npath = "go_subset.obo"\nformat = "obo"\n\n[[lexicon]]\npath = "drugbank_subset.obo"\nformat = "obo"\n', encoding="utf-8")
    notes = {
        "tp53": ("gene", "TP53", "tp53", "ASSOCIATED_WITH_CONDITION:: [[malignant neoplasm]]\nINHIBITED_BY:: [[GSK-3β]]\nACTIVATED_BY:: [[GSK3B]]\nINHIBITED_BY:: [[FOXO]]"),
        "myc": ("gene", "c-Myc", "myc", "ACTIVATED_BY:: [[PKBβ]]"),
        "t2d": ("disease", "Adult onset diabetes", "t2d", ""),
    }
    for stem, (kind, title, slug, rels) in notes.items():
        (root / "notes" / f"{stem}.md").write_text(NOTE.format(type=kind, title=title, slug=slug, rels=rels), encoding="utf-8")
    return root


def test_build_grounds_notes_and_links(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    result = build_garden(garden(tmp_path), out)
    assert not [d for d in result.log.errors], [str(d) for d in result.log]
    store = pyoxigraph.Store()
    store.load(path=str(out / "kg.ttl"), format=pyoxigraph.RdfFormat.TURTLE)

    def objects(s: str, p: str) -> set[str]:
        return {q.object.value for q in store.quads_for_pattern(pyoxigraph.NamedNode(s), pyoxigraph.NamedNode(p), None)}

    base = "https://example.org/kg/"
    assert objects(base + "gene/tp53", SKOS + "exactMatch") == {"https://www.ncbi.nlm.nih.gov/gene/7157", "https://identifiers.org/hgnc:11998"}
    assert "https://www.ncbi.nlm.nih.gov/gene/4609" in objects(base + "gene/myc", SKOS + "exactMatch")  # HGNC alias c-Myc
    assert "http://purl.obolibrary.org/obo/MONDO_0005148" in objects(base + "disease/t2d", SKOS + "exactMatch")  # MONDO synonym
    # GSK-3β and GSK3B are one resource, labelled once; FOXO is never an exactMatch of one member
    gsk3b = base + "unresolved/gsk3b"
    assert objects(gsk3b, RDFS_LABEL) == {"GSK3B"}
    assert "https://www.ncbi.nlm.nih.gov/gene/2932" in objects(gsk3b, SKOS + "exactMatch")
    assert objects(base + "unresolved/foxo", SKOS + "exactMatch") == set()
    cancer = base + "unresolved/cancer"
    assert objects(cancer, SKOS + "exactMatch") == {"http://purl.obolibrary.org/obo/MONDO_0004992"}
    rows = list(csv.DictReader((l for l in (out / "mappings.sssom.tsv").read_text(encoding="utf-8").splitlines() if not l.startswith("#")), delimiter="\t"))
    by = {(r["subject_id"], r["object_id"]): r for r in rows}
    tp53 = by[("garden:gene/tp53", "ncbigene:7157")]
    assert (tp53["predicate_id"], tp53["mapping_justification"], tp53["match_string"], tp53["object_source"]) == (
        "skos:exactMatch", "semapv:LexicalMatching", "TP53", "kgpub-lexicon:hgnc_subset.tsv")
    run = subprocess.run([shutil.which("sssom") or "sssom", "validate", str(out / "mappings.sssom.tsv")], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
