"""The ready index of one lexicon: its entries and their names by normalised key, in plain builtins
(tuples, lists, dicts of strings and numbers) so that :mod:`marshal` stores and loads it fast.

Four tiers, tried in order by the grounder: labels by plain key, synonyms by plain key, labels by
loose key, synonyms by loose key (:mod:`kgpub.grounding.normalise`).  Curated entries (SSSOM rows)
are indexed apart, by plain and loose key, since they win over every tier.
"""

from __future__ import annotations

import gc
import marshal
from dataclasses import dataclass
from typing import Iterable, Iterator, NamedTuple

from .model import LexiconEntry
from .normalise import loose_key, plain_key

TIERS = 4
_FORMAT = "kgpub-lexicon-index/3"


class IndexedEntry(NamedTuple):
    """What the grounder needs of a :class:`LexiconEntry` once its names are indexed.

    ``match``: the entry's first name (the curated row's ``subject_label``)."""

    ids: tuple[str, ...]
    label: str
    source: str
    line: int
    namespace: str | None
    category: str | None
    predicate: str | None
    justification: str | None
    confidence: float | None
    match: str


@dataclass
class LexiconIndex:
    """``records``: one marshalled tuple per entry (the fields of :class:`IndexedEntry`), decoded on a hit;
    ``tiers[t]``: key -> ``"record\x1fmatched name\x1erecord\x1fmatched name..."``; ``curated``: key ->
    ``"record,record..."``.  Strings and bytes only below the dicts: loading makes no containers for the
    garbage collector to track (millions of small lists made each later collection scan them all)."""

    records: list[bytes]
    tiers: tuple[dict[str, str], ...]
    curated: dict[str, str]
    by_id: dict[str, int]  # identifier (CURIE) -> its first record, for the label of an identifier

    @classmethod
    def build(cls, entries: Iterable[LexiconEntry]) -> "LexiconIndex":
        records: list[bytes] = []
        tiers: tuple[dict[str, list[str]], ...] = tuple({} for _ in range(TIERS))
        seen: tuple[dict[str, set[int]], ...] = tuple({} for _ in range(TIERS))
        curated: dict[str, list[str]] = {}
        by_id: dict[str, int] = {}
        for entry in entries:
            i = len(records)
            for identifier in entry.ids:
                by_id.setdefault(identifier, i)
            records.append(marshal.dumps((entry.ids, entry.label, entry.source, entry.line, entry.namespace, entry.category, entry.predicate,
                                          entry.justification, entry.confidence, entry.names[0].text if entry.names else entry.label)))
            if entry.predicate is not None:  # curated
                for name in entry.names:
                    for key in {plain_key(name.text), loose_key(name.text)}:
                        curated.setdefault(key, []).append(str(i))
                continue
            for name in entry.names:
                base = 0 if name.kind == "label" else 1
                for tier, key in ((base, plain_key(name.text)), (base + 2, loose_key(name.text))):
                    if i not in seen[tier].setdefault(key, set()):  # a name repeated as a synonym counts once
                        seen[tier][key].add(i)
                        tiers[tier].setdefault(key, []).append(f"{i}\x1f{name.text}")
        return cls(records, tuple({k: "\x1e".join(v) for k, v in tier.items()} for tier in tiers), {k: ",".join(v) for k, v in curated.items()}, by_id)

    def __len__(self) -> int:
        return len(self.records)

    def entry(self, i: int) -> IndexedEntry:
        return IndexedEntry._make(marshal.loads(self.records[i]))

    def hits(self, tier: int, key: str) -> Iterator[tuple[IndexedEntry, str]]:
        packed = self.tiers[tier].get(key)
        if packed:
            for hit in packed.split("\x1e"):
                i, _, matched = hit.partition("\x1f")
                yield self.entry(int(i)), matched

    def curated_hits(self, key: str) -> list[IndexedEntry]:
        packed = self.curated.get(key)
        return [self.entry(int(i)) for i in packed.split(",")] if packed else []

    def label_of(self, curie: str) -> str | None:
        i = self.by_id.get(curie)
        return self.entry(i).label if i is not None else None

    def to_bytes(self) -> bytes:
        return marshal.dumps((_FORMAT, self.records, self.tiers, self.curated, self.by_id))

    @classmethod
    def from_bytes(cls, data: bytes) -> "LexiconIndex | None":
        """The index in ``data``, or ``None`` when ``data`` is not one (damaged, another format)."""
        enabled = gc.isenabled()
        gc.disable()  # the index is hundreds of thousands of containers and holds no cycles: no collection while loading
        try:
            loaded = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            return None
        finally:
            if enabled:
                gc.enable()
        if not (isinstance(loaded, tuple) and len(loaded) == 5 and loaded[0] == _FORMAT):
            return None
        _, records, tiers, curated, by_id = loaded
        if not (isinstance(records, list) and isinstance(tiers, tuple) and len(tiers) == TIERS and isinstance(curated, dict) and isinstance(by_id, dict)):
            return None
        return cls(records, tiers, curated, by_id)
