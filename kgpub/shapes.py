"""Which SHACL shape files apply to what.

A garden build validates its notes' data with every ``shapes/*.ttl`` except the
PrimeKG import's (``kgpub.validate.stream.PRIMEKG_SHAPES``), which checks bulk
nodes (a DrugBank CURIE on every drug...) and is applied by ``kgpub validate
DIST/primekg`` only: a garden drug need not carry a DrugBank identifier.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .errors import ConfigError
from .paths import shapes_dir
from .validate.stream import PRIMEKG_SHAPES


def garden_shape_files(folder: Path | None = None) -> list[Path]:
    """The shape files of a garden build, sorted by name."""
    folder = folder or shapes_dir()
    files = sorted(p for p in folder.glob("*.ttl") if p.name != PRIMEKG_SHAPES)
    if not files:
        raise ConfigError(f"{folder}: no SHACL shapes (*.ttl) for a garden")
    return files


@cache
def garden_shapes():
    """The garden shapes as one rdflib Graph (cached: the validator compiles a graph once)."""
    import rdflib

    graph = rdflib.Graph()
    for path in garden_shape_files():
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several parser exception types
            raise ConfigError(f"{path}: cannot parse shapes: {exc}") from exc
    return graph
