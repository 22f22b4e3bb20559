"""The build manifest: which named graphs a build holds, with counts and digests.

``DIST/manifest.json`` lists every named graph with its triple count, an
order-independent digest of its content, and the file(s) holding it.  Push uses
the digest to skip graphs a store already has, and the counts to verify.
"""

from __future__ import annotations

import hashlib
import json
import os
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from pyoxigraph import Quad, Triple

from ..errors import ConfigError

MANIFEST_NAME = "manifest.json"
_MOD = 1 << 256


class GraphDigest:
    """Order-independent digest of a set of triples (sum of SHA-256 of N-Triples lines, mod 2^256).

    Feed each distinct triple once; equal sets give equal digests whatever the order.
    """

    __slots__ = ("_acc", "count")

    def __init__(self) -> None:
        self._acc = 0
        self.count = 0

    def add_line(self, ntriples_line: str) -> None:
        self._acc = (self._acc + int.from_bytes(hashlib.sha256(ntriples_line.encode("utf-8")).digest(), "big")) % _MOD
        self.count += 1

    def add_ntriples(self, line: bytes) -> None:
        """One N-Triples line as pyoxigraph writes it (UTF-8, without its line break)."""
        self._acc = (self._acc + int.from_bytes(hashlib.sha256(line).digest(), "big")) % _MOD
        self.count += 1

    def add(self, triple: Triple | Quad) -> None:
        # a Triple's str is "subject predicate object" in N-Triples (one conversion instead of three)
        self.add_line(f"{triple.triple if isinstance(triple, Quad) else triple} .")

    @classmethod
    def known(cls, count: int, hexdigest: str) -> "GraphDigest":
        """The digest of ``count`` triples computed before (its :meth:`hexdigest`)."""
        digest = cls()
        digest._acc, digest.count = int(hexdigest, 16), count
        return digest

    def hexdigest(self) -> str:
        return f"{self._acc:064x}"


def digest_of(triples: Iterable[Triple | Quad]) -> tuple[int, str]:
    d = GraphDigest()
    for t in triples:
        d.add(t)
    return d.count, d.hexdigest()


@dataclass
class GraphEntry:
    iri: str
    triples: int
    digest: str
    files: list[str]
    format: str = "application/n-quads"  # or application/n-triples for per-graph files
    role: str = "note"  # note | ontology | metadata | primekg | ...


_ENTRY_KEYS = ("digest", "files", "format", "iri", "role", "triples")  # GraphEntry's fields, sorted


def _entry_json(g: GraphEntry) -> str:
    """One entry of the manifest's graph list as ``json.dumps(indent=2, sort_keys=True)`` writes it at that depth."""
    if tuple(sorted(vars(g))) != _ENTRY_KEYS or not g.files or type(g.triples) is not int:
        text = json.dumps({**vars(g), "files": list(g.files)}, indent=2, sort_keys=True, ensure_ascii=False)
        return "\n".join("    " + line for line in text.split("\n"))
    s = encode_basestring
    files = ",\n".join(f"        {s(f)}" for f in g.files)
    return (f'    {{\n      "digest": {s(g.digest)},\n      "files": [\n{files}\n      ],\n      "format": {s(g.format)},\n'
            f'      "iri": {s(g.iri)},\n      "role": {s(g.role)},\n      "triples": {g.triples}\n    }}')


@dataclass
class Manifest:
    base_iri: str
    kgpub_version: str
    graphs: list[GraphEntry] = field(default_factory=list)

    def write(self, dist: Path) -> Path:
        """``manifest.json``: ``json.dumps(..., indent=2, sort_keys=True, ensure_ascii=False)`` of the manifest,
        written entry by entry (:func:`_entry_json`)."""
        path = Path(dist) / MANIFEST_NAME
        head = json.dumps({"base_iri": self.base_iri}, ensure_ascii=False)[1:-1]
        tail = json.dumps({"kgpub_version": self.kgpub_version}, ensure_ascii=False)[1:-1]
        graphs = sorted(self.graphs, key=lambda g: g.iri)
        body = ",\n".join(_entry_json(g) for g in graphs)
        text = f'{{\n  {head},\n  "graphs": [\n{body}\n  ],\n  {tail}\n}}\n' if graphs else f'{{\n  {head},\n  "graphs": [],\n  {tail}\n}}\n'
        path.write_text(text, encoding="utf-8")
        return path

    @classmethod
    def read(cls, dist: Path) -> "Manifest":
        path = Path(dist) / MANIFEST_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            graphs = [GraphEntry(**g) for g in data.pop("graphs")]
            return cls(graphs=graphs, **data)
        except FileNotFoundError:
            raise ConfigError(f"{path}: no manifest; is {dist} the output of `kgpub build`?") from None
        except (ValueError, TypeError, KeyError) as error:
            raise ConfigError(f"{path}: malformed manifest: {error}") from error

    def graph(self, iri: str) -> GraphEntry | None:
        return next((g for g in self.graphs if g.iri == iri), None)


def merge_into(manifest: Manifest, other_dir: Path | str, dist: Path | str) -> Manifest:
    """Add the graphs of another output folder (a PrimeKG import's ``DIST/primekg``, ``kgpub build --with``)
    to a build's ``manifest``, their files relative to ``dist``.

    Entries with the same graph IRI are replaced.  The other folder must use the build's base IRI.
    """
    other_dir = Path(other_dir)
    imported = Manifest.read(other_dir)
    if imported.base_iri != manifest.base_iri:
        raise ConfigError(
            f"{other_dir}: imported with base IRI {imported.base_iri}, the build uses {manifest.base_iri}"
        )
    iris = {g.iri for g in imported.graphs}
    manifest.graphs = [g for g in manifest.graphs if g.iri not in iris]
    for entry in imported.graphs:
        files = [os.path.relpath(other_dir / f, dist) for f in entry.files]
        manifest.graphs.append(
            GraphEntry(entry.iri, entry.triples, entry.digest, [f.replace(os.sep, "/") for f in files], entry.format, entry.role)
        )
    return manifest
