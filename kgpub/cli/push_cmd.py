"""``kgpub push``: publish every named graph of a build to a remote SPARQL 1.1 store."""

from __future__ import annotations

import os
from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    app.command("push")(push)


def push(
    dist: Path = typer.Argument(..., exists=True, file_okay=False, help="Build output folder (kgpub build --out)."),
    endpoint: str = typer.Option(..., "--endpoint", help="SPARQL query endpoint URL."),
    update_endpoint: str = typer.Option(None, "--update-endpoint", help="SPARQL Update URL (default: --endpoint)."),
    gsp_endpoint: str = typer.Option(None, "--gsp-endpoint", help="Graph Store Protocol URL for uploads."),
    user: str = typer.Option(None, "--user", help="User name; the password comes from KGPUB_PASSWORD."),
    auth: str = typer.Option("basic", "--auth", help="basic or digest."),
    force: bool = typer.Option(False, "--force", help="Push every graph, even those the store already has."),
    chunk_mb: float = typer.Option(8.0, "--chunk-mb", help="Size of upload chunks in MiB."),
    batch_kb: float = typer.Option(1024.0, "--batch-kb", min=0,
                                   help="Graphs of kg.nq up to this size (KiB of N-Triples) are pushed together, "
                                        "several per update request of at most this size, each replaced and recorded "
                                        "atomically; larger graphs go through a staging graph. 0: one graph at a time."),
    upload_mb: float = typer.Option(16.0, "--upload-mb", min=0,
                                    help="Graphs the store does not hold yet go in N-Quads uploads of about this size, "
                                         "each one atomic request with the graphs' records (Oxigraph, or --quads-upload). "
                                         "0: never; they take the SPARQL Update path."),
    quads_upload: bool = typer.Option(False, "--quads-upload",
                                      help="The --gsp-endpoint adds N-Quads POSTed without ?graph in one atomic request "
                                           "(detected for Oxigraph; say so for another store)."),
    no_atomic: bool = typer.Option(False, "--no-atomic",
                                   help="Load changed graphs in place, without staging graph and atomic commit: "
                                        "faster (Oxigraph: about the loader's speed), but readers may see a graph "
                                        "half-written during the push."),
    timeout: float = typer.Option(600.0, "--timeout", help="Seconds per request (the commit of a large graph is "
                                                            "one long request)."),
) -> None:
    """Push a build: replace each changed graph atomically, remove deleted ones, verify counts."""
    from ..errors import InputError
    from ..publish.remote import Credentials

    if auth not in ("basic", "digest"):
        raise typer.BadParameter(f"unknown auth {auth!r}: use basic or digest")
    credentials = None
    if user:
        password = os.environ.get("KGPUB_PASSWORD")
        if password is None:
            raise typer.BadParameter("--user needs the password in the KGPUB_PASSWORD environment variable")
        credentials = Credentials(user, password, auth)
    try:
        _run(dist, endpoint, update_endpoint, gsp_endpoint, credentials, force, chunk_mb, batch_kb, upload_mb,
             quads_upload, not no_atomic, timeout)
    except InputError as error:  # the build itself is unreadable: exit 1 (data), not 2 (tool)
        typer.echo(f"kgpub: error: {error}", err=True)
        raise typer.Exit(1) from None


def _run(dist: Path, endpoint: str, update_endpoint: str | None, gsp_endpoint: str | None, credentials,
         force: bool, chunk_mb: float, batch_kb: float, upload_mb: float, quads_upload: bool, atomic: bool,
         timeout: float) -> None:
    from rich.progress import BarColumn, Progress, TextColumn

    from ..publish.manifest import Manifest
    from ..publish.push import Pusher
    from ..publish.remote import RemoteStore, RetryPolicy

    store = RemoteStore(endpoint, update_endpoint=update_endpoint, gsp_endpoint=gsp_endpoint,
                        credentials=credentials, retry=RetryPolicy(timeout=timeout),
                        quads_params={} if quads_upload else None).detect()
    manifest = Manifest.read(dist)
    total = sum(g.triples for g in manifest.graphs)
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total} graphs"),
                  transient=True) as progress:
        task = progress.add_task("pushing", total=len(manifest.graphs))
        pusher = Pusher(store, chunk_bytes=int(chunk_mb * (1 << 20)), batch_bytes=int(batch_kb * 1024),
                        upload_bytes=int(upload_mb * (1 << 20)), atomic=atomic,
                        on_graph=lambda o: progress.advance(task) if o.action != "removed" else None)
        report = pusher.push(dist, force=force)
    typer.echo(report.summary() + f" (build: {total} triples)")
