"""Typed records of the grounding stage."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class LexiconSource:
    """A lexicon file as the grounder reads it (``[[lexicon]]`` of ``kgpub.toml``, or bundled)."""

    path: Path
    format: str  # obo, owl, obographs-json, hgnc-tsv, sssom, primekg
    prefix: str | None = None
    curated: bool = False  # rows of a curated table always win over automatic matches

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class Name:
    """One name of an entry: ``kind`` is ``label`` (label, symbol) or ``synonym`` (exact/related synonym, alias, previous symbol)."""

    text: str
    kind: str


@dataclass(frozen=True)
class LexiconEntry:
    """One entity of a lexicon: its identifiers (normalised CURIEs, bioregistry prefixes) and names.

    ``namespace``: the OBO namespace (GO's three) when the file says it; ``category``: a kgo class
    IRI when the lexicon says which (SSSOM ``subject_category``, PrimeKG node type).  Curated
    entries (SSSOM) carry their ``predicate`` (a SKOS IRI), ``justification`` and ``confidence``.
    """

    ids: tuple[str, ...]
    label: str
    names: tuple[Name, ...]
    source: str
    line: int
    namespace: str | None = None
    category: str | None = None
    predicate: str | None = None
    justification: str | None = None
    confidence: float | None = None


@dataclass(frozen=True)
class Grounding:
    """A name grounded to one identifier.

    ``predicate``: ``skos:exactMatch`` (one entity matched) or ``skos:relatedMatch`` (a candidate of an
    ambiguous name, or a curated related row); ``justification``: a semapv IRI;
    ``match_string``: the lexicon's name that matched; ``lexicon``: the file it came from.
    """

    text: str
    curie: str
    iri: str
    label: str
    predicate: str
    justification: str
    confidence: float
    match_string: str
    lexicon: str
    cls: str  # the kgo class the identifier's scheme belongs to


@dataclass(frozen=True)
class Result:
    """All groundings of one name for one class; ``ambiguous`` when several entities matched."""

    text: str
    cls: str
    groundings: tuple[Grounding, ...]
    ambiguous: bool = False

    @property
    def exact(self) -> tuple[Grounding, ...]:
        return tuple(g for g in self.groundings if g.predicate == SKOS_EXACT)

    @property
    def primary(self) -> Grounding | None:
        """The exact grounding whose scheme is primary for the class (the first exact one)."""
        exact = self.exact
        return exact[0] if exact else None


SKOS = "http://www.w3.org/2004/02/skos/core#"
SKOS_EXACT = SKOS + "exactMatch"
SKOS_RELATED = SKOS + "relatedMatch"
SEMAPV = "https://w3id.org/semapv/vocab/"
