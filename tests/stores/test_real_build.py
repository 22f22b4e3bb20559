"""`kgpub build examples/garden`, then `kgpub serve` and `kgpub push` as real commands (subprocesses),
queried over HTTP: content, exit codes (0 ok, 1 unreadable build, 2 usage or failure, as
in the README) and no password in any output."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests
from pyoxigraph import NamedNode, RdfFormat, parse

from servers import VIRTUOSO_PASSWORD, free_port, start_kgpub_serve

from kgpub.publish.remote import RemoteStore

ROOT = Path(__file__).resolve().parents[2]
KGO = "https://w3id.org/kgpub/ontology/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
AKT1 = "garden/dev_admin/gene/akt1"


def kgpub(*args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the kgpub command; ``env`` entries set to None are removed from the environment."""
    merged = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-c", "from kgpub.cli import run; run()", *args],
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT,
                          env={k: v for k, v in merged.items() if v is not None})


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """examples/garden built once, under a base IRI of its own (the servers are shared)."""
    base = f"https://example.org/kg/{uuid.uuid4().hex[:10]}/"
    out = tmp_path_factory.mktemp("garden") / "dist"
    done = kgpub("build", str(ROOT / "examples" / "garden"), "--out", str(out), "--base-iri", base, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    quads = list(parse(path=str(out / "kg.nq"), format=RdfFormat.N_QUADS))
    inhibits = {(q.subject.value, q.object.value) for q in quads
                if q.predicate == NamedNode(KGO + "inhibits")}
    assert inhibits, "the example garden has kgo:inhibits edges"
    return out, base, inhibits


def _select(url: str, query: str) -> list[dict[str, str]]:
    r = requests.get(url, params={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert r.status_code == 200, r.text
    return [{k: v["value"] for k, v in row.items()} for row in r.json()["results"]["bindings"]]


def _edges_query(base: str) -> str:
    return (f"SELECT ?s ?o WHERE {{ ?s <{KGO}inhibits> ?o "
            f"FILTER(?s = <{base}{AKT1}> || ?o = <{base}{AKT1}>) }}")


def test_serve_command_on_a_real_build(built, tmp_path):
    dist, base, inhibits = built
    server = start_kgpub_serve(dist, tmp_path / "serve", timeout=120)
    try:
        url = f"{server.base_url}/sparql"
        assert _select(url, f"SELECT ?l WHERE {{ <{base}{AKT1}> <{LABEL}> ?l }}") == [{"l": "AKT1"}]
        got = {(r["s"], r["o"]) for r in _select(url, _edges_query(base))}
        assert got and got == {e for e in inhibits if f"{base}{AKT1}" in e}
        r = requests.post(url, data={"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}, timeout=10)
        assert r.status_code == 403
        r = requests.get(url, params={"query": "SELECT * { SERVICE <http://127.0.0.1:9/s> { ?s ?p ?o } }"}, timeout=10)
        assert r.status_code == 403
        edges = kgpub("query", f"SELECT ?s WHERE {{ ?s <{KGO}inhibits> <{base}{AKT1}> }}", "--endpoint", url,
                      "--format", "csv")
        assert edges.returncode == 0
        inhibitors = {s for s, o in inhibits if o == f"{base}{AKT1}"}
        assert inhibitors and set(edges.stdout.splitlines()[1:]) == inhibitors
        table = kgpub("query", f"SELECT ?l WHERE {{ <{base}{AKT1}> <{LABEL}> ?l }}", "--endpoint", url)
        assert table.returncode == 0 and "AKT1" in table.stdout and "1 rows" in table.stdout
    finally:
        server.proc.send_signal(signal.SIGINT)
        rc = server.proc.wait(timeout=20)
        server.stop()
    assert rc == 0
    as_csv = kgpub("query", f"SELECT ?l WHERE {{ <{base}{AKT1}> <{LABEL}> ?l }}", "--store",
                   str(tmp_path / "serve" / "store"), "--format", "csv")
    assert as_csv.returncode == 0 and as_csv.stdout.splitlines() == ["l", "AKT1"]
    # a second start over the unchanged build reuses the store
    again = start_kgpub_serve(dist, tmp_path / "serve", timeout=120)
    try:
        r = requests.get(f"{again.base_url}/sparql", params={"query": f"ASK {{ <{base}{AKT1}> <{LABEL}> 'AKT1' }}"},
                         headers={"Accept": "application/sparql-results+json"}, timeout=10)
        assert r.json()["boolean"] is True
    finally:
        again.proc.send_signal(signal.SIGINT)
        again.proc.wait(timeout=20)
        again.stop()
    log = (tmp_path / "serve" / "kgpub-serve.log").read_text()
    assert " 0 graphs loaded" in log and "unchanged" in log


def _push_args(kind: str, server) -> tuple[list[str], dict, RemoteStore]:
    if kind == "oxigraph":
        b = server.base_url
        return (["--endpoint", f"{b}/query", "--update-endpoint", f"{b}/update", "--gsp-endpoint", f"{b}/store"],
                {}, RemoteStore(f"{b}/query"))
    b = server.base_url
    return (["--endpoint", f"{b}/sparql", "--update-endpoint", f"{b}/sparql-auth",
             "--gsp-endpoint", f"{b}/sparql-graph-crud-auth", "--user", "dba", "--auth", "digest"],
            {"KGPUB_PASSWORD": VIRTUOSO_PASSWORD}, RemoteStore(f"{b}/sparql"))


@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
def test_push_command_on_a_real_build(built, kind, request):
    dist, base, inhibits = built
    args, env, reader = _push_args(kind, request.getfixturevalue(kind))
    done = kgpub("push", str(dist), *args, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert VIRTUOSO_PASSWORD not in done.stdout + done.stderr
    manifest = __import__("json").loads((dist / "manifest.json").read_text())
    n = len(manifest["graphs"])
    assert f"{n} graphs pushed" in done.stdout and f"{n} verified" in done.stdout
    rows = reader.select(f"SELECT ?l WHERE {{ GRAPH <{base}note/{AKT1}> {{ <{base}{AKT1}> <{LABEL}> ?l }} }}")
    assert rows == [{"l": "AKT1"}]
    rows = reader.select(_edges_query(base).replace("?s <", "GRAPH ?g { ?s <").replace(" FILTER", " } FILTER"))
    assert {(r["s"], r["o"]) for r in rows} == {e for e in inhibits if f"{base}{AKT1}" in e}
    graphs = {r["g"] for r in reader.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}
    assert not any(g.startswith("urn:kgpub:staging:") for g in graphs), "staging graphs are dropped after commit"
    digests = reader.select(f"SELECT ?g ?d ?n WHERE {{ GRAPH <{base}graph/push-state> {{ ?g <{KGO}contentDigest> ?d ; "
                            "<http://rdfs.org/ns/void#triples> ?n } }")
    assert {(r["g"], r["d"], int(r["n"])) for r in digests} == {
        (g["iri"], g["digest"], g["triples"]) for g in manifest["graphs"]}
    # the term the push records is declared in the build's ontology graph
    assert reader.select(f"SELECT ?l WHERE {{ GRAPH <{base}graph/ontology> {{ <{KGO}contentDigest> a "
                         f"<http://www.w3.org/2002/07/owl#DatatypeProperty> ; <{LABEL}> ?l }} }}") == [
        {"l": "content digest"}]
    again = kgpub("push", str(dist), *args, env=env)
    assert again.returncode == 0 and "0 graphs pushed" in again.stdout and f"{n} unchanged" in again.stdout


def test_push_exit_codes_and_no_password_leak(built, virtuoso):
    dist, _, _ = built
    args, _, _ = _push_args("virtuoso", virtuoso)
    secret = "not-the-password-" + uuid.uuid4().hex
    wrong = kgpub("push", str(dist), *args, "--force", env={"KGPUB_PASSWORD": secret})
    assert wrong.returncode == 2 and "401" in wrong.stderr and "previous versions are unchanged" in wrong.stderr
    assert secret not in wrong.stdout + wrong.stderr
    dead = kgpub("push", str(dist), "--endpoint", f"http://127.0.0.1:{free_port()}/sparql", timeout=120)
    assert dead.returncode == 2 and "connection failed" in dead.stderr
    usage = kgpub("push", str(dist), *args[:2], "--auth", "kerberos", env={"KGPUB_PASSWORD": secret})
    assert usage.returncode == 2 and secret not in usage.stdout + usage.stderr
    missing = kgpub("push", str(dist), *args, env={"KGPUB_PASSWORD": None})
    assert missing.returncode == 2 and "KGPUB_PASSWORD" in missing.stderr


def test_serve_exit_codes(built, tmp_path):
    dist, _, _ = built
    assert kgpub("serve", str(tmp_path / "nope")).returncode == 2
    taken = start_kgpub_serve(dist, tmp_path / "a", timeout=120)
    try:
        port = taken.base_url.rsplit(":", 1)[1]
        busy = kgpub("serve", str(dist), "--store", str(tmp_path / "b"), "--port", port)
        assert busy.returncode == 2 and "cannot listen" in busy.stderr
        no_token = kgpub("serve", str(dist), "--store", str(tmp_path / "b"), "--port", "0", "--allow-update",
                         env={"KGPUB_UPDATE_TOKEN": None})
        assert no_token.returncode == 2 and "KGPUB_UPDATE_TOKEN" in no_token.stderr
    finally:
        taken.proc.send_signal(signal.SIGINT)
        taken.proc.wait(timeout=20)
        taken.stop()


def test_unreadable_build_exits_1(built, tmp_path, oxigraph):
    """Exit 1 is for data problems: a build whose kg.nq is not N-Quads."""
    dist, _, _ = built
    broken = tmp_path / "broken"
    shutil.copytree(dist, broken)
    with (broken / "kg.nq").open("a") as out:
        out.write("<urn:a> <urn:b> this is not N-Quads .\n")
    args, _, _ = _push_args("oxigraph", oxigraph)
    pushed = kgpub("push", str(broken), *args, "--force")
    assert pushed.returncode == 1 and "kg.nq" in pushed.stderr and "N-Quads" in pushed.stderr
    served = kgpub("serve", str(broken), "--store", str(tmp_path / "s"), "--port", "0")
    assert served.returncode == 1 and "kg.nq" in served.stderr
