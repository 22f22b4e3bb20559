"""The executor's two ways of writing a SELECT answer: whole, by pyoxigraph's serialiser, when it
fits in the buffer that is never streamed; else run again and written row by row, streamed in
frames that end between rows (a store opened in this process, frames read back)."""

from __future__ import annotations

import io
import json

import pyoxigraph as ox
import pytest

from kgpub.serve.executor import Executor, read_frame

FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
           "tsv": ox.QueryResultsFormat.TSV, "csv": ox.QueryResultsFormat.CSV}
MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
         "tsv": "text/tab-separated-values", "csv": "text/csv"}


@pytest.fixture(scope="module")
def executor(tmp_path_factory):
    path = tmp_path_factory.mktemp("executor") / "store"
    store = ox.Store(str(path))
    g = ox.NamedNode("http://example.org/g")
    store.extend([ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"),
                          ox.Literal(f"value {i} with some text to make the rows longer"), g) for i in range(8000)])
    store.flush()
    del store
    return Executor(str(path), writable=False)


def run(executor: Executor, text: str, name: str, **extra) -> list[tuple[bytes, bytes]]:
    job = {"op": "query", "text": text, "accept": MEDIA[name], "format": None, "base_iri": "http://x/sparql",
           "default_graphs": [], "named_graphs": [], "cap": 64 << 20, "stream_after": 256 << 10,
           "generation": 0, "max_rows": 0, "timeout": 30, "soft_timeout": 29, **extra}
    out = io.BytesIO()
    executor.run(job, out)
    out.seek(0)
    frames = []
    while (frame := read_frame(out)) is not None:
        frames.append(frame)
    return frames


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_a_small_answer_is_pyoxigraphs_own_document(executor, name):
    text = "SELECT ?s ?o { ?s ?p ?o } ORDER BY ?s LIMIT 50"
    (kind, data), = run(executor, text, name)
    head, _, body = data.partition(b"\n")
    assert kind == b"A" and json.loads(head)["status"] == 200 and json.loads(head)["cut"] is None
    expected = executor.store.query(text, use_default_graph_as_union=True).serialize(format=FORMATS[name])
    assert body == expected


@pytest.mark.parametrize("name", ["json", "xml", "tsv"])
def test_a_large_answer_streams_between_rows_and_is_whole(executor, name):
    frames = run(executor, "SELECT ?s ?o { ?s ?p ?o }", name)
    kinds = [k for k, _ in frames]
    assert kinds[0] == b"H" and kinds[-1] == b"E" and set(kinds[1:-1]) == {b"D"} and len(kinds) > 3
    body = b"".join(d for k, d in frames if k == b"D")
    assert len(list(ox.parse_query_results(body, format=FORMATS[name]))) == 8000


def test_the_row_cap_still_cuts_a_small_answer_row_by_row(executor):
    (kind, data), = run(executor, "SELECT ?s { ?s ?p ?o } LIMIT 100", "json", max_rows=7)
    head, _, body = data.partition(b"\n")
    assert kind == b"A" and "7 rows" in json.loads(head)["cut"]
    assert len(json.loads(body)["results"]["bindings"]) == 7


GRAPH_MEDIA = {"turtle": "text/turtle", "ntriples": "application/n-triples", "rdfxml": "application/rdf+xml",
               "jsonld": "application/ld+json"}
PREFIXES = {"ex": "http://example.org/"}


def graph_body(frames: list[tuple[bytes, bytes]]) -> tuple[bytes, bytes]:
    """The kinds of the frames, and the document they carry."""
    kinds = b"".join(k for k, _ in frames)
    if kinds == b"A":
        return kinds, frames[0][1].partition(b"\n")[2]
    return kinds, b"".join(data for kind, data in frames if kind == b"D")


@pytest.mark.parametrize("name", sorted(GRAPH_MEDIA))
def test_a_small_graph_is_given_whole_and_equals_the_streamed_document(executor, name):
    """A CONSTRUCT under the stream size is one ``A`` frame, serialised by pyoxigraph in one call
    (with the job's prefixes in Turtle and RDF/XML); the same query streamed triple by triple (a
    tiny ``stream_after``) gives the same bytes."""
    text = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 40"
    media = {"accept": GRAPH_MEDIA[name], "prefixes": PREFIXES}
    whole_kinds, whole = graph_body(run(executor, text, "json", **media))
    streamed_kinds, streamed = graph_body(run(executor, text, "json", stream_after=64, **media))
    assert whole_kinds == b"A" and streamed_kinds.startswith(b"HD") and streamed_kinds.endswith(b"E")
    assert whole == streamed
    triples = list(executor.store.query(text, use_default_graph_as_union=True))
    fmt = ox.RdfFormat.from_media_type(GRAPH_MEDIA[name])
    assert whole == ox.serialize(triples, format=fmt, prefixes=PREFIXES if name in ("turtle", "rdfxml") else None)
    if name == "turtle":
        assert whole.startswith(b"@prefix ex: <http://example.org/> .")
