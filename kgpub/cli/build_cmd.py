"""``kgpub build``: garden notes -> Turtle, N-Quads, SHACL report.

A thin wrapper over :func:`kgpub.build.build_garden`: diagnostics and a
summary go to stderr; exit 0 conforms, 1 data problems, 2 usage or tool failure.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from . import EXIT_FAILURE


def register(app: typer.Typer) -> None:
    app.command("build")(build)


def build(
    garden: Path = typer.Argument(..., help="Folder of garden notes (.md, .txt, .html), read at any depth."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder to write kg.ttl, kg.nq, ontology.ttl, validation.ttl."),
    base_iri: str = typer.Option("https://example.org/kg/", "--base-iri", help="Base under which IRIs are minted."),
    with_dists: list[Path] = typer.Option([], "--with", help="List the graphs of another output folder (e.g. DIST/primekg from `kgpub import primekg`) in the manifest; they are not loaded or validated here."),
    no_validate: bool = typer.Option(False, "--no-validate", help="Skip SHACL validation."),
) -> None:
    """Build the knowledge graph of a garden."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..build import build_garden
    from ..diagnostics import DiagnosticLog

    console = Console(stderr=True)
    if not garden.is_dir():
        console.print(f"kgpub build: {garden}: no such folder", markup=False, highlight=False)
        raise typer.Exit(EXIT_FAILURE)
    for dist in with_dists:
        if not dist.is_dir():
            console.print(f"kgpub build: --with {dist}: no such folder", markup=False, highlight=False)
            raise typer.Exit(EXIT_FAILURE)
    log = DiagnosticLog(stream=sys.stderr)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True, disable=not console.is_terminal,
    ) as progress:
        tasks: dict[str, int] = {}

        def tick(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total or None)
            progress.update(tasks[stage], completed=done, total=total or None)

        result = build_garden(
            garden, out, base_iri=base_iri, extra_dists=with_dists, log=log, progress=tick, validate=not no_validate
        )
    console.print(result.summary(), markup=False, highlight=False)
    raise typer.Exit(result.exit_code)
