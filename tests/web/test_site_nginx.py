"""The nginx rules of the static export, for real: nginx (Debian) on 127.0.0.1 serving the exported
site with the two snippets kgpub site writes; the same IRI answers by Accept and ?format=."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import requests
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse

from conftest import AKT1, AKT1_PATH, BASE
from kgpub.web.export import SiteSettings, export_site
from live import free_port

pytestmark = pytest.mark.server
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
LABEL = Triple(NamedNode(AKT1), NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), Literal("AKT1"))


@pytest.fixture(scope="module")
def nginx(web_store, web_dist, tmp_path_factory):
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (make test-deps installs it)")
    folder = tmp_path_factory.mktemp("nginx")
    site = folder / "site"
    export_site(web_store, SiteSettings(BASE, web_dist, site))
    port = free_port()
    temp = "".join(f"{kind}_temp_path {folder}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (folder / "nginx.conf").write_text(f"""
{"user root;" if os.geteuid() == 0 else ""}
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    {temp}
    include {site}/-/host/nginx-http.conf;
    server {{
        listen 127.0.0.1:{port};
        root {site};
        include {site}/-/host/nginx-server.conf;
    }}
}}
""")
    proc = subprocess.Popen([NGINX, "-e", str(folder / "error.log"), "-p", str(folder), "-c", str(folder / "nginx.conf")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"nginx exited: {proc.stderr.read().decode(errors='replace')}"
                                   f"{(folder / 'error.log').read_text(errors='replace')}")
            try:
                requests.get(url + "/", timeout=1)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.parametrize("accept, media_type, rdf", [
    ("text/turtle", "text/turtle", RdfFormat.TURTLE),
    ("application/n-triples", "application/n-triples", RdfFormat.N_TRIPLES),
    ("application/ld+json", "application/ld+json", RdfFormat.JSON_LD),
    ("application/rdf+xml", "application/rdf+xml", RdfFormat.RDF_XML),
])
def test_an_iri_answers_with_its_description_by_accept(nginx, accept, media_type, rdf):
    r = requests.get(nginx + AKT1_PATH, headers={"Accept": accept}, timeout=10, allow_redirects=False)
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == media_type
    assert "Accept" in r.headers["vary"]
    assert LABEL in {q.triple for q in parse(r.content, format=rdf, base_iri=AKT1)}


def test_a_browser_gets_the_page_without_a_redirect(nginx):
    r = requests.get(nginx + AKT1_PATH, headers={"Accept": BROWSER}, timeout=10, allow_redirects=False)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "AKT1" in r.text and "default-src 'none'" in r.headers["content-security-policy"]


def test_format_parameter_wins_over_accept(nginx):
    r = requests.get(nginx + AKT1_PATH, params={"format": "ntriples"}, headers={"Accept": BROWSER}, timeout=10)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/n-triples")
    assert LABEL in {q.triple for q in parse(r.content, format=RdfFormat.N_TRIPLES)}


def test_files_and_unknown_paths(nginx):
    dump = requests.get(nginx + "/-/download/kg.ttl", headers={"Accept": "text/turtle"}, timeout=10)
    assert dump.status_code == 200 and len(dump.content) > 10_000
    examples = requests.get(nginx + "/.well-known/sparql-examples", headers={"Accept": "text/turtle"}, timeout=10)
    assert examples.status_code == 200 and b"SPARQLExecutable" in examples.content
    missing = requests.get(nginx + "/kg/garden/no/such/note", headers={"Accept": "text/turtle"}, timeout=10)
    assert missing.status_code == 404
