"""The SPARQL Service Description and VoID of the served dataset, built as terms (never as text).

The endpoint IRI comes from the configured public URL, or from the request: a Host header is used
only when it is a valid ``host[:port]`` (RFC 3986 reg-name, IPv4 or bracketed IPv6), and the IRI
is made by :class:`pyoxigraph.NamedNode`, so whatever a client sends, the answer is valid RDF.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pyoxigraph import BlankNode, Literal, NamedNode, Triple, serialize

from .media import PYOX_FORMATS

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_INTEGER = NamedNode("http://www.w3.org/2001/XMLSchema#integer")
_HOST = re.compile(r"(?:[A-Za-z0-9\-._~]|%[0-9A-Fa-f]{2})+|\[[0-9A-Fa-f:.]+\]")
_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
            "Turtle", "N-Triples", "JSON-LD", "RDF_XML")


def endpoint_url(public_url: str | None, scheme: str, host_header: str | None, fallback: str, path: str) -> str:
    """The endpoint's IRI: the public URL if configured, else scheme://Host/path when Host is valid."""
    if public_url:
        return public_url
    host = host_header or ""
    name, _, port = host.rpartition(":") if host.rfind(":") > host.rfind("]") else (host, "", "")
    if not (name and _HOST.fullmatch(name) and (not port or port.isdigit())):
        host = fallback
    return f"{'https' if scheme == 'https' else 'http'}://{host}{path}"


def _triples(endpoint: str, graphs: tuple[tuple[str, int], ...], update: bool, service: bool) -> list[Triple]:
    sd = lambda local: NamedNode(SD + local)  # noqa: E731
    void = lambda local: NamedNode(VOID + local)  # noqa: E731
    count = lambda n: Literal(str(n), datatype=XSD_INTEGER)  # noqa: E731
    service_node = NamedNode(endpoint)
    dataset = NamedNode(endpoint + "#dataset")
    default = BlankNode("default")
    out = [Triple(service_node, RDF_TYPE, sd("Service")), Triple(service_node, sd("endpoint"), service_node),
           Triple(service_node, sd("supportedLanguage"), sd("SPARQL11Query")),
           Triple(service_node, sd("feature"), sd("UnionDefaultGraph")),
           Triple(service_node, sd("defaultDataset"), dataset),
           Triple(dataset, RDF_TYPE, sd("Dataset")), Triple(dataset, RDF_TYPE, void("Dataset")),
           Triple(dataset, void("sparqlEndpoint"), service_node),
           Triple(dataset, void("triples"), count(sum(n for _, n in graphs))),
           Triple(dataset, void("graphCount"), count(len(graphs))),
           Triple(dataset, sd("defaultGraph"), default), Triple(default, RDF_TYPE, sd("Graph")),
           Triple(default, void("triples"), count(sum(n for _, n in graphs)))]
    if update:
        out.append(Triple(service_node, sd("supportedLanguage"), sd("SPARQL11Update")))
    if service:
        out.append(Triple(service_node, sd("feature"), sd("BasicFederatedQuery")))
    out += [Triple(service_node, sd("resultFormat"), NamedNode("http://www.w3.org/ns/formats/" + f)) for f in _FORMATS]
    for i, (iri, n) in enumerate(graphs):
        named, graph = BlankNode(f"n{i}"), BlankNode(f"g{i}")
        out += [Triple(dataset, sd("namedGraph"), named), Triple(named, sd("name"), NamedNode(iri)),
                Triple(named, sd("graph"), graph), Triple(graph, RDF_TYPE, sd("Graph")),
                Triple(graph, void("triples"), count(n))]
    return out


class ServiceDescription:
    """Serialised descriptions, cached per (endpoint IRI, format)."""

    def __init__(self, graphs: tuple[tuple[str, int], ...], *, update: bool, service: bool):
        self.graphs, self.update, self.service = graphs, update, service
        self.render = lru_cache(maxsize=32)(self._render)

    def _render(self, endpoint: str, fmt: str) -> bytes:
        return serialize(_triples(endpoint, self.graphs, self.update, self.service), format=PYOX_FORMATS[fmt],
                         prefixes={"sd": SD, "void": VOID} if fmt == "turtle" else None)


__all__ = ["ServiceDescription", "endpoint_url"]
