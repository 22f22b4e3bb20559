"""SSSOM files: the bundled table and a written one pass ``sssom validate`` (PyPI sssom)."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

from kgpub.grounding.model import SEMAPV, SKOS_EXACT, Grounding
from kgpub.grounding.sssom import MappingRow, write_sssom
from kgpub.paths import mappings_dir

SSSOM = shutil.which("sssom") or "sssom"  # PyPI sssom, in the [test] extra


def validate(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([SSSOM, "validate", str(path)], capture_output=True, text=True, timeout=600)


def test_bundled_table_is_valid_sssom() -> None:
    run = validate(mappings_dir() / "entities.sssom.tsv")
    assert run.returncode == 0, run.stderr[-2000:]


def test_bundled_rows_cite_a_source_and_do_not_all_claim_curation() -> None:
    with (mappings_dir() / "entities.sssom.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader((l for l in handle if not l.startswith("#")), delimiter="\t"))
    assert all(r["see_also"].startswith("http") and r["comment"] and r["confidence"] for r in rows)
    justifications = {r["mapping_justification"] for r in rows}
    assert justifications == {"semapv:LexicalMatching", "semapv:ManualMappingCuration"}
    categories = {r["subject_label"]: r["subject_category"] for r in rows}
    assert categories["Apoptosis"] == "kgo:BiologicalProcess" and categories["mTORC1"] == "kgo:CellularComponent"
    insulin = {(r["predicate_id"], r["object_id"]) for r in rows if r["subject_label"] == "Insulin"}
    assert insulin == {("skos:exactMatch", "CHEBI:145810"), ("skos:relatedMatch", "NCBIGene:3630")}


def test_written_file_is_valid_sssom(tmp_path: Path) -> None:
    g = Grounding("PKBβ", "ncbigene:208", "https://www.ncbi.nlm.nih.gov/gene/208", "AKT2", SKOS_EXACT, SEMAPV + "LexicalMatching",
                  1.0, "PKBβ", "hgnc_complete_set.txt", "https://w3id.org/kgpub/ontology/Gene")
    h = Grounding("PKBβ", "hgnc:392", "https://identifiers.org/hgnc:392", "AKT2", SKOS_EXACT, SEMAPV + "LexicalMatching",
                  1.0, "PKBβ", "hgnc_complete_set.txt", "https://w3id.org/kgpub/ontology/Gene")
    out = tmp_path / "mappings.sssom.tsv"
    base = "https://example.org/kg/"
    n = write_sssom(out, [MappingRow(base + "unresolved/pkbβ", "PKBβ", g), MappingRow(base + "unresolved/pkbβ", "PKBβ", h), MappingRow(base + "unresolved/pkbβ", "PKBβ", g)],
                    base_iri=base, mapping_set_id=base + "mappings.sssom.tsv", tool="kgpub")
    assert n == 2
    run = validate(out)
    assert run.returncode == 0, run.stderr[-2000:]
    rows = list(csv.DictReader((l for l in out.read_text(encoding="utf-8").splitlines() if not l.startswith("#")), delimiter="\t"))
    assert [(r["object_id"], r["predicate_id"], r["mapping_justification"], r["match_string"]) for r in rows] == [
        ("hgnc:392", "skos:exactMatch", "semapv:LexicalMatching", "PKBβ"), ("ncbigene:208", "skos:exactMatch", "semapv:LexicalMatching", "PKBβ")]
    assert "#   ncbigene: \"https://www.ncbi.nlm.nih.gov/gene/\"" in out.read_text(encoding="utf-8")


def test_fields_that_need_quoting_are_written_as_csv_writes_them(tmp_path: Path) -> None:
    """A label with a quote, a tab or a line break is quoted (csv's rule); other rows are written plain."""
    base = "https://example.org/kg/"
    labels = ['5\'-nucleotidase "ecto"', "tab\tinside", "line\nbreak", "plain label"]
    rows = [MappingRow(f"{base}unresolved/n{i}", label,
                       Grounding(label, f"ncbigene:{i + 1}", f"https://www.ncbi.nlm.nih.gov/gene/{i + 1}", label, SKOS_EXACT,
                                 SEMAPV + "LexicalMatching", 0.9, label, "hgnc.tsv", "https://w3id.org/kgpub/ontology/Gene"))
            for i, label in enumerate(labels)]
    out = tmp_path / "mappings.sssom.tsv"
    assert write_sssom(out, rows, base_iri=base, mapping_set_id=base + "mappings.sssom.tsv", tool="kgpub") == 4
    text = out.read_text(encoding="utf-8")
    assert '\t"5\'-nucleotidase ""ecto"""\t' in text and '\t"tab\tinside"\t' in text and '\t"line\nbreak"\t' in text
    assert "garden:unresolved/n3\tplain label\tkgo:Gene\tskos:exactMatch\tncbigene:4\tplain label\tsemapv:LexicalMatching\t0.9\t" in text
    with out.open(encoding="utf-8", newline="") as handle:
        read = list(csv.DictReader((l for l in handle if not l.startswith("#")), delimiter="\t"))
    assert [r["subject_label"] for r in read] == labels and [r["object_id"] for r in read] == ["ncbigene:1", "ncbigene:2", "ncbigene:3", "ncbigene:4"]


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader((l for l in path.read_text(encoding="utf-8").splitlines() if not l.startswith("#")), delimiter="\t"))


def test_build_writes_curated_rows_and_validates(tmp_path: Path) -> None:
    """Front-matter identifiers are manual curation (where written, in comment); bundled-table rows keep the
    table's justification and name it as source; the written files pass ``sssom validate``."""
    from kgpub.build import build_garden

    root = Path(__file__).resolve().parents[2] / "examples"
    for garden in ("garden", "primekg-garden"):
        out = tmp_path / garden
        build_garden(root / garden, out, validate=False)
        run = validate(out / "mappings.sssom.tsv")
        assert run.returncode == 0, run.stderr[-2000:]
    rows = _rows(tmp_path / "garden" / "mappings.sssom.tsv")
    akt1 = {r["object_id"]: r for r in rows if r["subject_id"] == "garden:garden/dev_admin/gene/akt1"}
    assert set(akt1) == {"ncbigene:207", "hgnc:391", "ensembl:ENSG00000142208"}
    assert {(r["mapping_justification"], r["comment"]) for r in akt1.values()} >= {("semapv:ManualMappingCuration", "front matter of gene/akt1.md:17")}
    proteus = next(r for r in rows if r["subject_id"] == "garden:unresolved/proteus-syndrome")
    assert (proteus["object_id"], proteus["object_source"], proteus["comment"].split(":")[0]) == ("mondo:0008318", "kgpub-lexicon:entities.sssom.tsv", "entities.sssom.tsv")
    insulin = {(r["predicate_id"], r["object_id"], r["object_label"]) for r in rows if r["subject_id"] == "garden:garden/dev_admin/hormone/insulin"}
    assert insulin == {("skos:exactMatch", "chebi:145810", "insulin"), ("skos:relatedMatch", "ncbigene:3630", "INS")}  # labels of the bundled table
    drugs = {r["object_id"]: r["mapping_justification"] for r in _rows(tmp_path / "primekg-garden" / "mappings.sssom.tsv")}
    assert drugs["drugbank:DB00619"] == "semapv:ManualMappingCuration"  # Imatinib's front matter
