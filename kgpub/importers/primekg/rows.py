"""Pass one of the PrimeKG import: every row reduced to integers, and the strings of each node once.

A row becomes ``line, code, x_n, y_n``.  ``code`` packs what the mapping tables say about the row's
six low-cardinality fields (relation pair, and type and source of each node): the relation rule,
the two node kinds, and how to orient the edge.  It is found through one 64-bit hash of the six
fields, looked up among the combinations ``mappings/primekg_*.tsv`` allows.  ``x_n`` and ``y_n``
number the nodes in the order first named; a node is known by a 64-bit key (a hash of type,
source and id).  The whole edge list then takes 16 bytes a row, so dedup and orientation can look
at all of it at once.  A node's strings (id, name) are kept from the first row naming it only.

Rows whose fields fit no allowed combination are dropped here with the reason (empty field,
unknown relation pair, type or source, or node types that do not fit the relation).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from .mapping import PrimekgMapping
from .read import REQUIRED, blank
from .reasons import DropReason, Drops

LOW = ("relation", "display_relation", "x_type", "x_source", "y_type", "y_source")  # few distinct values


def kind_key(side: str) -> pl.Expr:
    """64-bit key of the type and source of the node on ``side`` (x or y), the same on either side."""
    return pl.col(f"{side}_type").hash(3) ^ pl.col(f"{side}_source").hash(4)


# x's and y's kind keys are multiplied by distinct odd constants (wrapping) so swapping them changes the key
COMBO_KEY = (
    pl.col("relation").hash(21) ^ pl.col("display_relation").hash(22)
    ^ (kind_key("x") * 0x9E3779B97F4A7C15) ^ (kind_key("y") * 0xC2B2AE3D27D4EB4F)
).alias("combo")

# bits of a row's code
_KIND_SHIFT_X, _KIND_SHIFT_Y = 8, 16
SWAP_BIT = 1 << 24  # typed relation written object first: swap x and y
SYMMETRIC_BIT = 1 << 25  # undirected relation: the smaller node comes first


def node_key(side: str) -> pl.Expr:
    """64-bit key of the node on ``side`` (x or y): its type, source and id hashed together.

    The same for a node whichever side it is on."""
    return (pl.col(f"{side}_id").hash(5) ^ kind_key(side)).alias(f"{side}_h")


KEYS = (COMBO_KEY, node_key("x"), node_key("y"))  # computed in the reader's query, or per frame
NODE_STRINGS = ("x_id", "x_name", "y_id", "y_name")
# PrimeKG's node indexes, which the fast reader parses as integers (INDEX_TYPES: a field that is
# not one is a parse error, and the line-checking reader takes over; an empty one is null)
INDEX_TYPES = {"x_index": pl.UInt32, "y_index": pl.UInt32}
NODE_INDEXES = tuple(pl.col(f"{side}_index").alias(f"{side}_i") for side in "xy")
MAX_NODE_INDEX = 1 << 26  # a larger index is not a row of nodes.csv: the key join numbers such files


class UnusableIndexes(Exception):
    """The rows' node indexes are missing, too large, or name two different nodes (said in the message)."""


def rule_of(code: pl.Expr) -> pl.Expr:
    return (code % 256).cast(pl.Int16)


def kind_of(code: pl.Expr, side: str) -> pl.Expr:
    return ((code // (1 << (_KIND_SHIFT_X if side == "x" else _KIND_SHIFT_Y))) % 256).cast(pl.Int16)


def unpack(code: int) -> tuple[int, int, int]:
    """``rule, x_kind, y_kind`` of one row's code (what :func:`rule_of` and :func:`kind_of` compute per column)."""
    return code & 0xFF, code >> _KIND_SHIFT_X & 0xFF, code >> _KIND_SHIFT_Y & 0xFF


def combos(mapping: PrimekgMapping) -> pl.DataFrame:
    """Every combination of the six low-cardinality fields the tables allow: ``combo`` key -> ``code``."""
    if len(mapping.relations) > 256 or len(mapping.kinds) > 256:
        raise ValueError("at most 256 PrimeKG relation pairs and 256 node kinds")
    rows = []
    for rule in mapping.relations:
        for x in mapping.kinds:
            for y in mapping.kinds:
                straight = (x.node_type, y.node_type) == (rule.subject_type, rule.object_type)
                if not straight and (x.node_type, y.node_type) != (rule.object_type, rule.subject_type):
                    continue
                code = rule.code | x.code << _KIND_SHIFT_X | y.code << _KIND_SHIFT_Y
                if rule.direction == "typed" and not straight:
                    code |= SWAP_BIT
                if rule.direction == "symmetric":
                    code |= SYMMETRIC_BIT
                rows.append((rule.relation, rule.display_relation, x.node_type, x.source, y.node_type, y.source, code))
    frame = pl.DataFrame(rows, schema=[*LOW, "code"], orient="row", schema_overrides={"code": pl.Int32})
    return frame.select(COMBO_KEY, "code")


class RowReader:
    """Takes frames in file order, with ``line``, :data:`KEYS` and :data:`NODE_STRINGS` (and, from
    the line-checking reader, the other used columns); keeps the integer rows and node strings."""

    def __init__(self, mapping: PrimekgMapping, drops: Drops):
        self.mapping = mapping
        self.drops = drops
        self.rows = 0
        table = combos(mapping)
        self._combo_keys, self._codes = table["combo"], table["code"]
        self._types = pl.Series(sorted(mapping.node_types), dtype=pl.String)
        self._sources = {(k.node_type, k.source) for k in mapping.kinds}
        self._numbers = pl.DataFrame(schema={"h": pl.UInt64, "n": pl.UInt32})  # node key -> node number
        self._count = 0  # nodes numbered so far
        self._by_index = np.full(0, -1, dtype=np.int32)  # node index -> node number (-1: not seen yet)
        self._index_key = np.zeros(0, dtype=np.uint64)  # node index -> node key
        self._ints: list[pl.DataFrame] = []
        self._nodes: list[pl.DataFrame] = []

    def unknown(self, frame: pl.DataFrame) -> pl.Series:
        """Per row of ``frame`` (with ``combo``), its code, or null where the tables allow no such row."""
        return frame["combo"].replace_strict(self._combo_keys, self._codes, default=None, return_dtype=pl.Int32)

    @staticmethod
    def all_known(frame: pl.DataFrame, codes: pl.Series) -> bool:
        """Whether every row of ``frame`` has an allowed combination (``codes``) and both ids."""
        return not (codes.null_count() or frame["x_id"].null_count() or frame["y_id"].null_count())

    def add(self, frame: pl.DataFrame, codes: pl.Series | None = None) -> None:
        """One frame of rows; ``codes`` if the caller already looked them up.

        A frame with the node indexes (:data:`NODE_INDEXES`) is numbered by them, and raises
        :class:`UnusableIndexes` if they cannot be trusted; every frame of a reader must then
        have them (the two ways of numbering do not mix).
        """
        self.rows += frame.height
        if "combo" not in frame.columns:
            frame = frame.with_columns(*KEYS)
        codes = codes if codes is not None else self.unknown(frame)
        frame = frame.with_columns(codes.alias("code"))
        if not self.all_known(frame, codes):
            known = pl.col("code").is_not_null() & pl.col("x_id").is_not_null() & pl.col("y_id").is_not_null()
            self._drop_unknown(frame.filter(~known))
            frame = frame.filter(known)
        numbers = self._number_by_index(frame) if "x_i" in frame.columns else self._number(frame)
        self._ints.append(pl.DataFrame({
            "line": frame["line"].cast(pl.UInt32), "code": frame["code"],
            "x_n": numbers.slice(0, frame.height), "y_n": numbers.slice(frame.height),
        }))

    def _number(self, frame: pl.DataFrame) -> pl.Series:
        """The node number of every x, then every y, of ``frame`` (known and allowed rows).

        Nodes are numbered in the order first named (by line, x before y); a new node's strings
        are kept from that first row.  One join per frame both finds the new nodes and numbers
        the known ones, so pass two looks node numbers up in an array instead of joining again.
        """
        keys = pl.concat([frame["x_h"], frame["y_h"]]).to_frame("h")
        numbers = keys.join(self._numbers, on="h", how="left", maintain_order="left")["n"]
        if not numbers.null_count():
            return numbers
        unknown = numbers.is_null()
        new = pl.concat([
            frame.filter(unknown.slice(i * frame.height, frame.height)).select(_node_columns(i, side))
            for i, side in enumerate("xy")
        ]).sort("line", "side").unique(subset="h", keep="first", maintain_order=True)
        start = self._count
        new = new.with_columns(pl.int_range(start, start + new.height, dtype=pl.UInt32).alias("n"))
        self._count += new.height
        self._nodes.append(new)
        self._numbers = pl.concat([self._numbers, new.select("h", "n")], rechunk=True)
        missing = unknown.arg_true()
        found = keys[missing].join(new.select("h", "n"), on="h", how="left", maintain_order="left")["n"]
        return numbers.scatter(missing, found)

    def _number_by_index(self, frame: pl.DataFrame) -> pl.Series:
        """:meth:`_number` through PrimeKG's node indexes: array look-ups, each checked against the node key."""
        if frame["x_i"].null_count() or frame["y_i"].null_count():
            raise UnusableIndexes("a node index is empty")
        index = {side: frame[f"{side}_i"].to_numpy() for side in "xy"}
        keys = {side: frame[f"{side}_h"].to_numpy() for side in "xy"}
        top = max((int(i.max()) + 1 for i in index.values() if i.size), default=0)
        if top > MAX_NODE_INDEX:
            raise UnusableIndexes(f"node index {top - 1} is larger than {MAX_NODE_INDEX - 1}")
        if top > self._by_index.size:
            grown = max(top, 2 * self._by_index.size)
            self._by_index = np.concatenate([self._by_index, np.full(grown - self._by_index.size, -1, dtype=np.int32)])
            self._index_key = np.concatenate([self._index_key, np.zeros(grown - self._index_key.size, dtype=np.uint64)])
        numbers = {side: self._by_index[index[side]] for side in "xy"}
        # where indexes not seen before are named, as row * 2 + side: the order nodes are first named in
        at = np.sort(np.concatenate([np.flatnonzero(numbers["x"] < 0) * 2, np.flatnonzero(numbers["y"] < 0) * 2 + 1]))
        if at.size:
            named = _interleaved(index, at)
            first = np.flatnonzero(pl.Series(named).is_first_distinct().to_numpy())  # each new index where first named
            new_numbers = np.arange(self._count, self._count + first.size, dtype=np.int32)
            self._by_index[named[first]] = new_numbers
            self._index_key[named[first]] = _interleaved(keys, at[first])
            self._count += first.size
            self._nodes.append(self._new_nodes(frame, at[first], new_numbers))
            numbers = {side: self._by_index[index[side]] for side in "xy"}
        if not all(np.array_equal(self._index_key[index[side]], keys[side]) for side in "xy"):
            raise UnusableIndexes("a node index names two different nodes")
        return pl.Series("n", np.concatenate([numbers["x"], numbers["y"]]), dtype=pl.UInt32)

    @staticmethod
    def _new_nodes(frame: pl.DataFrame, at: np.ndarray, numbers: np.ndarray) -> pl.DataFrame:
        """The strings of new nodes first named at interleaved positions ``at`` (row * 2 + side)."""
        parts = []
        for i, side in enumerate("xy"):
            mine = at % 2 == i
            parts.append(frame[at[mine] // 2].select(_node_columns(i, side)).with_columns(pl.Series("n", numbers[mine], dtype=pl.UInt32)))
        return pl.concat(parts).sort("n")

    def add_bad_lines(self, reason: DropReason, lines: pl.Series) -> None:
        """Lines the reader could not make rows of (ragged, not UTF-8, unbalanced quotes)."""
        self.rows += lines.len()
        self.drops.add(reason, lines.sort())

    def table(self) -> pl.DataFrame:
        """All kept rows as integers (``line, code, x_n, y_n``: node numbers), in line order."""
        if not self._ints:
            return pl.DataFrame(schema={"line": pl.UInt32, "code": pl.Int32, "x_n": pl.UInt32, "y_n": pl.UInt32})
        table = pl.concat(self._ints, rechunk=True)
        self._ints = []
        return table

    def first_nodes(self) -> pl.DataFrame:
        """``n, kind, id, name, line`` of each node (``n`` its number), from the first row naming it."""
        if not self._nodes:
            return pl.DataFrame(schema={"n": pl.UInt32, "kind": pl.Int16, "id": pl.String, "name": pl.String, "line": pl.UInt32})
        return pl.concat(self._nodes).select("n", "kind", "id", "name", pl.col("line").cast(pl.UInt32))

    def _drop_unknown(self, bad: pl.DataFrame) -> None:
        missing = [c for c in (*LOW, *REQUIRED) if c not in bad.columns]
        if missing:  # the fast reader never passes such rows
            raise ValueError(f"rows with unknown fields need their columns {missing}")
        kinds = pl.DataFrame(sorted(self._sources), schema=["type", "source"], orient="row")
        has_kind = {
            side: pl.concat_str(pl.col(f"{side}_type"), pl.col(f"{side}_source"), separator="\t").is_in(
                kinds.select(pl.concat_str("type", "source", separator="\t"))["type"].implode()
            )
            for side in "xy"
        }
        relations = self.mapping.relations_frame().select(pl.concat_str("relation", "display_relation", separator="\t"))["relation"]
        unknown_type = ~pl.col("x_type").is_in(self._types.implode()) | ~pl.col("y_type").is_in(self._types.implode())
        reason = (
            pl.when(pl.any_horizontal(blank(c) for c in REQUIRED)).then(pl.lit(DropReason.MISSING_FIELD.value))
            .when(~pl.concat_str("relation", "display_relation", separator="\t").is_in(relations.implode()))
            .then(pl.lit(DropReason.UNKNOWN_RELATION.value))
            .when(unknown_type).then(pl.lit(DropReason.UNKNOWN_TYPE.value))
            .when(~has_kind["x"] | ~has_kind["y"]).then(pl.lit(DropReason.UNKNOWN_SOURCE.value))
            .otherwise(pl.lit(DropReason.TYPE_MISMATCH.value))
        )
        bad = bad.with_columns(reason.alias("reason"))
        for (value,), group in bad.group_by("reason", maintain_order=True):
            rows = {r["line"]: r for r in group.head(self.drops.first).iter_rows(named=True)}
            self.drops.add(DropReason(value), group["line"], lambda lines, rows=rows: [describe(rows[n]) for n in lines])


def _node_columns(i: int, side: str) -> list[pl.Expr]:
    """``line, side, h, kind, id, name`` of the node on ``side`` (``i``: 0 for x, 1 for y) of a frame's rows."""
    return [
        pl.col("line"), pl.lit(i, dtype=pl.UInt8).alias("side"), pl.col(f"{side}_h").alias("h"),
        kind_of(pl.col("code"), side).alias("kind"), pl.col(f"{side}_id").alias("id"), pl.col(f"{side}_name").alias("name"),
    ]


def _interleaved(columns: dict[str, np.ndarray], at: np.ndarray) -> np.ndarray:
    """The values of the ``x`` and ``y`` arrays of ``columns`` at interleaved positions ``at`` (row * 2 + side)."""
    return np.where(at % 2 == 0, columns["x"][at // 2], columns["y"][at // 2])


def describe(row: dict) -> str:
    """What a dropped row held, for its diagnostic."""
    return (
        f": relation={row['relation']!r} display_relation={row['display_relation']!r}"
        f" x={row['x_type']}/{row['x_source']}/{row['x_id']!r} y={row['y_type']}/{row['y_source']}/{row['y_id']!r}"
    )
