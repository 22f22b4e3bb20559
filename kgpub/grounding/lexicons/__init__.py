"""Lexicon readers, one per standard format.  Each reads a file into :class:`LexiconEntry` records;
a malformed row is reported on the log as ``file:line`` and skipped, the rest is read."""

from __future__ import annotations

from typing import Callable

from ...diagnostics import DiagnosticLog
from ...identifiers import Identifiers
from ..model import LexiconEntry, LexiconSource
from . import drugbank, hgnc, obo, obographs, owl, primekg_nodes, sssom_table

Reader = Callable[[LexiconSource, Identifiers, DiagnosticLog], list[LexiconEntry]]

READERS: dict[str, Reader] = {
    "hgnc-tsv": hgnc.read,
    "obo": obo.read,
    "owl": owl.read,
    "obographs-json": obographs.read,
    "sssom": sssom_table.read,
    "primekg-nodes": primekg_nodes.read,
    "drugbank-mappings": drugbank.read,
}


def read_lexicon(source: LexiconSource, ids: Identifiers, log: DiagnosticLog) -> list[LexiconEntry]:
    reader = READERS.get(source.format)
    if reader is None:
        log.error(str(source.path), None, f"unknown lexicon format {source.format!r} (known: {', '.join(sorted(READERS))}); lexicon skipped", code="lexicon")
        return []
    if not source.path.is_file():
        log.error(str(source.path), None, "lexicon file not found; lexicon skipped", code="lexicon")
        return []
    return reader(source, ids, log)
