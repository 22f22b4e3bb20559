"""``kgpub validate``: SHACL validation of RDF files, or of bulk N-Triples shards in bounded memory.

* ``kgpub validate DATA... --shapes SHAPES... [--ontology FILE...]``: any RDF files (Turtle,
  N-Triples, N-Quads, TriG, RDF/XML; gzip allowed) against any shapes, as pyshacl's command line
  does; the class hierarchy comes from the data and the ``--ontology`` files.  Without
  ``--shapes``, kgpub's own ``shapes/`` and ``ontology/``.
* ``kgpub validate DIST/primekg``: the shards of an import against ``shapes/primekg.ttl``
  (or ``--shapes``), partition by partition.

The report is Turtle (``--report``; default ``FOLDER/validation.ttl`` for a folder, none for
files); ``sh:conforms`` follows SHACL (false for any result).  Exit 0 without violations
(warnings and infos pass), 1 with violations, 2 when the tool fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ..errors import KgpubError
from . import EXIT_DATA, EXIT_FAILURE, EXIT_OK

if TYPE_CHECKING:
    from ..validate.report import ValidationReport
# The validators (rdflib, pyshacl, polars) are imported when the command runs: every other
# command, `kgpub serve` first, starts without them.


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)


def validate(
    inputs: list[Path] = typer.Argument(..., exists=True, help="RDF files, or one folder of part-*.nt.gz files (DIST/primekg)."),
    shapes: list[Path] = typer.Option([], "--shapes", "-s", exists=True, dir_okay=False, help="SHACL shapes file (repeatable)."),
    ontology: list[Path] = typer.Option([], "--ontology", "-o", exists=True, dir_okay=False,
                                        help="RDF file whose rdfs:subClassOf triples sh:class and targets see (repeatable)."),
    report: Path = typer.Option(None, "--report", help="Write the SHACL report as Turtle here."),
    engine: str = typer.Option("auto", "--engine", help="One of auto, compiled, pyshacl (files), or polars (folders)."),
    partition_size: int = typer.Option(150_000, "--partition-size", min=1, help="Triples per partition (folders)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Validate RDF files against SHACL shapes, or an imported bulk graph partition by partition."""
    try:
        if len(inputs) == 1 and inputs[0].is_dir():
            result = _folder(inputs[0], shapes, ontology, engine, partition_size, quiet)
            target = report or inputs[0] / "validation.ttl"
        else:
            result = _files(inputs, shapes, ontology, engine)
            target = report
    except KgpubError as error:
        typer.echo(f"kgpub: error: {error}", err=True)
        raise typer.Exit(EXIT_FAILURE) from None
    if target is not None:
        target.write_bytes(result.to_turtle())
    for shape, reason in sorted(result.fallbacks.items()):
        typer.echo(f"note: shape {shape} validated by pyshacl: {reason}", err=True)
    typer.echo(result.summary() if result.results else "SHACL: conforms: 0 violation(s), 0 warning(s), 0 info")
    raise typer.Exit(EXIT_DATA if result.has_violations else EXIT_OK)


def _read(paths: list[Path], cache: dict[Path, list]) -> list:
    """Triples of files, each parsed once (a file that is both data and shapes keeps its blank nodes)."""
    from ..validate.shapes import read_rdf

    out = []
    for p in paths:
        key = p.resolve()
        if key not in cache:
            cache[key] = read_rdf(p)
        out.extend(cache[key])
    return out


def _files(inputs: list[Path], shapes: list[Path], ontology: list[Path], engine: str) -> ValidationReport:
    from ..validate.rdflib_bridge import to_rdflib
    from ..validate.shacl import validate as validate_triples

    if any(p.is_dir() for p in inputs):
        raise KgpubError("give RDF files, or a single folder of part-*.nt.gz files")
    cache: dict[Path, list] = {}
    data = _read(inputs, cache)
    if not shapes:  # kgpub's own shapes and ontology
        return validate_triples(data, ontology=_read(ontology, cache) or None, engine=engine)
    return validate_triples(data, shapes=to_rdflib(_read(shapes, cache)), ontology=_read(ontology, cache), engine=engine)


def _folder(folder: Path, shapes: list[Path], ontology: list[Path], engine: str, partition_size: int,
            quiet: bool) -> ValidationReport:
    from ..validate.rdflib_bridge import to_rdflib
    from ..validate.stream import StreamOptions, validate_stream

    cache: dict[Path, list] = {}
    shapes_graph = to_rdflib(_read(shapes, cache)) if shapes else None
    console = Console(stderr=True)
    columns = [TextColumn("validate"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn()]
    with Progress(*columns, console=console, disable=quiet) as bar:
        task = bar.add_task("validate", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return validate_stream(folder, shapes=shapes_graph, options=StreamOptions(partition_size), progress=progress,
                               engine=engine, ontology=_read(ontology, cache) if ontology else None)
