"""Push a build to a store: replace semantics, atomic per graph, incremental, verified.

For the named graphs of ``DIST/manifest.json`` whose digest the store has not recorded yet,
:class:`Pusher`:

0. on a store whose N-Quads upload is one atomic request (Oxigraph's ``/store``), uploads the graphs
   it holds neither as named graphs nor in its records (a first push: every graph) as N-Quads,
   with their records, ONE request per batch of at most ``upload_bytes`` (:mod:`kgpub.publish.upload`),
   a graph in its own files in a request of its own; a batch whose answer was lost is looked up in
   the records before it is sent again;
1. sends the (other) small ones (graphs of ``kg.nq`` up to ``batch_bytes`` of N-Triples: notes, usually
   every graph of a garden; on a store that refuses blank nodes in ``INSERT DATA``, Virtuoso, only
   those without blank nodes) in batches, ONE SPARQL Update per batch of at most ``batch_bytes``
   (:mod:`kgpub.publish.batch`): each graph of the batch dropped, inserted and recorded in the
   push-state graph ``B graph/push-state`` in that one request, so readers see the old graph or the
   new one, and a failed batch leaves its graphs' old versions and records.  The update is
   idempotent, so a batch whose answer was lost is simply sent again;
2. replaces each large graph (and every graph in its own files, such as PrimeKG shards) that the
   store holds, when neither version has blank nodes and they differ in at most half of the
   triples, by ONE update of its difference with its record (:mod:`kgpub.publish.difference`:
   the store's version read by a Graph Store ``GET``); else sends it through a
   staging graph (``urn:kgpub:staging:{hash}``): its N-Triples in chunks (blank-node groups kept
   whole) with the store's fastest load (Oxigraph: ``/store?no_transaction&lenient``), then ONE
   update ``DROP SILENT GRAPH target ; ADD staging TO target`` + its record, then, outside the
   commit, a drop of the staging graph.  (``MOVE`` would also delete the staging graph inside the
   transaction: on Oxigraph ~3.5x slower than ``DROP ; ADD`` for a 300k-triple graph, see
   docs/sparql.md);
3. drops graphs the state records but the build no longer has (deleted notes), in batches;
4. compares every graph's triple count in the store, and the digest it records, with the manifest.

An interrupted push run again skips what was committed: whole batches and whole large graphs.
A transient failure restarts a batch, or a large graph from its staging step (with backoff).

``atomic=False`` (``kgpub push --no-atomic``) changes step 2 only: the graph's record is removed,
the graph dropped and the chunks loaded straight into it (Oxigraph: without a transaction), then
recorded.  Readers may see such a graph half-loaded while it is written, and a failed push leaves
it partial (unrecorded, so the next push rewrites it).
"""

from __future__ import annotations

import hashlib
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ..errors import EndpointError, PushError, StoreError
from .batch import (DEFAULT_BATCH_BYTES, DEFAULT_BATCH_GRAPHS, SmallGraph, batch_update, has_blank_nodes,
                    plan_batches, removal_update)
from .difference import difference, difference_update, ntriples_lines
from .manifest import GraphEntry, Manifest
from .payload import DEFAULT_CHUNK_BYTES, DistReader
from .state import RecordedGraph, graph_counts, read_state, sparql_iri, state_graph_iri, state_update
from .store import GraphStore
from .upload import DEFAULT_UPLOAD_BYTES, batch_body, file_graph_body, record_quads

log = logging.getLogger(__name__)

STAGING_PREFIX = "urn:kgpub:staging:"


def staging_graph_iri(iri: str) -> str:
    return STAGING_PREFIX + hashlib.sha256(iri.encode("utf-8")).hexdigest()[:32]


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


def commit_update(iri: str, entry_triples: int, digest: str, state_graph: str) -> str:
    """The one update that puts a staged graph in place and records it (the staging graph is
    dropped afterwards, outside this transaction)."""
    text = f"DROP SILENT GRAPH {sparql_iri(iri)}"
    if entry_triples:
        text += f" ;\nADD SILENT {sparql_iri(staging_graph_iri(iri))} TO {sparql_iri(iri)}"
    return text + " ;\n" + state_update(state_graph, iri, (digest, entry_triples))


@dataclass
class Pusher:
    """Pushes builds to one store; see the module docstring for the algorithm."""

    store: GraphStore
    chunk_bytes: int = DEFAULT_CHUNK_BYTES
    atomic: bool = True
    batch_bytes: int = DEFAULT_BATCH_BYTES  # graphs of kg.nq up to this size share update requests; 0: none
    batch_graphs: int = DEFAULT_BATCH_GRAPHS
    upload_bytes: int = DEFAULT_UPLOAD_BYTES  # new graphs per N-Quads upload (atomic stores); 0: never upload
    difference_triples: int = 5_000_000  # large graphs up to this size are replaced by their difference; 0: never
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
        held = self.store.named_graphs() if self.upload_bytes > 0 and self.store.atomic_quads_upload else None
        small: list[SmallGraph] = []
        large: list[GraphEntry] = []
        new_small: list[SmallGraph] = []
        new_files: list[GraphEntry] = []
        for entry in sorted(manifest.graphs, key=lambda g: g.iri):
            recorded = state.get(entry.iri)
            if not force and recorded is not None and recorded.digest == entry.digest:
                self._done(report, GraphOutcome(entry.iri, "skipped", entry.triples))
                continue
            if held is not None and recorded is None and entry.iri not in held:
                quads = reader.quad_lines(entry)
                if quads is None:
                    new_files.append(entry)
                else:
                    new_small.append(SmallGraph(entry, quads))  # N-Quads lines, for an upload
                continue
            lines = reader.lines(entry) if self.batch_bytes > 0 else None
            graph = SmallGraph(entry, lines) if lines is not None else None
            if (graph is not None and graph.size <= self.batch_bytes
                    and (self.store.insert_data_blank_nodes or not has_blank_nodes(graph.lines))):
                small.append(graph)
            else:
                large.append(entry)
        self._drop_leftover_staging(manifest)
        uploads = list(plan_batches(new_small, self.upload_bytes, 10 * self.batch_graphs))
        with ThreadPoolExecutor(1) as prepare:  # the next upload's body is built while one is sent
            body = lambda b: b"".join(batch_body(b, state_graph))  # noqa: E731
            pending = prepare.submit(body, uploads[0]) if uploads else None
            for i, batch in enumerate(uploads):
                data = pending.result()
                pending = prepare.submit(body, uploads[i + 1]) if i + 1 < len(uploads) else None
                self._upload(report, [(g.entry, g.size) for g in batch], lambda: [data], state_graph)
        for entry in new_files:
            record = record_quads(state_graph, entry.iri, entry.digest, entry.triples)
            size = sum((Path(dist) / name).stat().st_size for name in entry.files)
            self._upload(report, [(entry, size)], lambda: file_graph_body(reader.blocks(entry), entry.iri, record),
                         state_graph)
        batches = list(plan_batches(small, self.batch_bytes, self.batch_graphs))
        with ThreadPoolExecutor(1) as prepare:  # the next batch's text is built while one is sent
            pending = prepare.submit(batch_update, batches[0], state_graph) if batches else None
            for i, batch in enumerate(batches):
                text = pending.result()
                pending = prepare.submit(batch_update, batches[i + 1], state_graph) if i + 1 < len(batches) else None
                self._push_batch(report, batch, text)
        for entry in large:
            self._done(report, self._replace(reader, entry, state_graph, held=entry.iri in state))
        wanted = {g.iri for g in manifest.graphs}
        gone = sorted(set(state) - wanted)
        for i in range(0, len(gone), self.batch_graphs):
            t0 = time.monotonic()
            iris = gone[i:i + self.batch_graphs]
            self._update(removal_update(iris, state_graph))
            for iri in iris:
                self._done(report, GraphOutcome(iri, "removed", state[iri].triples, (time.monotonic() - t0) / len(iris)))
        if verify:
            report.verified = self.verify(manifest)
        report.seconds = time.monotonic() - started
        return report

    def verify(self, manifest: Manifest) -> int:
        """Compare the store's triple count of every graph, and the digest it records, with the manifest;
        raise on a mismatch."""
        counts = graph_counts(self.store, [g.iri for g in manifest.graphs])
        recorded = read_state(self.store, state_graph_iri(manifest.base_iri))
        bad = [f"{g.iri}: store has {counts[g.iri]}, build has {g.triples}"
               for g in manifest.graphs if counts[g.iri] != g.triples]
        bad += [f"{g.iri}: store records digest {_short_digest(recorded.get(g.iri))}, build has {g.digest[:12]}"
                for g in manifest.graphs if recorded.get(g.iri) is None or recorded[g.iri].digest != g.digest]
        if bad:
            more = f" (and {len(bad) - 10} more)" if len(bad) > 10 else ""
            raise PushError(f"{self.store.name}: verification failed for {len(bad)} graph(s): "
                            + "; ".join(bad[:10]) + more)
        return len(counts)

    def _push_batch(self, report: PushReport, batch: list[SmallGraph], text: str) -> None:
        """Replace and record every graph of ``batch`` with its update ``text``, retried as a whole (it
        is idempotent); on failure the batch's graphs keep their previous versions and records."""
        t0 = time.monotonic()
        where = (f"a batch of {len(batch)} graphs ({batch[0].entry.iri}"
                 + (f" ... {batch[-1].entry.iri}" if len(batch) > 1 else "") + ")")
        attempt = self._send(lambda: self.store.update(text), f"pushing {where}",
                             "their previous versions are unchanged", "their previous versions are unchanged")
        seconds = (time.monotonic() - t0) / len(batch)
        for graph in batch:
            if self.on_chunk is not None:
                self.on_chunk(graph.entry.iri, graph.size)
            self._done(report, GraphOutcome(graph.entry.iri, "pushed", graph.entry.triples, seconds, attempt))

    def _upload(self, report: PushReport, sized: list[tuple[GraphEntry, int]], body: Callable[[], Iterable[bytes]],
                state_graph: str) -> None:
        """Add the graphs of ``sized`` (entry, bytes; none of which the store holds) and their records in one atomic
        N-Quads upload of ``body()``; after a failure whose outcome is unknown, the records say whether
        it went through before it is sent again (resending would duplicate blank nodes)."""
        t0 = time.monotonic()
        entries = [entry for entry, _ in sized]
        where = f"{entries[0].iri}" + (f" ... {entries[-1].iri} ({len(entries)} graphs)" if len(entries) > 1 else "")
        attempt = self._send(lambda: self.store.add_nquads(body()), f"uploading {where}", "nothing of it was added",
                             "an upload is all or nothing: the next push sends what is not recorded",
                             sent_already=lambda: self._recorded(entries, state_graph))
        seconds = (time.monotonic() - t0) / len(entries)
        for entry, size in sized:
            if self.on_chunk is not None:
                self.on_chunk(entry.iri, size)
            self._done(report, GraphOutcome(entry.iri, "pushed", entry.triples, seconds, attempt))

    def _send(self, send: Callable[[], None], what: str, left: str, left_after_attempts: str, *,
              sent_already: Callable[[], bool] | None = None) -> int:
        """Run ``send`` (one request), again after a retryable failure with exponential backoff, at most
        ``attempts`` times; return the attempt that went through.  ``sent_already``: asked before a resend
        whether the failed attempt went through after all (its answer lost), for requests that must not
        run twice.  ``what`` (``"pushing ..."``) and ``left`` (what the failure leaves) make the error."""
        for attempt in range(1, self.attempts + 1):
            try:
                if attempt > 1 and sent_already is not None and sent_already():
                    return attempt
                send()
                return attempt
            except EndpointError as error:
                if not error.retryable:
                    raise PushError(f"{self.store.name}: {what} failed, {left}: {error}") from None
                if attempt == self.attempts:
                    raise PushError(f"{self.store.name}: {what} failed after {attempt} attempts "
                                    f"({left_after_attempts}): {error}") from None
                delay = self.backoff * 2 ** (attempt - 1)
                log.warning("%s: %s; %s again in %.1f s", self.store.name, error, what, delay)
                self.sleep(delay)
        raise AssertionError("unreachable")

    def _recorded(self, entries: list[GraphEntry], state_graph: str) -> bool:
        state = read_state(self.store, state_graph)
        return all(state.get(e.iri) is not None and state[e.iri].digest == e.digest for e in entries)

    def _done(self, report: PushReport, outcome: GraphOutcome) -> None:
        report.outcomes.append(outcome)
        if self.on_graph is not None:
            self.on_graph(outcome)

    def _update(self, text: str) -> None:
        try:
            self.store.update(text)
        except EndpointError as error:
            raise PushError(f"{self.store.name}: {error}") from None

    def _replace(self, reader: DistReader, entry: GraphEntry, state_graph: str, *, held: bool) -> GraphOutcome:
        """Put ``entry`` in place; ``held``: the store records a version of it (then its difference
        may do)."""
        t0 = time.monotonic()
        if self.atomic and held and 0 < entry.triples <= self.difference_triples:
            if self._replace_by_difference(reader, entry, state_graph):
                return GraphOutcome(entry.iri, "pushed", entry.triples, time.monotonic() - t0)
        staging = staging_graph_iri(entry.iri) if self.atomic else entry.iri
        if not self.atomic:  # from here on the graph may be partial: never let it look pushed
            self._update(state_update(state_graph, entry.iri, None))
        for attempt in range(1, self.attempts + 1):
            try:
                self.store.update(f"DROP SILENT GRAPH {sparql_iri(staging)}")
                for chunk in reader.chunks(entry, self.chunk_bytes):
                    self.store.add_ntriples(staging, chunk)
                    if self.on_chunk is not None:
                        self.on_chunk(entry.iri, len(chunk))
                if self.atomic:
                    self._commit(entry, state_graph)
                    self._discard(staging)
                else:
                    self.store.update(state_update(state_graph, entry.iri, (entry.digest, entry.triples)))
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

    def _replace_by_difference(self, reader: DistReader, entry: GraphEntry, state_graph: str) -> bool:
        """Replace a graph the store holds by ONE update of its difference
        (:mod:`kgpub.publish.difference`); False when that does not fit (then the staged path runs)."""
        lines = reader.lines(entry)
        new = ntriples_lines(lines if lines is not None else (block for _, block in reader.blocks(entry)))
        try:
            old = ntriples_lines([self.store.read_ntriples(entry.iri)])
        except (EndpointError, StoreError) as error:
            log.warning("%s: cannot read %s to replace it by its difference (%s); staging it", self.store.name,
                        entry.iri, error)
            return False
        if not old:
            return False
        change = difference(old, new)
        if change is None:
            return False
        try:
            self.store.update(difference_update(entry.iri, change, state_graph, entry.digest, entry.triples))
        except EndpointError as error:
            raise PushError(f"{self.store.name}: replacing {entry.iri} ({len(change.gone)} triples out, "
                            f"{len(change.added)} in) failed, its previous version is unchanged: {error}") from None
        log.info("%s: %s replaced by its difference: %d triples out, %d in", self.store.name, entry.iri,
                 len(change.gone), len(change.added))
        return True

    def _drop_leftover_staging(self, manifest: Manifest) -> None:
        """Drop the staging graphs of this build's graphs that a failed push left behind (a graph now
        sent in a batch never goes through its staging graph, which would stay otherwise)."""
        ours = {staging_graph_iri(g.iri) for g in manifest.graphs}
        rows = self.store.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ }} "
                                 f"FILTER(STRSTARTS(STR(?g), \"{STAGING_PREFIX}\")) }}")
        left = sorted(r["g"] for r in rows if r.get("g") in ours)
        for i in range(0, len(left), self.batch_graphs):
            self._update(" ;\n".join(f"DROP SILENT GRAPH {sparql_iri(g)}" for g in left[i:i + self.batch_graphs]))

    def _discard(self, staging: str) -> None:
        """Best effort: remove a staging graph after a commit or a failure (the store may be
        unreachable; the next push of the graph drops it first anyway)."""
        try:
            self.store.update(f"DROP SILENT GRAPH {sparql_iri(staging)}", retry=False)
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


def _short_digest(recorded: RecordedGraph | None) -> str:
    return "none" if recorded is None else recorded.digest[:12]


def push(dist: Path, store: GraphStore, *, force: bool = False, verify: bool = True,
         chunk_bytes: int = DEFAULT_CHUNK_BYTES, **options) -> PushReport:
    """Push the build in ``dist`` to ``store``; see :class:`Pusher`."""
    try:
        return Pusher(store, chunk_bytes=chunk_bytes, **options).push(dist, force=force, verify=verify)
    except StoreError as error:
        if isinstance(error, PushError):
            raise
        raise PushError(str(error)) from error
