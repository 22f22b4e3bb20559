"""``kgpub serve``: load a build into the embedded store and serve SPARQL 1.1 at /sparql."""

from __future__ import annotations

import os
from pathlib import Path
from typing import List, Optional

import typer


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def _ram() -> int:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def serve(
    dist: Path = typer.Argument(..., exists=True, file_okay=False, help="Build output folder (kgpub build --out)."),
    store: Path = typer.Option(None, "--store", help="Store folder (default: DIST/.store)."),
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(7878, "--port", min=0, max=65535, help="TCP port (0: any free port)."),
    public_url: Optional[str] = typer.Option(None, "--public-url",
                                             help="The endpoint's public URL (service description, base IRI)."),
    timeout: float = typer.Option(30.0, "--timeout", help="Per-query timeout in seconds."),
    max_result_mb: float = typer.Option(64.0, "--max-result-mb", help="Largest answer, in MiB."),
    executors: int = typer.Option(0, "--executors", "--workers",
                                  help="Query executor processes (default: one per core)."),
    max_executors: int = typer.Option(0, "--max-executors",
                                      help="Executors at most, counting extras started beside slow queries "
                                           "(default: executors + 4)."),
    queue: int = typer.Option(64, "--queue", help="Queries that may wait for an executor; past it: 503."),
    memory_mb: int = typer.Option(0, "--memory-mb",
                                  help="Memory budget of each executor in MiB (default: half the RAM shared "
                                       "among --max-executors)."),
    idle_timeout: int = typer.Option(5, "--idle-timeout", help="Seconds an idle keep-alive connection stays open."),
    max_connections: int = typer.Option(512, "--max-connections", help="Connections at most; past it: 503."),
    allow_update: bool = typer.Option(False, "--allow-update",
                                      help="Accept SPARQL Update with 'Authorization: Bearer $KGPUB_UPDATE_TOKEN'."),
    allow_load: List[str] = typer.Option([], "--allow-load", help="An IRI SPARQL LOAD may read (repeatable)."),
    allow_service: bool = typer.Option(False, "--allow-service", help="Allow federated SERVICE queries."),
    page_cache_mb: int = typer.Option(64, "--page-cache-mb", min=0,
                                      help="Pages and descriptions kept in memory, in MiB (0: none; "
                                           "always none with --allow-update)."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar while loading."),
) -> None:
    """Serve a build over the SPARQL 1.1 Protocol (loads only what changed since the last start)."""
    from ..errors import ConfigError, InputError
    from ..publish.manifest import Manifest
    from ..publish.store import load_build
    from ..serve.app import AppSettings
    from ..serve.policy import Policy
    from ..serve.pool import PoolSettings
    from ..serve.run import ServerSettings, bind
    from ..serve.run import serve as run_server
    from ..web.app import create_pages_app
    from ..web.pages import PagesSettings

    token = os.environ.get("KGPUB_UPDATE_TOKEN")
    if allow_update and not token:
        raise ConfigError("--allow-update needs a token: set KGPUB_UPDATE_TOKEN")
    if allow_load and not allow_update:
        raise ConfigError("--allow-load only makes sense with --allow-update")
    if timeout <= 0 or max_result_mb <= 0 or queue < 0 or executors < 0:
        raise ConfigError("--timeout and --max-result-mb must be positive, --queue and --executors not negative")
    sock = bind(host, port)  # before loading: a taken port fails at once
    store = store or (dist / ".store")
    try:
        report = load_build(dist, store, progress=not quiet)
    except InputError as error:  # the build itself is unreadable: exit 1 (data), not 2 (tool)
        typer.echo(f"kgpub: error: {error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"store {store}: {len(report.pushed)} graphs loaded, {len(report.skipped)} unchanged, "
               f"{len(report.removed)} removed ({report.quads:,} quads in {report.seconds:.1f} s)", err=True)
    cores = os.cpu_count() or 1
    executors = executors or cores
    max_executors = max(max_executors or executors + 4, executors)
    memory = (memory_mb << 20) if memory_mb else max(1 << 30, _ram() // 2 // max_executors)
    bound = sock.getsockname()
    where = f"[{bound[0]}]:{bound[1]}" if ":" in bound[0] else f"{bound[0]}:{bound[1]}"
    settings = ServerSettings(
        host=host, port=bound[1], idle_timeout=idle_timeout, max_connections=max_connections,
        app=AppSettings(public_url=public_url, allow_update=allow_update, update_token=token,
                        policy=Policy(allow_service=allow_service, load_allowed=frozenset(allow_load)),
                        timeout=timeout, graphs=report.graphs, fallback_host=where),
        pool=PoolSettings(store=str(store), executors=executors, max_executors=max_executors, queue=queue,
                          timeout=timeout, memory=memory, cap=int(max_result_mb * (1 << 20)),
                          isolate=not allow_service, writable=allow_update,
                          writer_network=bool(allow_load) or allow_service))
    typer.echo(f"SPARQL endpoint: http://{where}/sparql ({executors} executors, "
               f"{memory >> 20} MiB each)", err=True)
    pages = PagesSettings(base_iri=Manifest.read(dist).base_iri, public_url=public_url, dist=dist,
                          timeout=timeout, cache_mb=0 if allow_update else page_cache_mb)
    try:
        run_server(settings, sock, lambda backend: create_pages_app(backend, pages))
    except KeyboardInterrupt:
        pass
