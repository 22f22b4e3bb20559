"""Start-up of `kgpub serve` on a big build vs `oxigraph load` of the same files, in the same run.

    python benchmarks/serve_startup.py DIST [--rounds 2]

DIST is a build made with `--with DIST/primekg` (e.g. benchmarks/build_10k.py --keep, then
`kgpub import primekg` of the 8.1M-row generated file and `kgpub build ... --with`).  Per round:
`oxigraph load` of kg.nq, of the PrimeKG shards (--graph) and of void.ttl (--graph), into a fresh
folder, timed together; then `kgpub serve DIST` on a fresh store, timed until it answers a query;
then a second start on the same store (nothing changed).  Ratios of medians are printed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "stores"))
from servers import start_kgpub_serve  # noqa: E402


def oxigraph_load(dist: Path, location: Path) -> float:
    manifest = json.loads((dist / "manifest.json").read_text())
    started = time.perf_counter()
    subprocess.run(["oxigraph", "load", "--location", str(location), "--file", str(dist / "kg.nq")], check=True,
                   capture_output=True)
    for g in manifest["graphs"]:
        if g["files"] != ["kg.nq"]:
            subprocess.run(["oxigraph", "load", "--location", str(location), "--graph", g["iri"], "--file",
                            *[str(dist / f) for f in g["files"]]], check=True, capture_output=True)
    return time.perf_counter() - started


def kgpub_start(dist: Path, folder: Path) -> float:
    started = time.perf_counter()
    server = start_kgpub_serve(dist, folder, extra=["--quiet"], timeout=1800)
    took = time.perf_counter() - started
    server.proc.terminate()
    server.proc.wait(timeout=30)
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dist", type=Path)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    ox, first, second = [], [], []
    with tempfile.TemporaryDirectory(dir=ROOT / "benchmarks" / "_work") as tmp:
        tmp = Path(tmp)
        for rnd in range(args.rounds):
            ox.append(oxigraph_load(args.dist, tmp / f"ox{rnd}"))
            shutil.rmtree(tmp / f"ox{rnd}")
            first.append(kgpub_start(args.dist, tmp / f"kg{rnd}"))
            second.append(kgpub_start(args.dist, tmp / f"kg{rnd}"))
            shutil.rmtree(tmp / f"kg{rnd}")
            print(f"round {rnd + 1}: oxigraph load {ox[-1]:.1f} s; kgpub serve first start {first[-1]:.1f} s "
                  f"(ratio {first[-1] / ox[-1]:.2f}); second start {second[-1]:.2f} s", flush=True)
    print(f"medians: oxigraph load {statistics.median(ox):.1f} s, kgpub serve {statistics.median(first):.1f} s: "
          f"ratio {statistics.median(first) / statistics.median(ox):.2f} (target <= 1.2); "
          f"second start {statistics.median(second):.2f} s (target <= 2 s)")


if __name__ == "__main__":
    main()
