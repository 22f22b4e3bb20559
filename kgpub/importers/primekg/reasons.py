"""Why a PrimeKG row is dropped: the reasons counted in the import summary."""

from __future__ import annotations

from enum import Enum
from typing import Callable, Sequence

from ...diagnostics import DiagnosticLog

#: Where :meth:`Drops.report` records a reason: ``(reason, count, first lines shown)``
#: (``ImportSummary.drop``).
DropRecorder = Callable[["DropReason", int, list[int]], None]


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


class Drops:
    """Rows dropped, per reason: a count, and the first lines with what they held.

    Reasons are found in different passes over the file, so lines are only reported (to the
    summary and, for bad rows, as ``path:line`` errors) by :meth:`report`, in line order.
    """

    def __init__(self, first: int = 20) -> None:
        self.first = first
        self.counts: dict[DropReason, int] = {}
        self.shown: dict[DropReason, list[tuple[int, str]]] = {}

    def add(self, reason: DropReason, lines: Sequence[int], describe: Callable[[list[int]], list[str]] | None = None) -> None:
        """Count ``lines`` (ascending) as dropped for ``reason``; ``describe`` gives a detail per shown line."""
        if not len(lines):
            return
        self.counts[reason] = self.counts.get(reason, 0) + len(lines)
        head = [int(n) for n in lines[: self.first]]
        details = describe(head) if describe is not None and reason.is_bad else [""] * len(head)
        kept = sorted(self.shown.get(reason, []) + list(zip(head, details)))
        self.shown[reason] = kept[: self.first]

    def report(self, record: DropRecorder, log: DiagnosticLog, path: str) -> None:
        """Give each reason's count and first lines to ``record``; bad rows also go to ``log`` as ``path:line``."""
        for reason in DropReason:
            if reason not in self.counts:
                continue
            shown = self.shown[reason]
            record(reason, self.counts[reason], [line for line, _ in shown])
            if reason.is_bad:
                for line, detail in shown:
                    log.error(path, line, reason.message + detail, code=reason.value)
