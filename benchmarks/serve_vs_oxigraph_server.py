"""1,000 lookups by IRI: `kgpub serve`'s server vs the Oxigraph server on the same data, interleaved.

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
from servers import start_kgpub_serve, start_oxigraph  # noqa: E402



def timed_lookups(session: requests.Session, url: str, queries: list[str]) -> float:
    """Seconds to answer ``queries`` one after the other on one keep-alive connection."""
    t0 = time.perf_counter()
    for q in queries:
        r = session.get(url, params={"query": q}, headers={"Accept": "application/sparql-results+json"})
        if r.status_code != 200 or not r.json()["results"]["bindings"]:
            raise SystemExit(f"{url}: HTTP {r.status_code}: {r.text[:200]}")
    return time.perf_counter() - t0


def main(n: int = 1000, rounds: int = 10) -> None:
    """Both servers run at once; the lookups alternate between them in ``rounds`` blocks, so
    the load of a shared machine weighs on both alike."""
    base = "https://example.org/kg/"
    queries = [f"SELECT ?p ?o WHERE {{ <{base}garden/dev_admin/gene/{GENES[i % len(GENES)][0]}> ?p ?o }}"
               for i in range(n)]
    block = max(1, n // rounds)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        write_dist(tmp / "dist", base=base, notes=len(GENES), extra_ntriples=100_000)
        (tmp / "ox").mkdir()
        subprocess.run(["oxigraph", "load", "--location", str(tmp / "ox" / "data"), "--file",
                        str(tmp / "dist" / "kg.nq")], check=True, capture_output=True)
        ox = start_oxigraph(tmp / "ox", read_only=True, extra=["--union-default-graph"])
        kg = None
        try:
            kg = start_kgpub_serve(tmp / "dist", tmp / "kg", timeout=300)  # its own process, like `oxigraph serve`
            with requests.Session() as ours_s, requests.Session() as theirs_s:
                targets = [(ours_s, f"{kg.base_url}/sparql"), (theirs_s, f"{ox.base_url}/query")]
                spent = [0.0, 0.0]
                for session, url in targets:
                    timed_lookups(session, url, queries[:20])  # warm up
                for r in range(0, n, block):
                    order = targets if (r // block) % 2 == 0 else targets[::-1]
                    for session, url in order:
                        spent[targets.index((session, url))] += timed_lookups(session, url, queries[r:r + block])
        finally:
            ox.stop()
            if kg is not None:
                kg.stop()
    ours, theirs = n / spent[0], n / spent[1]
    print(f"kgpub serve:     {ours:,.0f} lookups/s")
    print(f"oxigraph server: {theirs:,.0f} lookups/s")
    print(f"ratio: {ours / theirs:.2f} (target >= 0.8)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
