"""SERVICE and LOAD are refused on the parsed query: a corpus of bypass attempts, each refused with
403 by a real server, while a canary listener on 127.0.0.1 proves that no request left it."""

from __future__ import annotations

import time

import pytest
import requests

from serving import TOKEN, serve, write_graphs_dist
from kgpub.serve.backend import QueryFailed
from kgpub.serve.policy import Policy

DATA = {"http://example.org/g": ["<http://example.org/s> <http://example.org/p> <http://example.org/o>"]}


def corpus(port: int) -> list[str]:
    """Ways to hide a SERVICE clause from a check on the text; every one calls 127.0.0.1:port."""
    e = f"http://127.0.0.1:{port}/sparql"
    t = "{ ?s ?p ?o }"
    return [
        f"SELECT * {{ SERVICE <{e}> {t} }}",
        f"select * {{ service silent <{e}> {t} }}",
        f"SELECT * {{ ?a <http://x/\u00a0y> ?b . SERVICE <{e}> {t} }}",  # no-break space in an earlier IRI
        f"SELECT * {{ ?a <http://x/\u3000y> ?b . SERVICE <{e}> {t} }}",  # ideographic space
        f"SELECT * {{ ?a ?b \"x\u2028y\" . SERVICE <{e}> {t} }}",  # line separator in a literal
        f"SELECT * {{ ?a ?b \"x\u2029y\u0085\" . SERVICE <{e}> {t} }}",
        f"SELECT * {{ # a comment\rSERVICE <{e}> {t} }}",  # CR ends a comment for SPARQL
        f"SELECT * {{ #c\n SERVICE <{e}> {t} }}",
        f"SELECT * {{ SERV\\u0049CE <{e}> {t} }}",  # \\u escapes are expanded before parsing
        f"SELECT * {{ \\u0053\\u0045\\u0052\\u0056\\u0049\\u0043\\u0045 <{e}> {t} }}",
        f"PREFIX ep: <http://127.0.0.1:{port}/> SELECT * {{ SERVICE ep:sparql {t} }}",  # prefixed-name endpoint
        f"SELECT * {{ BIND(<{e}> AS ?ep) SERVICE ?ep {t} }}",  # variable endpoint
        f"SELECT * {{ VALUES ?ep {{ <{e}> }} SERVICE ?ep {t} }}",  # VALUES-bound IRI
        f"SELECT * {{ {{ SELECT * {{ SERVICE <{e}> {t} }} }} }}",  # subquery
        f"ASK {{ FILTER EXISTS {{ SERVICE <{e}> {t} }} }}",
        f"SELECT * {{ ?s ?p ?o MINUS {{ SERVICE <{e}> {t} }} }}",
        f"SELECT * {{ OPTIONAL {{ SERVICE SILENT <{e}> {t} }} }}",
        f"SELECT * {{ GRAPH ?g {{ SERVICE <{e}> {t} }} }}",
        f"SELECT * {{ {{ ?s ?p ?o }} UNION {{ SERVICE <{e}> {t} }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{e}> {t} }}",
        f"DESCRIBE ?s WHERE {{ SERVICE <{e}> {t} }}",
        f"SELECT * {{ ?s ?p \"\"\"multi\nline ' \" SERVICE\"\"\" . SERVICE <{e}> {t} }}",
        f"SELECT * WHERE {{ SeRvIcE <{e}> {t} }}",
        f"SELECT * {{ \u00a0SERVICE\u00a0<{e}> {t} }}",
    ]


@pytest.fixture(scope="module")
def read_only(tmp_path_factory):
    root = tmp_path_factory.mktemp("policy")
    served = serve(write_graphs_dist(root / "dist", DATA), root / "serve")
    yield served
    served.stop()


def test_every_bypass_attempt_is_refused_and_nothing_leaves(read_only, canary):
    for query in corpus(canary.port):
        r = requests.post(read_only.url, data={"query": query}, timeout=30)
        assert r.status_code in (400, 403), (query, r.status_code, r.text)
        if r.status_code == 400:  # not SPARQL for the store either: it never ran
            assert "malformed" in r.text, (query, r.text)
        else:
            assert "SERVICE" in r.text
    time.sleep(0.3)
    assert canary.hits == 0


def test_the_parser_is_the_judge():
    policy = Policy()
    for query in corpus(9):
        with pytest.raises(QueryFailed) as refused:
            policy.check_query(query)
        assert refused.value.status in (400, 403), query
    # the word in a literal, an IRI or a comment is no clause
    policy.check_query('SELECT * { ?s <http://x/service> "SERVICE" } # SERVICE <http://x/>')
    policy.check_query("SELECT ?service { ?service ?p ?o }")
    assert Policy(allow_service=True).check_query(corpus(9)[0]) is None


def test_a_verdict_is_kept_for_the_same_text_and_still_refuses():
    from kgpub.serve.policy import _has_service

    policy = Policy()
    hidden = corpus(9)[2]  # a no-break space in an earlier IRI
    harmless = 'SELECT * { <http://x/service/1> ?p ?o }'
    for _ in range(3):
        with pytest.raises(QueryFailed) as refused:
            policy.check_query(hidden)
        assert refused.value.status == 403
        policy.check_query(harmless)
    before = _has_service.cache_info()
    policy.check_query(harmless)
    with pytest.raises(QueryFailed):
        policy.check_query(hidden)
    after = _has_service.cache_info()
    assert after.hits == before.hits + 2 and after.misses == before.misses
    with pytest.raises(QueryFailed) as malformed:  # a parse error is never kept as a verdict
        policy.check_query("SELECT * { SERVICE")
    assert malformed.value.status == 400
    with pytest.raises(QueryFailed):
        policy.check_query("SELECT * { SERVICE")
    # a text longer than what is kept is parsed each time, and judged alike
    long = hidden.replace("SELECT *", "SELECT * " + "#" * (17 << 10) + "\n")
    with pytest.raises(QueryFailed) as refused:
        policy.check_query(long)
    assert refused.value.status == 403 and _has_service.cache_info().currsize == after.currsize


def test_a_query_with_the_word_but_no_clause_runs(read_only):
    r = requests.get(read_only.url, params={"query": 'SELECT ?service { ?service ?p ?o FILTER(?o != "SERVICE") }'},
                     timeout=30)
    assert r.status_code == 200 and r.json()["results"]["bindings"][0]["service"]["value"] == "http://example.org/s"


@pytest.fixture(scope="module")
def updatable(tmp_path_factory):
    root = tmp_path_factory.mktemp("policy-rw")
    served = serve(write_graphs_dist(root / "dist", DATA), root / "serve", update=True)
    yield served
    served.stop()


def test_load_and_service_in_updates_are_refused(updatable, canary):
    e = f"http://127.0.0.1:{canary.port}/data.ttl"
    attempts = [f"LOAD <{e}>", f"LOAD SILENT <{e}> INTO GRAPH <http://g/>",
                f"PREFIX c: <http://127.0.0.1:{canary.port}/> LOAD c:data.ttl",
                f"INSERT DATA {{ <http://a/> <http://b/> \"\u00a0\" }} ; L\\u004fAD <{e}>",
                f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{e}> {{ ?s ?p ?o }} }}",
                f"# comment\rLOAD <{e}>"]
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
    for update in attempts:
        r = requests.post(updatable.url, data=update.encode(), headers=auth, timeout=30)
        assert r.status_code == 403, (update, r.status_code, r.text)
        assert "LOAD" in r.text or "SERVICE" in r.text
    time.sleep(0.3)
    assert canary.hits == 0
    # an allowed update still runs
    r = requests.post(updatable.url, data=b"INSERT DATA { GRAPH <http://example.org/g2> { <http://a/> <http://b/> 1 } }",
                      headers=auth, timeout=30)
    assert r.status_code == 204
    assert requests.get(updatable.url, params={"query": "ASK { GRAPH <http://example.org/g2> { <http://a/> ?p 1 } }"},
                        timeout=30).json()["boolean"] is True


def test_load_allow_list():
    allowed = Policy(load_allowed=frozenset({"http://example.org/data.ttl"}))
    allowed.check_update("LOAD <http://example.org/data.ttl>")
    allowed.check_update("PREFIX e: <http://example.org/> LOAD e:data.ttl INTO GRAPH <http://g/>")
    with pytest.raises(QueryFailed) as refused:
        allowed.check_update("LOAD <http://example.org/other.ttl>")
    assert refused.value.status == 403 and "http://example.org/data.ttl" in str(refused.value)
