"""The formats a resource is offered in, and content negotiation between them.

``Accept`` is parsed by Werkzeug (:class:`werkzeug.datastructures.MIMEAccept`: quality values,
wildcards, specificity); ``?format=`` names a format outright and wins over ``Accept``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header


@dataclass(frozen=True)
class Format:
    name: str  #: the ``?format=`` value
    media_type: str  #: what the response says it is
    extension: str  #: the static export's file suffix
    label: str  #: for the "other formats" links
    also: tuple[str, ...] = ()  #: other media types that choose this format

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.also)

    @property
    def prefixed(self) -> bool:
        """Whether a description in this format is written with kgpub's prefixes."""
        return self.name in ("turtle", "rdfxml")

    def empty(self, data: bytes) -> bool:
        """Whether ``data``, a graph pyoxigraph serialised in this format, holds no triple (Turtle
        and N-Triples: nothing, prefixes included; JSON-LD ``[]``; RDF/XML no element inside
        ``rdf:RDF``: the XML declaration and its two tags only)."""
        if self.name == "jsonld":
            return len(data) < 16 and data.strip() in (b"", b"[]", b"{}")
        if self.name == "rdfxml":
            return data.count(b"<", 0, 4096) <= 3 and len(data) < 4096
        return not data or data.isspace()


HTML = Format("html", "text/html", ".html", "HTML", ("application/xhtml+xml",))
TURTLE = Format("turtle", "text/turtle", ".ttl", "Turtle", ("application/x-turtle", "text/n3"))
NTRIPLES = Format("ntriples", "application/n-triples", ".nt", "N-Triples")
JSONLD = Format("jsonld", "application/ld+json", ".jsonld", "JSON-LD", ("application/json",))
RDFXML = Format("rdfxml", "application/rdf+xml", ".rdf", "RDF/XML", ("application/xml", "text/xml"))

#: In order of preference when the client accepts several equally (``*/*``: a page).
FORMATS: tuple[Format, ...] = (HTML, TURTLE, NTRIPLES, JSONLD, RDFXML)
RDF_FORMATS: tuple[Format, ...] = FORMATS[1:]
BY_NAME = {f.name: f for f in FORMATS}
_BY_MEDIA = {m: f for f in FORMATS for m in f.media_types}
_OFFERS = [m for f in FORMATS for m in f.media_types]


def negotiate(accept: str | None, format_name: str | None = None) -> Format | None:
    """The format to answer with, or None (406) when the client accepts none of them."""
    if format_name:
        return BY_NAME.get(format_name)
    if not accept or not accept.strip():
        return HTML
    return _by_accept(accept)


@lru_cache(maxsize=512)
def _by_accept(accept: str) -> Format | None:
    """The format ``accept`` chooses: parsed once per distinct header (Werkzeug's parse takes
    30-40 us, a tenth of a Turtle description's front-end time; clients send few distinct ones)."""
    best = parse_accept_header(accept, MIMEAccept).best_match(_OFFERS)
    return _BY_MEDIA.get(best) if best else None
