"""Reading PrimeKG's ``kg.csv`` in byte batches, robustly and vectorised.

Each batch is a whole number of lines.  Lines that cannot be rows (bytes that
are not UTF-8, unbalanced quotes, a wrong number of columns) are found with
polars string expressions, counted and left out; the rest is parsed by polars'
CSV reader.  Every row keeps its 1-based line number for diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import polars as pl

from ...errors import InputError
from .reasons import DropReason

COLUMNS = (
    "relation", "display_relation",
    "x_index", "x_id", "x_type", "x_name", "x_source",
    "y_index", "y_id", "y_type", "y_name", "y_source",
)
USED = tuple(c for c in COLUMNS if not c.endswith("_index"))  # the importer never reads PrimeKG's row indexes
_USED_AT = [COLUMNS.index(c) for c in USED]
_QUOTED_FIELD = r'"(?:[^"]|"")*"'
DEFAULT_BATCH_BYTES = 48 << 20


class HeaderError(InputError):
    """The file does not start with PrimeKG's 12-column header: nothing is imported."""


@dataclass
class RowBatch:
    """Parsed rows (the string columns of :data:`USED` + ``line``) and the lines left out, per reason."""

    rows: pl.DataFrame
    bad: dict[DropReason, pl.Series] = field(default_factory=dict)
    end_offset: int = 0


def check_header(line: bytes, path: Path) -> None:
    text = line.decode("utf-8", "replace").strip().lstrip("\ufeff")
    names = tuple(n.strip().strip('"') for n in text.split(","))
    if names != COLUMNS:
        raise HeaderError(
            f"not a PrimeKG kg.csv: header is {text[:200]!r}, expected {','.join(COLUMNS)}", path=path, line=1
        )


def read_batches(path: Path | str, *, batch_bytes: int = DEFAULT_BATCH_BYTES) -> Iterator[RowBatch]:
    """Yield the rows of ``path`` in batches of about ``batch_bytes``; refuse a wrong header."""
    path = Path(path)
    with path.open("rb") as handle:
        check_header(handle.readline(), path)
        line = 2
        while True:
            data = handle.read(batch_bytes)
            if not data:
                return
            if not data.endswith(b"\n"):
                data += handle.readline()
                if not data.endswith(b"\n"):
                    data += b"\n"
            batch = parse_chunk(data, line)
            batch.end_offset = handle.tell()
            line += data.count(b"\n")
            yield batch


def _lines(data: bytes) -> tuple[list[str], list[int]]:
    """The lines of ``data`` and the 0-based indexes of those that are not UTF-8 (blanked)."""
    parts = data.split(b"\n")[:-1]
    try:
        return data.decode("utf-8").split("\n")[:-1], []
    except UnicodeDecodeError:
        pass
    bad = []
    out = []
    for i, part in enumerate(parts):  # slow path: only batches holding bad bytes
        try:
            out.append(part.decode("utf-8"))
        except UnicodeDecodeError:
            bad.append(i)
            out.append("")
    return out, bad


REQUIRED = ("relation", "display_relation", "x_id", "x_type", "x_source", "y_id", "y_type", "y_source")


def blank(column: str) -> pl.Expr:
    """The field is missing or only white space."""
    return pl.col(column).is_null() | (pl.col(column).str.strip_chars() == "")


def _fast_parse(data: bytes, first_line: int) -> RowBatch | None:
    """Parse a batch with no problem at all in one go; ``None`` if it has any."""
    try:
        rows = _read(data)
    except pl.exceptions.PolarsError:
        return None  # a ragged, unbalanced or non-UTF-8 line: the line-wise path finds it
    if rows.height != data.count(b"\n") or rows.select(pl.any_horizontal(pl.col(REQUIRED).is_null()).any()).item():
        return None  # short rows and blank lines read as nulls: let the line-wise path say which
    return RowBatch(rows.with_row_index("line", offset=first_line).select(*USED, "line"))


def _read(data: bytes) -> pl.DataFrame:
    """The :data:`USED` columns of whole CSV lines, all strings (raises on a ragged line)."""
    rows = pl.read_csv(data, has_header=False, infer_schema=False, quote_char='"')  # every column: a projection ignores extra fields
    if rows.width != len(COLUMNS):
        raise pl.exceptions.ShapeError(f"{rows.width} columns")
    return rows.select(pl.nth(i).alias(name) for i, name in zip(_USED_AT, USED))


def parse_chunk(data: bytes, first_line: int) -> RowBatch:
    """Parse ``data`` (whole lines, ending with a newline) whose first line is ``first_line``."""
    fast = _fast_parse(data, first_line)
    if fast is not None:
        return fast
    texts, not_utf8 = _lines(data)
    frame = pl.DataFrame({"text": texts}, schema={"text": pl.String}).with_row_index("line", offset=first_line).with_columns(
        pl.col("text").str.strip_suffix("\r")
    )
    text_col = pl.col("text")
    quoted = text_col.str.contains('"', literal=True)
    commas = (
        pl.when(quoted)
        .then(text_col.str.replace_all(_QUOTED_FIELD, "").str.count_matches(",", literal=True))
        .otherwise(text_col.str.count_matches(",", literal=True))
    )
    reason = (
        pl.when(pl.col("line").is_in(pl.Series([first_line + i for i in not_utf8], dtype=pl.UInt32).implode()))
        .then(pl.lit(DropReason.INVALID_UTF8.value))
        .when(quoted & (text_col.str.count_matches('"', literal=True) % 2 == 1))
        .then(pl.lit(DropReason.BAD_QUOTING.value))
        .when(commas != len(COLUMNS) - 1)
        .then(pl.lit(DropReason.WRONG_COLUMN_COUNT.value))
    )
    frame = frame.with_columns(reason.alias("reason"))
    problems = frame.filter(pl.col("reason").is_not_null())
    bad = {
        DropReason(r): group["line"]
        for (r,), group in problems.group_by("reason", maintain_order=True)
    }
    if problems.height == 0:
        source: bytes = data
        line_numbers = frame["line"]
    else:
        good = frame.filter(pl.col("reason").is_null())
        source = (good["text"].str.join("\n").item() + "\n").encode("utf-8") if good.height else b""
        line_numbers = good["line"]
    rows = _read(source) if source else pl.DataFrame(schema={c: pl.String for c in USED})
    if rows.height != line_numbers.len():  # a quoted field holding a newline: numbers are approximate
        line_numbers = pl.Series("line", range(first_line, first_line + rows.height), dtype=pl.UInt32)
    return RowBatch(rows.with_columns(line_numbers.alias("line").cast(pl.UInt32)), bad)
