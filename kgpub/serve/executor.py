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
Jobs are ``J`` frames (JSON).  Answers: ``A`` (a whole answer: JSON head, a line feed, the body);
or, for a large one, ``H`` (JSON: status, media type), then ``D`` chunks, then ``E``; or ``F``
(JSON: status, message) before any ``H``; or ``C`` after some ``D``: the answer passed the result
cap and was cut.
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

from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions, Store

from .media import PYOX_FORMATS, negotiate, offered

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


class _Cut(Exception):
    """Raised from a write to stop serialising: the answer is over the result cap."""


class Answer(io.RawIOBase):
    """The writer pyoxigraph serialises into: buffers the head of the answer, then streams it."""

    def __init__(self, out, media: str, cap: int, stream_after: int):
        self.out, self.media, self.cap, self.stream_after = out, media, cap, stream_after
        self.buffer = bytearray()
        self.size = 0
        self.started = False

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.size += len(data)
        if self.size > self.cap:
            raise _Cut()
        self.buffer += data
        if len(self.buffer) >= self.stream_after:
            self._flush()
        return len(data)

    def _flush(self) -> None:
        if not self.started:
            send(self.out, b"H", json.dumps({"status": 200, "media": self.media}).encode())
            self.started = True
        if self.buffer:
            send(self.out, b"D", bytes(self.buffer))
            self.buffer.clear()
        self.out.flush()

    def finish(self) -> None:
        if self.started:
            self._flush()
            send(self.out, b"E", b"")
        else:  # the whole answer in one frame, one write
            head = json.dumps({"status": 200, "media": self.media}).encode()
            send(self.out, b"A", head + b"\n" + self.buffer)


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
    base_iri, cap, stream_after, generation."""

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
            del self.store  # an update was committed since this store was opened: see it
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
        answer = Answer(out, media + ("; charset=utf-8" if media.startswith("text/") else ""),
                        job["cap"], job["stream_after"])
        try:
            result.serialize(answer, PYOX_FORMATS[name])
        except (_Cut, OSError, ValueError) as error:  # pyoxigraph may wrap the _Cut its writer raised
            if answer.started:  # part of the answer is out: cut the stream
                send(out, b"C", b"")
                out.flush()
                return
            if isinstance(error, _Cut) or isinstance(error.__context__, _Cut) or "_Cut" in str(error):
                return fail(out, 422, f"the result is larger than the cap of {job['cap']} bytes; "
                                      "add a LIMIT or ask for less")
            return fail(out, 500, f"store error: {error}")
        answer.finish()
        out.flush()


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
