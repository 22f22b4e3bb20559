"""The push-state graph a store keeps (``B graph/push-state``): which graphs of a build it holds.

``<graph> kgo:contentDigest "hex" ; void:triples N`` per graph (``ontology/publishing.ttl``): read
before a push to skip unchanged graphs, written in the same update that puts a graph in place.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Iterable

from ..errors import PushError
from ..vocab import KGO, VOID
from .store import GraphStore

log = logging.getLogger(__name__)

DIGEST_PROPERTY = KGO.contentDigest.value
TRIPLES_PROPERTY = VOID.triples.value


def state_graph_iri(base_iri: str) -> str:
    """The graph where a store records which build content it holds."""
    return f"{base_iri}graph/push-state"


def sparql_iri(iri: str) -> str:
    """``<iri>`` for SPARQL text; refuses characters an IRI reference cannot hold."""
    if any(c in iri for c in '<>"{}|^`\\ \n'):
        raise PushError(f"not a valid IRI for SPARQL: {iri!r}")
    return f"<{iri}>"


@dataclass(frozen=True)
class RecordedGraph:
    iri: str
    digest: str
    triples: int


def read_state(store: GraphStore, state_graph: str) -> dict[str, RecordedGraph]:
    """Which graphs (digest, triples) the store says it holds."""
    rows = store.select(
        f"SELECT ?g ?d ?n WHERE {{ GRAPH {sparql_iri(state_graph)} {{ ?g <{DIGEST_PROPERTY}> ?d . "
        f"OPTIONAL {{ ?g <{TRIPLES_PROPERTY}> ?n }} }} }}")
    state: dict[str, RecordedGraph] = {}
    for row in rows:
        try:
            state[row["g"]] = RecordedGraph(row["g"], row["d"], int(row.get("n", "-1")))
        except (KeyError, ValueError):
            log.warning("%s: ignoring malformed push-state row %s", store.name, row)
    return state


def graph_counts(store: GraphStore, graphs: Iterable[str], batch: int = 100) -> dict[str, int]:
    """Triple count of each graph (0 for graphs the store does not have)."""
    graphs = list(graphs)
    counts = {g: 0 for g in graphs}
    for i in range(0, len(graphs), batch):
        values = " ".join(sparql_iri(g) for g in graphs[i:i + batch])
        rows = store.select(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
                            f"GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g")
        for row in rows:
            if row.get("g") in counts:
                counts[row["g"]] = int(row["n"])
    return counts


def forget(state_graph: str, iri: str) -> str:
    """The update operation that removes ``iri``'s record."""
    s, g = sparql_iri(state_graph), sparql_iri(iri)
    return f"DELETE {{ GRAPH {s} {{ {g} ?p ?o }} }} WHERE {{ GRAPH {s} {{ {g} ?p ?o }} }}"


def record_triples(iri: str, digest: str, triples: int) -> str:
    """The triples of ``iri``'s record, for an ``INSERT DATA`` into the state graph."""
    return f"{sparql_iri(iri)} <{DIGEST_PROPERTY}> \"{digest}\" ; <{TRIPLES_PROPERTY}> {int(triples)} ."


def state_update(state_graph: str, iri: str, record: tuple[str, int] | None) -> str:
    """Replace (``record`` = (digest, triples)) or remove (None) the record of ``iri``."""
    text = forget(state_graph, iri)
    if record is not None:
        digest, triples = record
        text += (f" ;\nINSERT DATA {{ GRAPH {sparql_iri(state_graph)} {{ "
                 f"{record_triples(iri, digest, triples)} }} }}")
    return text
