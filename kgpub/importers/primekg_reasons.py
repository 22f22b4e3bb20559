"""Why a PrimeKG row is dropped: the reasons counted in the import summary."""

from __future__ import annotations

from enum import Enum


class DropReason(str, Enum):
    """A reason a row gives no edge.  The first two are normal dedup, the rest are bad rows."""

    MIRRORED = "mirrored"
    EXACT_DUPLICATE = "exact_duplicate"
    WRONG_COLUMN_COUNT = "wrong_column_count"
    INVALID_UTF8 = "invalid_utf8"
    BAD_QUOTING = "bad_quoting"
    MISSING_FIELD = "missing_field"
    UNKNOWN_RELATION = "unknown_relation"
    UNKNOWN_TYPE = "unknown_type"
    UNKNOWN_SOURCE = "unknown_source"
    MALFORMED_ID = "malformed_id"
    TYPE_MISMATCH = "relation_type_mismatch"

    @property
    def is_bad(self) -> bool:
        return self not in (DropReason.MIRRORED, DropReason.EXACT_DUPLICATE)

    @property
    def message(self) -> str:
        return _MESSAGES[self]


_MESSAGES = {
    DropReason.MIRRORED: "mirror of an earlier row (x and y swapped)",
    DropReason.EXACT_DUPLICATE: "exact duplicate of an earlier row",
    DropReason.WRONG_COLUMN_COUNT: "wrong number of columns",
    DropReason.INVALID_UTF8: "bytes that are not UTF-8",
    DropReason.BAD_QUOTING: "unbalanced quotes",
    DropReason.MISSING_FIELD: "missing id, type, source or relation",
    DropReason.UNKNOWN_RELATION: "unknown relation/display_relation pair",
    DropReason.UNKNOWN_TYPE: "unknown node type",
    DropReason.UNKNOWN_SOURCE: "unknown node source for its type",
    DropReason.MALFORMED_ID: "id does not match the bioregistry pattern of its source",
    DropReason.TYPE_MISMATCH: "node types do not fit the relation",
}

BAD_REASONS = tuple(r for r in DropReason if r.is_bad)
