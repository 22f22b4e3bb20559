"""`kgpub push` to an Oxigraph server vs `oxigraph load` of the same data, in the same run.

Run on purpose:

    python benchmarks/push_vs_oxigraph_load.py garden [--dist DIR] [--notes N] [--rounds R] [--batch-kb K]
                                                      [--upload-mb M]
    python benchmarks/push_vs_oxigraph_load.py replace [TRIPLES] [--rounds R] [--no-atomic] [--over]
                                                       [--upload-mb M]

``garden``: first push of a built garden (default: the 10,000-note garden of benchmarks/build_10k.py,
built once; ``--dist`` reuses a build) to a fresh server, against ``oxigraph load`` of its ``kg.nq``
(target: push at most 2x the loader's time).  The graphs are new to the server, so they go in
atomic N-Quads uploads of ``--upload-mb`` (``--upload-mb 0``: the SPARQL Update batches of
``--batch-kb`` instead, the path of stores without atomic N-Quads uploads).  ``replace``: a build
holding one graph of TRIPLES triples (default 1M, gzip N-Triples like PrimeKG shards) pushed
atomically to a fresh server (one N-Quads upload), or with ``--over`` over another version of it
already on the server (not timed) that has ``--over-extra`` more triples (default 1): replaced by
one update of the difference, or on the staged path (staging graph, then one ``DROP ; ADD``
update) when more than half of the graph differs, against ``oxigraph load`` of the same N-Triples (target: at least 0.3x the loader's
throughput).  Each round runs the loader and the push one after the other on a fresh store; the
medians of the rounds are printed side by side.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "stores"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from build_10k import generate  # noqa: E402
from distgen import write_bulk_graph, write_dist  # noqa: E402
from servers import start_oxigraph  # noqa: E402

from kgpub.build import build_garden  # noqa: E402
from kgpub.publish.manifest import Manifest  # noqa: E402
from kgpub.publish.push import push  # noqa: E402
from kgpub.publish.remote import RetryPolicy, oxigraph_server  # noqa: E402


def _load(data: Path, location: Path) -> float:
    t0 = time.monotonic()
    subprocess.run(["oxigraph", "load", "--location", str(location), "--file", str(data)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - t0


def _push(dist: Path, folder: Path, before: Path | None = None, **options) -> tuple[float, int, int]:
    server = start_oxigraph(folder)
    try:
        # the commit of a 1M-triple graph is one long transaction: allow it 30 minutes
        store = oxigraph_server(server.base_url, retry=RetryPolicy(timeout=1800))
        if before is not None:  # the version already on the server (not timed)
            push(before, store)
        t0 = time.monotonic()
        report = push(dist, store, **options)
        seconds = time.monotonic() - t0
        store.close()
    finally:
        server.stop()
    return seconds, len(report.pushed), report.verified


def _rounds(tmp: Path, rounds: int, data: Path, dist: Path, before: Path | None = None,
            **options) -> tuple[list[float], list[float]]:
    loads, pushes = [], []
    for r in range(rounds):
        loads.append(_load(data, tmp / f"loaded-{r}"))
        shutil.rmtree(tmp / f"loaded-{r}", ignore_errors=True)
        seconds, pushed, verified = _push(dist, tmp / f"server-{r}", before, **options)
        shutil.rmtree(tmp / f"server-{r}", ignore_errors=True)
        pushes.append(seconds)
        print(f"  round {r + 1}: oxigraph load {loads[-1]:.2f} s | kgpub push {seconds:.2f} s "
              f"({pushed} graphs pushed, {verified} verified) | push/load time {seconds / loads[-1]:.2f}",
              flush=True)
    return loads, pushes


def garden(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        tmp = Path(tmp)
        dist = Path(args.dist) if args.dist else tmp / "dist"
        if not args.dist:
            generate(tmp / "garden", args.notes)
            build_garden(tmp / "garden", dist)
        manifest = Manifest.read(dist)
        triples = sum(g.triples for g in manifest.graphs)
        print(f"garden build: {len(manifest.graphs)} graphs, {triples} triples, "
              f"kg.nq {(dist / 'kg.nq').stat().st_size / 1e6:.1f} MB; "
              + (f"N-Quads uploads of {args.upload_mb} MiB" if args.upload_mb
                 else f"SPARQL Update batches of {args.batch_kb} KiB"), flush=True)
        loads, pushes = _rounds(tmp, args.rounds, dist / "kg.nq", dist, batch_bytes=int(args.batch_kb * 1024),
                                upload_bytes=int(args.upload_mb * (1 << 20)))
        load, pushed = statistics.median(loads), statistics.median(pushes)
        print(f"median of {args.rounds}: oxigraph load {load:.2f} s, kgpub push {pushed:.2f} s: "
              f"push takes {pushed / load:.2f}x the loader's time (target <= 2)")


def replace(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        tmp = Path(tmp)
        dist = tmp / "dist"
        dist.mkdir()
        manifest = write_dist(dist, notes=0, extra_ntriples=args.triples)
        big = next(g for g in manifest.graphs if g.triples == args.triples)
        manifest.graphs = [big]
        manifest.write(dist)
        nt = tmp / "graph.nt"
        with gzip.open(dist / big.files[0], "rb") as src, nt.open("wb") as out:
            shutil.copyfileobj(src, out)
        before = None
        if args.over:  # the version on the server: --over-extra more triples (1: another digest)
            before = tmp / "before"
            before.mkdir()
            manifest.graphs = [write_bulk_graph(before, big.iri, args.triples + args.over_extra, name=big.files[0])]
            manifest.write(before)
        label = "--no-atomic" if args.no_atomic else "atomic"
        where = (f"over a previous version with {args.over_extra} more triples" if args.over
                 else "to a fresh server")
        print(f"one graph of {big.triples} triples, {label} push {where}, chunks of 32 MiB, "
              f"uploads of {args.upload_mb} MiB", flush=True)
        loads, pushes = _rounds(tmp, args.rounds, nt, dist, before, atomic=not args.no_atomic,
                                chunk_bytes=32 << 20, upload_bytes=int(args.upload_mb * (1 << 20)))
        load, pushed = statistics.median(loads), statistics.median(pushes)
        print(f"median of {args.rounds}: oxigraph load {load:.2f} s ({big.triples / load:,.0f} triples/s), "
              f"kgpub push {pushed:.2f} s ({big.triples / pushed:,.0f} triples/s): "
              f"throughput ratio push/load {load / pushed:.2f} (target >= 0.3)")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tmp", default=None, help="Folder for the stores (default: the system's).")
    sub = parser.add_subparsers(dest="case", required=True)
    g = sub.add_parser("garden")
    g.add_argument("--dist", default=None)
    g.add_argument("--notes", type=int, default=10_000)
    g.add_argument("--batch-kb", type=float, default=1024)
    g.add_argument("--upload-mb", type=float, default=16)
    r = sub.add_parser("replace")
    r.add_argument("triples", type=int, nargs="?", default=1_000_000)
    r.add_argument("--no-atomic", action="store_true")
    r.add_argument("--over", action="store_true", help="Replace a version of the graph already on the server.")
    r.add_argument("--over-extra", type=int, default=1, help="How many more triples that version has.")
    r.add_argument("--upload-mb", type=float, default=16)
    args = parser.parse_args(argv)
    garden(args) if args.case == "garden" else replace(args)


if __name__ == "__main__":
    main(sys.argv[1:])
