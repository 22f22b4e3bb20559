"""``kgpub init GARDEN``: a starter kgpub.toml, and the garden's unmapped note types and relation keys with suggestions."""

from __future__ import annotations

from pathlib import Path

import typer

from . import EXIT_FAILURE, EXIT_OK


def register(app: typer.Typer) -> None:
    app.command("init")(init)


def init(
    garden: Path = typer.Argument(..., help="Folder of garden notes."),
    force: bool = typer.Option(False, "--force", help="Replace an existing GARDEN/kgpub.toml."),
) -> None:
    """Write GARDEN/kgpub.toml and list every note type and relation key without a mapping, with suggestions to confirm."""
    from ..errors import ConfigError
    from ..starter import init_garden

    try:
        starter = init_garden(garden, force=force)
    except ConfigError as error:
        typer.echo(f"kgpub init: {error}", err=True)
        raise typer.Exit(EXIT_FAILURE) from None
    typer.echo(f"wrote {starter.path}")
    for title, items in (("note types", starter.types), ("relation keys", starter.keys)):
        typer.echo(f"{len(items)} {title} without a mapping" + (":" if items else ""))
        for item in items:
            best = ", ".join(f"{s.candidate.curie} ({s.score:g})" for s in item.suggestions)
            typer.echo(f"  {item.name} ({item.count}, first at {item.first}): suggested {best}")
    if starter.types or starter.keys:
        typer.echo(f"the suggestions are commented rows in {starter.path}: confirm them and copy them into a table named by [extend] mappings")
    raise typer.Exit(EXIT_OK)
