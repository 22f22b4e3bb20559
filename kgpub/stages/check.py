"""Stage 5: SHACL validation of the data graphs against the bundled shapes and the garden's own.

``[extend] shapes`` files (or every ``*.ttl`` of a folder) are added after the bundled
``shapes/``; a shape of the same IRI as a bundled one replaces it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from ..errors import ConfigError
from ..publish.files import GraphSet, union_triples
from ..shapes import garden_shapes as bundled_garden_shapes
from ..validate.shacl import ValidationReport, validate
from .collector import collector_paused


def garden_shapes(extra: Sequence[Path]):
    """The bundled garden shapes (an rdflib Graph, :mod:`kgpub.shapes`), extended and overridden by ``extra``."""
    if not extra:
        return bundled_garden_shapes()
    import rdflib

    shapes = rdflib.Graph()
    shapes += bundled_garden_shapes()
    for item in extra:
        for path in sorted(item.glob("*.ttl")) if item.is_dir() else [item]:
            own = rdflib.Graph()
            try:
                own.parse(path, format="turtle")
            except Exception as error:  # rdflib raises several parser exception types
                raise ConfigError(f"{path}: cannot parse shapes: {error}") from error
            for subject in {s for s in own.subjects() if isinstance(s, rdflib.URIRef)}:
                shapes.remove((subject, None, None))
            shapes += own
    return shapes


@collector_paused()
def check_graphs(graphs: GraphSet, extra_shapes: Sequence[Path] = ()) -> ValidationReport:
    return validate(union_triples(graphs), shapes=garden_shapes(extra_shapes))
