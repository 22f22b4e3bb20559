"""Sharded output of N-Triples lines: gzip (default) or Turtle, compressed off the main thread.

Each shard has one writer thread (zlib releases the GIL), fed through a small
bounded queue so memory stays bounded.  The order-independent graph digest
of :class:`kgpub.publish.manifest.GraphDigest` is computed on the same threads.
"""

from __future__ import annotations

import gzip
import hashlib
import operator
import queue
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..vocab import PREFIXES

FORMATS = ("nt.gz", "ttl")
_MOD = 1 << 256
_DIGEST = operator.methodcaller("digest")


def _from_big(data: bytes) -> int:
    return int.from_bytes(data, "big")


@dataclass
class ShardStats:
    path: Path
    triples: int
    digest_acc: int


class _Shard(threading.Thread):
    def __init__(self, path: Path, fmt: str, compresslevel: int, digest: bool):
        super().__init__(daemon=True)
        self.path = path
        self.queue: queue.Queue[bytes | None] = queue.Queue(maxsize=2)
        self.triples = 0
        self.acc = 0
        self.error: BaseException | None = None
        self._digest = digest
        self._handle: BinaryIO
        if fmt == "nt.gz":
            self._handle = gzip.open(path, "wb", compresslevel=compresslevel)
        else:
            self._handle = path.open("wb")
            header = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())
            self._handle.write(header.encode("utf-8") + b"\n")

    def run(self) -> None:
        try:
            while True:
                block = self.queue.get()
                if block is None:
                    break
                self._handle.write(block)
                if self._digest:
                    lines = block.split(b"\n")
                    lines.pop()  # after the final newline
                    self.triples += len(lines)
                    digests = map(_DIGEST, map(hashlib.sha256, lines))
                    self.acc = (self.acc + sum(map(_from_big, digests))) % _MOD
                else:
                    self.triples += block.count(b"\n")
        except BaseException as error:  # re-raised in the main thread by close()
            self.error = error
            while self.queue.get() is not None:
                pass
        finally:
            self._handle.close()


class ShardedSink:
    """Writes blocks of N-Triples lines round-robin into ``part-NNNNN.{nt.gz|ttl}`` files."""

    def __init__(self, folder: Path, shards: int, fmt: str = "nt.gz", *, compresslevel: int = 1, digest: bool = True):
        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {FORMATS}")
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("part-*"):
            old.unlink()
        self._shards = [_Shard(folder / f"part-{i:05d}.{fmt}", fmt, compresslevel, digest) for i in range(max(1, shards))]
        for shard in self._shards:
            shard.start()
        self._next = 0

    def write(self, block: str | bytes) -> None:
        """Queue one block of whole lines (each ending with a newline, UTF-8) for the next shard."""
        if not block:
            return
        shard = self._shards[self._next]
        self._next = (self._next + 1) % len(self._shards)
        shard.queue.put(block.encode("utf-8") if isinstance(block, str) else block)

    def close(self) -> list[ShardStats]:
        for shard in self._shards:
            shard.queue.put(None)
        for shard in self._shards:
            shard.join()
        for shard in self._shards:
            if shard.error is not None:
                raise shard.error
        return [ShardStats(s.path, s.triples, s.acc) for s in self._shards]


def combine_digests(stats: list[ShardStats]) -> str:
    return f"{sum(s.digest_acc for s in stats) % _MOD:064x}"
