"""Bioregistry prefixes of the PrimeKG node kinds: normalised name, URI prefix and id pattern.

Resolved one prefix at a time through bioregistry (building its whole converter takes seconds),
with the preferred URI prefixes of ``mappings/prefixes.tsv`` applied as in
:mod:`kgpub.identifiers`.  The result is cached as JSON under ``$XDG_CACHE_HOME/kgpub`` keyed by
the bioregistry version, the names asked for and the overrides file, so a later import does not
even import bioregistry.  ``KGPUB_NO_CACHE=1`` disables the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

from ...errors import MappingError

PREFIXES_TSV = "prefixes.tsv"


@dataclass(frozen=True)
class PrefixInfo:
    prefix: str  # bioregistry-normalised
    uri_prefix: str
    pattern: str  # "" when bioregistry has none


def resolve_prefixes(names: list[str], overrides: Path) -> dict[str, PrefixInfo]:
    """``{name as written: PrefixInfo}`` for the names bioregistry knows (unknown names are left out)."""
    wanted = sorted(set(names))
    try:
        override_bytes = overrides.read_bytes()
    except OSError as error:
        raise MappingError(f"cannot read: {error}", path=overrides) from error
    cache = _cache_path(wanted, override_bytes)
    if cache is not None and cache.is_file():
        try:
            return {k: PrefixInfo(**v) for k, v in json.loads(cache.read_text(encoding="utf-8")).items()}
        except (ValueError, TypeError):
            pass  # a damaged cache is rebuilt
    resolved = _from_bioregistry(wanted, overrides)
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({k: asdict(v) for k, v in resolved.items()}, sort_keys=True), encoding="utf-8")
            tmp.replace(cache)
        except OSError:
            pass  # no cache: only slower next time
    return resolved


def _from_bioregistry(names: list[str], overrides: Path) -> dict[str, PrefixInfo]:
    import bioregistry

    from ...identifiers import _read_overrides

    preferred = _read_overrides(overrides)
    out: dict[str, PrefixInfo] = {}
    for name in names:
        prefix = bioregistry.normalize_prefix(name)
        uri_prefix = preferred.get(prefix) or bioregistry.get_uri_prefix(prefix) if prefix else None
        if prefix and uri_prefix:
            out[name] = PrefixInfo(prefix, uri_prefix, bioregistry.get_pattern(prefix) or "")
    return out


def _cache_path(names: list[str], override_bytes: bytes) -> Path | None:
    if os.environ.get("KGPUB_NO_CACHE"):
        return None
    try:
        version = metadata.version("bioregistry")
    except metadata.PackageNotFoundError:
        return None
    key = hashlib.sha256(json.dumps([version, names]).encode() + override_bytes).hexdigest()[:20]
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "kgpub" / f"primekg-prefixes-{key}.json"
