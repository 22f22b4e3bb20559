"""`kgpub serve` vs `oxigraph serve-read-only --union-default-graph` on the same build, under load.

Both servers run at once, on the example garden's build; `wrk` (64 connections, 2 threads) loads
one of them at a time for SECONDS, alternating, ROUNDS times per workload; the workloads are IRI
lookups (every entity of the build, in turn) and an RO property-path query.  Printed per round
and as medians: requests/s, p99 latency, errors (non-2xx and socket errors), CPU seconds per 1,000
requests of the server's whole process tree, and its RSS.  Then the runaway test: 4 queries that
never end are sent to `kgpub serve`, and a probe client's lookups are timed meanwhile.

    python benchmarks/serve_vs_oxigraph_server.py [--seconds 30] [--rounds 3] [--kgpub-option=--cache-mb=0 ...]

Both workloads repeat their queries, so `kgpub serve` answers most of them from its answer cache;
`--kgpub-option=--cache-mb=0` measures it without.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

import psutil
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "stores"))
from servers import start_kgpub_serve, start_oxigraph  # noqa: E402

LUA = """
paths = {%s}
i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1], {["Accept"] = "application/sparql-results+json"})
end
"""
PATH_QUERY = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX obo: <http://purl.obolibrary.org/obo/> "
              "SELECT ?regulator ?target WHERE { ?p rdfs:subPropertyOf* obo:RO_0002212 . ?regulator ?p ?target }")
RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def tree(pid: int) -> list[psutil.Process]:
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


def cpu(pid: int) -> float:
    total = 0.0
    for p in tree(pid):
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


def rss(pid: int) -> int:
    return sum(p.memory_info().rss for p in tree(pid) if p.is_running())


def wrk(script: Path, url: str, seconds: int) -> dict:
    out = subprocess.run(["wrk", "-t2", "-c64", f"-d{seconds}s", "--latency", "-s", str(script), url],
                         capture_output=True, text=True).stdout
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 1e-3, "ms": 1.0, "s": 1e3}[p99.group(2)]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "requests": int(re.search(r"(\d+) requests in", out).group(1)),
            "p99_ms": float(p99.group(1)) * scale,
            "errors": (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sockets.groups())) if sockets else 0)}


def probe_under_runaways(url: str, lookup: str, seconds: float = 10) -> tuple[int, float, float, list[int]]:
    codes: list[int] = []
    runaways = [threading.Thread(target=lambda: codes.append(
        requests.get(url, params={"query": RUNAWAY}, timeout=120).status_code)) for _ in range(4)]
    for t in runaways:
        t.start()
    time.sleep(1.0)
    latencies = []
    with requests.Session() as s:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            t0 = time.perf_counter()
            r = s.get(url, params={"query": lookup}, timeout=30)
            latencies.append(time.perf_counter() - t0)
            assert r.status_code == 200, r.text
    for t in runaways:
        t.join()
    latencies.sort()
    return len(latencies), statistics.median(latencies) * 1e3, latencies[int(len(latencies) * 0.99) - 1] * 1e3, codes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--kgpub-option", action="append", default=[], help="passed to kgpub serve (repeatable)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        subprocess.run([sys.executable, "-c", "from kgpub.cli import run; run()", "build", str(ROOT / "examples" / "garden"),
                        "--out", str(tmp / "dist")], check=True, capture_output=True)
        from pyoxigraph import RdfFormat, Store
        probe = Store()
        probe.load(path=str(tmp / "dist" / "kg.nq"), format=RdfFormat.N_QUADS)
        entities = sorted({r["e"].value for r in probe.query(
            "SELECT DISTINCT ?e { ?n <http://xmlns.com/foaf/0.1/primaryTopic> ?e }", use_default_graph_as_union=True)})
        lookups = [f"SELECT ?p ?o WHERE {{ <{e}> ?p ?o }}" for e in entities]
        (tmp / "ox").mkdir()
        subprocess.run(["oxigraph", "load", "--location", str(tmp / "ox" / "data"), "--file",
                        str(tmp / "dist" / "kg.nq")], check=True, capture_output=True)
        ox = start_oxigraph(tmp / "ox", read_only=True, extra=["--union-default-graph"])
        kg = start_kgpub_serve(tmp / "dist", tmp / "kg", extra=["--quiet", "--timeout", "20", *args.kgpub_option],
                              timeout=300)
        servers = {"kgpub": (kg, "/sparql"), "oxigraph": (ox, "/query")}
        results: dict[tuple[str, str], list[dict]] = {}
        try:
            for workload, queries in (("lookup", lookups), ("path", [PATH_QUERY])):
                for name, (server, path) in servers.items():
                    script = tmp / f"{workload}-{name}.lua"
                    script.write_text(LUA % ", ".join(f'"{path}?query={quote(q)}"' for q in queries))
                for rnd in range(args.rounds):
                    order = list(servers.items()) if rnd % 2 == 0 else list(servers.items())[::-1]
                    for name, (server, path) in order:
                        before = cpu(server.proc.pid)
                        r = wrk(tmp / f"{workload}-{name}.lua", server.base_url + path, args.seconds)
                        r["cpu_ms_per_req"] = (cpu(server.proc.pid) - before) / max(r["requests"], 1) * 1e3
                        r["rss_mb"] = rss(server.proc.pid) / 2**20
                        results.setdefault((workload, name), []).append(r)
                        print(f"{workload:6} round {rnd + 1} {name:8} {r['rps']:8.0f} req/s  p99 {r['p99_ms']:7.1f} ms  "
                              f"errors {r['errors']}  cpu {r['cpu_ms_per_req']:.3f} ms/req  rss {r['rss_mb']:.0f} MB",
                              flush=True)
            for workload in ("lookup", "path"):
                med = {n: statistics.median(x["rps"] for x in results[(workload, n)]) for n in servers}
                p99 = {n: statistics.median(x["p99_ms"] for x in results[(workload, n)]) for n in servers}
                err = {n: sum(x["errors"] for x in results[(workload, n)]) for n in servers}
                print(f"{workload}: median kgpub {med['kgpub']:.0f} req/s (p99 {p99['kgpub']:.1f} ms, errors "
                      f"{err['kgpub']}), oxigraph {med['oxigraph']:.0f} req/s (p99 {p99['oxigraph']:.1f} ms, errors "
                      f"{err['oxigraph']}): ratio {med['kgpub'] / med['oxigraph']:.2f} (target >= 1.0)")
            n, median, p99, codes = probe_under_runaways(kg.base_url + "/sparql", lookups[0])
            print(f"probe beside 4 runaway queries: {n} lookups, median {median:.1f} ms, p99 {p99:.1f} ms "
                  f"(target <= 100 ms); runaways answered {codes}")
        finally:
            ox.stop()
            kg.stop()


if __name__ == "__main__":
    main()
