"""``kgpub serve``: load a build into the embedded store and serve SPARQL 1.1 at /sparql."""

from __future__ import annotations

import os
from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    dist: Path = typer.Argument(..., exists=True, file_okay=False, help="Build output folder (kgpub build --out)."),
    store: Path = typer.Option(None, "--store", help="Store folder (default: DIST/.store)."),
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(7878, "--port", min=0, max=65535, help="TCP port (0: any free port)."),
    timeout: float = typer.Option(30.0, "--timeout", help="Per-query timeout in seconds."),
    max_result_mb: float = typer.Option(64.0, "--max-result-mb", help="Largest answer, in MiB."),
    workers: int = typer.Option(2, "--workers", help="Query worker processes."),
    allow_update: bool = typer.Option(False, "--allow-update",
                                      help="Accept SPARQL Update with 'Authorization: Bearer $KGPUB_UPDATE_TOKEN'."),
    allow_service: bool = typer.Option(False, "--allow-service", help="Allow federated SERVICE queries."),
) -> None:
    """Serve a build over the SPARQL 1.1 Protocol (loads only what changed since the last start)."""
    from ..errors import InputError
    from ..publish.server import ServerConfig, SparqlServer, graph_sizes
    from ..publish.store import load_build

    store = store or (dist / ".store")
    try:
        report = load_build(dist, store)
    except InputError as error:  # the build itself is unreadable: exit 1 (data), not 2 (tool)
        typer.echo(f"kgpub: error: {error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"store {store}: {len(report.pushed)} graphs loaded, {len(report.skipped)} unchanged, "
               f"{len(report.removed)} removed", err=True)
    config = ServerConfig(store, host=host, port=port, timeout=timeout, max_result_bytes=int(max_result_mb * (1 << 20)),
                          workers=workers, allow_update=allow_update,
                          update_token=os.environ.get("KGPUB_UPDATE_TOKEN"), allow_service=allow_service,
                          graphs=graph_sizes(store))
    server = SparqlServer(config)
    typer.echo(f"SPARQL endpoint: {server.url}", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
