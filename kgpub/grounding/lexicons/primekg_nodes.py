"""``OUT/primekg/nodes.tsv`` of a PrimeKG import (:mod:`kgpub.importers.primekg.names`): each node's
name is a label of its CURIE, in the node's class.  Grouped nodes (no CURIE) are not identifiers and
are left out.  Read unquoted, as written: tab-separated, one node a line."""

from __future__ import annotations

from ...diagnostics import DiagnosticLog
from ...identifiers import Identifiers
from ..model import LexiconEntry, LexiconSource, Name
from .common import curie

_REQUIRED = ("curie", "class", "name")


def read(source: LexiconSource, ids: Identifiers, log: DiagnosticLog) -> list[LexiconEntry]:
    entries: list[LexiconEntry] = []
    with source.path.open(encoding="utf-8", newline="") as handle:
        header = handle.readline().rstrip("\r\n").split("\t")
        missing = [c for c in _REQUIRED if c not in header]
        if missing:
            log.error(str(source.path), 1, f"PrimeKG nodes table lacks column(s) {', '.join(missing)}; lexicon skipped", code="lexicon")
            return []
        at = {c: header.index(c) for c in _REQUIRED}
        for line, text in enumerate(handle, start=2):
            cells = text.rstrip("\r\n").split("\t")
            if len(cells) != len(header):
                log.error(str(source.path), line, f"{len(cells)} cells but the header has {len(header)}; row skipped", code="lexicon")
                continue
            compact, name = cells[at["curie"]], cells[at["name"]].strip()
            if not compact or not name:
                continue  # a grouped node, or a node PrimeKG gives no name
            identifier = curie(compact, source, ids, log, line)
            if identifier is not None:
                entries.append(LexiconEntry((identifier,), name, (Name(name, "label"),), source.name, line, category=cells[at["class"]] or None))
    return entries
