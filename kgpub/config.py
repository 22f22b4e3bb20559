"""The garden's configuration file, ``kgpub.toml``, as a typed, frozen :class:`GardenConfig`.

The file sits at the garden's root (``kgpub build --config FILE`` names another);
paths in it are relative to the file.  Parsing is :mod:`tomllib`'s; each unknown
key or value of the wrong type is one ``kgpub.toml:LINE: error: ...`` line, and
all of them are raised together as :class:`ConfigFileError`.
The schema is documented in ``docs/configuration.md``.

>>> config = load_config("examples/garden/kgpub.toml")   # doctest: +SKIP
>>> config.publish.mode
<PublishMode.DIGITAL_GARDEN: 'digital-garden'>
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Sequence

from .diagnostics import Diagnostic, Severity
from .errors import ConfigError
from .iris import DEFAULT_BASE_IRI, check_base_iri

#: The file name looked for at a garden's root.
CONFIG_NAME = "kgpub.toml"

#: Lexicon formats the grounder reads (``[[lexicon]] format = ...``).
LEXICON_FORMATS = frozenset({"obo", "owl", "obographs-json", "hgnc-tsv", "sssom", "primekg-nodes", "drugbank-mappings"})

#: An SPDX licence identifier (``CC-BY-4.0``) becomes ``https://spdx.org/licenses/{id}``
#: (SPDX License List, https://spdx.org/licenses/).
SPDX_LICENSES = "https://spdx.org/licenses/"
_SPDX_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]*$")
_HTTP_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


class ConfigFileError(ConfigError):
    """A garden configuration file (``kgpub.toml``) has problems: one diagnostic per problem, each with its line."""

    def __init__(self, diagnostics: Sequence[Diagnostic]):
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class PublishMode(str, Enum):
    """Which notes are published.

    ``digital-garden`` (the default) is the rule of the Obsidian Digital Garden plugin:
    a note is published only when its front matter says ``dg-publish: true``.
    ``all-but-private`` publishes every note except ``dg-publish: false`` or ``draft: true``.
    """

    DIGITAL_GARDEN = "digital-garden"
    ALL_BUT_PRIVATE = "all-but-private"


@dataclass(frozen=True)
class DatasetMeta:
    """VoID/DCAT description of the build (``[dataset]``); ``None``/empty when not configured."""

    title: str | None = None
    description: str | None = None
    license: str | None = None  # an IRI
    creators: tuple[str, ...] = ()
    publisher: str | None = None
    version: str | None = None
    homepage: str | None = None


@dataclass(frozen=True)
class SiteConfig:
    """The garden's website (``[site]``): each note and resource links to its page under ``url``."""

    url: str | None = None

    def page(self, permalink: str) -> str | None:
        """The page of a note with ``permalink`` (``/gene/akt1/`` -> ``https://site/gene/akt1/``)."""
        if not self.url:
            return None
        path = permalink.strip().lstrip("/")
        return self.url.rstrip("/") + "/" + path


@dataclass(frozen=True)
class FileRules:
    """Which files of the garden are notes (``[files]``): glob patterns on paths relative to the garden.

    ``**`` matches any number of folders (``**/*.md`` also matches ``note.md``).  A file is a
    note when it matches an ``include`` pattern and no ``exclude`` pattern.
    """

    include: tuple[str, ...] = ("**/*.md", "**/*.txt", "**/*.html")
    exclude: tuple[str, ...] = (".obsidian/**", ".trash/**")

    def selects(self, relpath: str) -> bool:
        return _selects(self.include, self.exclude, relpath)


@lru_cache(maxsize=1 << 17)  # pure: a rebuild asks again about every file of the garden
def _selects(include: tuple[str, ...], exclude: tuple[str, ...], relpath: str) -> bool:
    return bool(_matcher(include, exclude).match(relpath))


@lru_cache(maxsize=16)
def _matcher(include: tuple[str, ...], exclude: tuple[str, ...]):
    """The globs compiled once (wcmatch), include patterns less exclude patterns."""
    from wcmatch import glob

    return glob.compile(list(include), flags=glob.GLOBSTAR | glob.DOTGLOB, exclude=list(exclude) or None)


@dataclass(frozen=True)
class Extensions:
    """Garden-side data that extends or overrides the bundled ``mappings/``, ``ontology/``, ``shapes/``.

    Each entry is a folder (every table / ``*.ttl`` in it) or one file, in the same
    formats as the bundled ones; later entries extend or override earlier rows by key.
    """

    mappings: tuple[Path, ...] = ()
    ontology: tuple[Path, ...] = ()
    shapes: tuple[Path, ...] = ()


@dataclass(frozen=True)
class LexiconSpec:
    """A grounding lexicon (``[[lexicon]]``): a file and its format, optionally the CURIE prefix of its terms."""

    path: Path
    format: str
    prefix: str | None = None


@dataclass(frozen=True)
class GardenConfig:
    """Everything a garden says about its own build.  ``GardenConfig()`` is the default of a garden without ``kgpub.toml``."""

    base_iri: str = DEFAULT_BASE_IRI
    dataset: DatasetMeta = field(default_factory=DatasetMeta)
    site: SiteConfig = field(default_factory=SiteConfig)
    files: FileRules = field(default_factory=FileRules)
    publish: PublishMode = PublishMode.DIGITAL_GARDEN
    extend: Extensions = field(default_factory=Extensions)
    lexicons: tuple[LexiconSpec, ...] = ()
    path: Path | None = None  # the file it was read from

    def with_base_iri(self, base_iri: str) -> "GardenConfig":
        check_base_iri(base_iri)
        return replace(self, base_iri=base_iri)


def find_config(garden: Path | str) -> Path | None:
    """``GARDEN/kgpub.toml`` if it exists."""
    candidate = Path(garden) / CONFIG_NAME
    return candidate if candidate.is_file() else None


def config_for(garden: Path | str, config: "GardenConfig | Path | str | None" = None) -> GardenConfig:
    """The configuration of a build: ``config`` itself, the file it names, ``GARDEN/kgpub.toml``, else the default."""
    if isinstance(config, GardenConfig):
        return config
    if config is not None:
        return load_config(config)
    found = find_config(garden)
    return load_config(found) if found else GardenConfig()


def load_config(path: Path | str) -> GardenConfig:
    """Read and check a ``kgpub.toml``.  Raises :class:`ConfigFileError` listing every problem with its line."""
    path = Path(path)
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigFileError([Diagnostic(shown, None, f"cannot read configuration: {error.strerror or error}")]) from None
    except UnicodeDecodeError as error:
        raise ConfigFileError([Diagnostic(shown, None, f"configuration is not UTF-8: {error.reason}")]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = re.search(r"\(at (?:line (\d+), column \d+|end of document)\)$", message)
        line = (int(found.group(1)) if found.group(1) else text.count("\n") + 1) if found else None
        problem = message[: found.start()].strip() if found else message
        raise ConfigFileError([Diagnostic(shown, line, f"not valid TOML: {problem}")]) from None
    reader = _Reader(shown, text, path.resolve().parent)
    config = reader.config(data)
    if reader.problems:
        raise ConfigFileError(sorted(reader.problems, key=lambda d: d.line or 0))
    return replace(config, path=path)


# --- checking ------------------------------------------------------------------------------

Key = tuple[str | int, ...]  # a key path: ("dataset", "title"), ("lexicon", 0, "path")


class _Reader:
    """Checks the parsed TOML against the schema, collecting one diagnostic per problem."""

    def __init__(self, shown: str, text: str, root: Path):
        self.shown, self.root = shown, root
        self.lines = _KeyLines(text)
        self.problems: list[Diagnostic] = []

    def problem(self, key: Key, message: str) -> None:
        self.problems.append(Diagnostic(self.shown, self.lines.line_of(key), message, Severity.ERROR, "config"))

    def table(self, value: Any, key: Key, allowed: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.problem(key, f"{_name(key)} must be a table ([{_name(key)}]), not {_kind(value)}")
            return {}
        for unknown in sorted(set(value) - set(allowed)):
            where = (*key, unknown)
            self.problem(where, f"unknown key {_name(where)!r} (expected one of: {', '.join(allowed)})")
        return value

    def config(self, data: dict[str, Any]) -> GardenConfig:
        top = self.table(data, (), ("base_iri", "dataset", "site", "files", "publish", "extend", "lexicon"))
        base = self.string(top, (), "base_iri", check=_base_iri) or DEFAULT_BASE_IRI
        return GardenConfig(
            base_iri=base,
            dataset=self.dataset(top.get("dataset", {})),
            site=self.site(top.get("site", {})),
            files=self.files(top.get("files", {})),
            publish=self.publish(top.get("publish", {})),
            extend=self.extend(top.get("extend", {})),
            lexicons=self.lexicons(top.get("lexicon", [])),
        )

    def string(self, table: dict[str, Any], at: Key, name: str, check: Callable[[str], str | None] | None = None) -> str | None:
        if name not in table:
            return None
        value, key = table[name], (*at, name)
        if not isinstance(value, str):
            hint = " (quote it: version = \"2026.12\")" if isinstance(value, (int, float)) and not isinstance(value, bool) else ""
            self.problem(key, f"{_name(key)} must be a string, not {_kind(value)}{hint}")
            return None
        value = value.strip()
        if not value:
            self.problem(key, f"{_name(key)} is empty")
            return None
        if check is not None:
            complaint = check(value)
            if complaint:
                self.problem(key, f"{_name(key)}: {complaint}")
                return None
        return value

    def strings(self, table: dict[str, Any], at: Key, name: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        if name not in table:
            return default
        value, key = table[name], (*at, name)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(key, f"{_name(key)} must be a list of non-empty strings, not {_kind(value)}")
            return default
        return tuple(v.strip() for v in value)

    def paths(self, table: dict[str, Any], at: Key, name: str) -> tuple[Path, ...]:
        found = []
        for item in self.strings(table, at, name):
            path = (self.root / item).resolve()
            if not path.exists():
                self.problem((*at, name), f"{_name((*at, name))}: {item!r} does not exist (paths are relative to {self.shown})")
                continue
            found.append(path)
        return tuple(found)

    def dataset(self, value: Any) -> DatasetMeta:
        at = ("dataset",)
        table = self.table(value, at, ("title", "description", "license", "creators", "publisher", "version", "homepage"))
        return DatasetMeta(
            title=self.string(table, at, "title"),
            description=self.string(table, at, "description"),
            license=_license_iri(self.string(table, at, "license", check=_license)),
            creators=self.strings(table, at, "creators"),
            publisher=self.string(table, at, "publisher"),
            version=self.string(table, at, "version"),
            homepage=self.string(table, at, "homepage", check=_http_iri),
        )

    def site(self, value: Any) -> SiteConfig:
        table = self.table(value, ("site",), ("url",))
        return SiteConfig(url=self.string(table, ("site",), "url", check=_http_iri))

    def files(self, value: Any) -> FileRules:
        at = ("files",)
        table = self.table(value, at, ("include", "exclude"))
        default = FileRules()
        return FileRules(self.strings(table, at, "include", default.include), self.strings(table, at, "exclude", default.exclude))

    def publish(self, value: Any) -> PublishMode:
        table = self.table(value, ("publish",), ("mode",))
        mode = self.string(table, ("publish",), "mode", check=_mode)
        return PublishMode(mode) if mode else PublishMode.DIGITAL_GARDEN

    def extend(self, value: Any) -> Extensions:
        at = ("extend",)
        table = self.table(value, at, ("mappings", "ontology", "shapes"))
        return Extensions(self.paths(table, at, "mappings"), self.paths(table, at, "ontology"), self.paths(table, at, "shapes"))

    def lexicons(self, value: Any) -> tuple[LexiconSpec, ...]:
        if not isinstance(value, list):
            self.problem(("lexicon",), f"lexicon must be an array of tables ([[lexicon]]), not {_kind(value)}")
            return ()
        specs = []
        for number, item in enumerate(value):
            at: Key = ("lexicon", number)
            table = self.table(item, at, ("path", "format", "prefix"))
            fmt = self.string(table, at, "format", check=_lexicon_format)
            prefix = self.string(table, at, "prefix")
            paths = self.paths({"path": table["path"]} if "path" in table else {}, at, "path")
            if "path" not in table:
                self.problem(at, "[[lexicon]] needs a path")
            if "format" not in table:
                self.problem(at, f"[[lexicon]] needs a format (one of: {', '.join(sorted(LEXICON_FORMATS))})")
            if paths and paths[0].is_dir():
                self.problem((*at, "path"), f"lexicon path {table['path']!r} is a folder, not a file")
            elif paths and fmt:
                specs.append(LexiconSpec(paths[0], fmt, prefix))
        return tuple(specs)


def _base_iri(value: str) -> str | None:
    try:
        check_base_iri(value)
    except ConfigError as error:
        return str(error)
    return None


def _http_iri(value: str) -> str | None:
    return None if _HTTP_IRI.match(value) else f"{value!r} is not an http(s) IRI"


def _license(value: str) -> str | None:
    if _HTTP_IRI.match(value) or _SPDX_ID.match(value):
        return None
    return f"{value!r} is neither an http(s) IRI nor an SPDX licence identifier (e.g. CC-BY-4.0)"


def _license_iri(value: str | None) -> str | None:
    if value is None or _HTTP_IRI.match(value):
        return value
    return SPDX_LICENSES + value


def _mode(value: str) -> str | None:
    modes = [m.value for m in PublishMode]
    return None if value in modes else f"{value!r} is not a publishing mode (one of: {', '.join(modes)})"


def _lexicon_format(value: str) -> str | None:
    return None if value in LEXICON_FORMATS else f"{value!r} is not a lexicon format (one of: {', '.join(sorted(LEXICON_FORMATS))})"


def _name(key: Key) -> str:
    parts = [str(k) for k in key if isinstance(k, str)]
    return ".".join(parts) or "the configuration"


def _kind(value: Any) -> str:
    kinds = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "an array", dict: "a table"}
    return kinds.get(type(value), type(value).__name__)


class _KeyLines:
    """The line of each key in the TOML text (tomllib keeps no positions).

    Tracks ``[table]`` and ``[[array]]`` headers and finds ``key =`` lines (bare, quoted or
    dotted keys); a key not found falls back to its table's header line.
    """

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
    _KEY = re.compile(r"^\s*((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)\s*=")

    def __init__(self, text: str):
        self.keys: dict[Key, int] = {}
        table: Key = ()
        arrays: dict[tuple[str, ...], int] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            header = self._HEADER.match(line)
            if header:
                names = tuple(_unquote(p) for p in header.group(2).split("."))
                if header.group(1) == "[[":
                    arrays[names] = arrays.get(names, -1) + 1
                    table = (*names, arrays[names])
                else:
                    table = names
                self.keys.setdefault(table, number)
                self.keys.setdefault(names, number)
                continue
            key = self._KEY.match(line)
            if key:
                names = tuple(_unquote(p) for p in key.group(1).split("."))
                self.keys.setdefault((*table, *names), number)

    def line_of(self, key: Key) -> int | None:
        while key:
            if key in self.keys:
                return self.keys[key]
            key = key[:-1]
        return None


def _unquote(part: str) -> str:
    part = part.strip()
    return part[1:-1] if len(part) >= 2 and part[0] == part[-1] and part[0] in "\"'" else part
