"""A build of 5,000 note graphs (250k quads, the size of a 5,000-note garden: what `kgpub serve`
could not start on, its graph list being 353 KB in an environment variable) is served: the graph
list reaches the server through no environment variable or command line, the loader takes one
pass, and a second start loads nothing.  The DIST is written directly (`kgpub build` of 5,000
notes takes minutes here; benchmarks/serve_startup.py serves a real 10,000-note build)."""

from __future__ import annotations

import time

import pytest
import requests

from conftest import serve, write_graphs_dist



def note_graphs(n: int, base: str = "https://example.org/kg/") -> dict[str, list[str]]:
    kgo, rdfs = "https://w3id.org/kgpub/ontology/", "http://www.w3.org/2000/01/rdf-schema#"
    out = {}
    for i in range(n):
        e = f"<{base}garden/dev_admin/gene/gene-{i}>"
        lines = [f"{e} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{kgo}Gene>", f'{e} <{rdfs}label> "GENE{i}"',
                 f"{e} <http://www.w3.org/2004/02/skos/core#exactMatch> <https://www.ncbi.nlm.nih.gov/gene/{100000 + i}>"]
        lines += [f"{e} <{kgo}inhibits> <{base}garden/dev_admin/gene/gene-{(i * 7 + k) % n}>" for k in range(47)]
        out[f"{base}note/garden/dev_admin/gene/gene-{i}"] = lines
    return out


@pytest.mark.slow
def test_a_5000_note_build_is_served(tmp_path):
    from kgpub.publish.manifest import Manifest

    write_graphs_dist(tmp_path / "dist", note_graphs(5000))
    graphs = Manifest.read(tmp_path / "dist").graphs
    assert len(graphs) == 5000
    started = time.monotonic()
    served = serve(tmp_path / "dist", tmp_path / "serve")
    first = time.monotonic() - started
    try:
        r = requests.get(served.url, params={"query": "SELECT (COUNT(DISTINCT ?g) AS ?n) { GRAPH ?g { ?s ?p ?o } }"},
                         timeout=60)
        assert r.status_code == 200
        assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == len(graphs)
        total = sum(g.triples for g in graphs)
        r = requests.get(served.url, params={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"}, timeout=60)
        assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == total
        described = requests.get(served.url, headers={"Accept": "application/n-triples"}, timeout=60)
        assert described.status_code == 200 and described.text.count("#name>") == len(graphs)
    finally:
        assert served.stop() == 0
    assert f"{len(graphs)} graphs loaded" in served.log()
    started = time.monotonic()
    again = serve(tmp_path / "dist", tmp_path / "serve")
    second = time.monotonic() - started
    try:
        r = requests.get(again.url, params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
        assert r.json()["boolean"] is True
    finally:
        again.stop()
    assert f"0 graphs loaded, {len(graphs)} unchanged" in again.log()
    assert second < first
