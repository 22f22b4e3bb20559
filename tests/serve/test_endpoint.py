"""The SPARQL 1.1 Protocol server of `kgpub serve`, queried with plain HTTP, SPARQLWrapper and rdflib."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from pathlib import Path

import pytest
import requests
from pyoxigraph import RdfFormat, parse

from serving import TOKEN, serve
from kgpub.publish.store import load_build

AKT1 = "garden/dev_admin/gene/akt1"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from distgen import write_dist

    root = tmp_path_factory.mktemp("served")
    base = "https://example.org/kg/"
    write_dist(root / "dist", base=base)
    first = load_build(root / "dist", root / "serve" / "store", progress=False)
    second = load_build(root / "dist", root / "serve" / "store", progress=False)
    assert len(first.pushed) == 10 and second.pushed == [] and len(second.skipped) == 10
    server = serve(root / "dist", root / "serve", "--timeout", "2", "--max-result-mb", str(20_000 / (1 << 20)))
    yield server, base
    assert server.stop() == 0


def _get(server, **params):
    headers = params.pop("headers", {})
    return requests.get(server.url, params=params, headers=headers, timeout=10)


def test_get_post_form_and_post_direct_give_the_same_answer(served):
    server, base = served
    q = f"SELECT ?l WHERE {{ <{base}{AKT1}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}"
    answers = [
        requests.get(server.url, params={"query": q}, timeout=10),
        requests.post(server.url, data={"query": q}, timeout=10),
        requests.post(server.url, data=q.encode(), headers={"Content-Type": "application/sparql-query"}, timeout=10),
    ]
    for r in answers:
        assert r.status_code == 200 and r.headers["Content-Type"] == "application/sparql-results+json"
        assert r.json()["results"]["bindings"] == [{"l": {"type": "literal", "value": "AKT1"}}]
        assert r.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("accept,check", [
    ("application/sparql-results+xml", lambda t: "<literal>AKT1</literal>" in t),
    ("text/csv", lambda t: list(csv.reader(io.StringIO(t))) == [["l"], ["AKT1"]]),
    ("text/tab-separated-values", lambda t: t.splitlines() == ["?l", '"AKT1"']),
])
def test_select_result_formats(served, accept, check):
    server, base = served
    r = _get(server, query=f"SELECT ?l {{ <{base}{AKT1}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}",
             headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith(accept) and check(r.text)


@pytest.mark.parametrize("accept,fmt", [("text/turtle", RdfFormat.TURTLE), ("application/n-triples", RdfFormat.N_TRIPLES),
                                        ("application/ld+json", RdfFormat.JSON_LD)])
def test_construct_and_describe_formats(served, accept, fmt):
    server, base = served
    for q in (f"CONSTRUCT {{ <{base}{AKT1}> ?p ?o }} WHERE {{ <{base}{AKT1}> ?p ?o }}", f"DESCRIBE <{base}{AKT1}>"):
        r = _get(server, query=q, headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["Content-Type"].startswith(accept)
        triples = list(parse(r.content, format=fmt))
        assert len(triples) >= 8 and any(t.object.value == "AKT1" for t in triples)


def test_format_parameter_and_406(served):
    server, _ = served
    r = _get(server, query="ASK { ?s ?p ?o }", format="xml")
    assert r.status_code == 200 and "<boolean>true</boolean>" in r.text
    r = _get(server, query="SELECT * { ?s ?p ?o } LIMIT 1", headers={"Accept": "image/png"})
    assert r.status_code == 406 and "application/sparql-results+json" in r.text
    r = _get(server, query="CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", headers={"Accept": "text/csv"})
    assert r.status_code == 406


def test_union_default_graph_and_dataset_parameters(served):
    server, base = served
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    total = int(_get(server, query=count).json()["results"]["bindings"][0]["n"]["value"])
    assert total >= 239
    only = int(_get(server, query=count, **{"default-graph-uri": f"{base}graph/ontology"})
               .json()["results"]["bindings"][0]["n"]["value"])
    assert only == 11
    r = _get(server, query="SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
             **{"named-graph-uri": f"{base}note/{AKT1}"})
    assert [b["g"]["value"] for b in r.json()["results"]["bindings"]] == [f"{base}note/{AKT1}"]


def test_routes_by_path_and_method(served):
    server, _ = served
    base = server.server.base_url
    r = requests.post(base + "/.well-known/void", data=b"x", timeout=10)
    assert r.status_code == 405 and r.headers["Allow"] == "GET, HEAD"
    r = requests.get(base + "/sparql/", params={"query": "ASK { ?s ?p ?o }"}, timeout=10)
    assert r.status_code == 200 and r.json()["boolean"] is True
    r = requests.request("TRACE", server.url, timeout=10)
    assert r.status_code == 405 and "OPTIONS" in r.headers["Allow"]
    assert requests.head(base + "/.well-known/void", timeout=10).status_code == 200


def test_service_description_and_void(served):
    server, base = served
    r = requests.get(server.url, timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")
    void = requests.get(server.server.base_url + "/.well-known/void", timeout=10)
    assert void.status_code == 200 and void.content == r.content
    triples = list(parse(r.content, format=RdfFormat.TURTLE))
    preds = {t.predicate.value for t in triples}
    assert "http://www.w3.org/ns/sparql-service-description#endpoint" in preds
    assert "http://rdfs.org/ns/void#sparqlEndpoint" in preds
    names = {t.object.value for t in triples if t.predicate.value.endswith("#name")}
    assert f"{base}note/{AKT1}" in names and f"{base}graph/ontology" in names
    r = requests.get(server.url, headers={"Accept": "application/ld+json"}, timeout=10)
    assert r.status_code == 200 and json.loads(r.text)


def test_read_only_refuses_updates_and_graph_store_writes(served):
    server, _ = served
    r = requests.post(server.url, data={"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}, timeout=10)
    assert r.status_code == 403 and "read-only" in r.text
    r = requests.put(server.url.replace("/sparql", "/store") + "?graph=urn:g", data=b"", timeout=10)
    assert r.status_code == 403


def test_service_is_refused(served):
    server, _ = served
    r = _get(server, query="SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert r.status_code == 403 and "SERVICE" in r.text


def test_malformed_query_timeout_and_result_cap(served):
    server, _ = served
    r = _get(server, query="SELECT ?x WHERE { ?x ")
    assert r.status_code == 400 and "malformed query" in r.text and "1:" in r.text
    slow = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    r = _get(server, query=slow)
    assert r.status_code == 503 and "timeout" in r.text
    # the executor that ran it was ended: none of the server's processes keeps evaluating it
    import psutil
    deadline = time.monotonic() + 10
    def spinning(p: psutil.Process) -> bool:
        try:
            return p.cpu_percent(interval=0.2) > 50
        except psutil.Error:
            return False  # ended meanwhile

    while time.monotonic() < deadline:
        busy = [p for p in psutil.Process(server.server.proc.pid).children(recursive=True) if spinning(p)]
        if not busy:
            break
    assert busy == []
    r = _get(server, query="SELECT * { ?s ?p ?o }")
    assert r.status_code == 422 and "cap of 20000 bytes" in r.text
    # the workers were replaced: the server still answers
    assert _get(server, query="ASK { ?s ?p ?o }").json()["boolean"] is True


def test_cors_preflight(served):
    server, _ = served
    r = requests.options(server.url, headers={"Origin": "http://example.com",
                                              "Access-Control-Request-Method": "POST"}, timeout=10)
    assert r.status_code == 204 and "POST" in r.headers["Access-Control-Allow-Methods"]


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_sparqlwrapper_select_in_every_format(served, fmt):
    server, base = served
    import SPARQLWrapper as sw_module
    sw = sw_module.SPARQLWrapper(server.url)
    sw.setQuery(f"SELECT ?t WHERE {{ <{base}{AKT1}> a ?t }}")
    sw.setReturnFormat({"json": sw_module.JSON, "xml": sw_module.XML, "csv": sw_module.CSV, "tsv": sw_module.TSV}[fmt])
    result = sw.query().convert()
    if fmt == "json":
        assert result["results"]["bindings"] == [{"t": {"type": "uri", "value": "https://w3id.org/kgpub/ontology/Gene"}}]
    elif fmt == "xml":
        assert "https://w3id.org/kgpub/ontology/Gene" in result.toxml()
    else:
        text = result.decode() if isinstance(result, bytes) else result
        assert "https://w3id.org/kgpub/ontology/Gene" in text


@pytest.mark.parametrize("fmt", [None, "xml", "turtle", "n3", "jsonld"])
def test_sparqlwrapper_construct_and_describe(served, fmt):
    """SPARQLWrapper's default for CONSTRUCT/DESCRIBE sends format=xml with Accept: application/rdf+xml."""
    server, base = served
    import SPARQLWrapper as sw_module
    for query in (f"CONSTRUCT {{ <{base}{AKT1}> ?p ?o }} WHERE {{ <{base}{AKT1}> ?p ?o }}", f"DESCRIBE <{base}{AKT1}>"):
        sw = sw_module.SPARQLWrapper(server.url)
        sw.setQuery(query)
        if fmt:
            sw.setReturnFormat({"xml": sw_module.XML, "turtle": sw_module.TURTLE, "n3": sw_module.N3,
                                "jsonld": sw_module.JSONLD}[fmt])
        result = sw.query().convert()
        if fmt in (None, "xml", "jsonld"):  # rdflib graphs
            from rdflib import Literal
            assert Literal("AKT1") in set(result.objects())
        else:
            assert b"AKT1" in result


def test_rdflib_sparqlstore(served):
    server, base = served

    from rdflib import URIRef
    from rdflib.plugins.stores.sparqlstore import SPARQLStore
    store = SPARQLStore(server.url)
    result = list(store.query(f"SELECT ?o WHERE {{ <{base}{AKT1}> <http://www.w3.org/2004/02/skos/core#exactMatch> ?o }}"))
    assert [r[0] for r in result] == [URIRef("https://www.ncbi.nlm.nih.gov/gene/207")]
    assert store.query(f"ASK {{ <{base}{AKT1}> ?p ?o }}").askAnswer is True
    graph = store.query(f"CONSTRUCT {{ <{base}{AKT1}> ?p ?o }} WHERE {{ <{base}{AKT1}> ?p ?o }}").graph
    from rdflib import Literal
    assert (URIRef(f"{base}{AKT1}"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("AKT1")) in graph


def test_eight_concurrent_clients(served):
    server, base = served
    errors: list[str] = []
    answered = [0] * 8

    def client(i: int) -> None:
        with requests.Session() as s:
            for n in range(40):
                gene = ["akt1", "pten", "mtor", "gsk3b"][(i + n) % 4]
                q = f"SELECT ?l WHERE {{ <{base}garden/dev_admin/gene/{gene}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}"
                r = s.get(server.url, params={"query": q}, timeout=20)
                if r.status_code != 200 or r.json()["results"]["bindings"][0]["l"]["value"] != gene.upper():
                    errors.append(f"{r.status_code} {r.text[:100]}")
                answered[i] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == [] and answered == [40] * 8


def test_updates_with_token(tmp_path, monkeypatch):
    from distgen import write_dist
    write_dist(tmp_path / "dist", notes=3)
    server = serve(tmp_path / "dist", tmp_path / "serve", update=True)
    try:
        upd = "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> 'c' } }"
        r = requests.post(server.url, data={"update": upd}, timeout=10)
        assert r.status_code == 401
        r = requests.post(server.url, data={"update": upd}, headers={"Authorization": "Bearer wrong"}, timeout=10)
        assert r.status_code == 401
        r = requests.post(server.url, data=upd, headers={"Authorization": f"Bearer {TOKEN}",
                                                         "Content-Type": "application/sparql-update"}, timeout=10)
        assert r.status_code == 204
        assert _get(server, query="ASK { GRAPH <urn:g> { <urn:a> <urn:b> 'c' } }").json()["boolean"] is True
    finally:
        assert server.stop() == 0
