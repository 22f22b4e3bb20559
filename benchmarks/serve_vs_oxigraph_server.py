"""1,000 lookups by IRI: `kgpub serve`'s server vs the Oxigraph server on the same data, same run.

Run on purpose: python benchmarks/serve_vs_oxigraph_server.py [LOOKUPS]
Prints both throughputs and the ratio (target: kgpub >= 0.8x Oxigraph).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "stores"))

from distgen import GENES, write_dist  # noqa: E402
from servers import start_oxigraph  # noqa: E402

from kgpub.publish.server import ServerConfig, SparqlServer, graph_sizes  # noqa: E402
from kgpub.publish.store import load_build  # noqa: E402


def lookups(url: str, n: int, base: str) -> float:
    with requests.Session() as s:
        queries = [f"SELECT ?p ?o WHERE {{ <{base}garden/dev_admin/gene/{GENES[i % len(GENES)][0]}> ?p ?o }}"
                   for i in range(n)]
        s.get(url, params={"query": queries[0]})
        t0 = time.monotonic()
        for q in queries:
            r = s.get(url, params={"query": q}, headers={"Accept": "application/sparql-results+json"})
            if r.status_code != 200:
                raise SystemExit(f"{url}: HTTP {r.status_code}: {r.text[:200]}")
        return n / (time.monotonic() - t0)


def main(n: int = 1000) -> None:
    base = "https://example.org/kg/"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        write_dist(tmp / "dist", base=base, extra_ntriples=100_000)
        load_build(tmp / "dist", tmp / "store")
        with SparqlServer(ServerConfig(tmp / "store", port=0, graphs=graph_sizes(tmp / "store"))) as server:
            ours = lookups(server.url, n, base)
        (tmp / "ox").mkdir()
        subprocess.run(["oxigraph", "load", "--location", str(tmp / "ox" / "data"), "--file",
                        str(tmp / "dist" / "kg.nq")], check=True, capture_output=True)
        ox = start_oxigraph(tmp / "ox", read_only=True, extra=["--union-default-graph"])
        try:
            theirs = lookups(f"{ox.base_url}/query", n, base)
        finally:
            ox.stop()
    print(f"kgpub serve:     {ours:,.0f} lookups/s")
    print(f"oxigraph server: {theirs:,.0f} lookups/s")
    print(f"ratio: {ours / theirs:.2f} (target >= 0.8)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
