"""External identifiers: CURIE normalisation, validation and expansion to IRIs.

All prefix knowledge comes from bioregistry (through a :class:`curies.Converter`);
``mappings/prefixes.tsv`` only chooses, for a few prefixes, which of
bioregistry's known URI prefixes is the primary one.  No IRI is built here by
string concatenation of a hand-written prefix table.

>>> ids = Identifiers.default()
>>> ids.normalize("NCBIGene:207")
'ncbigene:207'
>>> ids.expand("UniProtKB:P31749")
'http://purl.uniprot.org/uniprot/P31749'
>>> ids.expand("GO:0008286")
'http://purl.obolibrary.org/obo/GO_0008286'
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import curies

from .errors import IdentifierError, MappingError
from .paths import mappings_dir


@dataclass(frozen=True)
class Identifier:
    """A validated identifier: bioregistry prefix, local id, and its IRI."""

    prefix: str
    local: str
    iri: str

    @property
    def curie(self) -> str:
        return f"{self.prefix}:{self.local}"


class Identifiers:
    """Normalises, validates and expands CURIEs with bioregistry's data."""

    def __init__(self, converter: curies.Converter, patterns: dict[str, re.Pattern[str]]):
        self._converter = converter
        self._patterns = patterns
        # curies recomputes ``prefix_map`` on every access (milliseconds each): keep one copy.
        self._uri_prefixes: dict[str, str] = dict(converter.prefix_map)
        self._cache: dict[str, Identifier] = {}

    @classmethod
    @cache
    def default(cls) -> "Identifiers":
        """The converter built from bioregistry and ``mappings/prefixes.tsv`` (cached per process)."""
        return cls.from_bioregistry(mappings_dir() / "prefixes.tsv")

    @classmethod
    def from_bioregistry(cls, overrides: Path | None = None) -> "Identifiers":
        import bioregistry

        base = bioregistry.get_converter()
        preferred = _read_overrides(overrides) if overrides else {}
        records = []
        patterns: dict[str, re.Pattern[str]] = {}
        for record in base.records:
            if record.prefix in preferred:
                uri_prefix = preferred[record.prefix]
                synonyms = {record.uri_prefix, *record.uri_prefix_synonyms} - {uri_prefix}
                record = curies.Record(
                    prefix=record.prefix,
                    uri_prefix=uri_prefix,
                    prefix_synonyms=record.prefix_synonyms,
                    uri_prefix_synonyms=sorted(synonyms),
                    pattern=record.pattern,
                )
            records.append(record)
            if record.pattern:
                try:
                    patterns[record.prefix] = re.compile(record.pattern)
                except re.error:
                    pass
        # records come from bioregistry's own (already checked) converter: skip the quadratic duplicate check
        return cls(curies.Converter(records, strict=False), patterns)

    def parse(self, curie: str, *, default_prefix: str | None = None) -> Identifier:
        """Validate ``curie`` and return it normalised with its IRI.

        ``default_prefix`` is used when ``curie`` has no prefix (``ncbigene: 207``
        written as a front-matter key).  A local id that repeats its prefix
        (``go: GO:0008286``) is accepted.  Raises :class:`IdentifierError`.
        """
        key = f"{default_prefix}|{curie}"
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        text = str(curie).strip()
        if not text:
            raise IdentifierError("empty identifier")
        prefix, sep, local = text.partition(":")
        if default_prefix is not None:
            wanted = self._converter.standardize_prefix(default_prefix)
            if wanted is None:
                raise IdentifierError(f"unknown identifier prefix {default_prefix!r}")
            if not sep or self._converter.standardize_prefix(prefix) != wanted:
                prefix, local = default_prefix, text
        elif not sep:
            raise IdentifierError(f"{text!r} is not a CURIE (prefix:id)")
        norm_prefix = self._converter.standardize_prefix(prefix.strip())
        if norm_prefix is None:
            raise IdentifierError(f"unknown identifier prefix {prefix!r} in {text!r}")
        local = local.strip()
        pattern = self._patterns.get(norm_prefix)
        if pattern is not None and not pattern.match(local):
            # OBO-style banana: "GO:0008286" given as local id of prefix go
            inner_prefix, inner_sep, inner_local = local.partition(":")
            if inner_sep and self._converter.standardize_prefix(inner_prefix) == norm_prefix and pattern.match(inner_local):
                local = inner_local
            else:
                raise IdentifierError(
                    f"{text!r}: local id {local!r} does not match the {norm_prefix} pattern {pattern.pattern}"
                )
        uri_prefix = self._uri_prefixes.get(norm_prefix)
        if uri_prefix is None:
            raise IdentifierError(f"cannot expand {norm_prefix}:{local}")
        iri = uri_prefix + local
        result = Identifier(norm_prefix, local, iri)
        self._cache[key] = result
        return result

    def normalize(self, curie: str) -> str:
        return self.parse(curie).curie

    def expand(self, curie: str) -> str:
        return self.parse(curie).iri

    def standardize_prefix(self, prefix: str) -> str | None:
        return self._converter.standardize_prefix(prefix)

    def compress(self, iri: str) -> str | None:
        return self._converter.compress(iri)

    @property
    def converter(self) -> curies.Converter:
        return self._converter


def _read_overrides(path: Path) -> dict[str, str]:
    result: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        for number, row in enumerate(rows, start=2):
            if not row.get("prefix") or not row.get("uri_prefix"):
                raise MappingError("row needs prefix and uri_prefix", path=path, line=number)
            result[row["prefix"].strip()] = row["uri_prefix"].strip()
    return result
