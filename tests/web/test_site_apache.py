"""The Apache rules of the static export (.htaccess), for real: Debian's apache2 on 127.0.0.1 with
mod_rewrite, mod_headers and mod_mime, the exported site as its document root (AllowOverride All)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse

from conftest import AKT1, AKT1_PATH, BASE
from kgpub.web.export import SiteSettings, export_site
from live import free_port

pytestmark = pytest.mark.server
APACHE = "/usr/sbin/apache2"
MODULES = Path("/usr/lib/apache2/modules")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
LABEL = Triple(NamedNode(AKT1), NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), Literal("AKT1"))


@pytest.fixture(scope="module")
def apache(web_store, web_dist):
    if not Path(APACHE).exists():
        pytest.skip("apache2 is not installed")
    folder = Path(tempfile.mkdtemp(prefix="kgpub-apache-"))  # readable by the user Apache runs as
    try:
        folder.chmod(0o755)
        site = folder / "site"
        export_site(web_store, SiteSettings(BASE, web_dist, site))
        for path in site.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        port = free_port()
        modules = "".join(f"LoadModule {name}_module {MODULES}/mod_{name}.so\n"
                          for name in ("mpm_event", "authz_core", "dir", "mime", "rewrite", "headers"))
        user = "User www-data\nGroup www-data\n" if os.geteuid() == 0 else ""
        (folder / "httpd.conf").write_text(f"""{modules}{user}
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile {folder}/httpd.pid
ErrorLog {folder}/error.log
Mutex file:{folder}
TypesConfig /etc/mime.types
DocumentRoot {site}
<Directory {site}>
    AllowOverride All
    Require all granted
</Directory>
""")
        proc = subprocess.Popen([APACHE, "-f", str(folder / "httpd.conf"), "-DFOREGROUND"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                env={**os.environ, "APACHE_RUN_DIR": str(folder)})
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 20
            while True:
                if proc.poll() is not None:
                    log = (folder / "error.log").read_text(errors="replace") if (folder / "error.log").exists() else ""
                    raise RuntimeError(f"apache2 exited: {proc.stderr.read().decode(errors='replace')}{log}")
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
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("accept, media_type, rdf", [
    ("text/turtle", "text/turtle", RdfFormat.TURTLE),
    ("application/n-triples", "application/n-triples", RdfFormat.N_TRIPLES),
    ("application/ld+json", "application/ld+json", RdfFormat.JSON_LD),
    ("application/rdf+xml", "application/rdf+xml", RdfFormat.RDF_XML),
])
def test_an_iri_answers_with_its_description_by_accept(apache, accept, media_type, rdf):
    r = requests.get(apache + AKT1_PATH, headers={"Accept": accept}, timeout=10, allow_redirects=False)
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == media_type
    assert "Accept" in r.headers["vary"]
    assert LABEL in {q.triple for q in parse(r.content, format=rdf, base_iri=AKT1)}


def test_a_browser_gets_the_page_without_a_redirect(apache):
    r = requests.get(apache + AKT1_PATH, headers={"Accept": BROWSER}, timeout=10, allow_redirects=False)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "AKT1" in r.text and "default-src 'none'" in r.headers["content-security-policy"]


def test_format_parameter_wins_over_accept(apache):
    r = requests.get(apache + AKT1_PATH, params={"format": "ntriples"}, headers={"Accept": BROWSER}, timeout=10)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/n-triples")
    assert LABEL in {q.triple for q in parse(r.content, format=RdfFormat.N_TRIPLES)}


def test_files_and_unknown_paths(apache):
    assert requests.get(apache + "/", timeout=10).status_code == 200
    dump = requests.get(apache + "/-/download/kg.ttl", headers={"Accept": "text/turtle"}, timeout=10)
    assert dump.status_code == 200 and len(dump.content) > 10_000
    examples = requests.get(apache + "/.well-known/sparql-examples", headers={"Accept": "text/turtle"}, timeout=10)
    assert examples.status_code == 200 and b"SPARQLExecutable" in examples.content
    missing = requests.get(apache + "/kg/garden/no/such/note", headers={"Accept": "text/turtle"}, timeout=10)
    assert missing.status_code == 404
