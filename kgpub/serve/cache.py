"""A bounded cache of whole answers, in the front end of ``kgpub serve``.

The served store changes only when an update is committed or the build is reloaded, and the pool
clears the cache at each of those moments, so an answer computed once can be given again without
an executor: the key is everything a query job's answer depends on (query text, dataset
parameters, ``Accept``, ``format``, base IRI).  Only complete successful answers are kept (never a
cut or streamed one), each at most ``entry_bytes``, all together at most ``total_bytes``; the
least recently used go first.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass


@dataclass(frozen=True)
class Cached:
    status: int
    media: str
    body: bytes


def job_key(job: dict) -> tuple:
    """What a query job's answer depends on (the store aside)."""
    return (job["text"], job.get("accept"), job.get("format"), job.get("base_iri"),
            tuple(job.get("default_graphs") or ()), tuple(job.get("named_graphs") or ()))


class ResultCache:
    """Least-recently-used answers, bounded in bytes; ``total_bytes=0`` turns it off."""

    def __init__(self, total_bytes: int, entry_bytes: int = 1 << 20):
        self.total_bytes, self.entry_bytes = total_bytes, min(entry_bytes, total_bytes)
        self._entries: collections.OrderedDict[tuple, Cached] = collections.OrderedDict()
        self.size = 0
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: tuple) -> Cached | None:
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry

    def put(self, key: tuple, entry: Cached) -> None:
        cost = len(entry.body) + len(key[0])
        if cost > self.entry_bytes:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self.size -= len(old.body) + len(key[0])
        self._entries[key] = entry
        self.size += cost
        while self.size > self.total_bytes:
            k, v = self._entries.popitem(last=False)
            self.size -= len(v.body) + len(k[0])

    def clear(self) -> None:
        self._entries.clear()
        self.size = 0


__all__ = ["Cached", "ResultCache", "job_key"]
