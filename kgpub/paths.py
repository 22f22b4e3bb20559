"""Where kgpub's data folders are: ``ontology/``, ``mappings/``, ``shapes/``.

In a source checkout (or an editable install) they are the top-level folders of
the repository; in a wheel they are packaged under ``kgpub/_data/``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """The folder ``name`` (``"ontology"``, ``"mappings"`` or ``"shapes"``)."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"kgpub data folder {name!r} not found next to {_PACKAGE}")


def ontology_dir() -> Path:
    return data_dir("ontology")


def mappings_dir() -> Path:
    return data_dir("mappings")


def shapes_dir() -> Path:
    return data_dir("shapes")


#: The node names a PrimeKG import writes in its folder (:mod:`kgpub.importers.primekg.names`) and a
#: build ``--with`` that folder grounds by; here so that readers need not import the importer.
PRIMEKG_NODES_TSV = "nodes.tsv"
