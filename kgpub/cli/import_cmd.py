"""``kgpub import primekg KG_CSV --out DIST``: PrimeKG's kg.csv -> sharded N-Triples, summary, VoID, manifest."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from . import EXIT_DATA, EXIT_FAILURE, EXIT_OK

import_app = typer.Typer(name="import", help="Import bulk sources next to the garden.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")


@import_app.command("primekg")
def primekg(
    kg_csv: Path = typer.Argument(..., exists=True, dir_okay=False, help="PrimeKG kg.csv (12 columns)."),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder; files go to OUT/primekg/."),
    shards: int = typer.Option(4, "--shards", min=1, max=4096, help="Number of output files."),
    fmt: str = typer.Option("nt.gz", "--format", help="nt.gz (gzip N-Triples), nt (plain N-Triples, fastest) or ttl (Turtle)."),
    base_iri: str = typer.Option("https://example.org/kg/", "--base-iri", help="Base of minted IRIs (graph, groups)."),
    release: str = typer.Option(None, "--release", help="PrimeKG release recorded as provenance."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Import PrimeKG's kg.csv as aligned, deduplicated N-Triples shards."""
    from ..diagnostics import DiagnosticLog
    from ..errors import KgpubError
    from ..importers.primekg import ImportOptions, import_primekg
    from ..importers.primekg import Progress as ImportProgress
    from ..importers.primekg.sink import FORMATS

    if fmt not in FORMATS:
        typer.echo(f"kgpub: error: --format must be one of {', '.join(FORMATS)}", err=True)
        raise typer.Exit(EXIT_FAILURE)
    console = Console(stderr=True)
    log = DiagnosticLog(stream=sys.stderr)
    options = ImportOptions(shards=shards, fmt=fmt, base_iri=base_iri, release=release)
    columns = [TextColumn("{task.description:>7}"), BarColumn(), TextColumn("{task.fields[amount]}"),
               TextColumn("{task.fields[rate]}"), TimeRemainingColumn()]
    with Progress(*columns, console=console, disable=quiet, transient=False) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(event: ImportProgress) -> None:
            if event.phase not in tasks:
                tasks[event.phase] = bar.add_task(event.phase, total=event.total or 1, amount="", rate="")
            task = tasks[event.phase]
            elapsed = bar.tasks[task].elapsed or 1e-9
            if event.phase == "read":
                amount = f"{event.done / 1e9:.2f}/{event.total / 1e9:.2f} GB"
                rate = f"{event.rows:,} rows {event.rows / elapsed:,.0f} rows/s"
            else:
                amount = f"{event.done:,}/{event.total:,} edges"
                rate = f"{event.done / elapsed:,.0f} edges/s"
            bar.update(task, completed=event.done, total=event.total or 1, amount=amount, rate=rate)

        try:
            result = import_primekg(kg_csv, out, options, log=log, progress=progress)
        except KgpubError as error:
            typer.echo(f"kgpub: error: {error}", err=True)
            raise typer.Exit(EXIT_FAILURE) from None
    s = result.summary
    dropped = ", ".join(f"{r.value} {n:,}" for r, n in sorted(s.dropped_counts().items(), key=lambda i: i[0].value))
    typer.echo(f"{result.folder}: {s.rows:,} rows -> {s.nodes:,} nodes, {s.edges:,} edges, {s.triples:,} triples"
               f" in {len(s.files)} files; dropped: {dropped or 'none'}")
    raise typer.Exit(EXIT_DATA if result.has_bad_rows else EXIT_OK)
