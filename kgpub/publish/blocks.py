"""``kg.ttl`` as subject blocks: rewrite only the blocks of the subjects that changed.

pyoxigraph writes the sorted union as the prefix lines, then one block per subject (its first
line starts with the subject, the next ones with a tab; a line break inside a literal is
escaped), in subject order.  Serialising one subject's triples with the same prefixes gives
its block after the same prefix lines.  So :class:`TurtleIndex` (each block's subject and
length) lets a build replace, insert or drop blocks and keep every other byte of the last
``kg.ttl``: the same bytes as serialising the whole union again.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate, groupby
from operator import attrgetter
from typing import Iterable, Mapping, Sequence

from pyoxigraph import BlankNode, NamedNode, RdfFormat, Triple, serialize

Subject = NamedNode | BlankNode
_BLOCK_END = re.compile(rb"\n(?!\t)")


def subject_key(subject: Subject) -> str:
    """A subject's place in ``kg.ttl`` as one string: IRIs (``0…``) before blank nodes (``1…``), then by value."""
    return ("1" if type(subject) is BlankNode else "0") + subject.value


def key_subject(key: str) -> Subject:
    return BlankNode(key[1:]) if key[0] == "1" else NamedNode(key[1:])


@dataclass
class TurtleIndex:
    """The blocks of one ``kg.ttl``: the prefix lines' length, each block's subject key and length, in file order."""

    header: int
    keys: list[str]
    lengths: list[int]

    @classmethod
    def of(cls, data: bytes, triples: Sequence[Triple]) -> "TurtleIndex | None":
        """The index of ``data``, the Turtle of ``triples`` (sorted by subject); ``None`` if its blocks are not one per subject."""
        keys = [subject_key(subject) for subject, _ in groupby(triples, key=attrgetter("subject"))]
        header = _header_length(data)
        if header is None or not keys:
            return None
        ends = [m.end() for m in _BLOCK_END.finditer(data, header)]
        if len(ends) != len(keys) or (ends and ends[-1] != len(data)):
            return None
        return cls(header, keys, [end - start for start, end in zip([header, *ends], ends)])

    def patch(self, data: bytes, blocks: Mapping[str, bytes]) -> tuple[bytes, "TurtleIndex"]:
        """``data`` (the file this index describes) with the blocks of ``blocks``' subjects replaced
        (an empty block removes the subject); the new bytes and their index."""
        starts = list(accumulate(self.lengths, initial=self.header))  # and the end of the file
        keys, lengths = list(self.keys), list(self.lengths)
        pieces: list[bytes | memoryview] = []
        view = memoryview(data)
        at = 0  # bytes of data copied so far
        shift = 0  # positions of keys inserted minus removed before the current one
        for key in sorted(blocks):
            i = bisect_left(self.keys, key)
            start = starts[i]
            pieces.append(view[at:start])
            block = blocks[key]
            present = i < len(self.keys) and self.keys[i] == key
            at = start + self.lengths[i] if present else start
            if block:
                pieces.append(block)
            j = i + shift
            if present and block:
                lengths[j] = len(block)
            elif present:
                del keys[j], lengths[j]
                shift -= 1
            elif block:
                keys.insert(j, key)
                lengths.insert(j, len(block))
                shift += 1
        pieces.append(view[at:])
        return b"".join(pieces), TurtleIndex(self.header, keys, lengths)


@dataclass
class TurtleEdit:
    """How to write ``kg.ttl`` from the last one: its bytes, their index, and the new block of each subject that changed."""

    data: bytes
    index: TurtleIndex
    blocks: dict[str, bytes]


def subject_block(triples: Iterable[Triple], prefixes: Mapping[str, str], header: bytes) -> bytes | None:
    """The block of one subject's triples (any order; b"" for none); ``None`` if pyoxigraph's
    output does not start with ``header`` (the prefix lines of the file)."""
    ordered = sorted(triples, key=lambda t: (t.predicate.value, str(t.object)))
    if not ordered:
        return b""
    data = serialize(ordered, format=RdfFormat.TURTLE, prefixes=dict(prefixes))
    return data[len(header):] if data.startswith(header) else None


def _header_length(data: bytes) -> int | None:
    at = 0
    while data.startswith(b"@prefix ", at):
        end = data.find(b"\n", at)
        if end < 0:
            return None
        at = end + 1
    return at
