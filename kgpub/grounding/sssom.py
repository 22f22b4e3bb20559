"""Groundings -> an SSSOM TSV file (``DIST/mappings.sssom.tsv``), valid for ``sssom validate``.

One row per (subject, predicate, object): ``subject_id`` the garden resource, ``object_id`` the
identifier as a CURIE of the ``curie_map`` written in the header, ``mapping_justification`` a semapv
term, ``confidence``, ``match_string`` (the lexicon's name that matched) and ``object_source``
(the lexicon file, under ``kgpub-lexicon:``).  Curated rows (front matter: ``semapv:ManualMappingCuration``;
mapping tables: as the table justifies them) say in ``comment`` where they were written.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .model import SEMAPV, SKOS, Grounding

COLUMNS = ("subject_id", "subject_label", "subject_category", "predicate_id", "object_id", "object_label",
           "mapping_justification", "confidence", "match_string", "object_source", "mapping_tool", "comment")
_LEXICON = "https://w3id.org/kgpub/lexicon/"
_KGO = "https://w3id.org/kgpub/ontology/"


@dataclass(frozen=True)
class MappingRow:
    """A grounding of a garden resource (``subject``: its IRI and label)."""

    subject: str
    subject_label: str
    grounding: Grounding
    comment: str = ""  # where a curated row was written (front matter file:line, SSSOM table:line)


def _yaml(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_sssom(path: Path, rows: Iterable[MappingRow], *, base_iri: str, mapping_set_id: str, tool: str) -> int:
    """Write ``rows`` (sorted, duplicates dropped) to ``path``; returns the number of rows."""
    curie_map = {"garden": base_iri, "skos": SKOS, "semapv": SEMAPV, "kgo": _KGO, "kgpub-lexicon": _LEXICON}
    lines: dict[str, str] = {}  # "subject\tpredicate\tobject" -> the row as written: strings only, no containers per row
    predicates = {SKOS + "exactMatch": "skos:exactMatch", SKOS + "relatedMatch": "skos:relatedMatch"}
    for row in rows:
        g = row.grounding
        prefix, _, local = g.curie.partition(":")
        if not g.iri.endswith(local):
            continue  # an IRI form that does not end in the local id cannot be written as a CURIE
        if prefix not in curie_map:
            curie_map[prefix] = g.iri[: len(g.iri) - len(local)]
        subject = "garden:" + row.subject[len(base_iri):] if row.subject.startswith(base_iri) else row.subject
        predicate = predicates.get(g.predicate) or "skos:" + g.predicate.removeprefix(SKOS)
        key = f"{subject}\t{predicate}\t{g.curie}"
        if key in lines:
            continue
        fields = (subject, row.subject_label, _compact(g.cls, curie_map), predicate, g.curie, g.label,
                  "semapv:" + g.justification.removeprefix(SEMAPV), f"{g.confidence:.3g}", g.match_string,
                  "kgpub-lexicon:" + g.lexicon.replace(" ", "_") if g.lexicon else "", tool, row.comment)
        line = "\t".join(fields)
        lines[key] = line + "\n" if line.count("\t") == len(fields) - 1 and _PLAIN(line) else _quoted(fields)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("# curie_map:\n")
        for prefix in sorted(curie_map):
            handle.write(f"#   {prefix}: {_yaml(curie_map[prefix])}\n")
        handle.write(f"# mapping_set_id: {_yaml(mapping_set_id)}\n")
        handle.write(f"# license: {_yaml('https://creativecommons.org/publicdomain/zero/1.0/')}\n")
        handle.write(f"# mapping_tool: {_yaml(tool)}\n")
        handle.write("\t".join(COLUMNS) + "\n")
        # sorted as by (subject, predicate, object): a tab sorts before any character of an IRI or a CURIE
        handle.writelines(lines[key] for key in sorted(lines))
    return len(lines)


_PLAIN = re.compile(r'[^"\n\r]*').fullmatch  # a row csv writes as it is (with no tab inside a field): no field to quote


def _quoted(fields: tuple[str, ...]) -> str:
    """The row as :mod:`csv` writes it, quoting the fields that need it (a quote, a line break, a tab in a field)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter="\t", lineterminator="\n").writerow(fields)
    return buffer.getvalue()


def _compact(iri: str, curie_map: dict[str, str]) -> str:
    return "kgo:" + iri.removeprefix(_KGO) if iri.startswith(_KGO) else iri
