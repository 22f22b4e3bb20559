"""Stage 6: the graphs and the report -> the build's files; graphs of ``--with`` folders listed in the manifest."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from .. import __version__
from ..diagnostics import DiagnosticLog
from ..publish.files import GraphSet, WrittenFiles, write_build
from ..publish.manifest import GraphEntry, Manifest, merge_into
from .collector import collector_paused


@dataclass
class Written:
    files: WrittenFiles
    merged: list[GraphEntry] = field(default_factory=list)  # graphs listed from --with folders


def check_extra_dists(extra_dists: Sequence[Path], base_iri: str, out: Path) -> None:
    """Refuse a ``--with`` folder of a foreign base IRI or without manifest, before anything is built."""
    for dist in extra_dists:
        merge_into(Manifest(base_iri=base_iri, kgpub_version=__version__), dist, out)


@collector_paused()
def write_outputs(
    out: Path,
    graphs: GraphSet,
    base_iri: str,
    report_turtle: str | bytes | None,
    *,
    ontology_extra: Sequence[Path] = (),
    extra_dists: Sequence[Path] = (),
    log: DiagnosticLog,
    index: bool = False,
) -> Written:
    """Write the files; ``--with DIST`` graphs stay in their own files (paths relative to ``out``),
    neither loaded nor validated with the garden shapes.  ``index``: keep ``kg.ttl``'s block index in the files."""
    written = Written(write_build(out, graphs, base_iri, report_turtle, ontology_extra=ontology_extra, index=index))
    if extra_dists:
        manifest = Manifest.read(out)
        for dist in extra_dists:
            merge_into(manifest, dist, out)
            if not dist.resolve().is_relative_to(out.resolve()):
                log.warning(str(dist), None, f"--with folder is outside {out}; the manifest refers to it by a relative path", code="with")
        manifest.write(out)
        own = {g.value for g in graphs.graphs}
        written.merged = [g for g in manifest.graphs if g.iri not in own]
    return written
