"""``kgpub init``: a starter ``kgpub.toml`` for a garden, with suggested mappings for what it lacks.

Every note type and relation key found in the garden (every note file, published or not)
that the mapping tables do not know is listed with the classes / properties of the kgpub
ontology and the Biolink model whose labels are most like it
(:mod:`kgpub.mapping.suggest`), as commented ``note_types.tsv`` / ``relations.tsv`` rows
to confirm and copy into a table named by ``[extend] mappings``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .config import CONFIG_NAME, FileRules
from .diagnostics import DiagnosticLog
from .errors import ConfigError
from .mapping.suggest import Suggestion, class_candidates, property_candidates, suggest
from .mapping.tables import MappingTables
from .sources.relationships import read_relationships
from .stages.read import read_notes


@dataclass
class Unmapped:
    name: str
    count: int  # notes (types) or statements (keys)
    first: str  # path:line of the first use
    suggestions: list[Suggestion] = field(default_factory=list)


@dataclass
class Starter:
    path: Path
    types: list[Unmapped]
    keys: list[Unmapped]
    text: str


def init_garden(garden: Path | str, *, force: bool = False) -> Starter:
    """Write ``GARDEN/kgpub.toml`` (refused if it exists, unless ``force``) and return what it lists."""
    garden = Path(garden)
    if not garden.is_dir():
        raise ConfigError(f"{garden}: not a folder")
    path = garden / CONFIG_NAME
    if path.exists() and not force:
        raise ConfigError(f"{path} exists; use --force to replace it")
    tables = MappingTables.load()
    types, keys = scan(garden, tables)
    text = starter_text(garden.resolve().name, types, keys)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"{path}: cannot write: {error.strerror or error}") from None
    return Starter(path, types, keys, text)


def scan(garden: Path, tables: MappingTables) -> tuple[list[Unmapped], list[Unmapped]]:
    """The garden's note types and relation keys that ``tables`` does not map, most used first, with suggestions."""
    quiet = DiagnosticLog()
    notes = read_notes(garden, FileRules(), quiet).notes
    type_count: Counter[str] = Counter()
    key_count: Counter[str] = Counter()
    first: dict[tuple[str, str], str] = {}
    for note in notes:
        if note.type and tables.note_type(note.type) is None:
            name = note.type.strip().lower()
            type_count[name] += 1
            first.setdefault(("type", name), str(note.location("type")))
        for rel in read_relationships(note, quiet):
            if rel.key not in tables.relations:
                key_count[rel.key] += 1
                first.setdefault(("key", rel.key), str(rel.location))
    types = [Unmapped(n, c, first[("type", n)], suggest(n, class_candidates())) for n, c in _ranked(type_count)]
    keys = [Unmapped(k, c, first[("key", k)], suggest(k, property_candidates())) for k, c in _ranked(key_count)]
    return types, keys


def _ranked(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def starter_text(name: str, types: list[Unmapped], keys: list[Unmapped]) -> str:
    lines = [
        f"# kgpub configuration of the garden {name!r} (docs/configuration.md describes every key).",
        "",
        'base_iri = "https://example.org/kg/"',
        "",
        "[dataset]",
        f'title = "Knowledge garden {name}"',
        '# description = "..."',
        '# license = "https://creativecommons.org/licenses/by/4.0/"',
        "# creators = [\"...\"]",
        '# publisher = "..."',
        '# version = "1.0"',
        '# homepage = "https://..."',
        "",
        "[site]",
        '# url = "https://garden.example.org/"',
        "",
        "[files]",
        'include = ["**/*.md", "**/*.txt", "**/*.html"]',
        'exclude = [".obsidian/**", ".trash/**", "templates/**"]',
        "",
        "[publish]",
        '# "digital-garden": only notes with dg-publish: true; "all-but-private": all but dg-publish: false / draft: true',
        'mode = "digital-garden"',
        "",
        "[extend]",
        '# mappings = ["kgpub/mappings"]   # note_types.tsv, relations.tsv, *.sssom.tsv; later rows override by key',
        '# ontology = ["kgpub/ontology.ttl"]',
        '# shapes = ["kgpub/shapes.ttl"]',
    ]
    if types:
        lines += ["", "# Note types with no mapping: confirm one row each and copy it (tab-separated, no '#')",
                  "# into kgpub/mappings/note_types.tsv, whose header is:", "#   note_type\tclass\texact_prefixes\tsource"]
        for item in types:
            lines.append(f"# {item.name!r}: {item.count} note(s), first at {item.first}")
            lines += [f"#   {item.name}\t{s.candidate.curie}\t\tsuggested by kgpub init: {s.candidate.source} label {s.candidate.label!r}, similarity {s.score:g}"
                      for s in item.suggestions]
    if keys:
        lines += ["", "# Relation keys with no mapping: confirm one row each and copy it (tab-separated, no '#')",
                  "# into kgpub/mappings/relations.tsv, whose header is:", "#   key\tproperty\tdirection\tsource"]
        for item in keys:
            lines.append(f"# {item.name}: {item.count} statement(s), first at {item.first}")
            for s in item.suggestions:
                aligned = f"; aligned to {', '.join(s.candidate.mappings)}" if s.candidate.mappings else ""
                lines.append(f"#   {item.name}\t{s.candidate.curie}\tforward\tsuggested by kgpub init: {s.candidate.source} label {s.candidate.label!r}, similarity {s.score:g}{aligned}")
    return "\n".join(lines) + "\n"
