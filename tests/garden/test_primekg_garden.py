"""The PrimeKG-style example garden (examples/primekg-garden/): every note and every relationship statement published.

The expected statements are counted from the note files with a plain oracle
independent of kgpub's readers: every ``[[``, every Markdown link to a ``.md``
file and every ``class="internal-link"`` anchor, outside fenced code,
``<pre>`` blocks and code spans, is one statement (the notes are written so
that no link stands outside a field).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from buildkit import ask, load_store
from kgpub.cli import main

GARDEN = Path(__file__).resolve().parents[2] / "examples" / "primekg-garden"
B = "https://example.org/kg/"
_CODE = re.compile(r"```.*?```|<pre>.*?</pre>|`[^`\n]*`", re.DOTALL)
_LINKS = re.compile(r"\[\[|\]\([^)\s]*?\.md>?\)|\]\(<[^>]*\.md>\)|class=\"internal-link\"")


def expected_statements() -> Counter:
    counts: Counter = Counter()
    for path in GARDEN.rglob("*.md"):
        text = _CODE.sub("", path.read_text(encoding="utf-8"))
        note_type = re.search(r"^type: (.+)$", text, re.MULTILINE).group(1)
        slug = re.search(r"^slug: (.+)$", text, re.MULTILINE).group(1)
        counts[f"{note_type}/{slug}"] = len(_LINKS.findall(text))
    return counts


@pytest.fixture(scope="module")
def garden_build(tmp_path_factory):
    dist = tmp_path_factory.mktemp("primekg-garden-dist")
    code = main(["build", str(GARDEN), "--out", str(dist)])
    return code, dist, load_store(dist)


def test_builds_with_exit_0_and_every_note_published(garden_build, capsys):
    code, dist, store = garden_build
    assert code == 0
    notes = list(GARDEN.rglob("*.md"))
    assert len(notes) >= 40
    rows = list(store.query("PREFIX kgo: <https://w3id.org/kgpub/ontology/> SELECT (COUNT(?n) AS ?c) WHERE { ?n a kgo:Note }", use_default_graph_as_union=True))
    assert int(rows[0][0].value) == len(notes)


def test_every_relationship_statement_is_published(garden_build):
    _, _, store = garden_build
    published: Counter = Counter()
    query = ("PREFIX kgo: <https://w3id.org/kgpub/ontology/> PREFIX owl: <http://www.w3.org/2002/07/owl#> "
             "SELECT ?g WHERE { GRAPH ?g { ?a a owl:Axiom ; kgo:relationKey ?k } }")
    for row in store.query(query):
        published[row[0].value.split("/note/", 1)[1].strip("/")] += 1
    expected = expected_statements()
    assert sum(expected.values()) == 84
    assert {k: v for k, v in published.items() if v} == {k: v for k, v in expected.items() if v}


def test_all_types_and_keys_of_the_issue(garden_build):
    _, _, store = garden_build
    for cls in ("Drug", "Disease", "Anatomy", "BiologicalProcess", "MolecularFunction", "PhenotypicFeature", "Gene"):
        assert ask(store, f"ASK {{ ?x a kgo:{cls} ; prov:wasDerivedFrom ?n }}"), cls
    keys = {row[0].value for row in store.query(
        "PREFIX kgo: <https://w3id.org/kgpub/ontology/> SELECT DISTINCT ?k WHERE { GRAPH ?g { ?a kgo:relationKey ?k } }")}
    assert {"TARGETS", "INDICATED_FOR", "CONTRAINDICATED_FOR", "SIDE_EFFECT", "INTERACTS_WITH", "EXPRESSED_IN", "PHENOTYPE_OF"} <= keys
    assert not ask(store, "ASK { ?x a kgo:UnresolvedEntity }")


def test_drug_target_edges_use_the_import_property(garden_build):
    _, _, store = garden_build
    rows = {(s.value.rsplit("/", 1)[1], o.value.rsplit("/", 1)[1]) for s, o in store.query(
        "PREFIX kgo: <https://w3id.org/kgpub/ontology/> SELECT ?s ?o WHERE { ?s kgo:hasTarget ?o }", use_default_graph_as_union=True)}
    assert rows == {
        ("metformin", "prkaa1"), ("aspirin", "ptgs1"), ("aspirin", "ptgs2"), ("ibuprofen", "ptgs1"), ("ibuprofen", "ptgs2"),
        ("imatinib", "abl1"), ("imatinib", "kit"), ("gefitinib", "egfr"), ("atorvastatin", "hmgcr"), ("simvastatin", "hmgcr"),
        ("lisinopril", "ace"), ("warfarin", "vkorc1"),
    }
    assert ask(store, f"ASK {{ <{B}disease/type-2-diabetes> kgo:hasPhenotype <{B}effect/phenotype/hyperglycemia> }}")
    assert ask(store, f"ASK {{ <{B}gene/protein/egfr> kgo:expressedIn <{B}anatomy/lung> }}")
    assert ask(store, f"ASK {{ <{B}drug/metformin> skos:exactMatch <https://go.drugbank.com/drugs/DB00331> }}")


def test_code_examples_are_not_statements(garden_build):
    _, _, store = garden_build
    assert not ask(store, "ASK { ?x rdfs:label ?l FILTER(CONTAINS(STR(?l), 'Example')) }")
