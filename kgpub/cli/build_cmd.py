"""``kgpub build`` and ``kgpub check``: garden notes -> Turtle, N-Quads, SHACL report (``check`` writes nothing).

Thin wrappers over :func:`kgpub.build.build_garden`: diagnostics (each once, with a count
when repeated) and a summary go to stderr; exit 0 conforms, 1 data problems, 2 usage or tool
failure.  Usage errors are one line each, never a traceback.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from . import EXIT_FAILURE, Invocation

if TYPE_CHECKING:
    from ..session import BuildSession

FORMATS = ("text", "github")


def register(app: typer.Typer) -> None:
    app.command("build")(build)
    app.command("check")(check)


def _usage(command: str, message: str) -> None:
    typer.echo(f"kgpub {command}: {message}", err=True)
    raise typer.Exit(EXIT_FAILURE)


def _check_out(out: Path) -> None:
    """``--out`` must be a folder kgpub can create or write into."""
    if out.exists() and not out.is_dir():
        _usage("build", f"--out {out}: is a file, not a folder")
    parent = out if out.exists() else next((p for p in out.parents if p.exists()), Path("."))
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        _usage("build", f"--out {out}: {parent} is not a writable folder")


def _run(command: str, garden: Path, out: Path | None, config: Path | None, base_iri: str | None,
         with_dists: list[Path], validate: bool, form: str, *, cache: bool = True, full: bool = False, watch: bool = False,
         exits: bool = False) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..build import build_garden
    from ..config import ConfigFileError, config_for
    from ..diagnostics import DiagnosticLog
    from ..errors import ConfigError
    from ..iris import check_base_iri
    from ..session import BuildSession

    if form not in FORMATS:
        _usage(command, f"--format {form!r}: one of {', '.join(FORMATS)}")
    if not garden.is_dir():
        _usage(command, f"{garden}: no such folder")
    if config is not None and not config.is_file():
        _usage(command, f"--config {config}: no such file")
    for dist in with_dists:
        if not dist.is_dir():
            _usage(command, f"--with {dist}: no such folder")
    if out is not None:
        _check_out(out)
    try:
        if base_iri is not None:
            check_base_iri(base_iri)
        cfg = config_for(garden, config)
    except ConfigFileError as error:
        for d in error.diagnostics:
            typer.echo(d.github() if form == "github" else str(d), err=form != "github")
        raise typer.Exit(EXIT_FAILURE) from None
    except ConfigError as error:
        _usage(command, str(error))
    if exits and not watch:
        # The process ends with this one build (Invocation.exits): the collector's pass over the build's objects once
        # build_garden re-enables it (0.3 s after a one-note rebuild of the 10,000-note garden) would free nothing it needs.
        gc.disable()
    console = Console(stderr=True)
    log = DiagnosticLog()
    session = BuildSession()  # with --watch, what the first build keeps for the rebuilds
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True, disable=not console.is_terminal,
    ) as progress:
        tasks: dict[str, int] = {}

        def tick(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total or None)
            progress.update(tasks[stage], completed=done, total=total or None)

        try:
            result = build_garden(garden, out, config=cfg, base_iri=base_iri, extra_dists=with_dists, log=log, progress=tick,
                                  validate=validate, cache=cache, full=full, session=session)
        except OSError as error:
            _usage(command, f"{error.filename or out}: {error.strerror or error}")
    if form == "github":  # annotations on stdout (the validation results too); the summary on stderr
        lines = log.render("github")
        if result.report is not None:
            lines += [r.diagnostic().github() for r in result.report.results]
        for line in lines:
            print(line)
    else:
        for line in log.render():
            print(line, file=sys.stderr)
    print(result.summary(), file=sys.stderr)
    if watch and out is not None:
        _watch(garden, out, config, base_iri, with_dists, validate, cache, [*cfg.extend.mappings, *cfg.extend.ontology, *cfg.extend.shapes, *(x.path for x in cfg.lexicons)],
               session)
        raise typer.Exit(0)
    raise typer.Exit(result.exit_code)


def _watch(garden: Path, out: Path, config: Path | None, base_iri: str | None, with_dists: list[Path], validate: bool,
           cache: bool, also: list[Path], session: BuildSession) -> None:
    """Rebuild after each burst of saves, one summary line each (the configuration is read again each time); Ctrl-C ends.

    Every rebuild passes ``session``, which the first build started: each keeps the grounder, the index and the cache for the next."""
    import time

    from ..build import build_garden
    from ..config import ConfigFileError
    from ..errors import ConfigError
    from ..watch import watch_garden

    print(f"watching {garden} (Ctrl-C to stop)", file=sys.stderr, flush=True)

    def rebuild(changed: set[Path]) -> None:
        start = time.perf_counter()
        try:
            result = build_garden(garden, out, config=config, base_iri=base_iri, extra_dists=with_dists, validate=validate, cache=cache,
                                  session=session)
        except ConfigFileError as error:
            for d in error.diagnostics:
                print(d, file=sys.stderr, flush=True)
            return
        except (ConfigError, OSError) as error:
            print(f"kgpub build: {error}; waiting for the next change", file=sys.stderr, flush=True)
            return
        print(f"rebuilt in {time.perf_counter() - start:.2f} s after {len(changed)} change(s): {result.one_line()}", file=sys.stderr, flush=True)

    watch_garden(garden, out, rebuild, also=[*([config] if config else []), *also])


def build(
    ctx: typer.Context,
    garden: Path = typer.Argument(..., help="Folder of garden notes (.md, .txt, .html), read at any depth."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder to write kg.ttl, kg.nq, ontology.ttl, validation.ttl."),
    config: Path = typer.Option(None, "--config", "-c", help="The garden's configuration (default: GARDEN/kgpub.toml if present)."),
    base_iri: str = typer.Option(None, "--base-iri", help="Base under which IRIs are minted (http/https; overrides the configuration's)."),
    with_dists: list[Path] = typer.Option([], "--with", help="List the graphs of another output folder (e.g. DIST/primekg from `kgpub import primekg`) in the manifest; they are not loaded or validated here."),
    no_validate: bool = typer.Option(False, "--no-validate", help="Skip SHACL validation (an earlier validation.ttl is removed)."),
    form: str = typer.Option("text", "--format", help="Diagnostics as 'text' (path:line: severity: message) or 'github' annotations."),
    full: bool = typer.Option(False, "--full", help="Ignore the cache of earlier builds in OUT/.kgpub-cache (a new one is written)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write the cache: a full build."),
    watch: bool = typer.Option(False, "--watch", help="After the build, rebuild on each save (one summary line per rebuild); Ctrl-C stops."),
) -> None:
    """Build the knowledge graph of a garden (again: only what changed since the last build into OUT)."""
    _run("build", garden, out, config, base_iri, with_dists, not no_validate, form, cache=not no_cache, full=full, watch=watch,
         exits=_exits(ctx))


def _exits(ctx: typer.Context) -> bool:
    invocation = ctx.find_object(Invocation)
    return invocation is not None and invocation.exits


def check(
    ctx: typer.Context,
    garden: Path = typer.Argument(..., help="Folder of garden notes."),
    config: Path = typer.Option(None, "--config", "-c", help="The garden's configuration (default: GARDEN/kgpub.toml if present)."),
    base_iri: str = typer.Option(None, "--base-iri", help="Base under which IRIs are minted (http/https)."),
    no_validate: bool = typer.Option(False, "--no-validate", help="Skip SHACL validation."),
    form: str = typer.Option("text", "--format", help="'text' (path:line: severity: message, never wrapped) or 'github' (GitHub Actions annotations on stdout)."),
) -> None:
    """Build a garden without writing anything, for the garden's own CI: diagnostics and exit codes as for build."""
    _run("check", garden, None, config, base_iri, [], not no_validate, form, exits=_exits(ctx))
