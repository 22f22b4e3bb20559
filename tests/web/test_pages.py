"""Content of the pages app's other pages: example queries (HTML and the sparql-examples RDF,
each example run), the SHACL report per note, class lists paged, search by label prefix."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
import rdflib
from starlette.testclient import TestClient

from webgarden import AKT1, BASE, XSS_LABEL, make_app
from kgpub.web.search import LabelIndex, fold

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
SCHEMA = rdflib.Namespace("https://schema.org/")


@pytest.fixture(scope="module")
def paged(web_store, web_dist) -> TestClient:
    return TestClient(make_app(web_store, web_dist, page_size=2))


def test_examples_page_lists_every_example_with_its_query(client):
    page = client.get("/.well-known/sparql-examples", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'id="genes_and_identifiers"' in page.text
    assert "SELECT" in page.text and "/sparql?edit=" in page.text


def test_sparql_examples_rdf_and_every_example_runs(client, web_store):
    r = client.get("/.well-known/sparql-examples", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    examples = set(g.subjects(rdflib.RDF.type, SH.SPARQLExecutable))
    assert len(examples) >= 5
    rows: dict[str, int] = {}
    for ex in examples:
        assert g.value(ex, rdflib.RDFS.comment) is not None
        assert g.value(ex, SCHEMA.target) == rdflib.URIRef("http://testserver/sparql")
        text = g.value(ex, SH.select) or g.value(ex, SH.ask) or g.value(ex, SH.construct)
        assert text is not None, ex
        result = web_store.query(str(text), use_default_graph_as_union=True)  # runs: parses and evaluates
        rows[str(ex).rsplit("/", 1)[-1]] = len(list(result)) if isinstance(result, ox.QuerySolutions) else 1
    assert rows["genes_and_identifiers"] >= 5  # the example garden's genes


def test_validation_report_per_note(client):
    index = client.get("/-/validation")
    assert index.status_code == 200
    assert 'href="/-/validation/gene/akt1.md"' in index.text
    note = client.get("/-/validation/gene/akt1.md")
    assert note.status_code == 200
    rows = re.findall(r'<tr class="sev-(\w+)"><td class="num">(\d*)</td>', note.text)
    assert ("warning", "32") in rows  # gene/akt1.md:32: the link to PI3K has no published note
    assert "https://example.org/kg/unresolved/pi3k" in note.text or "/kg/unresolved/pi3k" in note.text
    assert client.get("/-/validation/gene/no-such.md").status_code == 404


def test_note_page_shows_its_validation_results(client):
    page = client.get("/kg/note/garden/dev_admin/gene/akt1", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "Validation" in page.text and 'class="sev-warning"' in page.text


def test_class_list_is_paged(paged):
    first = paged.get("/ontology/Gene", headers={"Accept": "text/html"})
    assert first.status_code == 200
    assert 'rel="next" href="/ontology/Gene?page=2"' in first.text
    items = lambda html: set(re.findall(r'href="(/kg/garden/dev_admin/gene/[^"?]+)"', html.split('rel="next"')[0].split("<h2>Instances")[-1]))
    second = paged.get("/ontology/Gene?page=2", headers={"Accept": "text/html"})
    assert 'rel="prev" href="/ontology/Gene"' in second.text
    assert items(first.text) and items(second.text) and not items(first.text) & items(second.text)


def test_search_by_label_prefix(client):
    page = client.get("/-/search", params={"q": "akt"})
    assert page.status_code == 200 and 'href="/kg/garden/dev_admin/gene/akt1"' in page.text
    hits = client.get("/-/search.json", params={"q": "AKT1"}).json()
    assert {"iri": AKT1, "label": "AKT1", "href": "/kg/garden/dev_admin/gene/akt1"} in hits
    hostile = client.get("/-/search", params={"q": "<script"})
    assert XSS_LABEL not in hostile.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile.text


def test_pages_name_neighbours_from_the_label_index_built_anew_after_a_change(web_dist):
    from kgpub.serve.backend import LocalBackend
    from kgpub.web.app import create_pages_app
    from kgpub.web.pages import PagesSettings


    store = ox.Store()
    store.bulk_load(path=str(web_dist / "kg.nq"), format=ox.RdfFormat.N_QUADS)
    backend = LocalBackend(store)
    client = TestClient(create_pages_app(backend, PagesSettings(BASE, dist=web_dist)))
    pten = BASE + "garden/dev_admin/gene/pten"
    link = f'<a href="/kg/garden/dev_admin/gene/pten" title="{pten}">'
    page = client.get("/kg/garden/dev_admin/gene/akt1", headers={"Accept": "text/html"}).text
    assert link + "PTEN</a>" in page
    store.update(f'DELETE {{ GRAPH ?g {{ <{pten}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }} }} '
                 f'INSERT {{ GRAPH ?g {{ <{pten}> <http://www.w3.org/2000/01/rdf-schema#label> "PTEN renamed" }} }} '
                 f'WHERE {{ GRAPH ?g {{ <{pten}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }} }}')
    assert link + "PTEN</a>" in client.get("/kg/garden/dev_admin/gene/akt1", headers={"Accept": "text/html"}).text
    backend.generation += 1  # what the server's pool does at an update or a reload
    page = client.get("/kg/garden/dev_admin/gene/akt1", headers={"Accept": "text/html"}).text
    assert link + "PTEN renamed</a>" in page and link + "PTEN</a>" not in page


def test_search_matches_labels_whatever_their_case_mapping():
    """One fold for labels and queries (the static site's script computes the same): "ß" meets "SS"."""
    index = LabelIndex([("urn:a", "Straße-Kinase", 0), ("urn:b", "STRESS granule", 0), ("urn:c", "Ǆemal", 0)])
    assert [h.iri for h in index.prefix("STRASSE")[0]] == ["urn:a"]
    assert [h.iri for h in index.prefix("straße-k")[0]] == ["urn:a"]
    assert [h.iri for h in index.prefix("ǆe")[0]] == ["urn:c"]
    assert sorted(index.by_prefix(2)) == ["st", "ǆe"]
    assert fold("Straße") == "strasse" and fold("Ǆ") == "ǆ" and fold("e\u0301") == "\u00e9"
