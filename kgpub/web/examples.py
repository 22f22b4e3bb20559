"""Example queries (``queries/*.rq``) as the SIB sparql-examples vocabulary describes them.

Each ``.rq`` file is one example: its leading ``#`` lines are its comment, the rest its query.
:func:`examples_graph` gives them as ``sh:SPARQLExecutable`` resources (``sh:select`` /
``sh:ask`` / ``sh:construct`` / ``spex:describe``, ``rdfs:comment``, ``schema:target``,
``sh:prefixes``), the form UniProt and the SIB endpoints publish at
``/.well-known/sparql-examples`` (https://github.com/sib-swiss/sparql-examples).
The query form is read by rdflib's SPARQL parser.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from ..paths import data_dir

SH = "http://www.w3.org/ns/shacl#"
SCHEMA = "https://schema.org/"  # the sparql-examples shapes use schema.org's https namespace
SPEX = "https://purl.expasy.org/sparql-examples/ontology#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
#: query form (rdflib algebra name) -> (class of the executable, property holding the text)
FORMS = {
    "SelectQuery": ("SPARQLSelectExecutable", SH + "select"),
    "AskQuery": ("SPARQLAskExecutable", SH + "ask"),
    "ConstructQuery": ("SPARQLConstructExecutable", SH + "construct"),
    "DescribeQuery": ("DescribeExecutable", SPEX + "describe"),
}
EXAMPLES_PATH = "/.well-known/sparql-examples"


@dataclass(frozen=True)
class Example:
    name: str  #: the file's stem
    comment: str  #: its leading comment lines
    query: str  #: the query text (without the comment)
    form: str  #: SelectQuery, AskQuery, ConstructQuery or DescribeQuery
    prefixes: tuple[tuple[str, str], ...]  #: PREFIX declarations, in order

    @property
    def title(self) -> str:
        first = self.comment.split(". ")[0].split("\n")[0]
        return first.removeprefix("Competency question: ").rstrip(".")


def read_example(path: Path) -> Example:
    from rdflib.plugins.sparql import prepareQuery  # imported when the examples are first read, not at start-up

    lines = path.read_text(encoding="utf-8").splitlines()
    comment: list[str] = []
    while lines and lines[0].startswith("#"):
        comment.append(lines.pop(0).lstrip("#").strip())
    query = "\n".join(lines).strip() + "\n"
    prepared = prepareQuery(query)
    prefixes = tuple((p, str(ns)) for p, ns in prepared.prologue.namespace_manager.namespaces()
                     if f"PREFIX {p}:" in query or f"prefix {p}:" in query)
    return Example(path.stem, " ".join(c for c in comment if c), query, prepared.algebra.name, prefixes)


@cache
def load_examples(folder: Path | None = None) -> tuple[Example, ...]:
    folder = folder or data_dir("queries")
    return tuple(read_example(p) for p in sorted(folder.glob("*.rq")))


def examples_graph(examples: tuple[Example, ...], *, base: str, endpoint: str | None) -> list[ox.Triple]:
    """The examples as triples: ``{base}{name}`` for each, ``schema:target <endpoint>`` (none
    when there is no endpoint: a static export without one)."""
    triples: list[ox.Triple] = []
    prefixes = ox.NamedNode(base + "prefixes")
    declared: dict[str, str] = {}
    for ex in examples:
        node = ox.NamedNode(base + ex.name)
        kind, text_property = FORMS[ex.form]
        triples += [
            ox.Triple(node, RDF_TYPE, ox.NamedNode(SH + "SPARQLExecutable")),
            ox.Triple(node, RDF_TYPE, ox.NamedNode((SPEX if kind == "DescribeExecutable" else SH) + kind)),
            ox.Triple(node, ox.NamedNode(RDFS + "comment"), ox.Literal(ex.comment or ex.name, language="en")),
            ox.Triple(node, ox.NamedNode(RDFS + "label"), ox.Literal(ex.title, language="en")),
            ox.Triple(node, ox.NamedNode(text_property), ox.Literal(ex.query)),
            ox.Triple(node, ox.NamedNode(SH + "prefixes"), prefixes),
        ]
        if endpoint:
            triples.append(ox.Triple(node, ox.NamedNode(SCHEMA + "target"), ox.NamedNode(endpoint)))
        declared.update(ex.prefixes)
    for prefix, namespace in sorted(declared.items()):
        decl = ox.BlankNode(f"prefix_{prefix}")
        triples += [
            ox.Triple(prefixes, ox.NamedNode(SH + "declare"), decl),
            ox.Triple(decl, ox.NamedNode(SH + "prefix"), ox.Literal(prefix)),
            ox.Triple(decl, ox.NamedNode(SH + "namespace"), ox.Literal(namespace, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#anyURI"))),
        ]
    return triples
