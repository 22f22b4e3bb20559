"""External identifiers: CURIE normalisation, validation and expansion to IRIs.

All prefix knowledge comes from bioregistry (its :class:`curies.Converter`'s records);
``mappings/prefixes.tsv`` only chooses, for a few prefixes, which of
bioregistry's known URI prefixes is the primary one.  No IRI is built here by
string concatenation of a hand-written prefix table.

Importing bioregistry and building a converter of its 2,465 prefixes costs about 2.5 s, more than a
one-note rebuild; :meth:`Identifiers.default` keeps the records (prefix, URI prefix, synonyms,
pattern) under ``$XDG_CACHE_HOME/kgpub``, keyed by the bioregistry and curies versions and the
overrides file, and answers ``parse``/``expand``/``standardize_prefix`` from dictionaries of them; the
:class:`curies.Converter` (its URI-prefix trie, for :meth:`Identifiers.compress`) is built on first
use.  ``KGPUB_NO_CACHE=1`` disables the cache.

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
import hashlib
import marshal
import os
import re
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import metadata
from pathlib import Path

import curies

from .cache import cache_dir
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


#: One prefix as bioregistry's converter records it (with the overrides applied):
#: (prefix, URI prefix, prefix synonyms, URI prefix synonyms, id pattern or "").
PrefixRow = tuple[str, str, list[str], list[str], str]

_CACHE_FORMAT = 1


class Identifiers:
    """Normalises, validates and expands CURIEs with bioregistry's data."""

    def __init__(self, rows: list[PrefixRow]):
        self._rows = rows
        self._standard: dict[str, str] = {}  # a prefix or synonym -> its prefix (as curies indexes them, later rows win)
        self._uri_prefixes: dict[str, str] = {}
        self._pattern_text: dict[str, str] = {}
        for prefix, uri_prefix, synonyms, _, pattern in rows:
            for name in (prefix, *synonyms):
                self._standard[name] = prefix
            self._uri_prefixes[prefix] = uri_prefix
            if pattern and prefix not in self._pattern_text:
                self._pattern_text[prefix] = pattern
        self._patterns: dict[str, re.Pattern[str] | None] = {}  # compiled on first use
        self._cache: dict[str, Identifier] = {}

    @classmethod
    @cache
    def default(cls) -> "Identifiers":
        """From bioregistry and ``mappings/prefixes.tsv`` (cached per process, and on disk)."""
        return cls(_cached_rows(mappings_dir() / "prefixes.tsv"))

    @classmethod
    def from_bioregistry(cls, overrides: Path | None = None) -> "Identifiers":
        return cls(_bioregistry_rows(overrides))

    def _pattern(self, prefix: str) -> re.Pattern[str] | None:
        if prefix not in self._patterns:
            text = self._pattern_text.get(prefix)
            try:
                self._patterns[prefix] = re.compile(text) if text else None
            except re.error:
                self._patterns[prefix] = None
        return self._patterns[prefix]

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
            wanted = self.standardize_prefix(default_prefix)
            if wanted is None:
                raise IdentifierError(f"unknown identifier prefix {default_prefix!r}")
            if not sep or self.standardize_prefix(prefix) != wanted:
                prefix, local = default_prefix, text
        elif not sep:
            raise IdentifierError(f"{text!r} is not a CURIE (prefix:id)")
        norm_prefix = self.standardize_prefix(prefix.strip())
        if norm_prefix is None:
            raise IdentifierError(f"unknown identifier prefix {prefix!r} in {text!r}")
        local = local.strip()
        pattern = self._pattern(norm_prefix)
        if pattern is not None and not pattern.match(local):
            # OBO-style banana: "GO:0008286" given as local id of prefix go
            inner_prefix, inner_sep, inner_local = local.partition(":")
            if inner_sep and self.standardize_prefix(inner_prefix) == norm_prefix and pattern.match(inner_local):
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
        return self._standard.get(prefix)

    def compress(self, iri: str) -> str | None:
        return self.converter.compress(iri)

    @cached_property
    def converter(self) -> curies.Converter:
        """The :class:`curies.Converter` of the same records (built on first use: about a second)."""
        records = [curies.Record(prefix=prefix, uri_prefix=uri_prefix, prefix_synonyms=synonyms,
                                 uri_prefix_synonyms=uri_synonyms, pattern=pattern or None)
                   for prefix, uri_prefix, synonyms, uri_synonyms, pattern in self._rows]
        # records come from bioregistry's own (already checked) converter: skip the quadratic duplicate check
        return curies.Converter(records, strict=False)


def _bioregistry_rows(overrides: Path | None) -> list[PrefixRow]:
    import bioregistry

    preferred = _read_overrides(overrides) if overrides else {}
    rows: list[PrefixRow] = []
    for record in bioregistry.get_converter().records:
        uri_prefix, uri_synonyms = record.uri_prefix, list(record.uri_prefix_synonyms)
        if record.prefix in preferred:
            uri_prefix = preferred[record.prefix]
            uri_synonyms = sorted({record.uri_prefix, *record.uri_prefix_synonyms} - {uri_prefix})
        rows.append((record.prefix, uri_prefix, list(record.prefix_synonyms), uri_synonyms, record.pattern or ""))
    return rows


def _cached_rows(overrides: Path) -> list[PrefixRow]:
    """:func:`_bioregistry_rows`, kept on disk by the versions of bioregistry and curies and the overrides' bytes."""
    path = _cache_path(overrides)
    if path is not None and path.is_file():
        try:
            return marshal.loads(path.read_bytes())
        except (ValueError, EOFError, TypeError):
            pass  # a damaged cache is rebuilt
    rows = _bioregistry_rows(overrides)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(marshal.dumps(rows))
            tmp.replace(path)
        except OSError:
            pass  # no cache: only slower next time
    return rows


def _cache_path(overrides: Path) -> Path | None:
    if os.environ.get("KGPUB_NO_CACHE"):
        return None
    try:
        versions = [metadata.version("bioregistry"), metadata.version("curies")]
        data = overrides.read_bytes()
    except (metadata.PackageNotFoundError, OSError):
        return None
    key = hashlib.sha256(repr((_CACHE_FORMAT, versions)).encode() + data).hexdigest()[:20]
    return cache_dir() / f"identifiers-{key}.marshal"


def _read_overrides(path: Path) -> dict[str, str]:
    result: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        for number, row in enumerate(rows, start=2):
            if not row.get("prefix") or not row.get("uri_prefix"):
                raise MappingError("row needs prefix and uri_prefix", path=path, line=number)
            result[row["prefix"].strip()] = row["uri_prefix"].strip()
    return result
