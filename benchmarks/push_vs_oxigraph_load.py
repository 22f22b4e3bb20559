"""Push a 1M-triple build to an Oxigraph server vs `oxigraph load` of the same N-Triples.

Run on purpose: python benchmarks/push_vs_oxigraph_load.py [TRIPLES]
Prints both throughputs and the ratio (target: push >= 0.5x the loader).
"""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "stores"))

from distgen import write_dist  # noqa: E402
from servers import start_oxigraph  # noqa: E402

from kgpub.publish.push import push  # noqa: E402
from kgpub.publish.remote import RetryPolicy, oxigraph_server  # noqa: E402


def main(n: int = 1_000_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        manifest = write_dist(tmp / "dist", notes=10, extra_ntriples=n)
        triples = sum(g.triples for g in manifest.graphs)
        nt = tmp / "all.nt"
        with gzip.open(tmp / "dist" / "primekg.nt.gz", "rb") as src, nt.open("wb") as out:
            shutil.copyfileobj(src, out)
        t0 = time.monotonic()
        subprocess.run(["oxigraph", "load", "--location", str(tmp / "loaded"), "--file", str(nt)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        loader = time.monotonic() - t0
        server = start_oxigraph(tmp / "server")
        try:
            # the commit of a 1M-triple graph is one long transaction: allow it 30 minutes
            store = oxigraph_server(server.base_url, retry=RetryPolicy(timeout=1800))
            sent: list[float] = []
            t0 = time.monotonic()
            report = push(tmp / "dist", store, chunk_bytes=32 << 20,
                          on_chunk=lambda iri, size: sent.append(time.monotonic()))
            pushed = time.monotonic() - t0
            big = max(report.pushed, key=lambda o: o.triples)
        finally:
            server.stop()
        print(f"oxigraph load: {n} triples in {loader:.2f} s = {n / loader:,.0f} triples/s")
        print(f"kgpub push:    {triples} triples in {pushed:.2f} s = {triples / pushed:,.0f} triples/s "
              f"({report.verified} graphs verified)")
        print(f"  largest graph {big.triples} triples: {big.seconds:.1f} s, of which staging upload ended "
              f"{sent[-1] - t0:.1f} s after the start; the rest is the atomic commit (DROP ; ADD) and "
              "the staging drop")
        print(f"ratio push/load throughput: {(triples / pushed) / (n / loader):.2f} (target >= 0.5)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
