"""The build manifest: which named graphs a build holds, with counts and digests.

``DIST/manifest.json`` lists every named graph with its triple count, an
order-independent digest of its content, and the file(s) holding it.  Push uses
the digest to skip graphs a store already has, and the counts to verify.
"""

from __future__ import annotations

import hashlib
import json
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


@dataclass
class Manifest:
    base_iri: str
    kgpub_version: str
    graphs: list[GraphEntry] = field(default_factory=list)

    def write(self, dist: Path) -> Path:
        path = Path(dist) / MANIFEST_NAME
        # the fields as they are (strings, numbers, lists of strings): no deep copy of thousands of entries as asdict makes
        data = dict(vars(self))
        data["graphs"] = sorted((vars(g) for g in self.graphs), key=lambda g: g["iri"])
        path.write_text(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
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
