"""Search by label prefix: a sorted array of lower-cased labels, searched by bisection.

Built once from every ``rdfs:label`` (PrimeKG's 130k nodes take well under a second to index);
a lookup is two bisections and a slice, whatever the size of the store.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str


class LabelIndex:
    def __init__(self, pairs: list[tuple[str, str]]):
        """``pairs``: (iri, label)."""
        rows = sorted((label.casefold(), label, iri) for iri, label in pairs)
        self._keys = [key for key, _, _ in rows]
        self._hits = [Hit(iri, label) for _, label, iri in rows]

    def __len__(self) -> int:
        return len(self._keys)

    def prefix(self, text: str, limit: int = 50) -> tuple[list[Hit], bool]:
        """Resources whose label starts with ``text`` (case-insensitive), in label order,
        at most ``limit``; and whether there were more."""
        key = text.strip().casefold()
        if not key:
            return [], False
        start = bisect_left(self._keys, key)
        hits: list[Hit] = []
        for i in range(start, min(start + limit + 1, len(self._keys))):
            if not self._keys[i].startswith(key):
                break
            hits.append(self._hits[i])
        return hits[:limit], len(hits) > limit
