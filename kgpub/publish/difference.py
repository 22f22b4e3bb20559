"""The replace of a graph the store holds, by its difference: ONE update that deletes the triples only
the store's version has, inserts those only the build's version has, and replaces the graph's record.

An atomic replace must write inside one transaction, and on Oxigraph a transaction's cost grows
faster than its size (300,000 triples: ``DROP ; INSERT DATA`` of the whole graph 152 s, the staged
``DROP ; ADD`` 142 s plus 47 s to drop the staging graph, against 6.9 s for ``oxigraph load``; the
same replace by its difference of one triple: 2.0 s, docs/sparql.md).  So when a new version of a
large graph differs from the store's in few triples (a re-import of PrimeKG, an edited ontology),
push reads the store's version (Graph Store Protocol ``GET``, N-Triples), compares the lines, and
sends only the difference.  The update is idempotent (``DELETE DATA`` / ``INSERT DATA`` of fixed
triples), so it may be sent again after a lost answer.

Lines are compared as text: a triple written differently on the two sides (another escape) is
deleted and inserted again in the same update, which leaves it in place.  ``DELETE DATA`` cannot
name blank nodes, so graphs with blank nodes (on either side) keep the staged path, as do
differences larger than ``max_share`` of the graph (there the whole transaction costs as much).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .state import sparql_iri, state_update


@dataclass(frozen=True)
class Difference:
    """What one version of a graph has that the other has not, as N-Triples lines (no newline)."""

    gone: list[bytes]
    added: list[bytes]

    @property
    def size(self) -> int:
        return len(self.gone) + len(self.added)


def ntriples_lines(blocks: Iterable[bytes]) -> set[bytes]:
    """The distinct N-Triples lines of ``blocks`` (whole lines), stripped, without comments and blanks."""
    lines: set[bytes] = set()
    for block in blocks:
        lines.update(line.strip() for line in block.splitlines())
    lines.discard(b"")
    return {line for line in lines if not line.startswith(b"#")}


def difference(old: set[bytes], new: set[bytes], max_share: float = 0.5) -> Difference | None:
    """The difference from ``old`` to ``new``, or None when a line holds a blank node or the
    difference exceeds ``max_share`` of the new graph."""
    if any(b"_:" in line for line in old) or any(b"_:" in line for line in new):
        return None
    gone, added = sorted(old - new), sorted(new - old)
    if len(gone) + len(added) > max_share * max(len(new), 1):
        return None
    return Difference(gone, added)


def difference_update(iri: str, change: Difference, state_graph: str, digest: str, triples: int) -> str:
    """The one update that applies ``change`` to the graph ``iri`` and replaces its record."""
    g = sparql_iri(iri)
    parts: list[str] = []
    if change.gone:
        parts.append(f"DELETE DATA {{ GRAPH {g} {{\n" + b"\n".join(change.gone).decode("utf-8") + "\n} }")
    if change.added:
        parts.append(f"INSERT DATA {{ GRAPH {g} {{\n" + b"\n".join(change.added).decode("utf-8") + "\n} }")
    parts.append(state_update(state_graph, iri, (digest, triples)))
    return " ;\n".join(parts)
