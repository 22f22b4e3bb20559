"""``kgpub build``: garden notes -> Turtle, N-Quads, SHACL report."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    app.command("build")(build)


def build(
    garden: Path = typer.Argument(..., exists=True, file_okay=False, help="Folder of garden notes (.md, .txt, .html)."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder to write kg.ttl, kg.nq, ontology.ttl, validation.ttl."),
    base_iri: str = typer.Option("https://example.org/kg/", "--base-iri", help="Base under which IRIs are minted."),
) -> None:
    """Build the knowledge graph of a garden."""
    raise NotImplementedError("kgpub build: being written")
