"""pyLODE documents the ontology kgpub writes: every skos:definition rendered as its term's
description, and the ontology's own title as the page's."""

from __future__ import annotations

import html5lib
import pytest
import rdflib
from pylode import OntPub
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

from kgpub.ontology import write_ontology

ONTOLOGY = rdflib.URIRef("https://w3id.org/kgpub/ontology")


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


@pytest.fixture(scope="module")
def documented(tmp_path_factory):
    out = tmp_path_factory.mktemp("pylode")
    write_ontology(out)
    graph = rdflib.Graph().parse(out / "ontology.ttl", format="turtle")
    return graph, html5lib.parse(OntPub(graph).make_html(), namespaceHTMLElements=False)


def rendered_descriptions(tree) -> dict[str, list[str]]:
    """term IRI -> the texts of the Description rows of its section."""
    out: dict[str, list[str]] = {}
    for section in tree.iter("div"):
        if "entity" not in section.get("class", "").split():
            continue
        rows = {_text(row.find("th")): row.find("td") for row in section.iter("tr") if row.find("th") is not None}
        if "IRI" in rows and "Description" in rows:
            out.setdefault(_text(rows["IRI"]), []).append(_text(rows["Description"]))
    return out


def test_every_definition_is_rendered(documented):
    graph, tree = documented
    definitions = {(str(s), " ".join(str(o).split())) for s, o in graph.subject_objects(SKOS.definition)}
    assert len(definitions) > 100
    rendered = rendered_descriptions(tree)
    shown = {(iri, text) for iri, text in definitions if any(text in d for d in rendered.get(iri, ()))}
    assert len(shown) == len(definitions), sorted(definitions - shown)[:5]


def test_the_title_is_the_ontologys(documented):
    graph, tree = documented
    assert list(graph.subjects(RDF.type, OWL.Ontology)) == [ONTOLOGY]
    title = str(graph.value(ONTOLOGY, DCTERMS.title))
    assert title == "kgpub ontology"
    assert _text(tree.find(".//title")) == title
    assert _text(tree.find(".//h1")) == title
