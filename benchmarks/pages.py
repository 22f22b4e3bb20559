"""Resource pages and Turtle descriptions of `kgpub serve`, and a DESCRIBE on `oxigraph serve`, under load.

Both servers run at once on the same build (``--dist``: e.g. the 10,000-note build of
``build_10k.py --keep DIR`` rebuilt with ``--with DIST/primekg`` from ``kgpub import primekg``);
`wrk` with 16 connections (2 threads) loads one at a time for SECONDS, alternating, ROUNDS times
(each run also reports the CPU time per request of the loaded server, its children included):

* ``page``: GET of resource pages (``Accept: text/html``) on kgpub serve, over a sample of
  garden entities and PrimeKG nodes; target p50 <= 20 ms, p99 <= 100 ms;
* ``turtle``: GET of the same IRIs with ``Accept: text/turtle`` on kgpub serve, against
  ``DESCRIBE <iri>`` (Turtle) on ``oxigraph serve-read-only --union-default-graph`` over the
  same files; target: kgpub's p50 within 1.2x of oxigraph's.

    python benchmarks/pages.py --dist DIST [--seconds 20] [--rounds 3] [--sample 400] [--cache-mb 0] [--baseline TREE]

With ``--baseline TREE`` (a checkout of kgpub, e.g. a worktree of ``main``) a second kgpub serve runs
TREE's code on a copy of the same store, and its pages and descriptions are loaded in the same
rounds, alternating with this tree's: before and after side by side on the same machine load.

With ``--cache-mb 0`` every answer is computed (cold); by default kgpub serve keeps them
(its store does not change while served), so after the first pass over the sample they are
served from memory (warm).

kgpub's description holds more than Oxigraph's DESCRIBE (incoming edges with their subjects'
labels, axiom annotations); the comparison is of what each server answers for the IRI.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import quote

import psutil
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "stores"))
from servers import start_kgpub_serve, start_oxigraph, stop  # noqa: E402

from kgpub.publish.manifest import Manifest  # noqa: E402
from kgpub.web.locations import Locations  # noqa: E402

LUA = """
paths = {%s}
i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1], {["Accept"] = "%s"})
end
"""
ENTITIES = ("SELECT DISTINCT ?e WHERE { ?n <http://xmlns.com/foaf/0.1/primaryTopic> ?e }")
PRIMEKG = "SELECT DISTINCT ?e WHERE { GRAPH <%s> { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?l } } LIMIT 20000"


def wrk(script: Path, url: str, seconds: int) -> dict:
    out = subprocess.run(["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", "-s", str(script), url],
                         capture_output=True, text=True).stdout

    def ms(pct: str) -> float:
        m = re.search(pct + r"%\s+([\d.]+)(us|ms|s)\b", out)
        return float(m.group(1)) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[m.group(2)]

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50": ms("50"), "p99": ms("99"),
            "errors": (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sockets.groups())) if sockets else 0)}


class CpuMeter:
    """User + system CPU of a server process and all its children (front ends, executors) while
    it is loaded: sampled every 0.2 s, so an executor that ends mid-run (replaced, retired)
    still counts up to its last sample."""

    def __init__(self, pid: int):
        self.pid = pid
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        with contextlib.suppress(psutil.NoSuchProcess):
            root = psutil.Process(self.pid)
            for proc in [root, *root.children(recursive=True)]:
                with contextlib.suppress(psutil.NoSuchProcess):
                    t = proc.cpu_times()
                    self.first.setdefault(proc.pid, t.user + t.system)
                    self.last[proc.pid] = t.user + t.system

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self._sample()

    def __enter__(self) -> "CpuMeter":
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    @property
    def seconds(self) -> float:
        return sum(self.last[pid] - first for pid, first in self.first.items())


def select(base: str, query: str) -> list[str]:
    r = requests.get(base + "/query", params={"query": query}, headers={"Accept": "application/sparql-results+json"},
                     timeout=600)
    r.raise_for_status()
    return [b["e"]["value"] for b in r.json()["results"]["bindings"] if b["e"]["type"] == "uri"]


def load_oxigraph(dist: Path, manifest: Manifest, location: Path) -> None:
    """The build's files into an Oxigraph store (each once), each in the graph the manifest names."""
    files: dict[str, str | None] = {}
    for entry in manifest.graphs:
        for name in entry.files:
            files[name] = None if ("quads" in entry.format or name.endswith(".nq")) else entry.iri
    for name, graph in sorted(files.items()):
        command = ["oxigraph", "load", "--location", str(location), "--file", str(dist / name)]
        done = subprocess.run(command + (["--graph", graph] if graph else []), capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"oxigraph load {name}: {done.stderr[-2000:]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dist", type=Path, required=True)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=20, help="Seconds of unrecorded load per script first.")
    parser.add_argument("--sample", type=int, default=400)
    parser.add_argument("--cache-mb", type=int, default=64,
                        help="kgpub serve's answer cache (0: every answer computed; the sample is cycled through)")
    parser.add_argument("--work", type=Path, help="Keep the stores here (default: a temporary folder).")
    parser.add_argument("--baseline", type=Path,
                        help="A kgpub checkout whose serve is measured alongside this one (on a copy of the store).")
    args = parser.parse_args()
    manifest = Manifest.read(args.dist)
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        ox_data = work / "ox" / "data"
        if not ox_data.exists():
            ox_data.parent.mkdir(parents=True, exist_ok=True)
            load_oxigraph(args.dist, manifest, ox_data)
        ox = start_oxigraph(work / "ox", read_only=True, extra=["--union-default-graph"])
        base = None
        if args.baseline:
            # a fresh copy of this tree's store, taken before either server opens it: the same
            # files for both (a store reopened for its load check since the copy can read slower)
            shutil.rmtree(work / "base" / "store", ignore_errors=True)
            if (work / "kg" / "store").exists():
                shutil.copytree(work / "kg" / "store", work / "base" / "store")
            base = start_kgpub_serve(args.dist, work / "base", extra=["--quiet", "--timeout", "20",
                                                                      "--cache-mb", str(args.cache_mb)],
                                     env={"PYTHONPATH": str(args.baseline.resolve())}, timeout=3600)
        kg = start_kgpub_serve(args.dist, work / "kg", extra=["--quiet", "--timeout", "20",
                                                                   "--cache-mb", str(args.cache_mb)], timeout=3600)
        try:
            quads = sum(g.triples for g in manifest.graphs)
            primekg = [g for g in manifest.graphs if g.role == "primekg"]
            print(f"build {args.dist}: {len(manifest.graphs):,} graphs, {quads:,} triples "
                  f"(PrimeKG: {sum(g.triples for g in primekg):,} triples in {len(primekg)} graphs)")
            rng = random.Random(7)
            garden = select(ox.base_url, ENTITIES)
            nodes = select(ox.base_url, PRIMEKG % primekg[0].iri) if primekg else []
            sample = rng.sample(garden, min(len(garden), args.sample // (2 if nodes else 1)))
            sample += rng.sample(nodes, min(len(nodes), args.sample - len(sample)))
            print(f"kgpub serve --cache-mb {args.cache_mb}")
            print(f"sample: {len(sample)} IRIs ({len(garden):,} garden entities, {len(nodes):,} PrimeKG nodes known)")
            locations = Locations.for_base(manifest.base_iri)
            paths = [locations.href(i) for i in sample]
            first = requests.get(kg.base_url + paths[0], headers={"Accept": "text/html"}, timeout=60)
            assert first.status_code == 200, (paths[0], first.status_code)
            scripts = {
                "page kgpub": (kg, work / "page-kgpub.lua", LUA % (", ".join(json.dumps(p) for p in paths), "text/html")),
                "turtle kgpub": (kg, work / "ttl-kgpub.lua", LUA % (", ".join(json.dumps(p) for p in paths), "text/turtle")),
                "turtle oxigraph DESCRIBE": (ox, work / "ttl-ox.lua", LUA % (", ".join(
                    json.dumps("/query?query=" + quote(f"DESCRIBE <{i}>")) for i in sample), "text/turtle")),
            }
            if base is not None:
                scripts = {"page kgpub": scripts["page kgpub"],
                           "page kgpub baseline": (base, scripts["page kgpub"][1], scripts["page kgpub"][2]),
                           "turtle kgpub": scripts["turtle kgpub"],
                           "turtle kgpub baseline": (base, scripts["turtle kgpub"][1], scripts["turtle kgpub"][2]),
                           "turtle oxigraph DESCRIBE": scripts["turtle oxigraph DESCRIBE"]}
            for _, script, text in scripts.values():
                script.write_text(text)
            # Every front end builds its label index on its first page (seconds on this build): one
            # unrecorded pass of each script first, so the rounds measure the steady state.
            for name, (server, script, _) in scripts.items():
                r = wrk(script, server.base_url, args.warmup)
                print(f"warm-up {name:27} {r['rps']:8.0f} req/s  errors {r['errors']}", flush=True)
            results: dict[str, list[dict]] = {name: [] for name in scripts}
            for rnd in range(args.rounds):
                names = list(scripts) if rnd % 2 == 0 else list(scripts)[::-1]
                for name in names:
                    server, script, _ = scripts[name]
                    with CpuMeter(server.proc.pid) as meter:
                        r = wrk(script, server.base_url, args.seconds)
                    r["cpu"] = meter.seconds * 1e3 / max(1.0, r["rps"] * args.seconds)
                    results[name].append(r)
                    print(f"round {rnd + 1} {name:27} {r['rps']:8.0f} req/s  p50 {r['p50']:7.2f} ms  "
                          f"p99 {r['p99']:7.2f} ms  CPU {r['cpu']:6.2f} ms/req  errors {r['errors']}  "
                          f"load {os.getloadavg()[0]:.2f}", flush=True)
            med = {n: {k: statistics.median(x[k] for x in rs) for k in ("rps", "p50", "p99", "cpu")}
                   for n, rs in results.items()}
            print("medians:")
            for name, m in med.items():
                print(f"  {name:27} {m['rps']:8.0f} req/s  p50 {m['p50']:7.2f} ms  p99 {m['p99']:7.2f} ms  "
                      f"CPU {m['cpu']:6.2f} ms/req (server and its executors)")
            page = med["page kgpub"]
            ratio = med["turtle kgpub"]["p50"] / med["turtle oxigraph DESCRIBE"]["p50"]
            print(f"pages: p50 {page['p50']:.2f} ms (target <= 20), p99 {page['p99']:.2f} ms (target <= 100)")
            print(f"turtle: kgpub p50 / oxigraph DESCRIBE p50 = {ratio:.2f}x (target <= 1.2x); "
                  f"throughput ratio {med['turtle oxigraph DESCRIBE']['rps'] / med['turtle kgpub']['rps']:.2f}x")
            if base is not None:
                ratio = med["turtle kgpub baseline"]["p50"] / med["turtle oxigraph DESCRIBE"]["p50"]
                print(f"baseline {args.baseline}: pages p50 {med['page kgpub baseline']['p50']:.2f} ms, "
                      f"p99 {med['page kgpub baseline']['p99']:.2f} ms; turtle {ratio:.2f}x DESCRIBE")
        finally:
            if base is not None:
                stop(base.proc)
            stop(kg.proc)
            stop(ox.proc)


if __name__ == "__main__":
    main()
