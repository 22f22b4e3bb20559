"""Many small graphs in one SPARQL Update: each replaced and recorded in the same request.

A batch is a list of graphs whose N-Triples together stay under a bounded size.  Its update is

    DROP SILENT GRAPH <g1> ; <forget g1's record> ; DROP SILENT GRAPH <g2> ; ... ;
    INSERT DATA { GRAPH <g1> { ... } GRAPH <g2> { ... } GRAPH <state> { <g1> digest, count ... } }

One request is one transaction on the stores kgpub supports, so each graph of the batch is
replaced atomically together with its record (readers see every graph of the batch old, or every
one new), and running the update twice gives the same result: a batch whose answer was lost can
simply be sent again.  Blank-node labels are scoped to one ``INSERT DATA``, so each graph's labels
get a prefix of the graph's place in the batch: two graphs never share a blank node.  Virtuoso
refuses blank nodes in ``INSERT DATA`` (and an ``INSERT ... WHERE {}`` template per graph soon
exceeds its limit on generated SQL), so for such a store graphs with blank nodes are not batched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from .manifest import GraphEntry
from .state import forget, record_triples, sparql_iri

DEFAULT_BATCH_BYTES = 1 << 20  # measured on Oxigraph: 1 MiB requests beat 250 kB (more requests) and
# 4 MiB (its transaction cost per triple grows with the transaction's size)
DEFAULT_BATCH_GRAPHS = 2000  # bound on the operations of one request, also for batches of removals

_SUBJECT = re.compile(rb"^_:([A-Za-z0-9_][A-Za-z0-9_.\-]*)")
_OBJECT = re.compile(rb" _:([A-Za-z0-9_][A-Za-z0-9_.\-]*) \.\s*$")


@dataclass(frozen=True)
class SmallGraph:
    """A graph of the build that goes in a batch: its manifest entry and its N-Triples lines (its
    N-Quads lines in an upload of :mod:`kgpub.publish.upload`)."""

    entry: GraphEntry
    lines: list[bytes]
    size: int = field(init=False)  # bytes of N-Triples

    def __post_init__(self) -> None:
        object.__setattr__(self, "size", sum(map(len, self.lines)))


def plan_batches(graphs: Iterable[SmallGraph], max_bytes: int = DEFAULT_BATCH_BYTES,
                 max_graphs: int = DEFAULT_BATCH_GRAPHS) -> Iterator[list[SmallGraph]]:
    """Consecutive graphs grouped in batches of at most ``max_bytes`` of N-Triples (a graph larger than
    that is a batch of its own) and ``max_graphs`` graphs."""
    batch: list[SmallGraph] = []
    size = 0
    for graph in graphs:
        if batch and (size + graph.size > max_bytes or len(batch) == max_graphs):
            yield batch
            batch, size = [], 0
        batch.append(graph)
        size += graph.size
    if batch:
        yield batch


def relabel(line: bytes, prefix: bytes) -> bytes:
    """``line`` with its blank-node subject and object labels prefixed (literals are left alone)."""
    if b"_:" not in line:
        return line
    line = _SUBJECT.sub(lambda m: b"_:" + prefix + m.group(1), line, count=1)
    return _OBJECT.sub(lambda m: b" _:" + prefix + m.group(1) + b" .\n", line, count=1)


def batch_update(batch: list[SmallGraph], state_graph: str) -> str:
    """The one update that replaces and records every graph of ``batch`` (see the module docstring)."""
    head: list[str] = []
    data: list[bytes] = [b"INSERT DATA {\n"]
    records: list[str] = []
    for n, graph in enumerate(batch):
        iri = sparql_iri(graph.entry.iri)
        head.append(f"DROP SILENT GRAPH {iri} ;\n{forget(state_graph, graph.entry.iri)} ;\n")
        records.append(record_triples(graph.entry.iri, graph.entry.digest, graph.entry.triples))
        if graph.lines:
            prefix = f"b{n}x".encode("ascii")
            data.append(f"GRAPH {iri} {{\n".encode("utf-8"))
            data.extend(relabel(line, prefix) for line in graph.lines)
            data.append(b"}\n")
    data.append(f"GRAPH {sparql_iri(state_graph)} {{\n{chr(10).join(records)}\n}}\n}}".encode("utf-8"))
    return "".join(head) + b"".join(data).decode("utf-8")


def has_blank_nodes(lines: list[bytes]) -> bool:
    """Whether any of the N-Triples ``lines`` has a blank-node subject or object."""
    return any(b"_:" in line and (line.startswith(b"_:") or _OBJECT.search(line) is not None) for line in lines)


def removal_update(iris: list[str], state_graph: str) -> str:
    """The one update that drops the graphs ``iris`` and their records."""
    return " ;\n".join(f"DROP SILENT GRAPH {sparql_iri(iri)} ;\n{forget(state_graph, iri)}" for iri in iris)
