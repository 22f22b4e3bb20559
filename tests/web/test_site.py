"""The static export (kgpub site): pages and one file per resource and format, from the same
Pages as the server; schema.org snippets; a crawl of the site served as plain files; host rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS
from starlette.staticfiles import StaticFiles

from webgarden import AKT1, BASE, XSS_LABEL
from kgpub.web.export import SiteSettings, export_site
from live import ThreadedUvicorn, crawl

AKT1_FILES = Path("kg/garden/dev_admin/gene/akt1")
SCHEMA = "https://schema.org/"
FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".rdf": "xml"}


def export(store, dist, out: Path, **options) -> Path:
    report = export_site(store, SiteSettings(BASE, dist, out, **options))
    assert report.resources > 100 and not report.problems
    return out


@pytest.fixture(scope="module")
def site(web_store, web_dist, tmp_path_factory) -> Path:
    return export(web_store, web_dist, tmp_path_factory.mktemp("site"), page_size=3)


@pytest.mark.parametrize("suffix", sorted(FORMATS))
def test_each_format_file_holds_the_description(site, suffix):
    path = site / AKT1_FILES.with_name("akt1" + suffix)
    graph = rdflib.Graph().parse(path, format=FORMATS[suffix], publicID=AKT1)
    assert (URIRef(AKT1), RDFS.label, Literal("AKT1")) in graph
    assert (URIRef(AKT1), RDF.type, URIRef("https://w3id.org/kgpub/ontology/Gene")) in graph
    # incoming edges are part of the description, as from the server
    assert (None, None, URIRef(AKT1)) in graph


def test_the_page_is_the_servers_page_with_file_links(site):
    page = (site / AKT1_FILES / "index.html").read_text(encoding="utf-8")
    assert "<h1>AKT1</h1>" in page or ">AKT1<" in page
    assert 'href="/kg/garden/dev_admin/gene/akt1.ttl"' in page
    assert 'href="/kg/garden/dev_admin/gene/akt1.jsonld"' in page
    assert "?format=" not in page and 'action="/-/search"' in page  # the static search page
    assert "https://www.ncbi.nlm.nih.gov/gene/207" in page  # identifiers as on the server


def test_hostile_label_is_escaped_in_the_static_page(site):
    page = (site / "kg/garden/dev_admin/gene/xss/index.html").read_text(encoding="utf-8")
    assert XSS_LABEL not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_class_lists_are_paged_into_files(site):
    first = (site / "ontology/Gene/index.html").read_text(encoding="utf-8")
    assert 'href="/ontology/Gene/page-2"' in first
    second = (site / "ontology/Gene/page-2/index.html").read_text(encoding="utf-8")
    assert 'rel="prev" href="/ontology/Gene"' in second


def test_without_an_endpoint_the_query_page_is_left_out_with_a_note(site):
    assert not (site / "sparql").exists()
    landing = (site / "index.html").read_text(encoding="utf-8")
    assert 'id="no-endpoint"' in landing and 'href="/sparql' not in landing
    examples = rdflib.Graph().parse(site / ".well-known/sparql-examples.ttl", format="turtle")
    assert len(set(examples.subjects(RDF.type, URIRef("http://www.w3.org/ns/shacl#SPARQLExecutable")))) >= 5
    assert not set(examples.objects(None, URIRef(SCHEMA + "target")))


def test_with_an_endpoint_the_query_page_points_at_it(web_store, web_dist, tmp_path):
    out = export(web_store, web_dist, tmp_path / "site", endpoint="https://sparql.example.org/kg")
    page = (out / "sparql/index.html").read_text(encoding="utf-8")
    assert 'data-endpoint="https://sparql.example.org/kg"' in page
    assert "connect-src 'self' https://sparql.example.org;" in (out / "_headers").read_text()
    examples = rdflib.Graph().parse(out / ".well-known/sparql-examples.ttl", format="turtle")
    assert set(examples.objects(None, URIRef(SCHEMA + "target"))) == {URIRef("https://sparql.example.org/kg")}


@pytest.mark.parametrize("key, schema_type", [("garden/dev_admin/gene/akt1", "Gene"),
                                               ("garden/dev_admin/protein/akt1-protein", "Protein"),
                                               ("garden/dev_admin/condition/type-2-diabetes", "MedicalCondition"),
                                               ("garden/dev_admin/hormone/insulin", "MolecularEntity"),
                                               ("garden/dev_admin/reference/kim-2001-akt-ask1", "ScholarlyArticle")])
def test_schema_org_snippet_per_note(site, key, schema_type):
    index = json.loads((site / "-/schema/index.json").read_text())
    snippet_path = site / index[key]["snippet"].lstrip("/")
    data = json.loads(snippet_path.read_text(encoding="utf-8"))
    assert data["@type"] == schema_type
    graph = rdflib.Graph().parse(snippet_path, format="json-ld")
    subject = URIRef(data["@id"])
    assert (subject, RDF.type, URIRef(SCHEMA + schema_type)) in graph
    assert (subject, URIRef(SCHEMA + "name"), None) in graph


def test_gene_snippet_content(site):
    data = json.loads((site / "-/schema/garden/dev_admin/gene/akt1.jsonld").read_text(encoding="utf-8"))
    assert data["@id"] == AKT1 and data["name"] == "AKT1"
    assert "ncbigene:207" in data["identifier"]
    assert "https://www.ncbi.nlm.nih.gov/gene/207" in data["sameAs"]


def test_crawl_of_the_static_site_has_no_broken_links(site):
    with ThreadedUvicorn(StaticFiles(directory=site, html=True)) as server:
        seen = crawl(server.url + "/", depth=3)
    broken = {u: s for u, s in seen.items() if s != 200}
    assert len(seen) > 100
    assert broken == {}
    assert any(u.endswith(".ttl") for u in seen) and any(u.endswith("/index.html") is False and "/kg/garden/" in u for u in seen)


def test_kgpub_site_command(web_dist, tmp_path, capsys):
    from kgpub.cli import main

    out = tmp_path / "site"
    assert main(["site", str(web_dist), "--out", str(out), "--store", str(tmp_path / "store"), "--quiet",
                 "--endpoint", "https://sparql.example.org/kg"]) == 0
    assert "schema.org snippets" in capsys.readouterr().err
    for name in (".htaccess", "_headers", "_redirects", "-/host/nginx-http.conf", "-/host/nginx-server.conf",
                 "sparql/index.html", "-/download/kg.nq", "-/static/kgpub.css", "404.html"):
        assert (out / name).is_file(), name
    graph = rdflib.Graph().parse(out / AKT1_FILES.with_name("akt1.ttl"), format="turtle")
    assert (URIRef(AKT1), RDFS.label, Literal("AKT1")) in graph


def test_an_iri_that_cannot_be_a_file_is_reported_and_skipped(web_dist, tmp_path):
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(web_dist / "kg.nq"), format=ox.RdfFormat.N_QUADS)
    evil = ox.NamedNode("http://evil.example/a/../../../outside")
    store.add(ox.Quad(ox.NamedNode(AKT1), ox.NamedNode("http://www.w3.org/2004/02/skos/core#relatedMatch"), evil,
                      ox.NamedNode(BASE + "note/garden/dev_admin/gene/akt1")))
    out = tmp_path / "site"
    report = export_site(store, SiteSettings(BASE, web_dist, out))
    assert [p for p in report.problems if "/-/external/http/evil.example/a/../../../outside" in p and "skipped" in p]
    assert not (tmp_path / "outside").exists() and not list(tmp_path.glob("**/outside*"))
    assert (out / AKT1_FILES / "index.html").is_file()  # the rest is written


def test_a_resource_whose_query_fails_is_reported_and_the_rest_written(web_store, web_dist, tmp_path, monkeypatch):
    from kgpub.serve.backend import QueryFailed
    from kgpub.web.pages import Pages

    triples = Pages.triples

    async def failing(self, iri):
        if iri == AKT1:
            raise QueryFailed("query timed out", status=503)
        return await triples(self, iri)

    monkeypatch.setattr(Pages, "triples", failing)
    out = tmp_path / "site"
    report = export_site(web_store, SiteSettings(BASE, web_dist, out))
    assert report.problems == ["/kg/garden/dev_admin/gene/akt1: query timed out; skipped"]
    assert not (out / AKT1_FILES).exists()
    assert (out / "kg/garden/dev_admin/gene/foxo1/index.html").is_file()


def test_search_files_split_labels_by_prefix(site):
    entries = json.loads((site / "-/search/prefix" / ("ak".encode("utf-8").hex() + ".json")).read_text(encoding="utf-8"))
    assert ["akt1", "AKT1", "/" + AKT1_FILES.as_posix(), AKT1] in entries
    assert all(folded.startswith("ak") for folded, *_ in entries)
    assert [e[0] for e in entries] == sorted(e[0] for e in entries)
    hostile = json.loads((site / "-/search/prefix" / ("<s".encode("utf-8").hex() + ".json")).read_text(encoding="utf-8"))
    assert {e[1] for e in hostile} == {XSS_LABEL}  # JSON text: the script shows it with textContent
    page = (site / "-/search/index.html").read_text(encoding="utf-8")
    assert 'data-index="/-/search/prefix/"' in page and 'src="/-/static/search.js"' in page
    assert (site / "-/static/search.js").is_file()


def test_snippet_dates_from_a_date_time_and_from_a_day_alone(site):
    """FOXO1's note gives its update as a date-time (dcterms:modified) and its creation as a day alone
    (kgo:createdOn): the snippet carries both, as the note wrote them."""
    data = json.loads((site / "-/schema/garden/dev_admin/gene/foxo1.jsonld").read_text(encoding="utf-8"))
    assert data["dateCreated"] == "2026-02-13"
    assert data["dateModified"] == "2026-02-13T14:57:56.812Z"
