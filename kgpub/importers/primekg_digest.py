"""The graph digest of an import's N-Triples lines, computed in a child process.

The digest is :class:`kgpub.publish.manifest.GraphDigest`'s: the sum of the SHA-256 of each line,
mod 2^256.  Hashing millions of short lines holds the GIL for seconds, which stalls the importer's
main thread; a child process (``python -m kgpub.importers.primekg_digest``, standard library only)
reads the lines from a pipe and prints ``COUNT HEXDIGEST``.  Blocks go to the pipe from one
feeder thread, so lines never interleave.  If no child can be started the digest is computed on
the feeder thread instead.
"""

from __future__ import annotations

import hashlib
import operator
import queue
import subprocess
import sys
import threading
from typing import BinaryIO, Iterable

from ..errors import KgpubError

_MOD = 1 << 256
_DIGEST = operator.methodcaller("digest")
_READ = 4 << 20


def _from_big(data: bytes) -> int:
    return int.from_bytes(data, "big")


def digest_lines(lines: Iterable[bytes]) -> int:
    """Sum of the SHA-256 (as big-endian integers) of ``lines`` (not reduced)."""
    return sum(map(_from_big, map(_DIGEST, map(hashlib.sha256, lines))))


def digest_stream(stream: BinaryIO) -> tuple[int, int]:
    """(line count, sum mod 2^256) of the newline-terminated lines read from ``stream``."""
    acc = count = 0
    rest = b""
    while True:
        data = stream.read(_READ)
        if not data:
            break
        lines = (rest + data).split(b"\n")
        rest = lines.pop()
        count += len(lines)
        acc = (acc + digest_lines(lines)) % _MOD
    if rest:
        count += 1
        acc = (acc + digest_lines([rest])) % _MOD
    return count, acc


class DigestProcess:
    """Feeds blocks of whole lines to a digest child process (or, failing that, a thread)."""

    def __init__(self) -> None:
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=4)
        self._error: BaseException | None = None
        self._acc = 0
        self._count = 0
        try:
            self._proc: subprocess.Popen[bytes] | None = subprocess.Popen(
                [sys.executable, "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE
            )
        except OSError:
            self._proc = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def feed(self, block: bytes) -> None:
        """Queue a block of whole lines, each ending with a newline."""
        self._queue.put(block)

    def _run(self) -> None:
        try:
            while (block := self._queue.get()) is not None:
                if self._proc is not None:
                    self._proc.stdin.write(block)  # type: ignore[union-attr]
                else:
                    lines = block.split(b"\n")
                    lines.pop()
                    self._count += len(lines)
                    self._acc = (self._acc + digest_lines(lines)) % _MOD
        except BaseException as error:  # reported by result()
            self._error = error
            while self._queue.get() is not None:
                pass

    def result(self) -> tuple[int, int]:
        """(line count, digest sum mod 2^256) of everything fed."""
        self._queue.put(None)
        self._thread.join()
        if self._proc is not None:
            out, _ = self._proc.communicate()
            if self._error is None and self._proc.returncode == 0:
                count, hexdigest = out.split()
                return int(count), int(hexdigest, 16)
            raise KgpubError(f"digest process failed (exit {self._proc.returncode}): {self._error or ''}")
        if self._error is not None:
            raise self._error
        return self._count, self._acc


def main() -> None:
    count, acc = digest_stream(sys.stdin.buffer)
    sys.stdout.write(f"{count} {acc:064x}\n")


if __name__ == "__main__":
    main()
