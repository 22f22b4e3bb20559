"""Sharded output of N-Triples lines: gzip (default), plain N-Triples or Turtle, compressed off the main thread.

Each shard has one writer thread, fed through a small bounded queue so memory
stays bounded; compression (ISA-L's igzip through ``isal``) and hashing release the GIL.  Each thread also hashes the bytes it puts in
its file (SHA-256, compressed ones for ``nt.gz``), and the graph's digest is the
SHA-256 of the shard digests in order.  An import is deterministic, so the same
input and options give the same digest; push only needs equal digests to mean
equal content.
"""

from __future__ import annotations

import hashlib
import io
import queue
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable

from isal import igzip  # ISA-L's deflate: standard gzip output, several times faster than zlib at level 1

from ...errors import KgpubError
from ...vocab import PREFIXES

FORMATS = ("nt.gz", "nt", "ttl")  # gzip N-Triples, plain N-Triples, Turtle


@dataclass
class ShardStats:
    path: Path
    triples: int


class _Hashed(io.RawIOBase):
    """A binary file that also feeds what is written to it to a hash."""

    def __init__(self, handle: BinaryIO, digest: "hashlib._Hash"):
        super().__init__()
        self._handle = handle
        self._digest = digest

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        self._digest.update(data)
        return self._handle.write(data)

    def close(self) -> None:
        if not self.closed:
            self._handle.close()
        super().close()


class _Shard(threading.Thread):
    def __init__(self, path: Path, fmt: str, compresslevel: int):
        super().__init__(daemon=True)
        self.path = path
        self.queue: queue.Queue[tuple[bytes | memoryview, int] | None] = queue.Queue(maxsize=2)
        self.triples = 0
        self.sha256 = hashlib.sha256()
        self.error: BaseException | None = None
        self._file = _Hashed(path.open("wb"), self.sha256)
        self._handle: BinaryIO = self._file  # type: ignore[assignment]
        if fmt == "nt.gz":
            self._handle = igzip.open(self._file, "wb", compresslevel=compresslevel)
        elif fmt == "ttl":
            header = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())
            self._handle.write(header.encode("utf-8") + b"\n")

    def run(self) -> None:
        try:
            while True:
                item = self.queue.get()
                if item is None:
                    break
                self._handle.write(item[0])
                self.triples += item[1]
        except BaseException as error:  # re-raised in the main thread by close()
            self.error = error
            while self.queue.get() is not None:
                pass
        finally:
            self._handle.close()
            self._file.close()


class ShardedSink:
    """Writes blocks of N-Triples lines round-robin into ``part-NNNNN.{nt.gz|nt|ttl}`` files."""

    def __init__(self, folder: Path, shards: int, fmt: str = "nt.gz", *, compresslevel: int = 1):
        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {FORMATS}")
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("part-*"):
            old.unlink()
        self._shards = [_Shard(folder / f"part-{i:05d}.{fmt}", fmt, compresslevel) for i in range(max(1, shards))]
        self.digest = ""  # SHA-256 of the shards' SHA-256s, set by close()
        for shard in self._shards:
            shard.start()
        self._next = 0

    @property
    def shards(self) -> int:
        return len(self._shards)

    def write(self, block: str | bytes | memoryview, lines: int | None = None) -> None:
        """Queue one block of whole lines (each ending with a newline, UTF-8) for the next shard.

        ``lines`` is the number of lines in ``block`` if the caller knows it (else it is counted)."""
        if not block:
            return
        shard = self._shards[self._next]
        self._next = (self._next + 1) % len(self._shards)
        data = block.encode("utf-8") if isinstance(block, str) else block
        shard.queue.put((data, bytes(data).count(b"\n") if lines is None else lines))

    def close(self) -> list[ShardStats]:
        for shard in self._shards:
            shard.queue.put(None)
        for shard in self._shards:
            shard.join()
        for shard in self._shards:
            if shard.error is not None:
                raise KgpubError(f"{shard.path}: cannot write: {shard.error}") from shard.error
        self.digest = shards_digest(shard.sha256.hexdigest() for shard in self._shards)
        return [ShardStats(s.path, s.triples) for s in self._shards]


def shards_digest(shard_hexdigests: Iterable[str]) -> str:
    """The graph digest of an import: SHA-256 of its shards' SHA-256 hex digests, one per line, in order."""
    return hashlib.sha256("".join(f"{h}\n" for h in shard_hexdigests).encode("ascii")).hexdigest()
