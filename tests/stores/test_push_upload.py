"""Graphs new to an Oxigraph server go in N-Quads uploads with their records, one atomic request per
batch: first-push content, few requests, nothing sent when nothing changed, an interrupted push
resumed by batch, a lost answer not sent twice, and readers that never see part of a graph."""

from __future__ import annotations

import threading
import time

import pytest

from distgen import write_bulk_graph, write_dist
from faultproxy import DROP_AFTER, ERROR_500
from servers import FAST_RETRY

from kgpub.errors import PushError
from kgpub.publish.batch import SmallGraph, plan_batches
from kgpub.publish.manifest import Manifest
from kgpub.publish.payload import DistReader
from kgpub.publish.push import graph_counts, push, read_state, state_graph_iri
from kgpub.publish.remote import RemoteStore, RetryPolicy, oxigraph_server, virtuoso_server
from kgpub.vocab import KGO

pytestmark = pytest.mark.server

UPLOAD_BYTES = 9000  # two or three note graphs of distgen per upload
OWL = "http://www.w3.org/2002/07/owl#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"


def _uploads(dist, only: set[str] | None = None) -> list[list[str]]:
    """The uploads a first push of the graphs of ``dist`` (or those in ``only``) sends, as IRIs."""
    reader = DistReader(dist)
    graphs = [SmallGraph(e, reader.quad_lines(e)) for e in sorted(Manifest.read(dist).graphs, key=lambda g: g.iri)
              if only is None or e.iri in only]
    return [[g.entry.iri for g in batch] for batch in plan_batches(graphs, UPLOAD_BYTES, 20_000)]


def _posts(proxy, path: str) -> int:
    return len([p for m, p, _ in proxy.seen if m == "POST" and p.startswith(path)])


def _check_complete(store, dist):
    manifest = Manifest.read(dist)
    assert graph_counts(store, [g.iri for g in manifest.graphs]) == {g.iri: g.triples for g in manifest.graphs}
    state = read_state(store, state_graph_iri(manifest.base_iri))
    assert {g: (r.digest, r.triples) for g, r in state.items()} == {
        g.iri: (g.digest, g.triples) for g in manifest.graphs}
    # 16 axiom blank nodes, each with exactly one source: none duplicated, none shared between graphs
    rows = store.select(f"SELECT ?g ?a (COUNT(?s) AS ?n) WHERE {{ GRAPH ?g {{ ?a a <{OWL}Axiom> ; "
                        f"<{OWL}annotatedSource> ?s }} FILTER(STRSTARTS(STR(?g), \"{manifest.base_iri}\")) }} "
                        f"GROUP BY ?g ?a")
    assert len(rows) == 16 and all(r["n"] == "1" for r in rows)


def test_oxigraph_takes_quads_uploads_and_virtuoso_does_not(oxigraph, virtuoso):
    assert oxigraph_server(oxigraph.base_url).atomic_quads_upload
    detected = RemoteStore(f"{oxigraph.base_url}/query", update_endpoint=f"{oxigraph.base_url}/update",
                           gsp_endpoint=f"{oxigraph.base_url}/store").detect()
    assert detected.atomic_quads_upload and detected.quads_params == {"no_transaction": ""}
    assert not virtuoso_server(virtuoso.base_url).atomic_quads_upload
    assert not RemoteStore(f"{oxigraph.base_url}/query").detect().atomic_quads_upload  # no GSP endpoint


def test_first_push_uploads_every_graph_with_its_record_in_few_requests(oxigraph, fault_proxy, dist, base_iri):
    proxy = fault_proxy(oxigraph.base_url)
    report = push(dist, oxigraph_server(proxy.url, retry=FAST_RETRY), upload_bytes=UPLOAD_BYTES)
    uploads = _uploads(dist)
    assert len(uploads) >= 4 and len(report.pushed) == 10 and report.verified == 10
    assert _posts(proxy, "/store") == len(uploads) and _posts(proxy, "/update") == 0
    direct = oxigraph_server(oxigraph.base_url, retry=FAST_RETRY)
    _check_complete(direct, dist)
    akt1_graph = f"{base_iri}note/garden/dev_admin/gene/akt1"
    akt1 = f"{base_iri}garden/dev_admin/gene/akt1"
    rows = direct.select(f"SELECT ?g ?l WHERE {{ GRAPH ?g {{ <{akt1}> <{RDFS_LABEL}> ?l }} }}")
    assert rows == [{"g": akt1_graph, "l": "AKT1"}]
    assert direct.ask(f"ASK {{ GRAPH <{akt1_graph}> {{ <{akt1}> <{SKOS_ALT}> \"AKT1 gene (edition 0)\"@en ; "
                      f"a <{KGO.Gene.value}> }} }}")
    assert direct.ask(f"ASK {{ GRAPH <{state_graph_iri(base_iri)}> {{ <{akt1_graph}> "
                      f"<http://rdfs.org/ns/void#triples> 28 }} }}")


def test_push_with_nothing_changed_sends_no_data(oxigraph, fault_proxy, dist):
    proxy = fault_proxy(oxigraph.base_url)
    store = oxigraph_server(proxy.url, retry=FAST_RETRY)
    push(dist, store)
    proxy.seen.clear()
    again = push(dist, store)
    assert again.pushed == [] and len(again.skipped) == 10 and again.verified == 10
    assert proxy.seen and {p.split("?")[0] for _, p, _ in proxy.seen} == {"/query"}


def test_interrupted_first_push_leaves_whole_uploads_and_resumes_by_upload(oxigraph, fault_proxy, dist, base_iri):
    proxy = fault_proxy(oxigraph.base_url)
    proxy.match = "/store"
    proxy.plan = [None, None] + [ERROR_500] * 50  # two uploads go through, then the store fails
    with pytest.raises(PushError) as caught:
        push(dist, oxigraph_server(proxy.url, retry=FAST_RETRY), upload_bytes=UPLOAD_BYTES, backoff=0.01)
    assert "all or nothing" in str(caught.value)
    uploads = _uploads(dist)
    direct = oxigraph_server(oxigraph.base_url, retry=FAST_RETRY)
    manifest = Manifest.read(dist)
    state = read_state(direct, state_graph_iri(base_iri))
    counts = graph_counts(direct, [g.iri for g in manifest.graphs])
    triples = {g.iri: g.triples for g in manifest.graphs}
    done = [iri for batch in uploads[:2] for iri in batch]
    assert sorted(state) == sorted(done)  # the first two uploads, recorded
    assert all(counts[i] == (triples[i] if i in done else 0) for i in triples)  # the rest: nothing at all
    proxy.plan = []
    proxy.seen.clear()
    report = push(dist, oxigraph_server(proxy.url, retry=FAST_RETRY), upload_bytes=UPLOAD_BYTES)
    assert sorted(o.iri for o in report.pushed) == sorted(i for b in uploads[2:] for i in b)
    assert sorted(o.iri for o in report.skipped) == sorted(done)
    assert _posts(proxy, "/store") == len(uploads) - 2
    _check_complete(direct, dist)


def test_upload_whose_answer_is_lost_is_not_sent_again(oxigraph, fault_proxy, dist):
    proxy = fault_proxy(oxigraph.base_url)
    proxy.match = "/store"
    proxy.plan = [None, DROP_AFTER]  # the second upload is committed, its answer lost
    report = push(dist, oxigraph_server(proxy.url, retry=FAST_RETRY), upload_bytes=UPLOAD_BYTES, backoff=0.01)
    uploads = _uploads(dist)
    assert _posts(proxy, "/store") == len(uploads)  # not one more: the records said it went through
    assert sorted(o.iri for o in report.pushed if o.attempts == 2) == sorted(uploads[1])
    _check_complete(oxigraph_server(oxigraph.base_url, retry=FAST_RETRY), dist)  # no duplicated blank node


def _poll(store, graph: str, state_graph: str, running: threading.Event, limit: float) -> list[tuple[int, str]]:
    """(triple count, recorded digest) of ``graph``, read in ONE query each time, until ``running``
    is cleared (at most ``limit`` seconds)."""
    query = (f"SELECT ?n ?d WHERE {{ {{ SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} }} "
             f"OPTIONAL {{ GRAPH <{state_graph}> {{ <{graph}> <{KGO.contentDigest.value}> ?d }} }} }}")
    seen: list[tuple[int, str]] = []
    deadline = time.monotonic() + limit
    while running.is_set() and time.monotonic() < deadline:
        row = store.select(query)[0]
        seen.append((int(row["n"]), row.get("d", "")))
        time.sleep(0.02)
    return seen


def _push_while_polling(dist, store, reader, graph: str, state_graph: str, **options):
    running = threading.Event()
    running.set()
    seen: list[tuple[int, str]] = []
    poller = threading.Thread(target=lambda: seen.extend(_poll(reader, graph, state_graph, running, 600)))
    poller.start()
    try:
        report = push(dist, store, **options)
    finally:
        running.clear()
        poller.join(timeout=60)
    return report, seen


@pytest.mark.slow
def test_upload_of_a_graph_larger_than_a_bulk_load_batch_is_atomic_for_readers(oxigraph, tmp_path, base_iri):
    """1.05M triples: more than one batch of Oxigraph's bulk loader (1M quads), which a loader without
    atomicity would write on its own; readers see no triple of the graph, or all with its record."""
    out = tmp_path / "big"
    manifest = write_dist(out, base=base_iri, notes=2, extra_ntriples=1_050_000)
    big = next(g for g in manifest.graphs if g.triples == 1_050_000)
    store = oxigraph_server(oxigraph.base_url, retry=RetryPolicy(attempts=2, timeout=600))
    reader = oxigraph_server(oxigraph.base_url, retry=FAST_RETRY)
    report, seen = _push_while_polling(out, store, reader, big.iri, state_graph_iri(base_iri))
    assert big.iri in {o.iri for o in report.pushed} and report.verified == len(manifest.graphs)
    assert len(seen) >= 5 and (0, "") in seen  # it was read before the commit
    assert set(seen) <= {(0, ""), (big.triples, big.digest)}


@pytest.mark.parametrize("path", ["difference", "staged"])
def test_replace_of_a_graph_the_store_holds_is_atomic_for_readers(oxigraph, fault_proxy, tmp_path, base_iri, path):
    """A new version of a 30,000-triple graph, by one update of its difference (1,000 triples more)
    or on the staged path (staging upload, one DROP ; ADD update): readers see the old graph with its
    record or the new one with its own, nothing between."""
    out = tmp_path / "large"
    manifest = write_dist(out, base=base_iri, notes=2, extra_ntriples=30_000)
    old = next(g for g in manifest.graphs if g.triples == 30_000)
    push(out, oxigraph_server(oxigraph.base_url, retry=FAST_RETRY))
    new = write_bulk_graph(out, old.iri, 31_000)
    manifest.graphs = [new if g.iri == old.iri else g for g in manifest.graphs]
    manifest.write(out)
    proxy = fault_proxy(oxigraph.base_url)
    store = oxigraph_server(proxy.url, retry=FAST_RETRY)
    options = {"difference_triples": 0} if path == "staged" else {}
    report, seen = _push_while_polling(out, store, oxigraph_server(oxigraph.base_url, retry=FAST_RETRY),
                                       old.iri, state_graph_iri(base_iri), chunk_bytes=200_000, **options)
    assert [o.iri for o in report.pushed] == [old.iri] and report.verified == len(manifest.graphs)
    uploads = _posts(proxy, "/store")
    assert (uploads == 0 and _posts(proxy, "/update") == 1) if path == "difference" else uploads >= 5
    assert len(seen) >= 5 and (old.triples, old.digest) in seen
    assert set(seen) <= {(old.triples, old.digest), (new.triples, new.digest)}
    assert graph_counts(store, [old.iri]) == {old.iri: 31_000}
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    gene = "https://www.ncbi.nlm.nih.gov/gene/"
    assert store.ask(f'ASK {{ GRAPH <{old.iri}> {{ <{gene}0> {label} "gene 0 node 0" . '
                     f'<{gene}10000> {label} "gene 10000 node 30000" }} }}')  # in both versions; only the new
