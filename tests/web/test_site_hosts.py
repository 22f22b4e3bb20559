"""The host rules of the static export, for real: the exported site served by nginx (the two snippets
kgpub site writes) and by Apache (its ``.htaccess``) on 127.0.0.1; the same IRI answers by Accept
and ``?format=``, a browser gets the page, files are files and unknown paths 404."""

from __future__ import annotations

import pytest
import requests
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse

import static_hosts
from webgarden import AKT1, AKT1_PATH

pytestmark = pytest.mark.server
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
LABEL = Triple(NamedNode(AKT1), NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), Literal("AKT1"))


@pytest.fixture(scope="module", params=["nginx", "apache"])
def host(request, web_store, web_dist, tmp_path_factory):
    if request.param == "nginx":
        server = static_hosts.nginx(web_store, web_dist, tmp_path_factory.mktemp("nginx"))
    else:
        server = static_hosts.apache(web_store, web_dist)
    with server as url:
        yield url


@pytest.mark.parametrize("accept, media_type, rdf", [
    ("text/turtle", "text/turtle", RdfFormat.TURTLE),
    ("application/n-triples", "application/n-triples", RdfFormat.N_TRIPLES),
    ("application/ld+json", "application/ld+json", RdfFormat.JSON_LD),
    ("application/rdf+xml", "application/rdf+xml", RdfFormat.RDF_XML),
])
def test_an_iri_answers_with_its_description_by_accept(host, accept, media_type, rdf):
    r = requests.get(host + AKT1_PATH, headers={"Accept": accept}, timeout=10, allow_redirects=False)
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == media_type
    assert "Accept" in r.headers["vary"]
    assert LABEL in {q.triple for q in parse(r.content, format=rdf, base_iri=AKT1)}


def test_a_browser_gets_the_page_without_a_redirect(host):
    r = requests.get(host + AKT1_PATH, headers={"Accept": BROWSER}, timeout=10, allow_redirects=False)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "AKT1" in r.text and "default-src 'none'" in r.headers["content-security-policy"]


def test_format_parameter_wins_over_accept(host):
    r = requests.get(host + AKT1_PATH, params={"format": "ntriples"}, headers={"Accept": BROWSER}, timeout=10)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/n-triples")
    assert LABEL in {q.triple for q in parse(r.content, format=RdfFormat.N_TRIPLES)}


def test_files_and_unknown_paths(host):
    assert requests.get(host + "/", timeout=10).status_code == 200
    dump = requests.get(host + "/-/download/kg.ttl", headers={"Accept": "text/turtle"}, timeout=10)
    assert dump.status_code == 200 and len(dump.content) > 10_000
    examples = requests.get(host + "/.well-known/sparql-examples", headers={"Accept": "text/turtle"}, timeout=10)
    assert examples.status_code == 200 and b"SPARQLExecutable" in examples.content
    missing = requests.get(host + "/kg/garden/no/such/note", headers={"Accept": "text/turtle"}, timeout=10)
    assert missing.status_code == 404
