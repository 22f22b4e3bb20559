"""The pages app served by `kgpub serve` itself (one process, one executor pool): IRIs dereference
through the real server, a browser's GET /sparql gets the query page, SPARQL still answers."""

from __future__ import annotations

import pytest
import requests
from pyoxigraph import NamedNode, RdfFormat, parse

from webgarden import AKT1, AKT1_PATH
from live import KgpubServe

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def served(web_dist, tmp_path_factory):
    with KgpubServe(web_dist, tmp_path_factory.mktemp("served-pages")) as serve:
        yield serve.url


def test_an_iri_dereferences_through_kgpub_serve(served):
    answer = requests.get(served + AKT1_PATH, headers={"Accept": "text/turtle"}, timeout=30)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/turtle")
    assert answer.headers["vary"] == "Accept"
    assert answer.headers["x-content-type-options"] == "nosniff"
    cors = [v for k, v in answer.raw.headers.items() if k.lower() == "access-control-allow-origin"]
    assert cors == ["*"]  # once: browsers refuse a repeated Access-Control-Allow-Origin
    subjects = {t.subject for t in parse(answer.content, format=RdfFormat.TURTLE, base_iri=served + AKT1_PATH)}
    assert NamedNode(AKT1) in subjects


def test_pages_and_the_endpoint_share_the_server(served):
    page = requests.get(served + "/sparql", headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "content-security-policy" in page.headers
    landing = requests.get(served + "/", headers={"Accept": "text/html"}, timeout=30)
    assert landing.status_code == 200 and "AKT1" in requests.get(served + AKT1_PATH, timeout=30).text
    ask = requests.get(served + "/sparql", params={"query": f"ASK {{ <{AKT1}> ?p ?o }}"},
                       headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert ask.status_code == 200 and ask.json()["boolean"] is True
    assert requests.get(served + "/kg/garden/no/such/note", timeout=30).status_code == 404


@pytest.mark.parametrize("fmt", [None, "turtle", "json-ld", "xml"])
def test_rdflib_parses_an_iri_from_kgpub_serve(served, fmt):
    """What a linked-data client does: rdflib's Graph().parse(url) negotiates and reads the description."""
    import rdflib
    from rdflib.namespace import RDF, RDFS

    graph = rdflib.Graph().parse(served + AKT1_PATH, format=fmt)
    akt1 = rdflib.URIRef(AKT1)
    assert (akt1, RDFS.label, rdflib.Literal("AKT1")) in graph
    assert (akt1, RDF.type, rdflib.URIRef("https://w3id.org/kgpub/ontology/Gene")) in graph


def test_names_and_search_come_from_the_label_index_over_the_executor_pool(served):
    page = requests.get(served + AKT1_PATH, headers={"Accept": "text/html"}, timeout=60).text
    pten = AKT1.rsplit("/", 1)[0] + "/pten"
    assert f'<a href="/kg/garden/dev_admin/gene/pten" title="{pten}">PTEN</a>' in page
    hits = requests.get(served + "/-/search.json", params={"q": "akt"}, timeout=60).json()
    assert {"iri": AKT1, "label": "AKT1", "href": AKT1_PATH} in hits
