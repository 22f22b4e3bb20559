"""The pool of query-executor processes behind ``kgpub serve``: a :class:`QueryBackend`.

The HTTP front end never evaluates a query.  :class:`PoolBackend` hands each job to a free
executor process (:mod:`.executor`) over a pipe and streams the answer back.  Guarantees:

* **timeout**: a job past its deadline ends its executor (SIGKILL; a new one is started at once)
  and its client gets 503; nothing keeps evaluating, no other request is touched;
* **memory budget**: each executor's address space is capped; a query over it aborts its
  executor, which is replaced, and the client gets 503 naming the budget;
* **slow queries do not starve fast ones**: a job still running after ``slow_after`` seconds
  has its executor's CPU priority lowered (nice 10) and, while the pool is below
  ``max_executors``, a fresh executor is started, so new queries always find one at full
  priority; the slowed executor is retired when its job ends;
* **bounded queue**: when every executor is busy, up to ``queue`` jobs wait; past that a job is
  refused at once with 503 and ``Retry-After``;
* **updates** (``writable=True``) go to one executor that holds the store writable, one at a
  time; readers reopen their read-only view after each committed update.
"""

from __future__ import annotations

import asyncio
import collections
import json
import logging
import os
import signal
import sys
from dataclasses import dataclass, field
from typing import AsyncIterator

from .backend import QueryFailed
from .cache import Cached, ResultCache, job_key
from .executor import HEADER

log = logging.getLogger("kgpub.serve")


@dataclass
class PoolSettings:
    store: str
    executors: int = 2
    max_executors: int = 6
    queue: int = 64
    timeout: float = 30.0
    memory: int = 0  # bytes of address space per executor above its baseline; 0: no cap
    cap: int = 64 << 20  # largest answer in bytes
    max_rows: int = 0  # most rows (or triples) of an answer; 0: no bound but ``cap``
    stream_after: int = 256 << 10  # bytes buffered before the answer starts to stream
    slow_after: float = 0.5
    isolate: bool = True  # executors without network access
    writable: bool = False  # one update executor besides the readers
    writer_network: bool = False  # the update executor keeps network access (LOAD allow-list)
    start_timeout: float = 120.0
    cache_bytes: int = 64 << 20  # whole answers kept in the front end (see .cache), half per layer; 0: none


@dataclass
class Reply:
    """An answer: status and media type, the head of the body, and the rest as it is computed."""

    status: int
    media: str
    head: bytes
    rest: AsyncIterator[bytes] | None = None  # None: ``head`` is the whole body
    cut: str | None = None  # why a whole answer stopped early (the row cap), for a header


class _Worker:
    def __init__(self, proc: asyncio.subprocess.Process, writable: bool):
        self.proc = proc
        self.writable = writable
        self.slow = False
        self.out_of_memory = False
        self.stderr_task: asyncio.Task | None = None

    @property
    def pid(self) -> int:
        return self.proc.pid

    def kill(self) -> None:
        if self.proc.returncode is None:
            try:
                self.proc.kill()
            except ProcessLookupError:
                pass

    async def read(self) -> tuple[bytes, bytes]:
        assert self.proc.stdout is not None
        head = await self.proc.stdout.readexactly(HEADER.size)
        kind, size = HEADER.unpack(head)
        return kind, (await self.proc.stdout.readexactly(size)) if size else b""


class PoolBackend:
    """A :class:`~kgpub.serve.backend.QueryBackend` over executor processes; see the module doc."""

    def __init__(self, settings: PoolSettings):
        self.settings = settings
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._starting = 0
        self._waiters: collections.deque[asyncio.Future] = collections.deque()
        self._writer: _Worker | None = None
        self._write_lock = asyncio.Lock()
        self._generation = 0
        self._closed = False
        self._tasks: set[asyncio.Task] = set()
        self.replaced = 0  # executors ended by a timeout, the memory budget or a crash
        self.isolated: bool | None = None
        self.cache = ResultCache(settings.cache_bytes // 2)

    # -- life cycle ------------------------------------------------------------------------------

    async def start(self) -> "PoolBackend":
        """Start the executors at once; return as soon as one is ready (the rest join when they are)."""
        writer = self._task(self._spawn(True)) if self.settings.writable else None
        pending = {self._task(self._spawn(False)) for _ in range(self.settings.executors)}
        error: BaseException | None = None
        while pending and not self._idle:
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if task.exception() is None:
                    self._idle.append(task.result())
                else:
                    error = task.exception()
        if not self._idle:
            assert error is not None
            raise error
        for task in pending:
            task.add_done_callback(self._joined)
        if writer is not None:
            self._writer = await writer
        return self

    def _joined(self, task: asyncio.Task) -> None:
        if task.cancelled():
            return
        if task.exception() is not None:
            log.error("%s", task.exception())
            return
        if self._closed:
            task.result().kill()
            return
        self._release(task.result())

    async def close(self) -> None:
        self._closed = True
        for future in self._waiters:
            if not future.done():
                future.set_exception(QueryFailed("the server is stopping", status=503))
        workers = [*self._idle, *self._busy, *([self._writer] if self._writer else [])]
        for worker in workers:
            worker.kill()
        for worker in workers:
            await worker.proc.wait()
        for task in list(self._tasks):
            task.cancel()

    @property
    def size(self) -> int:
        return len(self._idle) + len(self._busy) + self._starting

    async def _spawn(self, writable: bool) -> _Worker:
        s = self.settings
        self._starting += 1
        try:
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "kgpub.serve.executor",
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
                limit=1 << 24)
            worker = _Worker(proc, writable)
            worker.stderr_task = self._task(self._watch_stderr(worker))
            settings = {"store": s.store, "writable": writable, "memory": s.memory,
                        "isolate": (not s.writer_network) if writable else s.isolate}
            assert proc.stdin is not None
            proc.stdin.write(json.dumps(settings).encode() + b"\n")
            try:
                kind, payload = await asyncio.wait_for(worker.read(), s.start_timeout)
            except (asyncio.IncompleteReadError, asyncio.TimeoutError):
                worker.kill()
                raise QueryFailed(f"a query executor could not open the store {s.store} "
                                  f"(exit {await proc.wait()})", status=500) from None
            ready = json.loads(payload)
            if self.isolated is None and not writable:
                self.isolated = bool(ready["isolated"])
            return worker
        finally:
            self._starting -= 1

    async def _watch_stderr(self, worker: _Worker) -> None:
        assert worker.proc.stderr is not None
        async for line in worker.proc.stderr:
            if b"memory allocation of" in line:
                worker.out_of_memory = True
            log.warning("executor %d: %s", worker.pid, line.decode("utf-8", "replace").rstrip())

    def _task(self, coro) -> asyncio.Task:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _replace(self) -> None:
        """Start an executor to take the place of one that ended."""
        if self._closed or self.size >= self.settings.executors:
            return
        await self._spare()

    # -- leasing ---------------------------------------------------------------------------------

    async def _acquire(self, deadline: float) -> _Worker:
        if self._closed:
            raise QueryFailed("the server is stopping", status=503)
        if self._idle:
            return self._idle.pop()
        if len(self._waiters) >= self.settings.queue:
            raise QueryFailed(f"all {len(self._busy)} query executors are busy and {len(self._waiters)} "
                              "queries are waiting; try again shortly", status=503, retry_after=1)
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        self._waiters.append(future)
        try:
            remaining = deadline - asyncio.get_running_loop().time()
            return await asyncio.wait_for(asyncio.shield(future), max(remaining, 0))
        except asyncio.TimeoutError:
            if future.done() and not future.cancelled() and future.exception() is None:
                return future.result()  # handed over just as the wait ended
            raise QueryFailed(f"the query waited {self.settings.timeout:g} s for a free executor "
                              "and was not run", status=503, retry_after=1) from None
        except asyncio.CancelledError:
            if future.done() and not future.cancelled() and future.exception() is None:
                self._release(future.result())
            raise
        finally:
            if future in self._waiters:
                self._waiters.remove(future)

    def _release(self, worker: _Worker) -> None:
        self._busy.discard(worker)
        if self._closed or worker.proc.returncode is not None:
            return
        if worker.slow:  # its priority was lowered: retire it, keep the pool at full priority
            worker.kill()
            self._task(self._replace())
            return
        while self._waiters:
            future = self._waiters.popleft()
            if not future.done():
                self._busy.add(worker)
                future.set_result(worker)
                return
        if self.size >= self.settings.executors and self._idle:
            worker.kill()  # an extra started for slow queries, no longer needed
            return
        self._idle.append(worker)

    def _on_slow(self, worker: _Worker) -> None:
        if worker not in self._busy or worker.proc.returncode is not None:
            return
        worker.slow = True
        try:
            os.setpriority(os.PRIO_PROCESS, worker.pid, 10)
        except OSError:
            pass
        if self.size < self.settings.max_executors and not self._idle:
            self._task(self._spare())

    async def _spare(self) -> None:
        """Start one more executor and make it free (a failure to start is logged)."""
        try:
            worker = await self._spawn(False)
        except QueryFailed as error:
            log.error("%s", error)
            return
        self._release(worker)

    # -- jobs ------------------------------------------------------------------------------------

    async def execute(self, job: dict, timeout: float | None = None) -> Reply:
        """Run one job (see :class:`~kgpub.serve.executor.Executor`); raises :class:`QueryFailed`."""
        loop = asyncio.get_running_loop()
        timeout = self.settings.timeout if timeout is None else timeout
        deadline = loop.time() + timeout
        job = {**job, "cap": self.settings.cap, "stream_after": self.settings.stream_after,
               "generation": self._generation, "max_rows": job.get("max_rows", self.settings.max_rows), "timeout": timeout,
               "store": self.settings.store}
        if job["op"] == "update":
            if self._writer is None:
                raise QueryFailed("this endpoint is read-only (start kgpub serve with --allow-update)", status=403)
            async with self._write_lock:
                reply = await self._exchange(self._writer, job, deadline, timeout, writer=True)
                if reply.status < 300:
                    self.changed()
                return reply
        key = job_key(job)
        hit = self.cache.get(key)
        if hit is not None:
            return Reply(hit.status, hit.media, hit.body)
        generation = self._generation
        worker = await self._acquire(deadline)
        self._busy.add(worker)
        reply = await self._exchange(worker, job, deadline, timeout)
        if reply.rest is None and reply.status == 200 and reply.cut is None and generation == self._generation:
            self.cache.put(key, Cached(reply.status, reply.media, reply.head))
        return reply

    @property
    def generation(self) -> int:
        """How many times the store changed since the start (updates, reloads)."""
        return self._generation

    def switch(self, store: str) -> None:
        """Serve the store at ``store`` from now on (a new generation, see :mod:`.reload`): each
        executor opens it before its next query, new executors open it."""
        if self.settings.writable:
            raise QueryFailed("a store open for updates cannot be switched", status=500)
        self.settings.store = store
        self.changed()

    def changed(self) -> None:
        """The store changed (an update, a reload): executors reopen their view, cached answers go."""
        self._generation += 1
        self.cache.clear()

    async def _exchange(self, worker: _Worker, job: dict, deadline: float, timeout: float,
                        writer: bool = False) -> Reply:
        loop = asyncio.get_running_loop()
        done = timed_out = False

        def on_deadline() -> None:  # ends the executor: the pending read sees the pipe close
            nonlocal timed_out
            timed_out = True
            worker.kill()

        def on_slow() -> None:
            nonlocal timer
            self._on_slow(worker)
            timer = loop.call_at(deadline, on_deadline)

        # one timer a job: first the slow mark (unless the deadline comes first), then the deadline
        if writer or deadline - loop.time() <= self.settings.slow_after:
            timer = loop.call_at(deadline, on_deadline)
        else:
            timer = loop.call_later(self.settings.slow_after, on_slow)

        def finish(ok: bool) -> None:
            nonlocal done
            if done:
                return
            done = True
            timer.cancel()
            if not ok:
                worker.kill()
                self.replaced += 1
                if writer:
                    self._task(self._replace_writer())
                else:
                    self._busy.discard(worker)
                    self._task(self._replace())
            elif not writer:
                self._release(worker)

        async def frame() -> tuple[bytes, bytes]:
            try:
                return await worker.read()
            except (asyncio.IncompleteReadError, ConnectionError):
                finish(False)
                if timed_out:
                    raise QueryFailed(f"the query did not finish within the {timeout:g} s timeout and was "
                                      "stopped (its executor was ended and replaced)", status=503) from None
                code = await worker.proc.wait()
                if worker.stderr_task is not None:
                    await asyncio.wait([worker.stderr_task], timeout=1)
                if worker.out_of_memory or code == -signal.SIGABRT:
                    raise QueryFailed(f"the query needed more memory than the executor's budget of "
                                      f"{self.settings.memory >> 20} MiB and was stopped", status=503) from None
                raise QueryFailed(f"the query executor ended unexpectedly (exit {code})", status=500) from None

        try:
            assert worker.proc.stdin is not None
            left = deadline - loop.time()  # the executor stops by itself a little before the kill
            payload = json.dumps({**job, "soft_timeout": left - min(0.3, left / 10)}).encode()
            worker.proc.stdin.write(HEADER.pack(b"J", len(payload)) + payload)
            kind, data = await frame()
            if kind == b"A":
                finish(True)
                head_json, _, body = data.partition(b"\n")
                head = json.loads(head_json)
                return Reply(head["status"], head["media"], body, cut=head.get("cut"))
            if kind == b"F":
                finish(True)
                failure = json.loads(data)
                raise QueryFailed(failure["message"], status=failure["status"])
            head = json.loads(data)
            chunks: list[bytes] = []
            while True:
                kind, data = await frame()
                if kind == b"D":
                    chunks.append(data)
                    if len(chunks) == 1 and len(data) >= self.settings.stream_after:
                        closing = head["close"].encode("utf-8") if head.get("close") is not None else None
                        return Reply(head["status"], head["media"], data, self._rest(frame, finish, closing))
                elif kind == b"E":
                    finish(True)
                    return Reply(head["status"], head["media"], b"".join(chunks))
                else:
                    finish(False)
                    raise QueryFailed(f"the query executor sent an unknown frame {kind!r}", status=500)
        except asyncio.CancelledError:
            finish(False)  # the client went away mid-job: the executor's state is unknown
            raise
        except QueryFailed:
            raise
        except BaseException:
            finish(False)
            raise

    async def _rest(self, frame, finish, closing: bytes | None) -> AsyncIterator[bytes]:
        """The answer's frames after the first; if its executor is ended mid-way (the timeout, the
        memory budget), ``closing`` completes the document where the format allows (else the
        stream is cut, see the app)."""
        ok = False
        try:
            while True:
                try:
                    kind, data = await frame()
                except QueryFailed as error:
                    if closing is None:
                        raise
                    log.warning("an answer was closed early: %s", error)
                    yield closing
                    return
                if kind == b"D":
                    yield data
                elif kind == b"E":
                    ok = True
                    return
                else:
                    raise QueryFailed(f"the query executor sent an unknown frame {kind!r}", status=500)
        finally:
            finish(ok)

    async def _replace_writer(self) -> None:
        if self._closed:
            return
        self._writer = await self._spawn(True)

    async def run(self, query: str, media_type: str, *, timeout: float | None = None,
                  prefixes: dict[str, str] | None = None) -> bytes:
        """The contract of :class:`QueryBackend`: the whole answer to ``query`` in ``media_type``.

        These are the server's own queries (the pages', the label index's), not a client's: the row
        cap (``--max-rows``) is not theirs (a label index cut at it would lose names silently), the
        byte cap and the timeout are."""
        job = {"op": "query", "text": query, "format": media_type, "accept": media_type, "max_rows": 0}
        if prefixes:
            job["prefixes"] = prefixes
        reply = await self.execute(job, timeout)
        if reply.status >= 300:
            raise QueryFailed(reply.head.decode("utf-8", "replace"), status=reply.status)
        if reply.rest is None:
            return reply.head
        return reply.head + b"".join([chunk async for chunk in reply.rest])


__all__ = ["PoolBackend", "PoolSettings", "Reply"]
