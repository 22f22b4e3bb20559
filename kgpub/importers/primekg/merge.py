"""Add the graphs of a PrimeKG import to a garden build's manifest (``kgpub build --with``)."""

from __future__ import annotations

import os
from pathlib import Path

from ...errors import ConfigError
from ...publish.manifest import GraphEntry, Manifest


def merge_into(manifest: Manifest, primekg_dir: Path | str, dist: Path | str) -> Manifest:
    """Add the graphs of an import (``DIST/primekg``) to a build's ``manifest``, files relative to ``dist``.

    Entries with the same graph IRI are replaced.  The import must use the build's base IRI.
    """
    primekg_dir = Path(primekg_dir)
    imported = Manifest.read(primekg_dir)
    if imported.base_iri != manifest.base_iri:
        raise ConfigError(
            f"{primekg_dir}: imported with base IRI {imported.base_iri}, the build uses {manifest.base_iri}"
        )
    iris = {g.iri for g in imported.graphs}
    manifest.graphs = [g for g in manifest.graphs if g.iri not in iris]
    for entry in imported.graphs:
        files = [os.path.relpath(primekg_dir / f, dist) for f in entry.files]
        manifest.graphs.append(
            GraphEntry(entry.iri, entry.triples, entry.digest, [f.replace(os.sep, "/") for f in files], entry.format, entry.role)
        )
    return manifest
