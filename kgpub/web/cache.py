"""A bounded cache of answers of the pages app, for a store that does not change while served.

``kgpub serve`` without ``--allow-update`` serves a store nothing writes to, so the page or
description of an IRI is the same until the server restarts: the pages app keeps the answers
it computed, least recently used first out, within a budget of bytes.  With updates allowed the
cache is off (its budget is 0).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True)
class Cached:
    body: bytes
    headers: dict[str, str]
    media_type: str


class AnswerCache:
    def __init__(self, budget_bytes: int):
        self.budget = budget_bytes
        self.used = 0
        self._entries: OrderedDict[tuple, Cached] = OrderedDict()
        self.hits = self.misses = 0

    def get(self, key: tuple) -> Cached | None:
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry

    def put(self, key: tuple, entry: Cached) -> None:
        size = len(entry.body)
        if self.budget <= 0 or size > self.budget // 8:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self.used -= len(old.body)
        self._entries[key] = entry
        self.used += size
        while self.used > self.budget:
            _, dropped = self._entries.popitem(last=False)
            self.used -= len(dropped.body)

    def __len__(self) -> int:
        return len(self._entries)
