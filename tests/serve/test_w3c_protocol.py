"""The W3C SPARQL 1.1 Protocol tests (../shared/conformance/sparql11-protocol/manifest.ttl) against
`kgpub serve`: the query tests on a read-only server holding data1-3.nt, the update tests on a
server started with --allow-update (requests carry the bearer token)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
from pyoxigraph import RdfFormat, parse
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from serving import TOKEN, serve, write_graphs_dist

pytestmark = pytest.mark.conformance  # run by `make conformance` (the W3C suite), not by `make test`

SUITE = Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "sparql11-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")


def _tests() -> list[tuple[str, list[dict]]]:
    g = Graph().parse(SUITE / "manifest.ttl", format="turtle", publicID="http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest")
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    out = []
    for test in Collection(g, g.value(manifest, MF.entries)):
        name = str(test).rsplit("#", 1)[1]
        action = g.value(test, MF.action)
        requests_ = []
        for req in Collection(g, g.value(action, HT.requests)):
            headers = {}
            hlist = g.value(req, HT.headers)
            if hlist is not None:
                for h in Collection(g, hlist):
                    headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
            body, encoding = None, "UTF-8"
            b = g.value(req, HT.body)
            if b is not None:
                body, encoding = str(g.value(b, CNT.chars)), str(g.value(b, CNT.characterEncoding))
            resp = g.value(req, HT.resp)
            statuses = {str(s).rsplit("#", 1)[1] for s in g.objects(resp, MF.expectedStatus)}
            boolean = g.value(resp, MF.expectedBoolean)
            fmt = g.value(resp, MF.expectedFormat)
            requests_.append({"path": str(g.value(req, HT.absolutePath)), "method": str(g.value(req, HT.methodName)),
                              "headers": headers, "body": body, "encoding": encoding, "statuses": statuses,
                              "boolean": None if boolean is None else boolean.toPython(),
                              "format": None if fmt is None else str(fmt)})
        out.append((name, requests_))
    return out


TESTS = _tests()
QUERY_TESTS = [t for t in TESTS if "update" not in t[0]]
UPDATE_TESTS = [t for t in TESTS if "update" in t[0]]


def test_the_suite_has_34_tests():
    assert len(TESTS) == 34 and len(QUERY_TESTS) == 20 and len(UPDATE_TESTS) == 14


def _data_dist(folder: Path) -> Path:
    graphs = {}
    for i in (1, 2, 3):
        lines = [line.rstrip(" .\n") for line in (SUITE / f"data{i}.nt").read_text().splitlines() if line.strip()]
        graphs[f"http://kasei.us/2009/09/sparql/data/data{i}.rdf"] = lines
    return write_graphs_dist(folder, graphs)


@pytest.fixture(scope="module")
def read_only(tmp_path_factory):
    root = tmp_path_factory.mktemp("w3c-ro")
    served = serve(_data_dist(root / "dist"), root / "serve")
    yield served
    served.stop()


@pytest.fixture(scope="module")
def updatable(tmp_path_factory):
    root = tmp_path_factory.mktemp("w3c-rw")
    served = serve(_data_dist(root / "dist"), root / "serve", update=True)
    yield served
    served.stop()


def _check(response: requests.Response, expected: dict) -> None:
    klass = f"StatusCode{response.status_code // 100}xx"
    assert klass in expected["statuses"], (response.status_code, response.text[:300])
    if response.status_code >= 300:
        return
    ctype = response.headers.get("Content-Type", "").split(";")[0]
    if expected["format"] in ("boolean", "tabular"):
        assert ctype in ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                         "text/tab-separated-values"), ctype
    if expected["format"] == "boolean" or expected["boolean"] is not None:
        if ctype.endswith("json"):
            value = json.loads(response.text)["boolean"]
        else:
            value = "<boolean>true</boolean>" in response.text
        assert value is expected["boolean"] or expected["boolean"] is None
    if expected["format"] == "RDF":
        fmt = {"text/turtle": RdfFormat.TURTLE, "application/n-triples": RdfFormat.N_TRIPLES,
               "application/rdf+xml": RdfFormat.RDF_XML}[ctype]
        list(parse(response.content, format=fmt))


def _run(served, steps: list[dict], token: bool) -> None:
    with requests.Session() as session:
        for step in steps:
            path = step["path"].replace("/sparql/", "/sparql", 1) if step["path"].startswith("/sparql/?") else step["path"]
            headers = dict(step["headers"])
            if token:
                headers["Authorization"] = f"Bearer {TOKEN}"
            data = None
            if step["body"] is not None:
                data = step["body"].encode("utf-16" if step["encoding"].upper() == "UTF-16" else "utf-8")
            r = session.request(step["method"], served.server.base_url + path, data=data, headers=headers, timeout=30)
            _check(r, step)


@pytest.mark.parametrize("name,steps", QUERY_TESTS, ids=[t[0] for t in QUERY_TESTS])
def test_query_protocol(read_only, name, steps):
    _run(read_only, steps, token=False)


@pytest.mark.parametrize("name,steps", UPDATE_TESTS, ids=[t[0] for t in UPDATE_TESTS])
def test_update_protocol(updatable, name, steps):
    _run(updatable, steps, token=True)
