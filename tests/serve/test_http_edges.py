"""RFC 9112 edge cases, limits and timeouts of the HTTP layer, on raw sockets against `kgpub serve`."""

from __future__ import annotations

import socket
import time

import pytest

from serving import serve, write_graphs_dist

Q = b"/sparql?query=ASK%7B%7D"
DATA = {"http://example.org/g": ["<http://example.org/s> <http://example.org/p> <http://example.org/o>"]}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("edges")
    s = serve(write_graphs_dist(root / "dist", DATA), root / "serve", "--idle-timeout", "2", "--max-connections", "40",
              "--frontends", "1")  # one process: the limit is that of the process the test connects to
    yield s
    s.stop()


def exchange(served, data: bytes, *, wait: float = 5) -> bytes:
    with socket.create_connection(("127.0.0.1", served.port), timeout=wait) as s:
        s.sendall(data)
        chunks = []
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(65536)
            except (TimeoutError, ConnectionResetError):
                break
            if not chunk:
                break
            chunks.append(chunk)
            if b"\r\n\r\n" in b"".join(chunks) and b"chunked" not in b"".join(chunks):
                head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
                length = [int(v.split(b":")[1]) for v in head.split(b"\r\n") if v.lower().startswith(b"content-length")]
                if length and len(body) >= length[0]:
                    break
        return b"".join(chunks)


def status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.") else 0


@pytest.mark.parametrize("request_bytes", [
    b"GET " + Q + b" HTTP/1.1\r\n\r\n",  # no Host
    b"GET " + Q + b" HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",  # two Host headers
    b"GET " + Q + b" HTTP/1.1\r\nHost : a\r\n\r\n",  # whitespace before the colon
    b"POST /sparql HTTP/1.1\r\nHost: a\r\nContent-Type: application/sparql-query\r\nContent-Length: +6\r\n\r\nASK {}",
    b"POST /sparql HTTP/1.1\r\nHost: a\r\nContent-Type: application/sparql-query\r\nContent-Length: 6\r\n"
    b"Transfer-Encoding: chunked\r\n\r\n6\r\nASK {}\r\n0\r\n\r\n",  # TE and CL
    b"POST /sparql HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\nContent-Length: 7\r\n\r\nASK {}",
], ids=["no-host", "two-hosts", "host-space", "cl-plus", "te-and-cl", "two-cl"])
def test_malformed_requests_get_400(served, request_bytes):
    assert status(exchange(served, request_bytes)) == 400


def test_chunked_body_http10_and_100_continue(served):
    chunked = exchange(served, b"POST /sparql HTTP/1.1\r\nHost: a\r\nContent-Type: application/sparql-query\r\n"
                               b"Transfer-Encoding: chunked\r\n\r\n3\r\nASK\r\n3\r\n {}\r\n0\r\n\r\n")
    assert status(chunked) == 200 and b'"boolean":true' in chunked
    old = exchange(served, b"GET " + Q + b" HTTP/1.0\r\n\r\n")
    assert status(old) == 200 and b'"boolean":true' in old
    with socket.create_connection(("127.0.0.1", served.port), timeout=5) as s:
        s.sendall(b"POST /sparql HTTP/1.1\r\nHost: a\r\nContent-Type: application/sparql-query\r\n"
                  b"Content-Length: 6\r\nExpect: 100-continue\r\n\r\n")
        assert s.recv(100).startswith(b"HTTP/1.1 100 Continue")
        s.sendall(b"ASK {}")
        answer = b""
        for _ in range(20):
            answer += s.recv(2000)
            if b'"boolean":true' in answer:
                break
        assert answer.startswith(b"HTTP/1.1 200") and b'"boolean":true' in answer


def test_pipelined_requests_are_answered_in_order(served):
    q1 = b"/sparql?query=SELECT%20%3Fx%20%7B%20BIND(1%20AS%20%3Fx)%20%7D"
    q2 = b"/sparql?query=SELECT%20%3Fx%20%7B%20BIND(2%20AS%20%3Fx)%20%7D"
    with socket.create_connection(("127.0.0.1", served.port), timeout=5) as s:
        s.sendall(b"GET " + q1 + b" HTTP/1.1\r\nHost: a\r\n\r\nGET " + q2 + b" HTTP/1.1\r\nHost: a\r\n\r\n")
        data = b""
        deadline = time.monotonic() + 5
        while data.count(b"HTTP/1.1 200") < 2 or not data.rstrip().endswith(b"}"):
            if time.monotonic() > deadline:
                break
            data += s.recv(4096)
    first, second = data.index(b'"value":"1"'), data.index(b'"value":"2"')
    assert first < second


def test_request_head_over_the_limit_gets_431(served):
    big = b"GET " + Q + b" HTTP/1.1\r\nHost: a\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n"
    assert status(exchange(served, big)) == 431


def test_idle_and_slow_loris_connections_are_closed(served):
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as s:
        started = time.monotonic()
        assert s.recv(10) == b""  # never sent a byte: closed by the server
        assert 1.5 < time.monotonic() - started < 6
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as s:
        started = time.monotonic()
        s.sendall(b"GET " + Q + b" HTTP/1.1\r\n")
        closed = False
        for _ in range(20):  # a header line every 0.4 s never completes the head
            try:
                s.sendall(b"X-A: b\r\n")
            except OSError:
                closed = True
                break
            time.sleep(0.4)
        assert closed and time.monotonic() - started < 6


def test_connection_limit_then_recovery(served):
    idle = [socket.create_connection(("127.0.0.1", served.port), timeout=5) for _ in range(45)]
    try:
        assert status(exchange(served, b"GET " + Q + b" HTTP/1.1\r\nHost: a\r\n\r\n")) == 503
    finally:
        pass
    time.sleep(3)  # the idle ones are closed by the server
    assert status(exchange(served, b"GET " + Q + b" HTTP/1.1\r\nHost: a\r\n\r\n")) == 200
    for s in idle:
        s.close()


def test_nosniff_cors_and_host_escaped_in_the_description(served):
    answer = exchange(served, b"GET /sparql HTTP/1.1\r\nHost: a\"> <x\r\nAccept: application/n-triples\r\n\r\n")
    assert status(answer) == 200
    head, _, body = answer.partition(b"\r\n\r\n")
    assert b"x-content-type-options: nosniff" in head.lower() and b"access-control-allow-origin: *" in head.lower()
    from pyoxigraph import RdfFormat, parse
    triples = list(parse(body, format=RdfFormat.N_TRIPLES))
    endpoints = {t.object.value for t in triples if t.predicate.value.endswith("#endpoint")}
    assert endpoints == {f"http://127.0.0.1:{served.port}/sparql"}
