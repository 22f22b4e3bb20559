"""Time SHACL validation: pyshacl vs the compiled engine (SPARQL over pyoxigraph), side by side.

    python benchmarks/validate_engines.py [--notes 1000 10000] [--primekg-rows 1000000] [--skip-pyshacl-above N]

Garden: synthetic notes (tests/validate/synthetic.py, every 9th gene with a wrong-range
edge) validated with validate(engine=...) in a child process each, so every run reports its
own peak RSS.  PrimeKG: a generated kg.csv of the given rows, imported, then
validate_ntriples_files() in a child process (time and peak RSS).
"""

from __future__ import annotations

import argparse
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
    return {"seconds": time.perf_counter() - start, "triples": len(quads), "results": len(report.results)}


def _child_primekg(folder: str, workdir: str) -> dict:
    from kgpub.validate.compiled_store import validate_ntriples_files
    from kgpub.validate.stream import data_files

    start = time.perf_counter()
    report = validate_ntriples_files(data_files(Path(folder)), workdir=Path(workdir))
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
    args = ap.parse_args()

    print("| data | triples | pyshacl s (MB) | compiled s (MB) | speed-up |")
    print("| --- | --- | --- | --- | --- |")
    for n in args.notes:
        comp = run_child("garden", "compiled", str(n))
        if args.skip_pyshacl_above is None or n <= args.skip_pyshacl_above:
            ref = run_child("garden", "pyshacl", str(n))
            assert ref["results"] == comp["results"], (ref, comp)
            ref_text, ratio = f"{ref['seconds']:.1f} ({ref['peak_mb']:.0f})", f"{ref['seconds'] / comp['seconds']:.0f}x"
        else:
            ref_text, ratio = "not run", "-"
        print(f"| {n} notes | {comp['triples']} | {ref_text} | {comp['seconds']:.2f} ({comp['peak_mb']:.0f}) | {ratio} |",
              flush=True)

    if args.primekg_rows:
        from kgpub.importers.primekg import ImportOptions, import_primekg
        from kgpub.importers.primekg.synth import generate

        with tempfile.TemporaryDirectory(prefix="kgpub-bench-validate-") as tmp:
            made = generate(Path(tmp) / "kg.csv", args.primekg_rows, seed=1)
            result = import_primekg(made.path, Path(tmp) / "dist", ImportOptions(shards=4))
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
