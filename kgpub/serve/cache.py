"""A bounded cache of whole answers, in the front end of ``kgpub serve``.

The served store changes only when an update is committed or the build is reloaded, and the pool
clears the cache at each of those moments, so an answer computed once can be given again without
an executor: the key is everything a query job's answer depends on (query text, dataset
parameters, ``Accept``, ``format``, base IRI).  Only complete successful answers are kept (never a
cut, streamed or failed one), each at most ``entry_bytes``, all together at most ``total_bytes``; the
least recently used go first.

:class:`AnswerCache` is the same idea one layer up, for every ``GET`` of the server: the SPARQL
routes and the pages (resource pages, descriptions in every format, class lists, search, the
landing page).  An ASGI layer keeps whole HTTP answers keyed on the request's path, query string,
``Accept`` and ``Host`` (the base IRI and the service description come from it), so a repeated
request is answered without routing, parsing the query string, checking the policy or rendering a
page again (the policy's verdict depends on the text only).  It is emptied when the pool's
generation changes (an update, a reload by ``--watch``).  It is the server's only cache of answers:
the pages app keeps none of its own.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass
from typing import Awaitable, Callable, Protocol


@dataclass(frozen=True)
class Cached:
    status: int
    media: str
    body: bytes


def job_key(job: dict) -> tuple:
    """What a query job's answer depends on (the store aside)."""
    return (job["text"], job.get("accept"), job.get("format"), job.get("base_iri"), job.get("max_rows"),
            tuple(job.get("default_graphs") or ()), tuple(job.get("named_graphs") or ()),
            tuple((job.get("prefixes") or {}).items()))


class ResultCache:
    """Least-recently-used answers, bounded in bytes; ``total_bytes=0`` turns it off."""

    def __init__(self, total_bytes: int, entry_bytes: int = 1 << 20):
        self.total_bytes, self.entry_bytes = total_bytes, min(entry_bytes, total_bytes)
        self._entries: collections.OrderedDict[tuple, Cached | Answer] = collections.OrderedDict()
        self.size = 0
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: tuple) -> Cached | Answer | None:
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry

    def put(self, key: tuple, entry: Cached | Answer) -> None:
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


class _Generations(Protocol):
    @property
    def generation(self) -> int: ...


class AnswerCache:
    """ASGI layer: whole ``200`` answers to ``GET`` requests, given again until the store changes."""

    def __init__(self, app: Callable[..., Awaitable[None]], store: _Generations, total_bytes: int):
        self.app, self.store = app, store
        self.cache = ResultCache(total_bytes)
        self.generation = store.generation

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not self.cache.total_bytes:
            return await self.app(scope, receive, send)
        if self.store.generation != self.generation:
            self.cache.clear()
            self.generation = self.store.generation
        accept = host = b""
        for name, value in scope["headers"]:
            if name == b"accept":
                accept = value
            elif name == b"host":
                host = value
        key = (scope["query_string"], scope.get("raw_path") or scope["path"], accept, host, scope.get("http_version"))
        hit = self.cache.get(key)
        if hit is not None:
            await send({"type": "http.response.start", "status": hit.status, "headers": hit.headers})
            await send({"type": "http.response.body", "body": hit.body})
            return
        generation = self.generation
        start: dict | None = None
        parts = 0

        async def keep(message) -> None:
            nonlocal start, parts
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                parts += 1
                if (parts == 1 and not message.get("more_body") and start is not None and start["status"] == 200
                        and self.store.generation == generation
                        and all(name != b"kgpub-cut" for name, _ in start.get("headers", []))):
                    self.cache.put(key, Answer(200, list(start.get("headers", [])), message.get("body", b"")))
            await send(message)

        await self.app(scope, receive, keep)


@dataclass(frozen=True)
class Answer:
    status: int
    headers: list
    body: bytes


__all__ = ["AnswerCache", "Answer", "Cached", "ResultCache", "job_key"]
