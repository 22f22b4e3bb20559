"""Sharded output of N-Triples lines: gzip (default), plain N-Triples or Turtle, compressed off the main thread.

Each shard has one writer thread (zlib releases the GIL), fed through a small
bounded queue so memory stays bounded.  The order-independent graph digest
of :class:`kgpub.publish.manifest.GraphDigest` is computed in a child process
(:mod:`kgpub.importers.primekg_digest`).
"""

from __future__ import annotations

import gzip
import queue
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import KgpubError
from ..vocab import PREFIXES
from .primekg_digest import DigestProcess

FORMATS = ("nt.gz", "nt", "ttl")  # gzip N-Triples, plain N-Triples, Turtle


@dataclass
class ShardStats:
    path: Path
    triples: int


class _Shard(threading.Thread):
    def __init__(self, path: Path, fmt: str, compresslevel: int):
        super().__init__(daemon=True)
        self.path = path
        self.queue: queue.Queue[bytes | None] = queue.Queue(maxsize=2)
        self.triples = 0
        self.error: BaseException | None = None
        self._handle: BinaryIO
        if fmt == "nt.gz":
            self._handle = gzip.open(path, "wb", compresslevel=compresslevel)
        elif fmt == "nt":
            self._handle = path.open("wb")
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
                self.triples += block.count(b"\n")
        except BaseException as error:  # re-raised in the main thread by close()
            self.error = error
            while self.queue.get() is not None:
                pass
        finally:
            self._handle.close()


class ShardedSink:
    """Writes blocks of N-Triples lines round-robin into ``part-NNNNN.{nt.gz|nt|ttl}`` files."""

    def __init__(self, folder: Path, shards: int, fmt: str = "nt.gz", *, compresslevel: int = 1, digest: bool = True):
        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {FORMATS}")
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("part-*"):
            old.unlink()
        self._shards = [_Shard(folder / f"part-{i:05d}.{fmt}", fmt, compresslevel) for i in range(max(1, shards))]
        self._digest = DigestProcess() if digest else None
        self.digest = ""  # hex GraphDigest of all lines, set by close()
        for shard in self._shards:
            shard.start()
        self._next = 0

    def write(self, block: str | bytes) -> None:
        """Queue one block of whole lines (each ending with a newline, UTF-8) for the next shard."""
        if not block:
            return
        shard = self._shards[self._next]
        self._next = (self._next + 1) % len(self._shards)
        data = block.encode("utf-8") if isinstance(block, str) else block
        shard.queue.put(data)
        if self._digest is not None:
            self._digest.feed(data)

    def close(self) -> list[ShardStats]:
        for shard in self._shards:
            shard.queue.put(None)
        for shard in self._shards:
            shard.join()
        if self._digest is not None:
            count, acc = self._digest.result()
            self.digest = f"{acc:064x}"
            if count != sum(s.triples for s in self._shards):
                raise KgpubError(f"digest saw {count} lines, the shards {sum(s.triples for s in self._shards)}")
        for shard in self._shards:
            if shard.error is not None:
                raise shard.error
        return [ShardStats(s.path, s.triples) for s in self._shards]
