"""``kgpub query``: run one SPARQL query against an endpoint or a store, print a table, CSV or JSON."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    app.command("query")(query)


def query(
    text: str = typer.Argument(..., help="The query, or @file.rq to read it from a file."),
    endpoint: str = typer.Option(None, "--endpoint", help="SPARQL endpoint URL."),
    store: Path = typer.Option(None, "--store", help="On-disk store folder (as made by kgpub serve)."),
    fmt: str = typer.Option("table", "--format", help="table, csv or json."),
) -> None:
    """Run a SPARQL query and print the answer."""
    from rich.console import Console
    from rich.table import Table

    from ..publish.query import query_endpoint, query_store, read_query_argument

    if (endpoint is None) == (store is None):
        raise typer.BadParameter("give exactly one of --endpoint URL or --store PATH")
    if fmt not in ("table", "csv", "json"):
        raise typer.BadParameter(f"unknown format {fmt!r}: use table, csv or json")
    sparql = read_query_argument(text)
    answer = query_endpoint(endpoint, sparql) if endpoint else query_store(store, sparql)
    if answer.rdf is not None:
        sys.stdout.write(answer.rdf)
        return
    if answer.boolean is not None:
        print(json.dumps({"boolean": answer.boolean}) if fmt == "json" else str(answer.boolean).lower())
        return
    if fmt == "json":
        print(json.dumps({"vars": answer.variables, "rows": answer.rows}, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(answer.variables)
        for row in answer.rows:
            writer.writerow([row.get(v, "") for v in answer.variables])
    else:
        table = Table(*answer.variables, show_lines=False, caption=f"{len(answer.rows)} rows")
        for row in answer.rows:
            table.add_row(*[row.get(v, "") for v in answer.variables])
        Console(soft_wrap=False).print(table)
