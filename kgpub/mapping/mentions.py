"""Finding entity mentions in text, from the garden's names and the SSSOM tables.

Names come from the entity index (note titles, link labels) and from every
``mappings/*.tsv`` with SSSOM columns (``subject_label`` -> ``object_id``).
Only ``skos:exactMatch`` rows name entities: a family or complex name whose rows
are ``skos:relatedMatch`` candidates (``FOXO``, ``GSK3``) is ambiguous and never
points at one member.  A label names one entity per ``object_label``; when any label sharing that identifier names a garden entity, the
mention points at that entity, otherwise at the IRI of the identifier of the
label's first row (table order: NCBI Gene rows come first, the primary scheme of genes in ``mappings/primary_schemes.tsv``).

Matching is case-insensitive (acronyms of capitals only, such as ``BAD``,
match as written) and isoform-aware: a name never matches inside a longer
token, and a digit, or a Greek letter after a space, continues a token, so
``Akt`` does not match ``Akt2`` and ``PKB`` does not match ``PKB β``.  Greek
letters match their spelled names (``PKB α`` = ``PKB alpha``), and a hyphen
may sit between letters and digits (``Akt-2`` = ``Akt2``).  At each position
the longest name wins.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Iterable, Iterator

from pyoxigraph import NamedNode

from ..emit.context import EntityIndex
from ..errors import IdentifierError
from ..identifiers import Identifiers
from ..paths import mappings_dir


@dataclass(frozen=True)
class NameRow:
    """One SSSOM row: a label and the identifier (CURIE) it maps to."""

    label: str
    object_id: str
    object_label: str
    predicate: str
    source: str


@dataclass
class Match:
    start: int
    end: int
    text: str
    targets: tuple[NamedNode, ...]


@dataclass(frozen=True)
class Described:
    """What a build says about an external mention target: its label and its other identifiers."""

    label: str
    exact: tuple[NamedNode, ...]


@dataclass
class MentionMatcher:
    """Compiled names -> targets; :meth:`find` yields non-overlapping matches.

    ``described``: external targets (not garden entities) -> label and other exact identifiers,
    so every IRI a mention points at has an ``rdfs:label`` in the build.
    """

    described: dict[NamedNode, Described] = field(default_factory=dict)
    targets: dict[str, set[NamedNode]] = field(default_factory=dict)  # folded name -> targets
    spelled: dict[str, str] = field(default_factory=dict)  # folded name -> first spelling seen
    _regex: re.Pattern[str] | None = None
    _order: list[str] = field(default_factory=list)

    def add(self, name: str, target: NamedNode) -> None:
        name = " ".join(str(name).split())
        if len(name) < 2:
            return
        key = _fold(name)
        self.targets.setdefault(key, set()).add(target)
        self.spelled.setdefault(key, name)
        self._regex = None

    def _compile(self) -> re.Pattern[str]:
        if self._regex is None:
            names = sorted(self.targets, key=lambda n: (-len(n), n))
            alternatives = [_pattern(self.spelled[n]) for n in names]
            self._regex = re.compile("|".join(f"(?P<n{i}>{p})" for i, p in enumerate(alternatives)) or r"(?!x)x")
            self._order = names
        return self._regex

    def find(self, text: str) -> Iterator[Match]:
        regex = self._compile()
        for match in regex.finditer(text):
            name = self._order[int(match.lastgroup[1:])]
            yield Match(match.start(), match.end(), match.group(0), tuple(sorted(self.targets[name], key=lambda n: n.value)))


_GREEK = {
    chr(code): unicodedata.name(chr(code)).split()[-1].lower()
    for code in range(0x3B1, 0x3CA)
    if unicodedata.name(chr(code), "").startswith("GREEK SMALL LETTER")
}
_GREEK_NAMES = "|".join(sorted(set(_GREEK.values()), key=len, reverse=True))
_TOKEN_AFTER = rf"(?![0-9A-Za-z\u0370-\u03ff])(?!\s?(?:[\u03b1-\u03c9]|(?:{_GREEK_NAMES})\b))"


def _fold(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).casefold()
    for letter, spelled in _GREEK.items():
        text = text.replace(letter, spelled)
    return re.sub(r"[\s\-]+", "", text)


def _pattern(name: str) -> str:
    """A regex for ``name`` with the tolerances described in the module docstring."""
    acronym = name.isalpha() and name.isupper() and name.isascii()
    spelled_to_letter = {spelled: letter for letter, spelled in _GREEK.items()}
    name = re.sub(
        rf"(?<![A-Za-z])({_GREEK_NAMES})(?![A-Za-z])",
        lambda m: spelled_to_letter[m.group(1).lower()], name, flags=re.IGNORECASE,
    )
    parts: list[str] = []
    previous = ""
    for char in name:
        if char.isspace() or char == "-":
            parts.append(r"[\s\-]*")
        elif char in _GREEK or char.lower() in _GREEK:
            parts.append(rf"\s?(?:{re.escape(char)}|{_GREEK.get(char.lower(), char)})")
        else:
            if char.isdigit() and previous.isalpha():
                parts.append("-?")
            parts.append(re.escape(char) if acronym else _any_case(char))
        previous = char
    body = "".join(parts)
    body = re.sub(r"(?:\[\\s\\-\]\*)+", r"[\\s\\-]*", body)
    return rf"(?<![0-9A-Za-z\u0370-\u03ff]){body}{_TOKEN_AFTER}"


def _any_case(char: str) -> str:
    if char.lower() != char.upper() and len(char.lower()) == 1 and len(char.upper()) == 1:
        return f"[{re.escape(char.lower())}{re.escape(char.upper())}]"
    return re.escape(char)


def read_name_tables(folder: Path | None = None) -> list[NameRow]:
    """Rows of every SSSOM-shaped TSV in ``mappings/`` (has ``subject_label`` and ``object_id``)."""
    return list(_read_name_tables(folder or mappings_dir()))


@cache
def _read_name_tables(folder: Path) -> tuple[NameRow, ...]:
    rows: list[NameRow] = []
    for path in sorted(folder.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            lines = [line for line in handle if not line.startswith("#")]
        reader = csv.DictReader(lines, delimiter="\t")
        if not reader.fieldnames or "subject_label" not in reader.fieldnames or "object_id" not in reader.fieldnames:
            continue
        for row in reader:
            label, object_id = (row.get("subject_label") or "").strip(), (row.get("object_id") or "").strip()
            if label and object_id:
                rows.append(NameRow(label, object_id, (row.get("object_label") or "").strip(), (row.get("predicate_id") or "").strip(), path.name))
    return tuple(rows)


_EXACT = ("skos:exactMatch", "http://www.w3.org/2004/02/skos/core#exactMatch")


def build_matcher(index: EntityIndex | None, ids: Identifiers, rows: Iterable[NameRow] | None = None) -> MentionMatcher:
    """Names of the garden index plus the mapping tables, resolved as the module docstring says."""
    matcher = MentionMatcher()
    add = matcher.add
    if index is not None:
        for name, node in index.names():
            add(name, node)
    rows = list(rows if rows is not None else read_name_tables())
    by_id: dict[str, list[str]] = defaultdict(list)
    rows = [row for row in rows if row.predicate in _EXACT]  # an ambiguous name (related candidates only) is no mention
    for row in rows:
        by_id[row.object_id].append(row.label)
    # per label and per entity it names (object_label), the first row in table order decides
    chosen: dict[tuple[str, str], NameRow] = {}
    same_entity: dict[tuple[str, str], list[NameRow]] = defaultdict(list)  # the rows of one label naming one entity
    for row in rows:
        same_entity[(row.object_label, row.label)].append(row)
    for row in rows:
        chosen.setdefault((_fold(row.label), _fold(row.object_label or row.object_id)), row)
    for row in chosen.values():
        synonyms = by_id[row.object_id]
        garden = sorted({n for label in synonyms for n in (index.lookup(label) if index is not None else [])}, key=lambda n: n.value)
        if garden:
            targets = garden
        else:
            try:
                target = NamedNode(ids.expand(row.object_id))
                others = tuple(NamedNode(ids.expand(r.object_id)) for r in same_entity[(row.object_label, row.label)] if r.object_id != row.object_id)
            except IdentifierError:
                continue
            targets = [target]
            if target not in matcher.described:
                matcher.described[target] = Described(row.object_label or row.label, tuple(sorted(set(others), key=lambda n: n.value)))
        for target in targets:
            add(row.label, target)
    return matcher
