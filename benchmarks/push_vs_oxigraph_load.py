"""Push a 1M-triple build to an Oxigraph server vs `oxigraph load` of the same N-Triples.

Run on purpose: python benchmarks/push_vs_oxigraph_load.py [TRIPLES] [--atomic-only|--no-atomic-only]
Prints the loader's throughput, then each push mode's (atomic: staging + DROP;ADD commit;
--no-atomic: in place) on a fresh server, and the ratios (target: push >= 0.5x the loader).
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


def main(n: int = 1_000_000, modes: tuple[bool, ...] = (True, False)) -> None:
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
        print(f"oxigraph load: {n} triples in {loader:.2f} s = {n / loader:,.0f} triples/s", flush=True)
        for atomic in modes:
            server = start_oxigraph(tmp / f"server-{atomic}")
            try:
                # the commit of a 1M-triple graph is one long transaction: allow it 30 minutes
                store = oxigraph_server(server.base_url, retry=RetryPolicy(timeout=1800))
                sent: dict[str, float] = {}  # graph -> time its last chunk was sent
                done: list[tuple[str, float]] = []  # (graph, time it was committed), in order
                t0 = time.monotonic()
                report = push(tmp / "dist", store, chunk_bytes=32 << 20, atomic=atomic,
                              on_chunk=lambda iri, size: sent.__setitem__(iri, time.monotonic()),
                              on_graph=lambda o: done.append((o.iri, time.monotonic())))
                pushed = time.monotonic() - t0
            finally:
                server.stop()
            big = max(report.pushed, key=lambda o: o.triples)
            label = "atomic" if atomic else "--no-atomic"
            print(f"kgpub push ({label}): {triples} triples in {pushed:.2f} s = {triples / pushed:,.0f} triples/s "
                  f"({report.verified} graphs verified)")
            i = [g for g, _ in done].index(big.iri)
            started = done[i - 1][1] if i else t0
            print(f"  largest graph ({big.triples} triples): {big.seconds:.1f} s, upload {sent[big.iri] - started:.1f} s"
                  + (f", commit (DROP ; ADD) and staging drop {done[i][1] - sent[big.iri]:.1f} s" if atomic else ""))
            print(f"  ratio push/load throughput ({label}): {(triples / pushed) / (n / loader):.2f} (target >= 0.5)",
                  flush=True)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    chosen = (True,) if "--atomic-only" in sys.argv else (False,) if "--no-atomic-only" in sys.argv else (True, False)
    main(int(args[0]) if args else 1_000_000, chosen)
