"""Push through a fault-injecting proxy: it completes correctly, or fails with the old version intact
and a re-run finishes the job.  Also: 4xx stops with the server's message; credentials stay secret."""

from __future__ import annotations

import logging

import pytest

from distgen import write_dist
from faultproxy import DELAY, DROP, DROP_AFTER, ERROR_500
from servers import FAST_RETRY, virtuoso_credentials

from kgpub.errors import PushError
from kgpub.publish.manifest import Manifest
from kgpub.publish.push import graph_counts, push
from kgpub.publish.remote import Credentials, RemoteStore, oxigraph_server, virtuoso_server

pytestmark = pytest.mark.server


def _labels(store, base_iri):
    rows = store.select(f"SELECT ?l WHERE {{ GRAPH <{base_iri}note/garden/dev_admin/gene/akt1> {{ "
                        f"<{base_iri}garden/dev_admin/gene/akt1> "
                        f"<http://www.w3.org/2004/02/skos/core#altLabel> ?l }} }}")
    return sorted(r["l"] for r in rows)


def _through(proxy_url: str, kind: str):
    if kind == "oxigraph":
        return oxigraph_server(proxy_url, retry=FAST_RETRY)
    return virtuoso_server(proxy_url, virtuoso_credentials(), retry=FAST_RETRY)


@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
def test_push_completes_through_drops_delays_and_500s(request, kind, fault_proxy, dist, base_iri):
    server = request.getfixturevalue(kind)
    proxy = fault_proxy(server.base_url, delay=0.3)
    proxy.plan = [None, ERROR_500, DROP, None, DELAY, None, None, DROP_AFTER, ERROR_500, None, ERROR_500]
    store = _through(proxy.url, kind)
    report = push(dist, store, chunk_bytes=600, upload_bytes=0, batch_bytes=0)  # the staged path, graph by graph
    assert report.verified == 10 and len(report.pushed) == 10
    assert any(o.attempts > 1 for o in report.pushed)
    assert [f for _, _, f in proxy.seen if f] == ["500", "drop", "delay", "drop-after", "500", "500"]
    direct = _through(server.base_url, kind)
    manifest = Manifest.read(dist)
    assert graph_counts(direct, [g.iri for g in manifest.graphs]) == {g.iri: g.triples for g in manifest.graphs}


@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
def test_failed_push_keeps_old_version_and_rerun_finishes(request, kind, fault_proxy, dist, base_iri):
    server = request.getfixturevalue(kind)
    direct = _through(server.base_url, kind)
    push(dist, direct)
    assert _labels(direct, base_iri) == ["AKT1 gene (edition 0)"]
    write_dist(dist, base=base_iri, edition=5)  # every note changes
    proxy = fault_proxy(server.base_url)
    proxy.plan = [None] * 12 + [ERROR_500] * 40  # the server "goes down" part-way
    with pytest.raises(PushError) as caught:
        push(dist, _through(proxy.url, kind), chunk_bytes=600, upload_bytes=0, batch_bytes=0)
    assert "previous version is unchanged" in str(caught.value)
    # graphs are either old or new, never mixed or missing, and the axioms are intact
    labels = _labels(direct, base_iri)
    assert labels in (["AKT1 gene (edition 0)"], ["AKT1 gene (edition 5)"])
    manifest = Manifest.read(dist)
    counts = graph_counts(direct, [g.iri for g in manifest.graphs])
    assert all(counts[g.iri] == g.triples for g in manifest.graphs)
    proxy.plan = []
    report = push(dist, _through(proxy.url, kind))  # batched: the staging graphs left are dropped
    assert report.verified == 10 and 0 < len(report.pushed) < 10 + 1
    assert _labels(direct, base_iri) == ["AKT1 gene (edition 5)"]
    left = direct.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                         "FILTER(STRSTARTS(STR(?g), \"urn:kgpub:staging:\")) }")
    assert left == []


def test_4xx_stops_at_once_with_the_servers_message(oxigraph):
    store = oxigraph_server(oxigraph.base_url, retry=FAST_RETRY)
    with pytest.raises(Exception) as caught:
        store.update("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> } }")
    assert "HTTP 400" in str(caught.value) and "retry" not in str(caught.value).lower()


def test_wrong_password_fails_without_leaking_it(virtuoso, dist, caplog):
    secret = "not-the-password-3141"
    store = virtuoso_server(virtuoso.base_url, Credentials("dba", secret, "digest"), retry=FAST_RETRY)
    with caplog.at_level(logging.DEBUG), pytest.raises(PushError) as caught:
        push(dist, store)
    assert "401" in str(caught.value)
    assert secret not in str(caught.value) and secret not in caplog.text and secret not in repr(store.credentials)


def test_basic_auth_rejected_by_digest_endpoint_is_clear(virtuoso):
    store = RemoteStore(f"{virtuoso.base_url}/sparql", update_endpoint=f"{virtuoso.base_url}/sparql-auth",
                        credentials=Credentials("dba", "x", "basic"), retry=FAST_RETRY)
    with pytest.raises(Exception) as caught:
        store.update("DROP SILENT GRAPH <urn:kgpub:none>")
    assert "401" in str(caught.value)


def test_unreachable_store_fails_after_bounded_retries(tmp_path, dist):
    from servers import free_port
    store = oxigraph_server(f"http://127.0.0.1:{free_port()}", retry=FAST_RETRY)
    with pytest.raises(PushError) as caught:
        push(dist, store)
    assert "connection failed" in str(caught.value)


def test_non_atomic_push_failure_is_unrecorded_and_rerun_finishes(oxigraph, fault_proxy, dist, base_iri):
    """--no-atomic: a push that fails part-way leaves no graph recorded as pushed with partial content,
    and the next push rewrites what is missing."""
    from kgpub.publish.push import read_state, state_graph_iri

    direct = _through(oxigraph.base_url, "oxigraph")
    push(dist, direct, atomic=False, upload_bytes=0, batch_bytes=0)
    write_dist(dist, base=base_iri, edition=5)
    proxy = fault_proxy(oxigraph.base_url)
    proxy.plan = [None] * 12 + [ERROR_500] * 40
    with pytest.raises(PushError) as caught:
        push(dist, _through(proxy.url, "oxigraph"), chunk_bytes=600, atomic=False, upload_bytes=0, batch_bytes=0)
    assert "may be partial" in str(caught.value)
    manifest = Manifest.read(dist)
    state = read_state(direct, state_graph_iri(manifest.base_iri))
    counts = graph_counts(direct, [g.iri for g in manifest.graphs])
    for g in manifest.graphs:  # whatever is recorded with the new digest is complete
        if g.iri in state and state[g.iri].digest == g.digest:
            assert counts[g.iri] == g.triples
    report = push(dist, direct, atomic=False, upload_bytes=0, batch_bytes=0)
    assert report.pushed and report.verified == len(manifest.graphs)
    assert _labels(direct, base_iri) == ["AKT1 gene (edition 5)"]
