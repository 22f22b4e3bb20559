"""Publication identifier schemes, read from ``mappings/publication_ids.tsv``.

Which prefixes identify a publication (PubMed, DOI, PMC), which
:class:`~kgpub.model.documents.Publication` field holds each, which ones name
the publication IRI (in table order) and how to find them in free text.
Validation and expansion go through :class:`kgpub.identifiers.Identifiers`.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import IdentifierError, MappingError
from ..identifiers import Identifier, Identifiers
from ..paths import mappings_dir


@dataclass(frozen=True)
class PublicationIdScheme:
    prefix: str
    field: str
    mints_iri: bool
    text_pattern: re.Pattern[str]


@dataclass(frozen=True)
class PublicationIds:
    """The schemes of ``publication_ids.tsv`` and helpers over them."""

    schemes: tuple[PublicationIdScheme, ...]
    ids: Identifiers

    @classmethod
    @cache
    def default(cls) -> "PublicationIds":
        return cls.load(mappings_dir() / "publication_ids.tsv", Identifiers.default())

    @classmethod
    def load(cls, path: Path, ids: Identifiers) -> "PublicationIds":
        schemes = []
        with path.open(encoding="utf-8", newline="") as handle:
            lines = [line for line in handle if not line.startswith("#")]
        for number, row in enumerate(csv.DictReader(lines, delimiter="\t"), start=2):
            try:
                schemes.append(
                    PublicationIdScheme(
                        prefix=row["prefix"].strip(),
                        field=row["field"].strip(),
                        mints_iri=row["mints_iri"].strip().lower() == "yes",
                        text_pattern=re.compile(row["text_pattern"], re.IGNORECASE),
                    )
                )
            except (KeyError, AttributeError, re.error) as error:
                raise MappingError(f"bad publication id row: {error}", path=path, line=number) from error
        return cls(tuple(schemes), ids)

    def scheme_for(self, prefix: str) -> PublicationIdScheme | None:
        """The scheme of a prefix as written (``PMID``, ``pmid``, ``DOI``...), if any."""
        norm = self.ids.standardize_prefix(prefix.strip())
        for scheme in self.schemes:
            if scheme.prefix == norm:
                return scheme
        return None

    def parse(self, scheme: PublicationIdScheme, local: str) -> Identifier:
        """Validate ``local`` against the scheme's pattern; raises :class:`IdentifierError`."""
        text = clean_local(scheme, str(local))
        if not text:
            raise IdentifierError(f"empty {scheme.prefix} identifier")
        return self.ids.parse(f"{scheme.prefix}:{text}")

    def find_in_text(self, text: str) -> dict[str, str]:
        """``{field: local id}`` for the first valid identifier of each scheme found in ``text``."""
        found: dict[str, str] = {}
        for scheme in self.schemes:
            for match in scheme.text_pattern.finditer(text):
                try:
                    ident = self.parse(scheme, match.group(1))
                except IdentifierError:
                    continue
                found[scheme.field] = ident.local
                break
        return found


def clean_local(scheme: PublicationIdScheme, text: str) -> str:
    """Strip resolver IRIs, a repeated prefix and trailing punctuation from a local id."""
    text = text.strip()
    text = re.sub(r"^https?://[^/]+/", "", text) if re.match(r"^https?://", text) else text
    head, sep, tail = text.partition(":")
    if sep and not head.strip().isdigit() and "/" not in head:
        text = tail.strip()
    return text.rstrip(".,;")
