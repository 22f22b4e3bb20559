"""The store contract: the embedded store, the Oxigraph server and Virtuoso behave the same
for everything kgpub needs (queries, updates, uploads with blank nodes, push semantics)."""

from __future__ import annotations

from pathlib import Path

import pytest

from distgen import write_dist

from kgpub.errors import PushError, StoreError
from kgpub.publish.manifest import Manifest
from kgpub.publish.push import graph_counts, push, read_state, state_graph_iri

OWL_AXIOM = "http://www.w3.org/2002/07/owl#Axiom"


def test_upload_update_and_select_roundtrip(backend, base_iri):
    g = f"{base_iri}graph/t"
    data = (f'<{base_iri}a> <{base_iri}p> "x\\"y" .\n'
            f'<{base_iri}a> <{base_iri}q> _:b1 .\n_:b1 <{base_iri}r> "caf\u00e9"@fr .\n').encode("utf-8")
    backend.add_ntriples(g, data)
    assert graph_counts(backend, [g]) == {g: 3}
    rows = backend.select(f"SELECT ?v WHERE {{ GRAPH <{g}> {{ <{base_iri}a> <{base_iri}q> ?b . ?b <{base_iri}r> ?v }} }}")
    assert rows == [{"v": "caf\u00e9"}]
    assert backend.ask(f"ASK {{ GRAPH <{g}> {{ <{base_iri}a> <{base_iri}p> \"x\\\"y\" }} }}")
    backend.update(f"DROP SILENT GRAPH <{g}>")
    assert graph_counts(backend, [g]) == {g: 0}


def test_malformed_query_is_a_store_error_with_message(backend):
    with pytest.raises(StoreError) as caught:
        backend.select("SELECT ?x WHERE { ?x ")
    assert "400" in str(caught.value) or "malformed" in str(caught.value)


def test_push_replaces_every_graph_and_verifies(backend, dist):
    report = push(dist, backend)
    manifest = Manifest.read(dist)
    assert len(report.pushed) == len(manifest.graphs) and report.verified == len(manifest.graphs)
    counts = graph_counts(backend, [g.iri for g in manifest.graphs])
    assert counts == {g.iri: g.triples for g in manifest.graphs}
    # the axiom blank nodes stayed whole: each axiom has exactly one source, property and target
    akt1 = next(g.iri for g in manifest.graphs if g.iri.endswith("/akt1"))
    rows = backend.select(f"SELECT ?a (COUNT(?s) AS ?n) WHERE {{ GRAPH <{akt1}> {{ ?a a <{OWL_AXIOM}> ; "
                          f"<http://www.w3.org/2002/07/owl#annotatedSource> ?s }} }} GROUP BY ?a")
    assert len(rows) == 2 and all(r["n"] == "1" for r in rows)
    state = read_state(backend, state_graph_iri(manifest.base_iri))
    assert {g: r.digest for g, r in state.items()} == {g.iri: g.digest for g in manifest.graphs}


def test_push_is_incremental_and_removes_deleted_notes(backend, dist, base_iri):
    push(dist, backend)
    again = push(dist, backend)
    assert again.pushed == [] and len(again.skipped) == 10
    write_dist(dist, base=base_iri, notes=6, changed=("akt1",))
    report = push(dist, backend)
    pushed = {o.iri.rsplit("/", 1)[-1] for o in report.pushed}
    assert "akt1" in pushed and "mtor" not in pushed
    assert {o.iri.rsplit("/", 1)[-1] for o in report.removed} == {"bad", "nos3"}
    assert graph_counts(backend, [f"{base_iri}note/garden/dev_admin/gene/bad"]) == {
        f"{base_iri}note/garden/dev_admin/gene/bad": 0}
    label = backend.select(f"SELECT ?l WHERE {{ GRAPH ?g {{ <{base_iri}garden/dev_admin/gene/akt1> "
                           f"<http://www.w3.org/2004/02/skos/core#altLabel> ?l }} }}")
    assert label == [{"l": "AKT1 gene (edition 1)"}]


def test_push_with_small_chunks_keeps_blank_nodes_whole(backend, tmp_path, base_iri):
    out = tmp_path / "bulk"
    write_dist(out, base=base_iri, notes=4, extra_ntriples=3000)
    report = push(out, backend, chunk_bytes=1500)
    assert report.verified == 7
    rows = backend.select("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH ?g { ?a a <%s> ; "
                          "<http://www.w3.org/2002/07/owl#annotatedTarget> ?t } FILTER(STRSTARTS(STR(?g), \"%s\")) }"
                          % (OWL_AXIOM, base_iri))
    assert rows == [{"n": "8"}]


def test_verification_failure_is_reported(backend, dist):
    push(dist, backend)
    manifest = Manifest.read(dist)
    target = manifest.graphs[0]
    backend.update(f"INSERT DATA {{ GRAPH <{target.iri}> {{ <urn:x:a> <urn:x:b> <urn:x:c> }} }}")
    with pytest.raises(PushError) as caught:
        push(dist, backend)  # digests match, so nothing is pushed, but the counts no longer do
    assert target.iri in str(caught.value) and f"build has {target.triples}" in str(caught.value)
    fixed = push(dist, backend, force=True)
    assert fixed.verified == len(manifest.graphs)


def test_missing_manifest_is_a_clear_error(backend, tmp_path):
    with pytest.raises(Exception) as caught:
        push(tmp_path, backend)
    assert "manifest" in str(caught.value)


def test_non_atomic_push_replaces_records_and_is_incremental(backend, dist, base_iri):
    """--no-atomic: the same end state as the atomic push, with no staging graph ever written."""
    push(dist, backend, atomic=False)
    write_dist(dist, base=base_iri, notes=6, changed=("akt1",))
    report = push(dist, backend, atomic=False)
    manifest = Manifest.read(dist)
    pushed = {o.iri.rsplit("/", 1)[-1] for o in report.pushed}
    assert "akt1" in pushed and "mtor" not in pushed and len(report.removed) == 2  # 8 notes -> 6
    assert graph_counts(backend, [g.iri for g in manifest.graphs]) == {g.iri: g.triples for g in manifest.graphs}
    state = read_state(backend, state_graph_iri(manifest.base_iri))
    assert {g: r.digest for g, r in state.items()} == {g.iri: g.digest for g in manifest.graphs}
    graphs = {r["g"] for r in backend.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}
    assert not any(g.startswith("urn:kgpub:staging:") for g in graphs)
    assert push(dist, backend, atomic=False).pushed == []
