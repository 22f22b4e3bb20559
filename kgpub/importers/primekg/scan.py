"""The fast reader of ``kg.csv``: polars' streaming CSV engine, for files with nothing wrong in them.

Most files are clean, and for those polars' own multi-threaded streaming reader is several times
faster than reading in byte batches.  It cannot say *which* line is wrong, so it only vouches for
a clean file.  On anything it cannot account for exactly (a ragged line, bytes that are not UTF-8,
an unbalanced quote, a quoted line break that would shift line numbers) it raises
:class:`NotClean`; the importer raises it too for fields the mapping tables do not allow and for
node indexes it cannot use (:class:`kgpub.importers.primekg.rows.UnusableIndexes`).  The
importer then reads the file again with the line-checking reader of
:mod:`kgpub.importers.primekg.read`, which reports every bad line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator, Mapping

import polars as pl

from .read import COLUMNS, check_header

BATCH_ROWS = 500_000


class NotClean(Exception):
    """The file needs the line-checking reader (the reason is in the message)."""


def raw_line_count(path: Path) -> int:
    """Lines in ``path`` (header included), counted by polars without any CSV quoting.

    It runs before the scan: a file not yet in the page cache is read from disk once, here, and
    the scan then reads it from memory (two readers at once would make the disk seek between them).
    """
    counted = pl.scan_csv(path, has_header=False, quote_char=None, separator="\x1f", infer_schema=False)
    return int(counted.select(pl.len()).collect().item())


def scan_frames(path: Path | str, select: Iterable[pl.Expr | str], *, types: Mapping[str, pl.DataType] | None = None,
                batch_rows: int = BATCH_ROWS) -> Iterator[pl.DataFrame]:
    """Yield ``line`` + the ``select`` columns of a clean file, in order; raise :class:`NotClean` otherwise.

    Columns are strings, but for those ``types`` names, parsed as that type (a field that is not
    one makes the file not clean).  ``select`` is computed inside polars' streaming engine, in
    parallel with parsing.  Frames may have been yielded before a problem is found: a consumer
    must be able to start over.
    """
    path = Path(path)
    with path.open("rb") as handle:
        check_header(handle.readline(), path)
    query = (
        pl.scan_csv(path, has_header=True, new_columns=list(COLUMNS), infer_schema=False, quote_char='"',
                    schema_overrides=dict(types or {}))
        .with_row_index("line", offset=2)
        .select("line", *select)
    )
    lines = raw_line_count(path)
    rows = 0
    try:
        # every column is parsed (no projection pushdown), else polars ignores extra fields on a line
        parse_all = pl.QueryOptFlags(projection_pushdown=False)
        for frame in query.collect_batches(chunk_size=batch_rows, engine="streaming", optimizations=parse_all):
            rows += frame.height
            yield frame
    except pl.exceptions.PolarsError as error:
        raise NotClean(str(error).splitlines()[0]) from error
    if rows != lines - 1:
        raise NotClean("a quoted field holds a line break")
