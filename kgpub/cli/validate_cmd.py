"""``kgpub validate DIST/primekg``: SHACL validation of bulk N-Triples shards in bounded memory."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from . import EXIT_DATA, EXIT_FAILURE, EXIT_OK


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)


def validate(
    folder: Path = typer.Argument(..., exists=True, file_okay=False, help="A folder of part-*.nt.gz files (DIST/primekg)."),
    report: Path = typer.Option(None, "--report", help="Write the SHACL report as Turtle here (default FOLDER/validation.ttl)."),
    partition_size: int = typer.Option(150_000, "--partition-size", min=1000, help="Triples per partition."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Validate an imported bulk graph against shapes/primekg.ttl, partition by partition."""
    from ..errors import KgpubError
    from ..validate.stream import StreamOptions, validate_stream

    console = Console(stderr=True)
    columns = [TextColumn("validate"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn()]
    with Progress(*columns, console=console, disable=quiet) as bar:
        task = bar.add_task("validate", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        try:
            result = validate_stream(folder, options=StreamOptions(partition_size), progress=progress)
        except KgpubError as error:
            typer.echo(f"kgpub: error: {error}", err=True)
            raise typer.Exit(EXIT_FAILURE) from None
    target = report or folder / "validation.ttl"
    target.write_bytes(result.to_turtle())
    typer.echo(result.summary() if result.results else "SHACL: conforms: 0 violation(s), 0 warning(s), 0 info")
    raise typer.Exit(EXIT_OK if result.conforms else EXIT_DATA)
