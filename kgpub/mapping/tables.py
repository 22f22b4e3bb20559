"""The mapping tables of ``mappings/`` as typed records.

* ``note_types.tsv``: note ``type`` -> class, and which identifier prefixes are exact matches;
* ``relations.tsv``: relation key -> property and direction;
* ``entities.sssom.tsv``: garden names -> external identifiers (SSSOM).

A malformed row raises :class:`MappingError` naming ``file:line``.

A garden's configuration (``[extend] mappings``) adds folders or files in the same
formats after the bundled folder: a later row with the same key (note type, relation
key) overrides the earlier one, other rows extend the tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Sequence

from pyoxigraph import NamedNode

from ..errors import IdentifierError, MappingError
from ..identifiers import Identifier, Identifiers
from ..paths import mappings_dir
from ..vocab import PREFIXES, SKOS


@dataclass(frozen=True)
class NoteType:
    note_type: str
    cls: NamedNode
    exact_prefixes: frozenset[str]


@dataclass(frozen=True)
class Relation:
    """``inverse``: the note's entity is the object (``X ACTIVATED_BY Y`` -> ``Y activates X``)."""

    key: str
    property: NamedNode
    inverse: bool


ENTITIES_NAME = "entities.sssom.tsv"


@dataclass(frozen=True)
class EntityMapping:
    """One SSSOM row: a garden name of a category -> an identifier, with a SKOS predicate."""

    label: str
    category: NamedNode
    predicate: NamedNode
    identifier: Identifier
    line: int
    justification: str = "https://w3id.org/semapv/vocab/ManualMappingCuration"  # a semapv IRI
    confidence: float | None = None
    source: str = ENTITIES_NAME  # the SSSOM file's name
    object_label: str = ""


NOTE_TYPES = "note_types.tsv"
RELATIONS = "relations.tsv"
ENTITIES = "entities.sssom.tsv"


def table_files(item: Path) -> list[Path]:
    """The garden tables of an ``[extend] mappings`` entry: a folder's note_types.tsv, relations.tsv
    and ``*.sssom.tsv``, or one such file.  Any other file name is a :class:`MappingError`."""
    if item.is_dir():
        return [p for p in (item / NOTE_TYPES, item / RELATIONS) if p.is_file()] + sorted(item.glob("*.sssom.tsv"))
    if item.name in (NOTE_TYPES, RELATIONS) or item.name.endswith(".sssom.tsv"):
        return [item]
    raise MappingError(f"not a mapping table: the file name must be {NOTE_TYPES}, {RELATIONS} or *.sssom.tsv", path=item)


_MATCH_PREDICATES = {SKOS.exactMatch, SKOS.closeMatch, SKOS.relatedMatch, SKOS.broadMatch, SKOS.narrowMatch}


SEMAPV = "https://w3id.org/semapv/vocab/"


def _justification(text: str, *, path: Path, line: int) -> str:
    """An SSSOM ``mapping_justification``: ``semapv:X`` (https://w3id.org/semapv/vocab/) or a full IRI."""
    text = text.strip()
    if text.startswith("semapv:") and len(text) > 7:
        return SEMAPV + text[7:]
    if text.startswith(("http://", "https://")):
        return text
    raise MappingError(f"mapping_justification must be a semapv term, not {text!r}", path=path, line=line)


def expand_term(text: str, *, path: Path, line: int) -> NamedNode:
    """``kgo:Gene`` (a prefix of :data:`kgpub.vocab.PREFIXES`) or ``<iri>`` / a full IRI -> NamedNode."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        return NamedNode(text[1:-1])
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return NamedNode(PREFIXES[prefix] + local)
    if text.startswith(("http://", "https://")):
        return NamedNode(text)
    raise MappingError(f"cannot expand term {text!r} (known prefixes: {', '.join(PREFIXES)})", path=path, line=line)


def read_tsv(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a TSV with a header; ``#`` lines are comments.  Yields (file line, row)."""
    header: list[str] | None = None
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as error:
        raise MappingError(f"cannot read mapping table: {error.strerror or error}", path=path) from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\r\n")
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = [c.strip() for c in cells]
                missing = [c for c in required if c not in header]
                if missing:
                    raise MappingError(f"header lacks column(s) {', '.join(missing)}", path=path, line=number)
                continue
            if len(cells) > len(header):
                raise MappingError(f"{len(cells)} cells but the header has {len(header)}", path=path, line=number)
            row = dict(zip(header, (c.strip() for c in cells)))
            for column in required:
                if not row.get(column):
                    raise MappingError(f"empty {column!r}", path=path, line=number)
            yield number, row
    if header is None:
        raise MappingError("mapping table has no header row", path=path)


@dataclass
class MappingTables:
    """All of ``mappings/`` the garden build needs."""

    note_types: dict[str, NoteType] = field(default_factory=dict)
    relations: dict[str, Relation] = field(default_factory=dict)
    entity_mappings: dict[str, list[EntityMapping]] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path | None = None, ids: Identifiers | None = None, extra: Sequence[Path] = ()) -> "MappingTables":
        """The tables of ``folder`` (default: the bundled ``mappings/``), then of each ``extra`` folder or file."""
        folder = Path(folder) if folder else mappings_dir()
        ids = ids or Identifiers.default()
        tables = cls()
        tables._load_note_types(folder / NOTE_TYPES, ids)
        tables._load_relations(folder / RELATIONS)
        tables._load_entities(folder / ENTITIES, ids)
        for item in map(Path, extra):
            for path in table_files(item):
                if path.name == NOTE_TYPES:
                    tables._load_note_types(path, ids)
                elif path.name == RELATIONS:
                    tables._load_relations(path)
                else:
                    tables._load_entities(path, ids)
        return tables

    def _load_note_types(self, path: Path, ids: Identifiers) -> None:
        seen: set[str] = set()
        for line, row in read_tsv(path, ("note_type", "class", "source")):
            prefixes = set()
            for prefix in filter(None, (p.strip() for p in row.get("exact_prefixes", "").split(","))):
                norm = ids.standardize_prefix(prefix)
                if norm is None:
                    raise MappingError(f"unknown identifier prefix {prefix!r}", path=path, line=line)
                prefixes.add(norm)
            name = row["note_type"].lower()
            if name in seen:
                raise MappingError(f"note type {name!r} listed twice", path=path, line=line)
            seen.add(name)
            self.note_types[name] = NoteType(name, expand_term(row["class"], path=path, line=line), frozenset(prefixes))

    def _load_relations(self, path: Path) -> None:
        seen: set[str] = set()
        for line, row in read_tsv(path, ("key", "property", "direction", "source")):
            direction = row["direction"].lower()
            if direction not in ("forward", "inverse"):
                raise MappingError(f"direction must be forward or inverse, not {row['direction']!r}", path=path, line=line)
            key = row["key"].upper()
            if key in seen:
                raise MappingError(f"relation key {key!r} listed twice", path=path, line=line)
            seen.add(key)
            self.relations[key] = Relation(key, expand_term(row["property"], path=path, line=line), direction == "inverse")

    def _load_entities(self, path: Path, ids: Identifiers) -> None:
        required = ("subject_id", "subject_label", "subject_category", "predicate_id", "object_id", "mapping_justification")
        for line, row in read_tsv(path, required):
            predicate = expand_term(row["predicate_id"], path=path, line=line)
            if predicate not in _MATCH_PREDICATES:
                raise MappingError(f"predicate_id must be a SKOS mapping property, not {row['predicate_id']!r}", path=path, line=line)
            try:
                identifier = ids.parse(row["object_id"])
            except IdentifierError as error:
                raise MappingError(str(error), path=path, line=line) from None
            try:
                confidence = float(row["confidence"]) if row.get("confidence") else None
            except ValueError:
                raise MappingError(f"confidence {row['confidence']!r} is not a number", path=path, line=line) from None
            mapping = EntityMapping(
                row["subject_label"], expand_term(row["subject_category"], path=path, line=line), predicate, identifier, line,
                _justification(row["mapping_justification"], path=path, line=line), confidence, path.name, row.get("object_label") or "",
            )
            self.entity_mappings.setdefault(normalise_name(mapping.label), []).append(mapping)

    def note_type(self, name: str | None) -> NoteType | None:
        return self.note_types.get(name.strip().lower()) if name else None

    def exact_prefixes_of(self, cls: NamedNode) -> frozenset[str]:
        """The exact-match prefixes of the note type(s) whose class is ``cls``."""
        result: set[str] = set()
        for note_type in self.note_types.values():
            if note_type.cls == cls:
                result |= note_type.exact_prefixes
        return frozenset(result)


@lru_cache(maxsize=1 << 17)  # pure: a garden repeats its names within a build and build after build
def normalise_name(name: str) -> str:
    """Names match case-insensitively with whitespace collapsed."""
    return " ".join(name.split()).casefold()
