"""The fast reader of ``kg.csv``: polars' streaming CSV engine, for files with nothing wrong in them.

Most files are clean, and for those polars' own multi-threaded streaming reader is several times
faster than reading in byte batches.  It cannot say *which* line is wrong, so it only vouches for
a clean file: as soon as it meets anything it cannot account for exactly (a ragged line, bytes that
are not UTF-8, an unbalanced quote, a quoted line break that would shift line numbers; the
importer adds fields the mapping tables do not allow) it raises :class:`NotClean`, and the importer reads the file again with the
line-checking reader of :mod:`kgpub.importers.primekg_read`, which reports every bad line.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np
import polars as pl

from .primekg_read import COLUMNS, check_header

BATCH_ROWS = 500_000


class NotClean(Exception):
    """The file needs the line-checking reader (the reason is in the message)."""


def raw_line_count(path: Path, chunk: int = 1 << 22) -> int:
    """Lines in ``path`` (header included), counted without any CSV quoting.

    Read in chunks rather than mapped, so the file's pages do not count in the import's memory."""
    buffer = np.empty(chunk, dtype=np.uint8)
    count, last = 0, 10
    with Path(path).open("rb", buffering=0) as handle:
        while read := handle.readinto(buffer):  # type: ignore[attr-defined]
            count += int(np.count_nonzero(buffer[:read] == 10))
            last = int(buffer[read - 1])
    return count + (last != 10)


class _LineCount(threading.Thread):
    """:func:`raw_line_count` on a thread of its own, beside the scan (both release the GIL)."""

    def __init__(self, path: Path):
        super().__init__(daemon=True)
        self.path = path
        self.lines: int | None = None
        self.error: OSError | None = None
        self.start()

    def run(self) -> None:
        try:
            self.lines = raw_line_count(self.path)
        except OSError as error:
            self.error = error

    def result(self) -> int:
        self.join()
        if self.error is not None:
            raise self.error
        assert self.lines is not None
        return self.lines


def scan_frames(path: Path | str, select: Iterable[pl.Expr | str], *, batch_rows: int = BATCH_ROWS) -> Iterator[pl.DataFrame]:
    """Yield ``line`` + the ``select`` columns of a clean file, in order; raise :class:`NotClean` otherwise.

    ``select`` is computed inside polars' streaming engine, in parallel with parsing.  Frames may
    have been yielded before a problem is found: a consumer must be able to start over.
    """
    path = Path(path)
    with path.open("rb") as handle:
        check_header(handle.readline(), path)
    query = (
        pl.scan_csv(path, has_header=True, new_columns=list(COLUMNS), infer_schema=False, quote_char='"')
        .with_row_index("line", offset=2)
        .select("line", *select)
    )
    lines = _LineCount(path)
    rows = 0
    try:
        # every column is parsed (no projection pushdown), else polars ignores extra fields on a line
        parse_all = pl.QueryOptFlags(projection_pushdown=False)
        for frame in query.collect_batches(chunk_size=batch_rows, engine="streaming", optimizations=parse_all):
            rows += frame.height
            yield frame
    except pl.exceptions.PolarsError as error:
        raise NotClean(str(error).splitlines()[0]) from error
    if rows != lines.result() - 1:
        raise NotClean("a quoted field holds a line break")
