"""Graphs a store does not hold yet, uploaded as N-Quads with their push-state records.

On a store whose N-Quads upload is one atomic request (:attr:`GraphStore.atomic_quads_upload`:
Oxigraph's ``/store``, with its bulk loader), a graph the store has neither in its named graphs
nor in its push-state records needs no drop: adding its triples *is* its replace.  So such graphs
go in batches, each ONE request holding the batch's triples and the records of its graphs
(``<g> kgo:contentDigest "hex" ; void:triples N`` in the push-state graph): readers and a later
push see every graph of the batch with its record, or none of them.  A graph in its own files
(a PrimeKG shard, a bulk graph) is one request of its own, streamed from its files.

The body is built from N-Triples lines: each line ``S P O .`` becomes ``S P O <g> .``.  Blank-node
labels get a prefix per graph of a batch (and per file of a graph), as in :mod:`kgpub.publish.batch`:
two graphs, or two files, never share a node.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from pyoxigraph import RdfFormat, parse

from ..errors import InputError
from .batch import SmallGraph, relabel
from .state import DIGEST_PROPERTY, TRIPLES_PROPERTY, sparql_iri

DEFAULT_UPLOAD_BYTES = 16 << 20  # measured on Oxigraph (10,000-note garden, 95 MB of N-Quads): requests
# of 4 and 16 MiB load in 1.25x the loader's time, 1 MiB in 1.5x (per-request cost of its bulk loader)
_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
_END = b" .\n"


def record_quads(state_graph: str, iri: str, digest: str, triples: int) -> bytes:
    """The N-Quads of ``iri``'s record in the push-state graph (the triples of
    :func:`kgpub.publish.state.record_triples`)."""
    g, s = sparql_iri(iri), sparql_iri(state_graph)
    return (f"{g} <{DIGEST_PROPERTY}> \"{digest}\" {s} .\n"
            f"{g} <{TRIPLES_PROPERTY}> \"{int(triples)}\"^^<{_XSD_INTEGER}> {s} .\n").encode("utf-8")


def to_nquads(block: bytes, graph: bytes, *, where: str = "") -> bytes:
    """N-Triples ``block`` (whole lines) as N-Quads in ``graph`` (``b"<iri>"``).

    Lines as kgpub and pyoxigraph write them all end with ``" .\\n"``, which only a line end can
    hold (N-Triples escapes newlines in literals): then one ``replace`` does it.  Other blocks
    (comments, CRLF, no space before the dot) go line by line through pyoxigraph's parser."""
    if not block:
        return b""
    if block.count(b"\n") == block.count(_END) and block.endswith(b"\n"):
        return block.replace(_END, b" " + graph + _END)
    out: list[bytes] = []
    for number, line in enumerate(block.splitlines(), 1):
        text = line.strip()
        if not text or text.startswith(b"#"):
            continue
        if text.endswith(b".") and b"#" not in text:
            out.append(text[:-1].rstrip() + b" " + graph + _END)
            continue
        try:
            out.extend(f"{t.subject} {t.predicate} {t.object} ".encode("utf-8") + graph + _END
                       for t in parse(line + b"\n", format=RdfFormat.N_TRIPLES))
        except SyntaxError as error:
            raise InputError(f"not valid N-Triples (line {number} of a block): {error}{where}") from error
    return b"".join(out)


def batch_body(batch: list[SmallGraph], state_graph: str, block_bytes: int = 1 << 20) -> Iterator[bytes]:
    """The body of one upload of the graphs of ``batch`` (from ``kg.nq``: their ``lines`` are N-Quads
    lines, :meth:`DistReader.quad_lines`) and their records, in blocks of about ``block_bytes``."""
    buf: list[bytes] = []
    size = 0
    for n, graph in enumerate(batch):
        block = b"".join(graph.lines)
        if b"_:" in block:  # labels prefixed per graph, on the N-Triples form of its lines
            iri = sparql_iri(graph.entry.iri).encode("utf-8")
            prefix = f"b{n}x".encode("ascii")
            block = to_nquads(b"".join(relabel(line[:line.rfind(b" <", 0, len(line) - 4)] + _END, prefix)
                                       for line in graph.lines), iri, where=f" in graph {graph.entry.iri}")
        buf.append(block)
        size += len(block)
        if size >= block_bytes:
            yield b"".join(buf)
            buf, size = [], 0
    buf.extend(record_quads(state_graph, g.entry.iri, g.entry.digest, g.entry.triples) for g in batch)
    yield b"".join(buf)


def file_graph_body(blocks: Iterable[tuple[int, bytes]], iri: str, record: bytes) -> Iterator[bytes]:
    """The body of the upload of one graph from its own files: ``blocks`` of N-Triples lines, each
    with the index of its file (blank-node labels get that prefix), then its ``record``."""
    graph = sparql_iri(iri).encode("utf-8")
    for index, block in blocks:
        if b"_:" in block:
            prefix = f"f{index}x".encode("ascii")
            block = b"".join(relabel(line, prefix) for line in block.splitlines(keepends=True))
        yield to_nquads(block, graph, where=f" in graph {iri}")
    yield record
