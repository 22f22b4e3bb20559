"""Run one SPARQL query against an endpoint URL or an on-disk store, for ``kgpub query``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import requests

from ..errors import ConfigError, EndpointError, StoreError


@dataclass
class QueryAnswer:
    """A SELECT/ASK answer as plain strings (``boolean`` set for ASK), or RDF text for CONSTRUCT."""

    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)
    boolean: bool | None = None
    rdf: str | None = None


def read_query_argument(text: str) -> str:
    """``@file.rq`` reads the file; anything else is the query itself."""
    if text.startswith("@"):
        path = Path(text[1:])
        try:
            return path.read_text(encoding="utf-8")
        except OSError as error:
            raise ConfigError(f"{path}: cannot read the query: {error.strerror}") from None
    return text


def _from_json(data: dict) -> QueryAnswer:
    if "boolean" in data:
        return QueryAnswer(boolean=bool(data["boolean"]))
    variables = data.get("head", {}).get("vars", [])
    rows = [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]
    return QueryAnswer(variables, rows)


def query_endpoint(url: str, query: str, *, timeout: float = 60.0) -> QueryAnswer:
    try:
        response = requests.post(url, data={"query": query}, timeout=timeout,
                                 headers={"Accept": "application/sparql-results+json, text/turtle;q=0.9"})
    except requests.RequestException as error:
        raise EndpointError(f"{url}: connection failed: {type(error).__name__}", retryable=True) from None
    if response.status_code >= 400:
        raise EndpointError(f"{url}: HTTP {response.status_code}: {response.text.strip()[:500]}",
                            status=response.status_code)
    ctype = response.headers.get("Content-Type", "")
    if "json" in ctype and "ld+json" not in ctype:
        try:
            return _from_json(response.json())
        except (ValueError, KeyError) as error:
            raise EndpointError(f"{url}: unreadable results: {error}") from None
    return QueryAnswer(rdf=response.text)


def query_store(path: Path, query: str) -> QueryAnswer:
    from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, Store

    if not Path(path).is_dir():
        raise ConfigError(f"{path}: no store there (kgpub serve --store PATH creates one)")
    try:
        store = Store.read_only(str(path))
        result = store.query(query, use_default_graph_as_union=True)
        if isinstance(result, (QuerySolutions, QueryBoolean)):
            return _from_json(json.loads(result.serialize(format=QueryResultsFormat.JSON)))
        return QueryAnswer(rdf=result.serialize(format=RdfFormat.TURTLE).decode("utf-8"))
    except SyntaxError as error:
        raise StoreError(f"malformed query: {error}") from None
    except OSError as error:
        raise StoreError(f"{path}: {error}") from None
