"""Queries run in executor processes: runaway queries, the timeout, the memory budget, the queue,
the result cap and streaming, against a real `kgpub serve`."""

from __future__ import annotations

import json
import statistics
import threading
import time

import pytest
import requests

from serving import serve, write_graphs_dist

# 3,000 triples: a four-way cartesian product never ends, an ORDER BY over a two-way one is big
DATA = {"http://example.org/g": [f"<http://example.org/s{i}> <http://example.org/p{i % 7}> \"{i}\"" for i in range(3000)]}
RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
PROBE = "SELECT ?o { <http://example.org/s42> ?p ?o }"


def _serve_data(tmp_path_factory, name: str, *options: str):
    root = tmp_path_factory.mktemp(name)
    s = serve(write_graphs_dist(root / "dist", DATA), root / "serve", *options)
    yield s
    s.stop()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    yield from _serve_data(tmp_path_factory, "isolation", "--timeout", "6", "--executors", "2",
                           "--max-result-mb", "0.5", "--memory-mb", "300")


def test_probe_stays_fast_while_four_runaway_queries_run(served):
    answers: list[int] = []
    runaways = [threading.Thread(target=lambda: answers.append(
        requests.get(served.url, params={"query": RUNAWAY}, timeout=30).status_code)) for _ in range(4)]
    for t in runaways:
        t.start()
    time.sleep(1.5)  # the four are running, their executors slowed down and extras started
    latencies = []
    with requests.Session() as session:
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline and len(latencies) < 200:
            started = time.perf_counter()
            r = session.get(served.url, params={"query": PROBE}, timeout=10)
            latencies.append(time.perf_counter() - started)
            assert r.status_code == 200 and r.json()["results"]["bindings"][0]["o"]["value"] == "42"
    for t in runaways:
        t.join(timeout=30)
    assert answers == [503] * 4
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    assert len(latencies) >= 20 and p99 < 0.5, (len(latencies), statistics.median(latencies), p99)


def test_timeout_is_a_clear_503_and_the_server_goes_on(served):
    started = time.monotonic()
    r = requests.get(served.url, params={"query": RUNAWAY}, timeout=30)
    assert r.status_code == 503 and "6 s timeout" in r.text and "stopped" in r.text
    assert 5.5 < time.monotonic() - started < 15
    assert requests.get(served.url, params={"query": "ASK { ?s ?p ?o }"}, timeout=10).json()["boolean"] is True


def test_memory_budget(served):
    hungry = "SELECT ?a ?c ?d ?f { ?a ?b ?c . ?d ?e ?f } ORDER BY DESC(?c) ?f ?a ?d LIMIT 1"
    r = requests.get(served.url, params={"query": hungry}, timeout=30)
    assert r.status_code == 503 and "memory" in r.text and "300 MiB" in r.text, r.text
    assert requests.get(served.url, params={"query": PROBE}, timeout=10).status_code == 200


def test_an_answer_past_the_cap_after_streaming_began_is_cut_between_rows_and_closed(served):
    query = "SELECT * { ?s ?p ?o . ?s2 ?p2 ?o2 } LIMIT 100000"
    with requests.get(served.url, params={"query": query}, stream=True, timeout=30) as r:
        assert r.status_code == 200  # the first 256 KiB left before the cap (0.5 MiB) was reached
        body = b"".join(r.iter_content(65536))
    rows = json.loads(body)["results"]["bindings"]  # a whole document, cut between two rows
    assert 1000 < len(rows) < 100000 and set(rows[-1]) == {"s", "p", "o", "s2", "p2", "o2"}
    assert (1 << 19) <= len(body) <= (1 << 19) + 1024
    assert requests.get(served.url, params={"query": PROBE}, timeout=10).status_code == 200


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    yield from _serve_data(tmp_path_factory, "tiny", "--timeout", "4", "--executors", "1",
                           "--max-executors", "1", "--queue", "1")


def test_full_queue_is_refused_at_once_with_retry_after(tiny):
    threads = [threading.Thread(target=requests.get, args=(tiny.url,), kwargs={"params": {"query": RUNAWAY},
                                                                              "timeout": 30}) for _ in range(2)]
    for t in threads:
        t.start()
        time.sleep(0.4)
    started = time.monotonic()
    r = requests.get(tiny.url, params={"query": PROBE}, timeout=10)
    assert r.status_code == 503 and r.headers["Retry-After"] == "1" and "busy" in r.text
    assert time.monotonic() - started < 1
    for t in threads:
        t.join(timeout=30)


def test_large_select_streams_before_it_is_computed(tmp_path):
    big = {"http://example.org/g": [f"<http://example.org/s{i}> <http://example.org/p> \"{i}\"" for i in range(20000)]}
    s = serve(write_graphs_dist(tmp_path / "dist", big), tmp_path / "serve", "--timeout", "60")
    try:
        query = "SELECT * { ?s ?p ?o . ?s2 ?p ?o2 } LIMIT 3000000"
        started = time.perf_counter()
        with requests.get(s.url, params={"query": query}, headers={"Accept": "text/csv"}, stream=True,
                          timeout=60) as r:
            assert r.status_code == 200 and r.headers.get("Transfer-Encoding") == "chunked"
            first = next(r.iter_content(1024))
            first_at = time.perf_counter() - started
            assert first.startswith(b"o,o2,p,s,s2\r\n")
        assert first_at < 3, first_at
    finally:
        s.stop()
