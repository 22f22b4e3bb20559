"""Which ASGI server for `kgpub serve`: the same app and executor pool on uvicorn (httptools),
uvicorn (h11) and hypercorn, one after the other in the same run, loaded by `wrk` (64 connections,
an IRI lookup), several rounds; medians side by side.

    python benchmarks/serve_http_servers.py [--rounds 3] [--seconds 10]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "stores"))
from distgen import write_dist  # noqa: E402
from servers import free_port  # noqa: E402

SERVER = r'''
import sys, asyncio
from kgpub.serve.app import AppSettings, create_app
from kgpub.serve.pool import PoolBackend, PoolSettings
from kgpub.serve.run import ServerSettings, _Lifespan, bind, uvicorn_config
kind, store, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
backend = PoolBackend(PoolSettings(store=store, executors=2))
app = _Lifespan(create_app(AppSettings(), backend), backend)
if kind.startswith("uvicorn"):
    import uvicorn, uvloop
    config = uvicorn_config(app, ServerSettings(port=port))
    config.http = "h11" if kind == "uvicorn-h11" else "httptools"
    uvloop.run(uvicorn.Server(config).serve(sockets=[bind("127.0.0.1", port)]))
else:
    import hypercorn.asyncio, hypercorn.config, uvloop
    config = hypercorn.config.Config()
    config.bind = [f"127.0.0.1:{port}"]
    config.accesslog = None
    uvloop.run(hypercorn.asyncio.serve(app, config))
'''


def wrk(url: str, seconds: int) -> tuple[float, str, int]:
    out = subprocess.run(["wrk", "-t2", "-c64", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+(\S+)", out).group(1)
    errors = sum(int(x) for x in re.findall(r"(?:Non-2xx or 3xx responses|errors: connect) ?:?\s*(\d+)", out))
    return rps, p99, errors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    from kgpub.publish.store import load_build
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        write_dist(tmp / "dist", notes=10)
        load_build(tmp / "dist", tmp / "store", progress=False)
        query = "SELECT ?l WHERE { <https://example.org/kg/garden/dev_admin/gene/akt1> " \
                "<http://www.w3.org/2000/01/rdf-schema#label> ?l }"
        results: dict[str, list[float]] = {}
        for _ in range(args.rounds):
            for kind in ("uvicorn-httptools", "uvicorn-h11", "hypercorn"):
                port = free_port()
                proc = subprocess.Popen([sys.executable, "-c", SERVER, kind, str(tmp / "store"), str(port)],
                                        env=os.environ.copy())
                url = f"http://127.0.0.1:{port}/sparql?query={quote(query)}"
                import requests
                for _ in range(200):
                    try:
                        if requests.get(url, timeout=1).status_code == 200:
                            break
                    except requests.RequestException:
                        time.sleep(0.1)
                rps, p99, errors = wrk(url, args.seconds)
                proc.terminate()
                proc.wait(timeout=20)
                results.setdefault(kind, []).append(rps)
                print(f"{kind:18} {rps:8.0f} req/s  p99 {p99:>8}  errors {errors}", flush=True)
        print("medians:", {k: round(statistics.median(v)) for k, v in results.items()})


if __name__ == "__main__":
    main()
