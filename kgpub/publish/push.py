"""Push a build to a store: replace semantics, atomic per graph, incremental, verified.

For each named graph of ``DIST/manifest.json`` whose digest the store has not
recorded yet, :func:`push`:

1. drops the graph's staging graph (``urn:kgpub:staging:{hash}``) and sends the
   graph's N-Triples to it in chunks (blank-node groups kept whole), using the
   store's fastest load (Oxigraph: ``/store?no_transaction&lenient``);
2. runs ONE SPARQL Update (``DROP SILENT GRAPH target ; ADD staging TO target``
   plus the record of the graph's digest and triple count in the push-state graph
   ``B graph/push-state``), so readers see the old graph or the new one, never
   a mix, and a failed push leaves the old version in place; then, outside the
   commit, drops the staging graph.  (``MOVE`` would also delete the staging
   graph inside the transaction: on Oxigraph that is ~3.5x slower than
   ``DROP ; ADD`` for a 300k-triple graph, deletes costing as much as inserts;
   see docs/sparql.md for the measurements);
3. drops graphs the state records but the build no longer has (deleted notes);
4. compares every graph's triple count in the store with the manifest.

A transient failure while sending restarts that graph from its staging step
(with backoff); an interrupted push run again skips what was committed.

``atomic=False`` (``kgpub push --no-atomic``) trades step 2 for speed: the
graph's record is removed, the graph dropped and the chunks loaded straight
into it (Oxigraph: without a transaction), then recorded.  Replace, incremental
and verified still hold, but readers may see the graph half-loaded while it is
written, and a failed push leaves it partial (unrecorded, so the next push
rewrites it).  On Oxigraph this runs at about the loader's speed; the atomic
commit cannot (docs/sparql.md).
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ..errors import EndpointError, PushError, StoreError
from ..vocab import KGO, VOID
from .manifest import GraphEntry, Manifest
from .payload import DEFAULT_CHUNK_BYTES, DistReader
from .store import GraphStore

log = logging.getLogger(__name__)

DIGEST_PROPERTY = KGO.contentDigest.value
TRIPLES_PROPERTY = VOID.triples.value
STAGING_PREFIX = "urn:kgpub:staging:"


def state_graph_iri(base_iri: str) -> str:
    """The graph where a store records which build content it holds."""
    return f"{base_iri}graph/push-state"


def staging_graph_iri(iri: str) -> str:
    return STAGING_PREFIX + hashlib.sha256(iri.encode("utf-8")).hexdigest()[:32]


def _iri(iri: str) -> str:
    if any(c in iri for c in '<>"{}|^`\\ \n'):
        raise PushError(f"not a valid IRI for SPARQL: {iri!r}")
    return f"<{iri}>"


@dataclass(frozen=True)
class RecordedGraph:
    iri: str
    digest: str
    triples: int


@dataclass
class GraphOutcome:
    iri: str
    action: str  # pushed | skipped | removed
    triples: int
    seconds: float = 0.0
    attempts: int = 1


@dataclass
class PushReport:
    store: str
    outcomes: list[GraphOutcome] = field(default_factory=list)
    verified: int = 0
    seconds: float = 0.0

    def _of(self, action: str) -> list[GraphOutcome]:
        return [o for o in self.outcomes if o.action == action]

    @property
    def pushed(self) -> list[GraphOutcome]:
        return self._of("pushed")

    @property
    def skipped(self) -> list[GraphOutcome]:
        return self._of("skipped")

    @property
    def removed(self) -> list[GraphOutcome]:
        return self._of("removed")

    @property
    def triples_pushed(self) -> int:
        return sum(o.triples for o in self.pushed)

    def summary(self) -> str:
        return (f"{self.store}: {len(self.pushed)} graphs pushed ({self.triples_pushed} triples), "
                f"{len(self.skipped)} unchanged, {len(self.removed)} removed, "
                f"{self.verified} verified in {self.seconds:.1f} s")


def read_state(store: GraphStore, state_graph: str) -> dict[str, RecordedGraph]:
    """Which graphs (digest, triples) the store says it holds."""
    rows = store.select(
        f"SELECT ?g ?d ?n WHERE {{ GRAPH {_iri(state_graph)} {{ ?g <{DIGEST_PROPERTY}> ?d . "
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
        values = " ".join(_iri(g) for g in graphs[i:i + batch])
        rows = store.select(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
                            f"GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g")
        for row in rows:
            if row.get("g") in counts:
                counts[row["g"]] = int(row["n"])
    return counts


def _state_update(state_graph: str, iri: str, record: tuple[str, int] | None) -> str:
    s, g = _iri(state_graph), _iri(iri)
    text = f"DELETE {{ GRAPH {s} {{ {g} ?p ?o }} }} WHERE {{ GRAPH {s} {{ {g} ?p ?o }} }}"
    if record is not None:
        digest, triples = record
        text += (f" ;\nINSERT DATA {{ GRAPH {s} {{ {g} <{DIGEST_PROPERTY}> \"{digest}\" ; "
                 f"<{TRIPLES_PROPERTY}> {int(triples)} }} }}")
    return text


def commit_update(iri: str, entry_triples: int, digest: str, state_graph: str) -> str:
    """The one update that puts a staged graph in place and records it (the staging graph is
    dropped afterwards, outside this transaction)."""
    text = f"DROP SILENT GRAPH {_iri(iri)}"
    if entry_triples:
        text += f" ;\nADD SILENT {_iri(staging_graph_iri(iri))} TO {_iri(iri)}"
    return text + " ;\n" + _state_update(state_graph, iri, (digest, entry_triples))


@dataclass
class Pusher:
    """Pushes builds to one store; see the module docstring for the algorithm."""

    store: GraphStore
    chunk_bytes: int = DEFAULT_CHUNK_BYTES
    atomic: bool = True
    attempts: int = 4
    backoff: float = 0.5
    on_chunk: Callable[[str, int], None] | None = None  # (graph IRI, bytes sent)
    on_graph: Callable[[GraphOutcome], None] | None = None
    sleep: Callable[[float], None] = time.sleep

    def push(self, dist: Path, *, force: bool = False, verify: bool = True) -> PushReport:
        started = time.monotonic()
        manifest = Manifest.read(dist)
        reader = DistReader(Path(dist))
        state_graph = state_graph_iri(manifest.base_iri)
        report = PushReport(self.store.name)
        state = read_state(self.store, state_graph)
        for entry in sorted(manifest.graphs, key=lambda g: g.iri):
            recorded = state.get(entry.iri)
            if not force and recorded is not None and recorded.digest == entry.digest:
                self._done(report, GraphOutcome(entry.iri, "skipped", entry.triples))
                continue
            self._done(report, self._replace(reader, entry, state_graph))
        wanted = {g.iri for g in manifest.graphs}
        for iri in sorted(set(state) - wanted):
            t0 = time.monotonic()
            self._update(f"DROP SILENT GRAPH {_iri(iri)} ;\n" + _state_update(state_graph, iri, None))
            self._done(report, GraphOutcome(iri, "removed", state[iri].triples, time.monotonic() - t0))
        if verify:
            report.verified = self.verify(manifest)
        report.seconds = time.monotonic() - started
        return report

    def verify(self, manifest: Manifest) -> int:
        """Compare the store's triple count of every graph with the manifest; raise on a mismatch."""
        counts = graph_counts(self.store, [g.iri for g in manifest.graphs])
        bad = [f"{g.iri}: store has {counts[g.iri]}, build has {g.triples}"
               for g in manifest.graphs if counts[g.iri] != g.triples]
        if bad:
            more = f" (and {len(bad) - 10} more)" if len(bad) > 10 else ""
            raise PushError(f"{self.store.name}: verification failed for {len(bad)} graph(s): "
                            + "; ".join(bad[:10]) + more)
        return len(counts)

    def _done(self, report: PushReport, outcome: GraphOutcome) -> None:
        report.outcomes.append(outcome)
        if self.on_graph is not None:
            self.on_graph(outcome)

    def _update(self, text: str) -> None:
        try:
            self.store.update(text)
        except EndpointError as error:
            raise PushError(f"{self.store.name}: {error}") from None

    def _replace(self, reader: DistReader, entry: GraphEntry, state_graph: str) -> GraphOutcome:
        t0 = time.monotonic()
        staging = staging_graph_iri(entry.iri) if self.atomic else entry.iri
        if not self.atomic:  # from here on the graph may be partial: never let it look pushed
            self._update(_state_update(state_graph, entry.iri, None))
        for attempt in range(1, self.attempts + 1):
            try:
                self.store.update(f"DROP SILENT GRAPH {_iri(staging)}")
                for chunk in reader.chunks(entry, self.chunk_bytes):
                    self.store.add_ntriples(staging, chunk)
                    if self.on_chunk is not None:
                        self.on_chunk(entry.iri, len(chunk))
                if self.atomic:
                    self._commit(entry, state_graph)
                    self._discard(staging)
                else:
                    self.store.update(_state_update(state_graph, entry.iri, (entry.digest, entry.triples)))
                return GraphOutcome(entry.iri, "pushed", entry.triples, time.monotonic() - t0, attempt)
            except EndpointError as error:
                if self.atomic and (not error.retryable or attempt == self.attempts):
                    self._discard(staging)
                left = ("its previous version is unchanged" if self.atomic
                        else "it may be partial (--no-atomic) and will be rewritten by the next push")
                if not error.retryable:
                    raise PushError(f"{self.store.name}: pushing {entry.iri} failed, {left}: {error}") from None
                if attempt == self.attempts:
                    raise PushError(f"{self.store.name}: pushing {entry.iri} failed after {attempt} attempts, "
                                    f"{left}: {error}") from None
                delay = self.backoff * 2 ** (attempt - 1)
                log.warning("%s: %s; restarting graph %s in %.1f s", self.store.name, error, entry.iri, delay)
                self.sleep(delay)
        raise AssertionError("unreachable")

    def _discard(self, staging: str) -> None:
        """Best effort: remove a staging graph after a commit or a failure (the store may be
        unreachable; the next push of the graph drops it first anyway)."""
        try:
            self.store.update(f"DROP SILENT GRAPH {_iri(staging)}", retry=False)
        except StoreError as error:
            log.warning("%s: could not drop staging graph %s: %s", self.store.name, staging, error)

    def _commit(self, entry: GraphEntry, state_graph: str) -> None:
        """Run the commit update once; if its outcome is unknown, look at the recorded state."""
        text = commit_update(entry.iri, entry.triples, entry.digest, state_graph)
        try:
            self.store.update(text, retry=False)
        except EndpointError as error:
            if not error.retryable:
                raise
            recorded = read_state(self.store, state_graph).get(entry.iri)
            if recorded is not None and recorded.digest == entry.digest:
                return  # the commit went through; only its answer was lost
            raise


def push(dist: Path, store: GraphStore, *, force: bool = False, verify: bool = True,
         chunk_bytes: int = DEFAULT_CHUNK_BYTES, **options) -> PushReport:
    """Push the build in ``dist`` to ``store``; see :class:`Pusher`."""
    try:
        return Pusher(store, chunk_bytes=chunk_bytes, **options).push(dist, force=force, verify=verify)
    except StoreError as error:
        if isinstance(error, PushError):
            raise
        raise PushError(str(error)) from error
