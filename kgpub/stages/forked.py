"""A pure per-item stage function over a list, in forked worker processes, results in the list's order.

The workers are forks of the build's process: they see its records as they are (nothing is sent to
them), work on copies (what they change in shared objects stays in the worker) and send back only
their results, pickled, with every item of the list they refer to sent as its position and restored
as the caller's own object (so a result holding its note holds *the* note, as in the process).

Forking is done only from a process with a single thread (a fork copies no other thread, and a lock
another thread held would stay locked in the worker); otherwise, or for few items, the function runs
in the process.
"""

from __future__ import annotations

import io
import os
import pickle
import threading
from typing import Callable, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

#: Worker processes at most (each one holds a copy of what it touches of the build's records).
MAX_WORKERS = 4
#: Items per worker at least: below it, the fork and the pickling cost more than they save.
MIN_ITEMS_PER_WORKER = 500


def workers_for(count: int) -> int:
    """How many processes :func:`forked_map` uses for ``count`` items (1: the calling process alone)."""
    if os.name != "posix" or threading.active_count() > 1:
        return 1
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1, count // MIN_ITEMS_PER_WORKER))


def forked_map(function: Callable[[Sequence[Item]], list[Result]], items: Sequence[Item], workers: int) -> list[Result]:
    """``function(items)``, computed over ``workers`` slices of ``items`` in as many forked processes
    (``workers`` from :func:`workers_for`; 1: in this process), put back in the order of ``items``.

    ``function`` returns one result per item of its slice and must not depend on its earlier calls
    (each worker starts from the caller's state).  An exception in a worker is raised here.
    """
    if workers <= 1:
        return function(items)
    children: list[tuple[int, int]] = []
    for start in range(workers):  # worker k takes items k, k + workers, ...: neighbouring items often cost alike
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: compute its slice, send it, and end here whatever happens
            try:
                os.close(read_end)
                try:
                    payload = _dumps(("ok", function(items[start::workers])), items)
                except BaseException as error:  # sent to the caller, which raises it
                    payload = _error(error)
                with os.fdopen(write_end, "wb") as out:
                    out.write(payload)
            finally:
                os._exit(0)  # no cleanup of the caller's state, no return into its code
        os.close(write_end)
        children.append((pid, read_end))
    results: list = [None] * len(items)
    failure: BaseException | None = None
    for start, (pid, read_end) in enumerate(children):
        with os.fdopen(read_end, "rb") as source:
            data = source.read()
        os.waitpid(pid, 0)
        kind, value = _loads(data, items) if data else ("error", RuntimeError("a worker process ended without a result"))
        if kind == "error":
            failure = failure or value
        else:
            results[start::workers] = value
    if failure is not None:
        raise failure
    return results


def _error(error: BaseException) -> bytes:
    try:
        return pickle.dumps(("error", error))
    except Exception:  # an exception that does not pickle: its text
        return pickle.dumps(("error", RuntimeError(f"worker process failed: {error!r}")))


def _dumps(value: object, items: Sequence[object]) -> bytes:
    positions = {id(item): index for index, item in enumerate(items)}

    class _Pickler(pickle.Pickler):
        def persistent_id(self, obj: object) -> int | None:
            return positions.get(id(obj))

    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def _loads(data: bytes, items: Sequence[object]):
    class _Unpickler(pickle.Unpickler):
        def persistent_load(self, pid: int) -> object:
            return items[pid]

    return _Unpickler(io.BytesIO(data)).load()
