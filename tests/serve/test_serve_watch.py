"""`kgpub serve --watch`: a save in the garden shows in SPARQL without a restart; a deleted note's
graph goes; the generations of the store go with the server."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import re

import requests

from serving import serve

ROOT = Path(__file__).resolve().parents[2]
NOTE = Path("protein") / "akt1-protein.md"
NOTE_GRAPH = "https://example.org/kg/note/garden/dev_admin/protein/akt1-protein"
INHIBITS = ("ASK { GRAPH <" + NOTE_GRAPH + "> { ?x <https://w3id.org/kgpub/ontology/inhibits> ?y } "
            "FILTER(STRENDS(STR(?y), \"/protein/akt1-protein\") && STRENDS(STR(?x), \"/gene/%s\")) }")


def ask(url: str, query: str) -> bool:
    r = requests.get(url, params={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()["boolean"]


def wait_for(condition, seconds: float) -> float:
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, f"not within {seconds} s"
        time.sleep(0.05)
    return time.monotonic() - started


def note_count(url: str) -> int:
    """The count of notes the landing page shows (its table of resources per class)."""
    page = requests.get(url.rsplit("/sparql", 1)[0] + "/", headers={"Accept": "text/html"}, timeout=10).text
    found = re.search(r'/ontology/Note" title="[^"]*">note</a></td><td class="num">([\d,]+)<', page)
    assert found, page
    return int(found.group(1).replace(",", ""))


def test_serve_watch_reloads_changed_graphs(tmp_path):
    garden, dist = tmp_path / "garden", tmp_path / "dist"
    shutil.copytree(ROOT / "examples" / "garden", garden)
    subprocess.run([sys.executable, "-c", "from kgpub.cli import run; run()", "build", str(garden), "--out", str(dist)],
                   check=True, capture_output=True)
    s = serve(dist, tmp_path / "serve", "--watch", str(garden))
    try:
        wait_for(lambda: "a save rebuilds and reloads" in s.log(), 60)
        assert not ask(s.url, INHIBITS % "foxo1")
        before = requests.get(s.url, params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}, timeout=10).content
        note = garden / NOTE
        note.write_text(note.read_text(encoding="utf-8").rstrip("\n")
                        + "\nINHIBITED_BY:: [[FOXO1]] - added while served\n", encoding="utf-8")
        took = wait_for(lambda: ask(s.url, INHIBITS % "foxo1"), 10)
        print(f"the edit showed {took:.2f} s after the save")
        # the cached count was dropped with the old generation
        after = requests.get(s.url, params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}, timeout=10).content
        assert after != before
        assert (tmp_path / "serve" / "store.live").is_dir()

        # a deleted note: its graph goes, the rest stays
        pten = garden / "gene" / "pten.md"
        pten_graph = "https://example.org/kg/note/garden/dev_admin/gene/pten"
        assert ask(s.url, f"ASK {{ GRAPH <{pten_graph}> {{ ?s ?p ?o }} }}")
        notes = note_count(s.url)
        pten.unlink()
        wait_for(lambda: not ask(s.url, f"ASK {{ GRAPH <{pten_graph}> {{ ?s ?p ?o }} }}"), 10)
        assert ask(s.url, INHIBITS % "foxo1")  # the rest stays
        assert note_count(s.url) == notes - 1  # the landing page's counts follow the reload
    finally:
        assert s.stop() == 0
    assert not (tmp_path / "serve" / "store.live").exists()  # generations go with the server
