"""Small graphs pushed in batches, one update request per batch: faults in the middle of a batch,
an interrupted push resumed by batch, large graphs on the staged path beside them.  The SPARQL
Update path of every store (``upload_bytes=0``: the N-Quads upload of graphs new to Oxigraph is
tested in test_push_upload.py)."""

from __future__ import annotations

import pytest

from distgen import write_dist
from faultproxy import DELAY, DROP, DROP_AFTER, ERROR_500
from servers import FAST_RETRY, virtuoso_credentials

from kgpub.errors import PushError
from kgpub.publish.batch import SmallGraph, plan_batches
from kgpub.publish.manifest import Manifest
from kgpub.publish.payload import DistReader
from kgpub.publish.push import graph_counts, push, read_state, state_graph_iri
from kgpub.publish.remote import oxigraph_server, virtuoso_server

pytestmark = pytest.mark.server

BATCH_BYTES = 9000  # two or three note graphs of distgen per batch (with edges; more without)
OWL = "http://www.w3.org/2002/07/owl#"
# the path of update requests, how many HTTP requests one update is (digest auth asks twice), and
# the requests to that path before the first update (the digest realm probe)
UPDATES = {"oxigraph": ("/update", 1, 0), "virtuoso": ("/sparql-auth", 2, 1)}


def _store(kind: str, url: str):
    if kind == "oxigraph":
        return oxigraph_server(url, retry=FAST_RETRY)
    return virtuoso_server(url, virtuoso_credentials(), retry=FAST_RETRY)


def _batches(dist, only: set[str] | None = None, limit: int = BATCH_BYTES) -> list[list[str]]:
    """The batches a push of the graphs of ``dist`` (or those in ``only``) sends, as graph IRIs, in order."""
    reader = DistReader(dist)
    graphs = [SmallGraph(e, reader.lines(e)) for e in sorted(Manifest.read(dist).graphs, key=lambda g: g.iri)
              if only is None or e.iri in only]
    return [[g.entry.iri for g in batch] for batch in plan_batches(graphs, limit)]


@pytest.fixture
def plain_dist(tmp_path, base_iri):
    """Notes without edges, so without blank nodes: Virtuoso takes them in batches too."""
    out = tmp_path / "plain"
    write_dist(out, base=base_iri, edges=False)
    return out


def _dist_for(kind: str, request):
    """The DIST of the batch tests, and the batch size that gives it two or three notes per batch."""
    if kind == "oxigraph":
        return request.getfixturevalue("dist"), BATCH_BYTES
    return request.getfixturevalue("plain_dist"), 2500


def _check_complete(store, dist):
    manifest = Manifest.read(dist)
    assert graph_counts(store, [g.iri for g in manifest.graphs]) == {g.iri: g.triples for g in manifest.graphs}
    state = read_state(store, state_graph_iri(manifest.base_iri))
    assert {g: r.digest for g, r in state.items()} == {g.iri: g.digest for g in manifest.graphs}
    # every axiom blank node is one node with exactly one source: none duplicated or shared
    rows = store.select(f"SELECT ?g ?a (COUNT(?s) AS ?n) WHERE {{ GRAPH ?g {{ ?a a <{OWL}Axiom> ; "
                        f"<{OWL}annotatedSource> ?s }} FILTER(STRSTARTS(STR(?g), \"{manifest.base_iri}\")) }} "
                        f"GROUP BY ?g ?a")
    with_edges = any("/note/" in g.iri and g.triples > 10 for g in manifest.graphs)
    assert len(rows) == (16 if with_edges else 0) and all(r["n"] == "1" for r in rows)


def test_batches_are_bounded_and_keep_graph_order(dist):
    batches = _batches(dist)
    assert len(batches) >= 4 and all(1 <= len(b) <= 3 for b in batches)
    assert [iri for b in batches for iri in b] == sorted(g.iri for g in Manifest.read(dist).graphs)


@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
def test_one_request_per_batch_and_faults_mid_batch(request, kind, fault_proxy):
    dist, limit = _dist_for(kind, request)
    server = request.getfixturevalue(kind)
    path, per_update, probes = UPDATES[kind]
    proxy = fault_proxy(server.base_url, delay=0.3)
    clean = push(dist, _store(kind, proxy.url), upload_bytes=0, batch_bytes=limit)
    sent = [p for m, p, _ in proxy.seen if m == "POST" and path in p]
    assert len(clean.pushed) == 10 and len(sent) == len(_batches(dist, None, limit)) * per_update
    _check_complete(_store(kind, server.base_url), dist)

    old = {g.iri for g in Manifest.read(dist).graphs}
    write_dist(dist, base=Manifest.read(dist).base_iri, edition=3, edges=kind == "oxigraph")  # every note changes
    proxy.seen.clear()
    proxy.match = path
    # batch 1 goes through; batch 2 meets a 500, a dropped connection, then a delay; batch 3 is
    # committed but its answer lost, is sent again, meets a 500, and is sent a third time
    proxy.plan = [None, ERROR_500, DROP, DELAY, DROP_AFTER, ERROR_500]
    assert len(_batches(dist, {i for i in old if "/note/" in i}, limit)) >= 3
    report = push(dist, _store(kind, proxy.url), upload_bytes=0, batch_bytes=limit)
    assert len(report.pushed) == 8 and report.verified == 10  # ontology and metadata unchanged
    assert proxy.plan == [] and [f for _, _, f in proxy.seen if f] == ["500", "drop", "delay", "drop-after", "500"]
    _check_complete(_store(kind, server.base_url), dist)
    labels = _store(kind, server.base_url).select(
        "SELECT ?l WHERE { GRAPH ?g { ?e <http://www.w3.org/2004/02/skos/core#altLabel> ?l } "
        f"FILTER(STRSTARTS(STR(?g), \"{Manifest.read(dist).base_iri}\")) }}")
    assert sorted({r["l"].split("(")[1] for r in labels}) == ["edition 3)"]


@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
def test_interrupted_push_leaves_whole_batches_and_resumes_by_batch(request, kind, fault_proxy):
    dist, limit = _dist_for(kind, request)
    server = request.getfixturevalue(kind)
    path, per_update, probes = UPDATES[kind]
    direct = _store(kind, server.base_url)
    push(dist, direct, upload_bytes=0, batch_bytes=limit)
    base = Manifest.read(dist).base_iri
    old = {g.iri: g.digest for g in Manifest.read(dist).graphs}
    write_dist(dist, base=base, edition=5, edges=kind == "oxigraph")
    new = {g.iri: g.digest for g in Manifest.read(dist).graphs}
    batches = _batches(dist, {i for i in new if old[i] != new[i]}, limit)
    proxy = fault_proxy(server.base_url)
    proxy.match = path
    proxy.plan = [None] * (probes + 2 * per_update) + [ERROR_500] * 200  # two batches go through, then the store fails
    with pytest.raises(PushError) as caught:
        push(dist, _store(kind, proxy.url), upload_bytes=0, batch_bytes=limit)
    assert "previous versions are unchanged" in str(caught.value)
    state = read_state(direct, state_graph_iri(base))
    done = [b for b in batches if all(state[i].digest == new[i] for i in b)]
    untouched = [b for b in batches if all(state[i].digest == old[i] for i in b)]
    assert done == batches[:2] and untouched == batches[2:]  # each batch all new or all old
    counts = graph_counts(direct, list(new))
    assert all(counts[g.iri] == g.triples for g in Manifest.read(dist).graphs)
    proxy.plan = []
    proxy.seen.clear()
    report = push(dist, _store(kind, proxy.url), upload_bytes=0, batch_bytes=limit)
    assert sorted(o.iri for o in report.pushed) == sorted(i for b in batches[2:] for i in b)
    assert len([p for m, p, _ in proxy.seen if m == "POST" and path in p]) == len(batches[2:]) * per_update
    _check_complete(direct, dist)


def test_small_graphs_batched_large_graph_staged_and_removals_batched(oxigraph, tmp_path, base_iri):
    out = tmp_path / "mixed"
    write_dist(out, base=base_iri, notes=8, extra_ntriples=2000)
    store = oxigraph_server(oxigraph.base_url, retry=FAST_RETRY)
    report = push(out, store, upload_bytes=0, batch_bytes=BATCH_BYTES, chunk_bytes=20_000)
    assert report.verified == 11
    staging = store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                           "FILTER(STRSTARTS(STR(?g), \"urn:kgpub:staging:\")) }")
    assert staging == []
    assert graph_counts(store, [f"{base_iri}graph/primekg"]) == {f"{base_iri}graph/primekg": 2000}
    write_dist(out, base=base_iri, notes=3, extra_ntriples=2000)  # five notes deleted
    again = push(out, store, upload_bytes=0, batch_bytes=BATCH_BYTES)
    assert sorted(o.iri.rsplit("/", 1)[-1] for o in again.removed) == ["bad", "foxo1", "foxo3", "gsk3b", "nos3"]
    gone = [o.iri for o in again.removed]
    assert set(graph_counts(store, gone).values()) == {0}
    assert not set(gone) & set(read_state(store, state_graph_iri(base_iri)))


def test_virtuoso_takes_graphs_with_blank_nodes_on_the_staged_path(virtuoso, dist):
    store = _store("virtuoso", virtuoso.base_url)
    assert not store.insert_data_blank_nodes
    report = push(dist, store, upload_bytes=0, batch_bytes=BATCH_BYTES)
    assert len(report.pushed) == 10 and report.verified == 10
    _check_complete(store, dist)
