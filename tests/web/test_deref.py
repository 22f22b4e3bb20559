"""Dereferencing: every IRI of the build answers with its description, by Accept or ?format=."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
import rdflib

from webgarden import AKT1, AKT1_PATH, BASE

KGO = "https://w3id.org/kgpub/ontology/"
PTEN = BASE + "garden/dev_admin/gene/pten"
NOTE = BASE + "note/garden/dev_admin/gene/akt1"


def triples(body: bytes, media_type: str) -> set[ox.Triple]:
    return {q.triple for q in ox.parse(body, ox.RdfFormat.from_media_type(media_type))}


@pytest.mark.parametrize("media_type", ["text/turtle", "application/n-triples", "application/ld+json",
                                        "application/rdf+xml"])
def test_each_rdf_format_by_accept(client, media_type):
    r = client.get(AKT1_PATH, headers={"Accept": media_type})
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == media_type
    assert r.headers["vary"] == "Accept"
    got = triples(r.content, media_type)
    akt1 = ox.NamedNode(AKT1)
    assert ox.Triple(akt1, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("AKT1")) in got
    assert ox.Triple(akt1, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(KGO + "Gene")) in got


def test_format_parameter_wins_and_content_location(client):
    r = client.get(AKT1_PATH + "?format=turtle", headers={"Accept": "text/html"})
    assert r.headers["content-type"].startswith("text/turtle")
    assert "content-location" not in r.headers  # the URL already names the format
    negotiated = client.get(AKT1_PATH, headers={"Accept": "application/n-triples"})
    assert negotiated.headers["content-location"] == AKT1_PATH + "?format=ntriples"
    links = negotiated.headers["link"]
    assert f'<{AKT1_PATH}?format=turtle>; rel="alternate"; type="text/turtle"' in links
    assert f'<{AKT1_PATH}>; rel="alternate"; type="text/html"' in links


def test_browser_gets_html(client):
    r = client.get(AKT1_PATH, headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert "<h1>AKT1</h1>" in r.text
    assert "default-src 'none'" in r.headers["content-security-policy"]


def test_unknown_iri_404_and_unacceptable_406(client):
    assert client.get("/kg/garden/nobody/here", headers={"Accept": "text/turtle"}).status_code == 404
    assert client.get("/kg/garden/nobody/here").status_code == 404
    r = client.get(AKT1_PATH, headers={"Accept": "image/png"})
    assert r.status_code == 406


def test_description_holds_axioms_incoming_edges_and_labels(client):
    r = client.get(AKT1_PATH, headers={"Accept": "text/turtle"})
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    akt1, pten = rdflib.URIRef(AKT1), rdflib.URIRef(PTEN)
    # incoming edge with its subject's label
    assert (pten, rdflib.URIRef(KGO + "inhibits"), akt1) in g
    assert (pten, rdflib.RDFS.label, rdflib.Literal("PTEN")) in g
    # the axiom of an outgoing edge: note text, evidence, source line, note
    rows = list(g.query("""
        PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX kgo: <https://w3id.org/kgpub/ontology/>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?comment ?evidence ?line ?note WHERE {
          ?a owl:annotatedSource ?s ; owl:annotatedProperty kgo:inhibits ; owl:annotatedTarget ?t ;
             rdfs:comment ?comment ; kgo:sourceLine ?line ; prov:wasDerivedFrom ?note .
          OPTIONAL { ?a kgo:evidence ?evidence }
          FILTER(?s = ?akt1) } """, initBindings={"akt1": akt1}))
    comments = {str(row.comment): (str(row.evidence) if row.evidence else None, int(row.line)) for row in rows}
    assert comments["Phosphorylates Ser83, PMID:11154276"] == (BASE + "publication/pubmed/11154276", 39)
    assert NOTE in {str(row.note) for row in rows}


def test_note_graph_iri_answers_with_its_graph(client, web_store):
    r = client.get("/kg/note/garden/dev_admin/gene/akt1", headers={"Accept": "application/n-triples"})
    assert r.status_code == 200
    got = triples(r.content, "application/n-triples")
    graph = {q.triple for q in web_store.quads_for_pattern(None, None, None, ox.NamedNode(NOTE))}
    assert graph <= got
    assert len(graph) > 50


def test_ontology_iri_and_terms_dereference(client):
    onto = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert onto.status_code == 200
    g = rdflib.Graph().parse(data=onto.text, format="turtle")
    assert (rdflib.URIRef("https://w3id.org/kgpub/ontology"), rdflib.RDF.type, rdflib.OWL.Ontology) in g
    assert (rdflib.URIRef(KGO + "Gene"), rdflib.RDF.type, rdflib.OWL.Class) in g
    term = client.get("/ontology/inhibits", headers={"Accept": "text/turtle"})
    tg = rdflib.Graph().parse(data=term.text, format="turtle")
    assert (rdflib.URIRef(KGO + "inhibits"), rdflib.RDF.type, rdflib.OWL.ObjectProperty) in tg
    page = client.get("/ontology/inhibits")
    assert page.status_code == 200 and "<h1>inhibits</h1>" in page.text


def test_external_iri_of_the_store_dereferences(client):
    # AKT1 is skos:exactMatch NCBI gene 207: that IRI gets a page listing the garden resource.
    r = client.get("/-/external/https/www.ncbi.nlm.nih.gov/gene/207", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    assert (rdflib.URIRef(AKT1), rdflib.SKOS.exactMatch, rdflib.URIRef("https://www.ncbi.nlm.nih.gov/gene/207")) in g
    redirect = client.get("/-/resource?iri=https://www.ncbi.nlm.nih.gov/gene/207", follow_redirects=False)
    assert redirect.status_code == 303
    assert redirect.headers["location"] == "/-/external/https/www.ncbi.nlm.nih.gov/gene/207"


def test_jsonld_is_json_with_the_iri(client):
    r = client.get(AKT1_PATH + "?format=jsonld")
    data = json.loads(r.text)
    ids = {node.get("@id") for node in (data if isinstance(data, list) else data.get("@graph", [data]))}
    assert AKT1 in ids
