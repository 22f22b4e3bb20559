"""Virtuoso's RDF bulk loader (ld_dir + rdf_loader_run) accepts the gzip N-Triples shards written by
`kgpub import primekg`, and loads exactly the triples the import's summary counts."""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import requests

from servers import VIRTUOSO_PASSWORD, start_virtuoso

from kgpub.importers.primekg import ImportOptions, import_primekg
from kgpub.importers.primekg.synth import generate

GRAPH = "https://example.org/kg/graph/primekg"
KGO = "https://w3id.org/kgpub/ontology/"


def _isql(isql: str, port: str, script: str) -> str:
    """Run a script as dba on the SQL port; fail with Virtuoso's output on any error."""
    done = subprocess.run([isql, f"127.0.0.1:{port}", "dba", VIRTUOSO_PASSWORD, "exec=" + script],
                          capture_output=True, text=True, timeout=300)
    output = f"stdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    assert done.returncode == 0 and "Error" not in done.stdout + done.stderr, f"isql {script!r} failed\n{output}"
    return done.stdout


def _sparql(base_url: str, query: str) -> dict:
    r = requests.get(f"{base_url}/sparql", params={"query": query, "format": "application/sparql-results+json"},
                     timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


def test_virtuoso_bulk_loader_loads_every_primekg_shard(tmp_path):
    isql = shutil.which("isql-vt") or shutil.which("isql")
    if isql is None:
        pytest.fail("Virtuoso's isql client is not installed (apt-get install virtuoso-opensource)")
    server = start_virtuoso(tmp_path / "virtuoso")
    try:
        port = re.search(r"^ServerPort = 127\.0\.0\.1:(\d+)$", (server.folder / "virtuoso.ini").read_text(),
                         re.M).group(1)
        # The import goes inside the server folder, which is in DirsAllowed.
        made = generate(server.folder / "kg.csv", 3000, seed=3, bad_per_reason=0, exact_duplicates=2)
        result = import_primekg(made.path, server.folder / "dist", ImportOptions(shards=3))
        shards = sorted(p.name for p in result.folder.glob("part-*.nt.gz"))
        assert shards == ["part-00000.nt.gz", "part-00001.nt.gz", "part-00002.nt.gz"]

        _isql(isql, port, f"ld_dir('{result.folder.resolve()}', 'part-*.nt.gz', '{GRAPH}'); "
                          "rdf_loader_run(); checkpoint;")
        listing = _isql(isql, port, "SELECT 'LL|' || ll_file || '|' || cast(ll_state AS varchar) || '|' || "
                                    "coalesce(ll_error, 'NULL') FROM DB.DBA.load_list;")
        rows = [line.strip().split("|")[1:] for line in listing.splitlines() if line.strip().startswith("LL|")]
        assert sorted((Path(f).name, state, error) for f, state, error in rows) == \
            [(name, "2", "NULL") for name in shards], f"load_list:\n{listing}"

        count = _sparql(server.base_url, f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH}> WHERE {{ ?s ?p ?o }}")
        assert int(count["results"]["bindings"][0]["n"]["value"]) == result.summary.triples

        lines = gzip.decompress((result.folder / shards[0]).read_bytes()).decode("utf-8").splitlines()
        edge = next(line for line in lines if line.split(" ", 2)[1].startswith(f"<{KGO}"))
        s, p, o = edge.rstrip(" .").split(" ", 2)
        assert o.startswith("<"), edge
        assert _sparql(server.base_url, f"ASK FROM <{GRAPH}> WHERE {{ {s} {p} {o} }}")["boolean"] is True, edge
    finally:
        server.stop()
