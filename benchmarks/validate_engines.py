"""Time SHACL validation: pyshacl vs the compiled engine (SPARQL over pyoxigraph), side by side.

    python benchmarks/validate_engines.py [--notes 1000 10000] [--rounds 3] [--primekg-rows 1000000] [--skip-pyshacl-above N]

Garden: synthetic notes (tests/validate/synthetic.py, every 9th gene with a wrong-range
edge) validated with validate(engine=...) in a child process each, so every run reports its
own peak RSS; rounds alternate the engines, medians are printed, and the two engines' results
must be identical (a digest of every result's key).  PrimeKG: a generated kg.csv of the given
rows, imported, then validate_stream() (what `kgpub validate DIST/primekg` runs) in a child
process (time and peak RSS).
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _child_garden(engine: str, notes: int) -> dict:
    sys.path.insert(0, str(ROOT / "tests" / "validate"))
    from synthetic import synthetic_quads

    from kgpub.validate.shacl import validate

    quads = list(synthetic_quads(notes, bad_every=9))
    start = time.perf_counter()
    report = validate(quads, engine=engine)
    seconds = time.perf_counter() - start
    digest = hashlib.sha256(repr(sorted(r.key() for r in report.results)).encode()).hexdigest()[:16]
    return {"seconds": seconds, "triples": len(quads), "results": len(report.results), "digest": digest}


def _child_primekg(folder: str, workdir: str) -> dict:
    from kgpub.validate.stream import validate_stream

    start = time.perf_counter()
    report = validate_stream(Path(folder))
    counts = report.counts()
    return {"seconds": time.perf_counter() - start, "violations": counts.get("Violation", 0),
            "kept": len(report.results)}


def run_child(*args: str) -> dict:
    """Run this script in child mode; return its JSON plus its peak RSS in MB."""
    proc = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    return out


def _child_main(args: list[str]) -> None:
    kind, *rest = args
    out = _child_garden(rest[0], int(rest[1])) if kind == "garden" else _child_primekg(rest[0], rest[1])
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notes", type=int, nargs="*", default=[1000, 10000])
    ap.add_argument("--primekg-rows", type=int, default=1_000_000)
    ap.add_argument("--skip-pyshacl-above", type=int, default=None, help="do not run pyshacl above this many notes")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--primekg-csv", type=Path, default=None, help="an existing kg.csv instead of a generated one")
    args = ap.parse_args()

    print("| data | triples | pyshacl s (MB) | compiled s (MB) | speed-up |")
    print("| --- | --- | --- | --- | --- |")
    for n in args.notes:
        comps, refs = [], []
        for _round in range(args.rounds):
            comps.append(run_child("garden", "compiled", str(n)))
            if args.skip_pyshacl_above is None or n <= args.skip_pyshacl_above:
                refs.append(run_child("garden", "pyshacl", str(n)))
        comp = dict(comps[0], seconds=statistics.median(c["seconds"] for c in comps))
        print(f"  {n} notes, compiled rounds: {[round(c['seconds'], 2) for c in comps]}", flush=True)
        if refs:
            ref = dict(refs[0], seconds=statistics.median(r["seconds"] for r in refs))
            print(f"  {n} notes, pyshacl rounds: {[round(r['seconds'], 2) for r in refs]}", flush=True)
            assert {r["digest"] for r in refs} == {c["digest"] for c in comps}, (refs, comps)
            ref_text, ratio = f"{ref['seconds']:.1f} ({ref['peak_mb']:.0f})", f"{ref['seconds'] / comp['seconds']:.1f}x"
        else:
            ref_text, ratio = "not run", "-"
        print(f"| {n} notes | {comp['triples']} | {ref_text} | {comp['seconds']:.2f} ({comp['peak_mb']:.0f}) | {ratio} |",
              flush=True)

    if args.primekg_rows:
        from kgpub.importers.primekg import ImportOptions, import_primekg
        from kgpub.importers.primekg.synth import generate

        with tempfile.TemporaryDirectory(prefix="kgpub-bench-validate-") as tmp:
            csv = args.primekg_csv or generate(Path(tmp) / "kg.csv", args.primekg_rows, seed=1).path
            result = import_primekg(csv, Path(tmp) / "dist", ImportOptions(shards=4))
            triples = sum(g.get("triples", 0) for g in json.loads((result.folder / "manifest.json").read_text()).get("graphs", [])) \
                if (result.folder / "manifest.json").exists() else 0
            out = run_child("primekg", str(result.folder), tmp)
            print(f"| PrimeKG {args.primekg_rows} rows | {triples or '?'} | - | {out['seconds']:.1f} ({out['peak_mb']:.0f}) | "
                  f"{out['violations']} violations |", flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child_main(sys.argv[2:])
    else:
        main()
