"""A query-executor process of ``kgpub serve`` (started by :class:`kgpub.serve.pool.PoolBackend`).

It opens the on-disk store (read-only, or writable for the one update executor), then answers
jobs from its stdin one at a time, on its stdout.  It never serves a connection: a runaway query
only keeps this process busy, and the pool ends it (SIGKILL) at the timeout.

Before anything else it gives itself a fresh network namespace (no interface but a down
loopback) unless federation or LOAD is allowed, so a query that slipped past the policy
(:mod:`.policy`) still could not reach any host; and its address space is capped
(``RLIMIT_AS``) at what it uses once the store is open plus the memory budget, so a query that
needs more fails with an allocation error (the process aborts and the pool says why).

Wire format, both ways: frames of ``kind`` (1 byte) + length (4 bytes, big endian) + payload.
Jobs are ``J`` frames (JSON; ``prefixes``, optional: the prefixes of a graph in Turtle or RDF/XML).  Answers: ``A`` (a whole answer: JSON head with status, media type
and ``cut``, the note of an answer that stopped early or null; a line feed; the body); or, for a
large one, ``H`` (JSON: status, media type, ``close``: what completes the document if this
process is ended mid-answer, or null where nothing can), then ``D`` chunks, each ending at a row
or statement boundary, then ``E``; or ``F`` (JSON: status, message) before any ``H``.

A SELECT or CONSTRUCT/DESCRIBE answer is first serialised whole by pyoxigraph (when no
``max_rows`` is set) into a buffer bounded at the size past which answers stream; only one that
does not fit there is run again and written row by row (:mod:`.results`) or triple by triple, so
that it can stream and stop between two rows.

An answer that must stop early (past ``max_rows`` rows, past the ``cap`` in bytes once it has
begun to stream, at ``soft_timeout`` seconds, a store error mid-way) stops between two rows or
triples and is closed as a whole document, with a note where the format has room for one (see
:mod:`.results` and docs/sparql.md).  Before anything has left, the byte cap, the timeout and a
store error are plain errors instead (422, 503, 500).
"""

from __future__ import annotations

import ctypes
import io
import json
import os
import resource
import signal
import struct
import sys
import time

from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions, QueryTriples, Store, serialize

from .media import PYOX_FORMATS, negotiate, offered
from .results import WRITERS, xml_comment

HEADER = struct.Struct(">cI")
CLONE_NEWNET, CLONE_NEWUSER = 0x40000000, 0x10000000


def isolate_network() -> bool:
    """Leave the host's network: a new network namespace (as root, else inside a user namespace)."""
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.unshare(CLONE_NEWNET) == 0 or libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0


def cap_address_space(budget: int) -> None:
    """Cap the virtual memory at what the process maps now plus ``budget`` bytes."""
    with open("/proc/self/statm") as statm:
        mapped = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    limit = mapped + budget
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


class Answer(io.RawIOBase):
    """Where an answer is written: buffers its head, then streams it in ``D`` frames.

    A frame only ever ends at a ``boundary`` (the end of a row, a triple or a statement; ``None``:
    every write ends at one), so whatever reached the front end can be closed by ``close``, the
    bytes the pool appends if this process is ended mid-answer (see :mod:`.pool`).
    """

    def __init__(self, out, media: str, stream_after: int, boundary: bytes | None, close: bytes | None):
        self.out, self.media, self.stream_after = out, media, stream_after
        self.boundary, self.close_with = boundary, close
        self.buffer = bytearray()
        self.size = 0
        self.started = False

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.size += len(data)
        self.buffer += data
        if len(self.buffer) >= self.stream_after:
            self._flush(final=False)
        return len(data)

    def _flush(self, final: bool) -> None:
        if not self.started:
            head = {"status": 200, "media": self.media, "close": None if self.close_with is None
                    else self.close_with.decode("utf-8")}
            send(self.out, b"H", json.dumps(head).encode())
            self.started = True
        cut = len(self.buffer)
        if not final and self.boundary is not None:
            at = self.buffer.rfind(self.boundary)
            if at >= 0:
                cut = at + len(self.boundary)
            elif len(self.buffer) < 4 * self.stream_after:
                return  # no boundary yet: wait for one (a very long statement goes out whole)
        if cut:
            send(self.out, b"D", bytes(self.buffer[:cut]))
            del self.buffer[:cut]
        self.out.flush()

    def finish(self, note: str | None) -> None:
        if self.started:
            self._flush(final=True)
            send(self.out, b"E", b"")
        else:  # the whole answer in one frame, one write
            head = json.dumps({"status": 200, "media": self.media, "cut": note}).encode()
            send(self.out, b"A", head + b"\n" + self.buffer)


#: For each graph format: where a frame may end, and the note closing a cut answer (None: no room).
_GRAPH_ENDS: dict[str, tuple[bytes | None, str | None]] = {
    "ntriples": (b"\n", "# kgpub: {}\n"),
    "turtle": (b" .\n", "# kgpub: {}\n"),
    "rdfxml": (b"</rdf:Description>\n", "\n{}\n"),
    "jsonld": (None, None),
}
_RDFXML_END = b"</rdf:RDF>"


class _Stop:
    """Decides where an answer stops early: the row cap, the byte cap, the deadline, a store error."""

    def __init__(self, answer: Answer, job: dict):
        self.answer = answer
        self.max_rows, self.cap = job.get("max_rows") or 0, job["cap"]
        self.deadline = time.monotonic() + max(job.get("soft_timeout") or 1e9, 0)
        self.rows = 0
        self.note: str | None = None
        self.timed_out = self.over_cap = self.failed = False

    def rows_of(self, items):
        """The items of ``items`` up to the first reason to stop (set in ``note``)."""
        iterator = iter(items)
        while True:
            try:
                item = next(iterator)
            except StopIteration:
                return
            except (OSError, ValueError, RuntimeError) as error:
                self.failed = True
                self.note = f"the answer was cut after {self.rows} rows: store error: {error}"
                return
            if self.max_rows and self.rows >= self.max_rows:
                self.note = f"the answer was cut at the result cap of {self.max_rows} rows"
                return
            if self.answer.size >= self.cap:
                self.over_cap = True
                self.note = f"the answer was cut after {self.rows} rows at the result cap of {self.cap} bytes"
                return
            if time.monotonic() > self.deadline:
                self.timed_out = True
                self.note = f"the answer was cut after {self.rows} rows at the query timeout"
                return
            self.rows += 1
            yield item


def send(out, kind: bytes, payload: bytes) -> None:
    out.write(HEADER.pack(kind, len(payload)))
    out.write(payload)


def fail(out, status: int, message: str) -> None:
    send(out, b"F", json.dumps({"status": status, "message": message}).encode())
    out.flush()


def read_frame(stream) -> tuple[bytes, bytes] | None:
    head = stream.read(HEADER.size)
    if len(head) < HEADER.size:
        return None
    kind, size = HEADER.unpack(head)
    return kind, stream.read(size)


class Executor:
    """Runs jobs on one store; ``job`` keys: op, text, accept, format, default_graphs, named_graphs,
    base_iri, cap, max_rows, stream_after, timeout, soft_timeout, generation, store (the path of
    the store to serve: it changes with the generation on a reload)."""

    def __init__(self, store_path: str, writable: bool):
        self.store_path, self.writable = store_path, writable
        self.generation = 0
        self.store = self._open()

    def _open(self) -> Store:
        if self.writable:
            return Store(self.store_path)
        for attempt in range(50):
            try:
                return Store.read_only(self.store_path)
            except (RuntimeError, OSError):  # the writer compacted files away while we read its manifest
                if attempt == 49:
                    raise
                time.sleep(0.02)
        raise AssertionError("unreachable")

    def run(self, job: dict, out) -> None:
        if job.get("generation", 0) != self.generation and not self.writable:
            del self.store  # an update was committed, or a new generation served, since it was opened
            self.store_path = job.get("store") or self.store_path
            self.store = self._open()
            self.generation = job["generation"]
        try:
            if job["op"] == "update":
                self.store.update(job["text"], base_iri=job.get("base_iri"))
                self.store.flush()
                send(out, b"A", json.dumps({"status": 204, "media": "text/plain"}).encode() + b"\n")
                out.flush()
                return
            options: dict = {"base_iri": job.get("base_iri")}
            if job.get("default_graphs"):
                options["default_graph"] = [NamedNode(g) for g in job["default_graphs"]]
            elif not job.get("named_graphs"):
                options["use_default_graph_as_union"] = True
            if job.get("named_graphs"):
                options["named_graphs"] = [NamedNode(g) for g in job["named_graphs"]]
            result = self.store.query(job["text"], **options)
        except SyntaxError as error:
            return fail(out, 400, f"malformed {job['op']}: {error}")
        except (OSError, ValueError) as error:
            return fail(out, 500, f"store error: {error}")
        kind = "results" if isinstance(result, (QuerySolutions, QueryBoolean)) else "graph"
        chosen = negotiate(job.get("accept"), job.get("format"), kind)
        if chosen is None:
            return fail(out, 406, f"cannot give this {kind} as {job.get('format') or job.get('accept')}; "
                                  f"offered: {offered(kind)}")
        name, media = chosen
        media += "; charset=utf-8" if media.startswith("text/") else ""
        if isinstance(result, QueryBoolean):
            answer = Answer(out, media, job["stream_after"], None, None)
            answer.write(WRITERS[name]().boolean(bool(result)))
            answer.finish(None)
            out.flush()
            return
        prefixes = job.get("prefixes") if name in ("turtle", "rdfxml") else None
        if not job.get("max_rows"):
            whole = _whole(result, PYOX_FORMATS[name], min(job["stream_after"], job["cap"]), prefixes)
            if isinstance(whole, str):
                return fail(out, 500, f"store error: {whole}")
            if whole is not None:  # the common case: a small answer, serialised by pyoxigraph
                send(out, b"A", json.dumps({"status": 200, "media": media, "cut": None}).encode() + b"\n" + whole)
                out.flush()
                return
            try:  # too large to give whole: again, row by row (triple by triple)
                result = self.store.query(job["text"], **options)
            except (OSError, ValueError) as error:
                return fail(out, 500, f"store error: {error}")
        if kind == "results":
            writer = WRITERS[name]()
            answer = Answer(out, media, job["stream_after"], None, writer.tail(_KILLED))
            stop = _Stop(answer, job)
            answer.write(writer.head(result.variables))
            for solution in stop.rows_of(result):
                answer.write(writer.row(solution))
            closing = writer.tail(stop.note)
        else:
            boundary, note = _GRAPH_ENDS[name]
            answer = Answer(out, media, job["stream_after"], boundary, _graph_close(name, note, _KILLED))
            stop = _Stop(answer, job)
            try:
                serialize(stop.rows_of(result), answer, PYOX_FORMATS[name], prefixes=prefixes)
            except (OSError, ValueError) as error:
                if not answer.started:
                    return fail(out, 500, f"store error: {error}")
                raise
            closing = _graph_note(name, note, stop.note)
        if stop.note is not None and not answer.started:  # nothing has left: a plain error is clearer
            if stop.over_cap:
                return fail(out, 422, f"the result is larger than the cap of {job['cap']} bytes; "
                                      "add a LIMIT or ask for less")
            if stop.timed_out:
                return fail(out, 503, f"the query did not finish within the {job.get('timeout', 0):g} s timeout")
            if stop.failed:
                return fail(out, 500, stop.note)
        answer.write(closing)
        answer.finish(stop.note)
        out.flush()


class _TooLarge(Exception):
    """Raised by :class:`_Bounded` to stop pyoxigraph's serialiser."""


class _Bounded:
    """A buffer pyoxigraph serialises into, refusing to hold more than ``limit`` bytes."""

    def __init__(self, limit: int):
        self.limit, self.parts, self.size = limit, [], 0

    def write(self, data) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise _TooLarge()
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def _whole(result: QuerySolutions | QueryTriples, fmt, limit: int,
           prefixes: dict[str, str] | None = None) -> bytes | str | None:
    """The whole results document or graph by pyoxigraph's own serialiser (one call, several times
    cheaper than handing it one row or triple at a time from here), or None when it is over
    ``limit`` bytes: then the query is run again and written row by row, to stream, stop and close
    between rows; a store error as its message."""
    buffer = _Bounded(limit)
    try:
        if isinstance(result, QueryTriples):
            serialize(result, buffer, fmt, prefixes=prefixes)
        else:
            result.serialize(buffer, format=fmt)
    except _TooLarge:
        return None
    except (OSError, ValueError, RuntimeError) as error:
        return str(error)
    return b"".join(buffer.parts)


_KILLED = "the answer was cut: the query passed its timeout or its memory budget and was stopped"


def _graph_note(name: str, template: str | None, note: str | None) -> bytes:
    if note is None or template is None:
        return b""
    return template.format(xml_comment(note) if name == "rdfxml" else note).encode()


def _graph_close(name: str, template: str | None, note: str) -> bytes | None:
    """What closes a graph answer cut between two frames (the serialiser never wrote its end)."""
    if template is None:
        return None
    return (b"\t" + _RDFXML_END if name == "rdfxml" else b"") + _graph_note(name, template, note)


def main() -> None:
    """Entry point: ``python -m kgpub.serve.executor`` with one JSON line of settings on stdin."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the pool stops us
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    settings = json.loads(stdin.readline())
    isolated = isolate_network() if settings["isolate"] else False
    executor = Executor(settings["store"], settings["writable"])
    if settings["memory"]:
        cap_address_space(settings["memory"])
    send(stdout, b"R", json.dumps({"pid": os.getpid(), "isolated": isolated}).encode())
    stdout.flush()
    while True:
        frame = read_frame(stdin)
        if frame is None:
            return
        executor.run(json.loads(frame[1]), stdout)


if __name__ == "__main__":
    main()
