"""Lexicon formats beyond labels and synonyms: obsolete OBO terms followed to their replacement, and
DrugBank's mappings joining a drug to its ChEBI id."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgpub.diagnostics import DiagnosticLog
from kgpub.grounding.grounder import Grounder
from kgpub.grounding.lexicons import read_lexicon
from kgpub.grounding.model import SKOS_EXACT, LexiconSource
from kgpub.grounding.schemes import Schemes
from kgpub.identifiers import Identifiers
from kgpub.mapping.terms import OntologyTerms
from kgpub.vocab import KGO

FIXTURES = Path(__file__).parent / "fixtures"


def grounder(*lexicons: tuple[str, str]) -> Grounder:
    ids, terms, log = Identifiers.default(), OntologyTerms.load(), DiagnosticLog()
    g = Grounder(Schemes.load(terms, ids), ids, terms)
    for name, fmt in lexicons:
        g.add(read_lexicon(LexiconSource(FIXTURES / name, fmt), ids, log))
    assert not log.errors, [str(d) for d in log]
    return g


@pytest.mark.parametrize(("name", "cls", "expected", "label"), [
    ("reproduction", "BiologicalProcess", "go:0022414", "reproductive process"),  # obsolete GO:0000003, replaced_by
    ("Reproductive physiological process", "BiologicalProcess", "go:0022414", "reproductive process"),  # its synonym
    ("sphingosine hydroxylase activity", "MolecularFunction", "go:0102772", "sphingolipid C4-monooxygenase activity"),
    ("reproductive process", "BiologicalProcess", "go:0022414", "reproductive process"),  # the current term itself
    ("ribosomal chaperone activity", "MolecularFunction", None, None),  # obsolete, consider only: skipped
    ("plasma membrane long-chain fatty acid transporter", "MolecularFunction", None, None),  # consider only, with a synonym
    ("obsolete reproduction", "BiologicalProcess", None, None),  # the obsolete label as written is no name
])
def test_obsolete_terms_follow_replaced_by(name: str, cls: str, expected: str | None, label: str | None) -> None:
    result = grounder(("go_obsolete.obo", "obo")).ground(name, KGO[cls].value)
    primary = result.primary
    assert (primary.curie if primary else None, primary.label if primary else None) == (expected, label)
    if primary is not None and name.lower() != label:
        assert primary.confidence < 1.0  # a synonym match, below a current label


def test_drugbank_mappings_join_chebi_as_exact_match() -> None:
    g = grounder(("drugbank_mappings_subset.tsv", "drugbank-mappings"), ("chebi_drugs.obo", "obo"))
    imatinib = g.ground("Imatinib", KGO.Drug.value)
    assert [(x.curie, x.predicate) for x in imatinib.groundings] == [("drugbank:DB00619", SKOS_EXACT), ("chebi:45783", SKOS_EXACT)]
    assert imatinib.primary.iri == "https://go.drugbank.com/drugs/DB00619"  # PrimeKG's drug IRIs
    # the ChEBI term and the DrugBank drug are one entity for a chemical link too: not ambiguous
    chemical = g.ground("imatinib", KGO.ChemicalEntity.value)
    assert not chemical.ambiguous and {x.curie for x in chemical.exact} == {"drugbank:DB00619", "chebi:45783"}
    assert chemical.primary.curie == "chebi:45783"  # ChEBI is the chemical class's primary scheme
    # DrugBank's own ChEBI id wins over ChEBI's cross-references (warfarin: 87732, not 10033/10034)
    assert [x.curie for x in g.ground("Warfarin", KGO.Drug.value).exact] == ["drugbank:DB00682", "chebi:87732"]
    # a salt is another entity: no exactMatch from the drug's name
    assert [x.curie for x in g.ground("imatinib methanesulfonate", KGO.ChemicalEntity.value).exact] == ["chebi:31690"]
