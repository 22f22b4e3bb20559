"""The contract between what answers HTTP (the SPARQL endpoint, the pages) and what runs queries.

Everything that needs data from the served store asks a :class:`QueryBackend`: the
SPARQL endpoint, resource pages, dereferencing, search, the static export.  The
server's backend runs each query in a pool of executor processes; :class:`LocalBackend`
runs it on a pyoxigraph store in this process (tests, ``kgpub site``).
"""

from __future__ import annotations

import asyncio
from typing import Protocol

import pyoxigraph as ox

from ..errors import KgpubError


class QueryFailed(KgpubError):
    """A query could not be answered; ``status`` is the HTTP status to give its client."""

    def __init__(self, message: str, *, status: int = 400, retry_after: int | None = None):
        self.status = status
        self.retry_after = retry_after  # seconds, for a 503 from a full queue
        super().__init__(message)


#: Media types a backend can serialise to: SELECT/ASK results, then graphs.
RESULT_MEDIA = ("application/sparql-results+json", "application/sparql-results+xml",
                "text/csv", "text/tab-separated-values")
GRAPH_MEDIA = ("text/turtle", "application/n-triples", "application/n-quads",
               "application/ld+json", "application/rdf+xml")


class QueryBackend(Protocol):
    """Runs one read-only SPARQL query over the served dataset (default graph = union of graphs)."""

    @property
    def generation(self) -> int:
        """How many times the dataset changed since the start (what was computed from it before is stale)."""
        ...

    async def run(self, query: str, media_type: str, *, timeout: float | None = None,
                  prefixes: dict[str, str] | None = None) -> bytes:
        """The whole serialised answer in ``media_type`` (a graph in Turtle or RDF/XML with
        ``prefixes``); raises :class:`QueryFailed`."""
        ...


class LocalBackend:
    """A :class:`QueryBackend` over a pyoxigraph store in this process, queries on a thread."""

    def __init__(self, store: ox.Store, *, base_iri: str | None = None):
        self.store = store
        self.base_iri = base_iri
        self.generation = 0  # counted by whoever changes the store (nothing does during a static export)

    def run_sync(self, query: str, media_type: str, prefixes: dict[str, str] | None = None) -> bytes:
        try:
            result = self.store.query(query, base_iri=self.base_iri, use_default_graph_as_union=True)
            fmt = (ox.QueryResultsFormat.from_media_type(media_type)
                   if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean))
                   else ox.RdfFormat.from_media_type(media_type))
            if fmt is None:
                raise QueryFailed(f"no serialisation to {media_type} for this query", status=406)
            if prefixes and fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):
                return ox.serialize(result, format=fmt, prefixes=prefixes)
            return result.serialize(format=fmt)
        except SyntaxError as error:
            raise QueryFailed(f"query syntax: {error}") from error

    async def run(self, query: str, media_type: str, *, timeout: float | None = None,
                  prefixes: dict[str, str] | None = None) -> bytes:
        task = asyncio.to_thread(self.run_sync, query, media_type, prefixes)
        try:
            return await asyncio.wait_for(task, timeout)
        except asyncio.TimeoutError as error:
            raise QueryFailed("query timed out", status=503) from error
