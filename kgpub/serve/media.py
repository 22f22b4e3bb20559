"""Content negotiation: which serialisation a client gets, by ``Accept`` or a ``format=`` parameter."""

from __future__ import annotations

from pyoxigraph import QueryResultsFormat, RdfFormat

RESULT_FORMATS = {  # name -> media type, for SELECT / ASK
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_FORMATS = {  # name -> media type, for CONSTRUCT / DESCRIBE / service description
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
PYOX_FORMATS = {"json": QueryResultsFormat.JSON, "xml": QueryResultsFormat.XML, "csv": QueryResultsFormat.CSV,
                "tsv": QueryResultsFormat.TSV, "turtle": RdfFormat.TURTLE, "ntriples": RdfFormat.N_TRIPLES,
                "jsonld": RdfFormat.JSON_LD, "rdfxml": RdfFormat.RDF_XML}
FORMAT_ALIASES = {"ttl": "turtle", "nt": "ntriples", "json-ld": "jsonld", "rdf": "rdfxml",
                  "srj": "json", "srx": "xml", "application/json": "json", "text/plain": "ntriples"}
_ALIAS_MEDIA = {"application/json": "json", "text/plain": "ntriples", "application/xml": "xml",
                "text/xml": "xml"}


def _ranges(accept: str | None) -> list[str]:
    """Media ranges of an Accept header, best first (q, then order)."""
    ranges = []
    for i, part in enumerate((accept or "*/*").split(",")):
        fields = [f.strip() for f in part.split(";")]
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if fields[0] and q > 0:
            ranges.append((-q, i, fields[0].lower()))
    return [media for _, _, media in sorted(ranges)]


def prefers_html(accept: str | None) -> bool:
    """Whether a client (a browser) ranks text/html above every RDF and results type."""
    for media in _ranges(accept):
        if media in ("text/html", "application/xhtml+xml"):
            return True
        if media in RESULT_FORMATS.values() or media in GRAPH_FORMATS.values() or media == "*/*":
            return False
    return False


def negotiate(accept: str | None, fmt: str | None, kind: str) -> tuple[str, str] | None:
    """(format name, media type) for a result of ``kind`` ("results" or "graph"), or None (406).

    A ``format=`` parameter wins over ``Accept``, except where SPARQLWrapper sends ``format=xml``
    for a CONSTRUCT/DESCRIBE with ``Accept: application/rdf+xml``: "xml" then means RDF/XML.
    """
    table = RESULT_FORMATS if kind == "results" else GRAPH_FORMATS
    if fmt:
        name = FORMAT_ALIASES.get(fmt.lower(), fmt.lower())
        if kind == "graph" and name == "xml":
            name = "rdfxml"
        if name in table:
            return name, table[name]
        by_media = {v: k for k, v in table.items()}
        if fmt in by_media:
            return by_media[fmt], fmt
        if accept is None:
            return None
    for media in _ranges(accept):
        if media in ("*/*", "application/*", "text/*"):
            name = next(n for n, m in table.items() if media == "*/*" or m.startswith(media[:-1]))
            return name, table[name]
        name = _ALIAS_MEDIA.get(media) or next((n for n, m in table.items() if m == media), None)
        if kind == "graph" and name == "xml":
            name = "rdfxml"
        if name in table:
            return name, table[name]
    return None


def offered(kind: str) -> str:
    return ", ".join((RESULT_FORMATS if kind == "results" else GRAPH_FORMATS).values())


__all__ = ["RESULT_FORMATS", "GRAPH_FORMATS", "PYOX_FORMATS", "negotiate", "prefers_html", "offered"]
