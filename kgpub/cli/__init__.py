"""The ``kgpub`` command line: a thin layer over the library API.

Each command lives in its own module of this package and registers itself with
``register(app)``.  Exit status everywhere: 0 success, 1 the data has problems
(SHACL violations, unreadable inputs; output still written for the rest),
2 usage error or a failure of the tool itself.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
import traceback
from dataclasses import dataclass

import typer

from ..errors import KgpubError

EXIT_OK = 0
EXIT_DATA = 1
EXIT_FAILURE = 2

app = typer.Typer(
    name="kgpub",
    help="Publish a biomedical knowledge garden as ontology-aligned, SHACL-validated linked data.",
    no_args_is_help=True,
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # usage errors as click prints them: plain lines, no boxes
)

@dataclass(frozen=True)
class Invocation:
    """How the command runs (the context object of every command): ``exits``, the process ends when the command
    returns without tearing its heap down (:func:`run`), so what the command allocated need not be freed."""

    exits: bool = False


#: Modules of this package that add commands; each defines ``register(app)``.
COMMAND_MODULES: tuple[str, ...] = (
    "serve_cmd",
    "site_cmd",
    "push_cmd",
    "query_cmd",
    "build_cmd",
    "import_cmd",
    "validate_cmd",
    "init_cmd",
)


@app.callback()
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", help="Print the kgpub version and exit.", is_eager=True),
) -> None:
    if version:
        from .. import __version__

        typer.echo(__version__)
        raise typer.Exit(EXIT_OK)
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(EXIT_FAILURE)


def _register_commands() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").register(app)


_register_commands()


def main(argv: list[str] | None = None, *, exits: bool = False) -> int:
    """Console-script entry point; returns the exit status.  ``exits``: the process ends right after (:class:`Invocation`)."""
    try:
        app(args=argv, prog_name="kgpub", standalone_mode=True, obj=Invocation(exits))
    except SystemExit as stop:
        code = stop.code
        return code if isinstance(code, int) else (EXIT_OK if code is None else EXIT_FAILURE)
    except KgpubError as error:
        print(f"kgpub: error: {error}", file=sys.stderr)
        return EXIT_FAILURE
    except Exception:  # a bug or an environment failure: keep the traceback, exit 2
        traceback.print_exc()
        print("kgpub: internal error (traceback above)", file=sys.stderr)
        return EXIT_FAILURE
    return EXIT_OK


def run() -> None:
    """The ``kgpub`` command: exit with :func:`main`'s status without tearing the heap down.

    A build holds hundreds of MB of Python objects, and freeing them one by one at interpreter exit took
    2.3 s after a one-note rebuild of the 10,000-note benchmark garden (the rebuild itself: 3.2 s).  Once
    ``main`` has returned, every command has written and closed its files (outputs are replaced
    atomically) and ended its child processes, so the streams are flushed, logging is shut down and the
    process ends at once.  (``main``, the library entry point, leaves the interpreter alone.)
    """
    code = main(exits=True)
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    logging.shutdown()
    os._exit(code)
