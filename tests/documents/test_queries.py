"""The competency questions of queries/*.rq, run against emitted documents, with their expected answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode

from kgpub.emit.documents import article_quads
from kgpub.emit.publications import publication_quads
from kgpub.sources.article import read_article
from kgpub.sources.reference_note import read_reference_note
from kgpub.vocab import KGO, RDFS

from .conftest import context, note_from, note_from_text, store_of

QUERIES = Path(__file__).resolve().parents[2] / "queries"

SECOND = """Insulin and the Akt kinases: a short review

Author: Test Writer. Date: March 2025

Abstract

Akt2 and GLUT4 in adipocytes [1].

References

- Gonzalez, E., & McGraw, T. E. (2009). The Akt kinases: isoform specificity in metabolism and cancer. Cell Cycle. [Link]
- Someone, A. (2020). Another paper entirely. Some Journal. [Link]
"""


@pytest.fixture(scope="module")
def store(article_seed, reference_seed, tmp_path_factory):
    quads = []
    note = note_from(article_seed)
    ctx = context(note)
    quads += article_quads(read_article(note, ctx.log), ctx)
    second = note_from_text(tmp_path_factory.mktemp("g"), "review.txt", SECOND)
    ctx2 = context(second)
    quads += article_quads(read_article(second, ctx2.log), ctx2)
    ref = note_from(reference_seed)
    ctx3 = context(ref)
    pub = read_reference_note(ref, ctx3.log)
    quads += publication_quads(pub, ctx3)
    # an edge with evidence, in the edge pattern the build uses (docs/design.md)
    pten, akt1 = NamedNode("https://example.org/kg/u/pten"), NamedNode("https://example.org/kg/g/akt1")
    quads += [ctx3.quad(pten, RDFS.label, Literal("PTEN")), ctx3.quad(akt1, RDFS.label, Literal("AKT1"))]
    quads += ctx3.edge(pten, KGO["inhibits"], akt1, [(KGO["evidence"], NamedNode("https://example.org/kg/publication/pubmed/11154276"))])
    return store_of(quads)


def run(store, name):
    query = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    expected = json.loads((QUERIES / "expected" / f"{name}.json").read_text(encoding="utf-8"))
    result = store.query(query, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    rows = [{n: row[n].value for n in names if row[n] is not None} for row in result]
    return rows, expected


def test_documents_mentioning_gene(store):
    rows, expected = run(store, "documents_mentioning_gene")
    seed_rows = [{k: r[k] for k in ("title", "count")} for r in rows if r["title"].startswith("Akt1 versus")]
    assert seed_rows == expected
    assert len(rows) == 2  # the second document mentions GLUT4 too


def test_entities_with_akt2_in_section(store):
    rows, expected = run(store, "entities_with_akt2_in_section")
    got = {r["entity"] for r in rows}
    assert set(expected["includes"]) <= got
    assert not set(expected["excludes"]) & got


def test_shared_references(store):
    rows, expected = run(store, "shared_references")
    assert [{"title": r["title"]} for r in rows] == expected


def test_publications_supporting_edge(store):
    rows, expected = run(store, "publications_supporting_edge")
    assert [{"publication": r["publication"]} for r in rows] == expected
    assert rows[0]["title"].startswith("Akt phosphorylates and negatively regulates")
