"""The grounder on the gold set: precision 1.0 (no wrong exactMatch), recall >= 0.95."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kgpub.diagnostics import DiagnosticLog
from kgpub.grounding.grounder import Grounder
from kgpub.grounding.lexicons import read_lexicon
from kgpub.grounding.model import LexiconSource
from kgpub.grounding.schemes import Schemes
from kgpub.identifiers import Identifiers
from kgpub.mapping.terms import OntologyTerms
from kgpub.paths import mappings_dir
from kgpub.vocab import KGO

FIXTURES = Path(__file__).parent / "fixtures"
LEXICONS = [("hgnc_subset.tsv", "hgnc-tsv"), ("go_subset.obo", "obo"), ("mondo_subset.obo", "obo"), ("hp_subset.obo", "obo"),
            ("chebi_subset.obo", "obo"), ("drugbank_subset.obo", "obo"), ("uberon_subset.obo", "obo")]


@pytest.fixture(scope="module")
def grounder() -> Grounder:
    ids, terms, log = Identifiers.default(), OntologyTerms.load(), DiagnosticLog()
    g = Grounder(Schemes.load(terms, ids), ids, terms)
    g.add(read_lexicon(LexiconSource(mappings_dir() / "entities.sssom.tsv", "sssom", curated=True), ids, log))
    for name, fmt in LEXICONS:
        g.add(read_lexicon(LexiconSource(FIXTURES / name, fmt), ids, log))
    assert not log.errors, [str(d) for d in log]
    return g


def gold() -> list[dict[str, str]]:
    with (FIXTURES / "gold.tsv").open(encoding="utf-8") as handle:
        return list(csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t"))


def test_gold_set_precision_and_recall(grounder: Grounder) -> None:
    ids = Identifiers.default()
    rows = gold()
    assert len(rows) >= 150
    predicted = wrong = right = 0
    misses, errors = [], []
    for row in rows:
        result = grounder.ground(row["name"], KGO[row["class"]].value)
        primary = result.primary
        expected = ids.normalize(row["expected"]) if row["expected"] else None
        if primary is not None:
            predicted += 1
            if primary.curie == expected:
                right += 1
            else:
                wrong += 1
                errors.append((row["name"], row["class"], primary.curie, expected))
        elif expected is not None:
            misses.append((row["name"], row["class"], expected))
    precision = right / predicted
    recall = right / sum(1 for r in rows if r["expected"])
    print(f"gold set: {len(rows)} names, precision {precision:.3f}, recall {recall:.3f}")
    assert errors == [] and precision == 1.0
    assert recall >= 0.95, misses


def test_ambiguous_names_are_related_candidates_only(grounder: Grounder) -> None:
    for name in ("FOXO", "PI3K", "AKT", "GSK3"):
        result = grounder.ground(name, KGO.Gene.value)
        assert result.exact == ()
        assert {g.predicate for g in result.groundings} == {"http://www.w3.org/2004/02/skos/core#relatedMatch"}
    foxo = {g.curie for g in grounder.ground("FOXO", KGO.Gene.value).groundings}
    assert {"ncbigene:2308", "ncbigene:2309"} <= foxo


def test_one_entity_in_several_schemes(grounder: Grounder) -> None:
    result = grounder.ground("PKBβ", KGO.Gene.value)
    assert [g.curie for g in result.exact] == ["ncbigene:208", "hgnc:392"]  # primary (NCBI Gene, as PrimeKG) first
    assert result.primary.iri == "https://www.ncbi.nlm.nih.gov/gene/208"
    assert result.primary.match_string == "PKB beta" and result.primary.lexicon == "entities.sssom.tsv"  # curated wins
    alias = grounder.ground("rac gamma", KGO.Gene.value)  # HGNC alias RAC-gamma of AKT3, loose key
    assert [(g.curie, g.match_string, g.lexicon) for g in alias.exact] == [("ncbigene:10000", "RAC-gamma", "hgnc_subset.tsv"), ("hgnc:393", "RAC-gamma", "hgnc_subset.tsv")]


def test_a_name_is_grounded_once_and_again_after_a_lexicon_is_added() -> None:
    ids, terms, log = Identifiers.default(), OntologyTerms.load(), DiagnosticLog()
    g = Grounder(Schemes.load(terms, ids), ids, terms)
    g.add(read_lexicon(LexiconSource(FIXTURES / "go_subset.obo", "obo"), ids, log))
    before = g.ground("rac gamma", KGO.Gene.value)
    assert before.groundings == () and g.ground("rac gamma", KGO.Gene.value) is before  # the same result, not grounded again
    g.add(read_lexicon(LexiconSource(FIXTURES / "hgnc_subset.tsv", "hgnc-tsv"), ids, log))
    after = g.ground("rac gamma", KGO.Gene.value)  # a new lexicon: grounded anew
    assert [x.curie for x in after.exact] == ["ncbigene:10000", "hgnc:393"]
    assert g.ground("rac gamma", KGO.Disease.value).groundings == ()  # per class
