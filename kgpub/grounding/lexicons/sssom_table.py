"""SSSOM TSV (https://mapping-commons.github.io/sssom/): ``subject_label`` -> ``object_id`` rows, with
``predicate_id``, ``subject_category``, ``mapping_justification`` and ``confidence``; the ``#`` YAML
header is metadata.  Rows of an SSSOM lexicon are curated: they win over automatic matches."""

from __future__ import annotations

import csv

from ...diagnostics import DiagnosticLog
from ...identifiers import Identifiers
from ...vocab import PREFIXES
from ..model import SEMAPV, SKOS, LexiconEntry, LexiconSource, Name
from .common import curie

_REQUIRED = ("subject_label", "predicate_id", "object_id", "mapping_justification")


def _expand(text: str) -> str:
    prefix, _, local = text.partition(":")
    return {"skos": SKOS, "semapv": SEMAPV}.get(prefix, PREFIXES.get(prefix, prefix + ":")) + local


def read(source: LexiconSource, ids: Identifiers, log: DiagnosticLog) -> list[LexiconEntry]:
    entries: list[LexiconEntry] = []
    with source.path.open(encoding="utf-8", newline="") as handle:
        numbered = [(n, line) for n, line in enumerate(handle, start=1) if not line.startswith("#") and line.strip()]
    if not numbered:
        log.error(str(source.path), None, "SSSOM file has no header row; lexicon skipped", code="lexicon")
        return []
    reader = csv.DictReader((line for _, line in numbered), delimiter="\t")
    missing = [c for c in _REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        log.error(str(source.path), numbered[0][0], f"SSSOM header lacks column(s) {', '.join(missing)}; lexicon skipped", code="lexicon")
        return []
    for (line, _), row in zip(numbered[1:], reader):
        label, object_id = (row.get("subject_label") or "").strip(), (row.get("object_id") or "").strip()
        if not label or not object_id or None in row.values():
            log.error(str(source.path), line, "row lacks subject_label or object_id, or has too few cells; row skipped", code="lexicon")
            continue
        identifier = curie(object_id, source, ids, log, line)
        if identifier is None:
            continue
        try:
            confidence = float(row["confidence"]) if row.get("confidence") else None
        except ValueError:
            log.error(str(source.path), line, f"confidence {row['confidence']!r} is not a number; row skipped", code="lexicon")
            continue
        category = row.get("subject_category") or None
        entries.append(LexiconEntry(
            (identifier,), (row.get("object_label") or label).strip(), (Name(label, "label"),), source.name, line,
            category=_expand(category) if category else None, predicate=_expand(row["predicate_id"].strip()),
            justification=_expand(row["mapping_justification"].strip()), confidence=confidence,
        ))
    return entries
