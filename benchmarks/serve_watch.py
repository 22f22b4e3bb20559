"""`kgpub serve --watch`: time from saving a note to the change showing in SPARQL.

    python benchmarks/serve_watch.py [--rounds 3] [--garden examples/garden]

Copies the garden to a temporary folder, builds it, starts `kgpub serve DIST --watch GARDEN`, then
per round adds a relationship to a note (AKT1 Protein: INHIBITED_BY another note, a different one
each round), saves it, and polls the endpoint (every 20 ms, at most 10 s) until the new edge is in
the served data.  Prints each round and the median (target: 2 s).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "stores"))
from servers import start_kgpub_serve  # noqa: E402

NOTE = Path("protein") / "akt1-protein.md"
TARGETS = [("FOXO1", "gene/foxo1"), ("PTEN", "gene/pten"), ("AKT1", "gene/akt1"), ("Insulin", "hormone/insulin"),
           ("IGF-1", "hormone/igf-1"), ("mTOR", "gene/mtor")]
# INHIBITED_BY:: [[X]] on AKT1 Protein is published as X kgo:inhibits AKT1 Protein
EDGE = ("ASK {{ GRAPH ?g {{ ?x <https://w3id.org/kgpub/ontology/inhibits> ?y }} "
        "FILTER(STRENDS(STR(?y), \"/protein/akt1-protein\") && STRENDS(STR(?x), \"/{slug}\")) }}")


def edge_shows(url: str, slug: str) -> bool:
    r = requests.get(url, params={"query": EDGE.format(slug=slug)},
                     headers={"Accept": "application/sparql-results+json"}, timeout=5)
    r.raise_for_status()
    return bool(r.json()["boolean"])


def add_edge(garden: Path, target: str) -> None:
    path = garden / NOTE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + f"\nINHIBITED_BY:: [[{target}]] - added while served\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--garden", type=Path, default=ROOT / "examples" / "garden")
    parser.add_argument("--settle", type=float, default=8.0, help="seconds between the start and the first edit")
    args = parser.parse_args()
    took = []
    with tempfile.TemporaryDirectory() as tmp:
        garden, dist = Path(tmp) / "garden", Path(tmp) / "dist"
        shutil.copytree(args.garden, garden)
        subprocess.run([sys.executable, "-c", "from kgpub.cli import run; run()", "build", str(garden), "--out",
                        str(dist)], check=True, capture_output=True)
        server = start_kgpub_serve(dist, Path(tmp) / "serve", extra=["--quiet", "--watch", str(garden)],
                                   timeout=120)
        url = server.base_url + "/sparql"
        try:
            time.sleep(float(args.settle))  # the watcher starts with the server; its build modules load meanwhile
            for rnd, (target, slug) in enumerate(TARGETS[:args.rounds]):
                assert not edge_shows(url, slug), f"{target} already linked"
                add_edge(garden, target)
                saved = time.perf_counter()
                deadline = saved + 10
                while not edge_shows(url, slug):
                    if time.perf_counter() > deadline:
                        raise SystemExit(f"round {rnd + 1}: the edge to {target} did not show within 10 s\n"
                                         + (Path(tmp) / "serve" / "kgpub-serve.log").read_text()[-3000:])
                    time.sleep(0.02)
                took.append(time.perf_counter() - saved)
                print(f"round {rnd + 1}: AKT1 Protein INHIBITED_BY {target} in SPARQL {took[-1]:.2f} s after the save",
                      flush=True)
        finally:
            server.stop()
    print(f"median {statistics.median(took):.2f} s from save to SPARQL (target <= 2 s)")


if __name__ == "__main__":
    main()
