"""``kgpub site``: write a build as a static site (pages, one file per resource and format, host rules)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    app.command("site")(site)


def site(
    dist: Path = typer.Argument(..., exists=True, file_okay=False, help="Build output folder (kgpub build --out)."),
    out: Path = typer.Option(..., "--out", "-o", file_okay=False, help="Folder to write the site to."),
    store: Path = typer.Option(None, "--store", help="Store folder (default: DIST/.store, as kgpub serve)."),
    endpoint: Optional[str] = typer.Option(None, "--endpoint",
                                           help="SPARQL endpoint URL the query page sends queries to "
                                                "(default: no query page)."),
    public_url: Optional[str] = typer.Option(None, "--public-url",
                                             help="Where the site is published (default: the base IRI's origin)."),
    site_url: Optional[str] = typer.Option(None, "--garden-url",
                                           help="The garden's own site (default: the dataset's foaf:homepage)."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar while loading."),
) -> None:
    """Write the pages and descriptions of a build as static files, with content-negotiation rules
    for Apache (.htaccess), nginx (-/host/nginx-*.conf) and Netlify (_headers, _redirects)."""
    import pyoxigraph as ox

    from ..errors import InputError
    from ..publish.load import load_build
    from ..publish.manifest import Manifest
    from ..web.export import SiteSettings, export_site

    store = store or (dist / ".store")
    try:
        load_build(dist, store, progress=not quiet)
    except InputError as error:
        typer.echo(f"kgpub: error: {error}", err=True)
        raise typer.Exit(1) from None
    settings = SiteSettings(Manifest.read(dist).base_iri, dist, out, endpoint=endpoint, public_url=public_url,
                            site_url=site_url)
    report = export_site(ox.Store.read_only(str(store)), settings)
    for problem in report.problems:
        typer.echo(f"kgpub: warning: {problem}", err=True)
    typer.echo(f"site {out}: {report.resources:,} resources, {report.pages:,} pages, {report.files:,} files, "
               f"{report.snippets:,} schema.org snippets", err=True)
    if report.problems:  # resources left out: the data has problems (exit 1), the rest is written
        raise typer.Exit(1)
