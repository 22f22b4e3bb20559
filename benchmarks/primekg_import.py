"""Benchmark: `kgpub import primekg` against a minimal polars baseline and Morph-KGC, same run.

    python benchmarks/primekg_import.py [--rows 8100498] [--rounds 3] [--morph-rows ROWS] [--skip-morph] [--validate]

Generates PrimeKG-shaped files under benchmarks/_work/ (kept between runs), installs Morph-KGC in
its own virtual environment there (it pins an older rdflib), then runs each contender as a child
process under /usr/bin/time and prints wall time, rows/s and peak RSS, with ratios.  kgpub and the
baseline run --rounds times, interleaved, and are compared by their medians (the machine is shared
and noisy); Morph-KGC runs once, on --morph-rows rows (default: --rows).
Targets (issue 5): kgpub >= 5x Morph-KGC throughput, <= 1.5x the baseline's time, <= 2 GB RSS.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"
VENV = WORK / "morph-venv"


@dataclass
class Run:
    name: str
    rows: int
    seconds: float
    rss_mb: float

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def timed(name: str, rows: int, cmd: list[str], cwd: Path | None = None) -> Run:
    stats = WORK / f"{name.replace(' ', '_')}.time"
    proc = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", str(stats), *cmd], cwd=cwd, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        sys.exit(f"{name} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    seconds, kb = stats.read_text().split()[-2:]
    return Run(name, rows, float(seconds), int(kb) / 1024)


def ensure_csv(rows: int) -> Path:
    path = WORK / f"kg_{rows}.csv"
    if not path.exists():
        from kgpub.importers.primekg.synth import generate

        start = time.perf_counter()
        generate(path, rows, seed=1)
        print(f"generated {path.name}: {rows:,} rows in {time.perf_counter() - start:.1f} s", flush=True)
    return path


def ensure_morph() -> Path:
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "morph-kgc"], check=True)
    return python


def morph(rows: int, csv: Path) -> Run:
    python = ensure_morph()
    mapping = WORK / f"rml_{rows}.ttl"
    mapping.write_text((HERE / "primekg_rml.ttl").read_text().replace("{SOURCE}", str(csv)))
    config = WORK / f"morph_{rows}.ini"
    config.write_text(
        f"[CONFIGURATION]\noutput_file={WORK / f'morph_{rows}.nt'}\noutput_format=N-TRIPLES\nnumber_of_processes=1\n\n"
        f"[PrimeKG]\nmappings={mapping}\n"
    )
    return timed("morph-kgc", rows, [str(python), "-m", "morph_kgc", str(config)])


def kgpub(rows: int, csv: Path, fmt: str = "nt.gz") -> Run:
    out = WORK / (f"dist_{rows}" if fmt == "nt.gz" else f"dist_{rows}_{fmt.replace('.', '_')}")
    name = "kgpub" if fmt == "nt.gz" else f"kgpub --format {fmt}"
    cmd = [sys.executable, "-c", "from kgpub.cli import run; run()", "import", "primekg", str(csv), "--out", str(out), "--format", fmt, "-q"]
    return timed(name, rows, cmd)


def baseline(rows: int, csv: Path) -> Run:
    return timed("baseline", rows, [sys.executable, str(HERE / "primekg_baseline.py"), str(csv), str(WORK / f"baseline_{rows}.nt")])


def validate(rows: int) -> Run:
    return timed("kgpub-validate", rows, [sys.executable, "-c", "from kgpub.cli import run; run()", "validate", str(WORK / f"dist_{rows}" / "primekg"), "-q"])


def median(runs: list[Run]) -> Run:
    ordered = sorted(runs, key=lambda r: r.seconds)
    mid = ordered[len(ordered) // 2]
    return Run(mid.name, mid.rows, mid.seconds, max(r.rss_mb for r in runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=8_100_498)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved runs of kgpub and the baseline")
    parser.add_argument("--morph-rows", type=int, default=None, help="rows for Morph-KGC (default: --rows)")
    parser.add_argument("--skip-morph", action="store_true")
    parser.add_argument("--validate", action="store_true", help="also time `kgpub validate` on the big output")
    args = parser.parse_args()
    morph_rows = args.morph_rows or args.rows
    WORK.mkdir(exist_ok=True)
    big = ensure_csv(args.rows)
    rounds: dict[str, list[Run]] = {"kgpub": [], "baseline": [], "kgpub --format nt": []}
    for n in range(args.rounds):
        for run in (kgpub(args.rows, big), baseline(args.rows, big), kgpub(args.rows, big, "nt")):
            rounds[run.name].append(run)
            print(f"round {n + 1}: {run.name} {run.seconds:.2f} s {run.rss_mb:,.0f} MB", flush=True)
    runs = [median(r) for r in rounds.values()]
    if not args.skip_morph:
        small = ensure_csv(morph_rows)
        if morph_rows != args.rows:
            runs.append(kgpub(morph_rows, small))
        runs.append(morph(morph_rows, small))
    if args.validate:
        runs.append(validate(args.rows))
    print(f"\n| tool | rows | seconds (median of {args.rounds} for kgpub and baseline) | rows/s | peak RSS MB |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for r in runs:
        print(f"| {r.name} | {r.rows:,} | {r.seconds:.2f} | {r.rows_per_s:,.0f} | {r.rss_mb:,.0f} |")
    by = {(r.name, r.rows): r for r in runs}
    k_big, b_big = by[("kgpub", args.rows)], by[("baseline", args.rows)]
    per_round = ", ".join(f"{k.seconds / b.seconds:.2f}" for k, b in zip(rounds["kgpub"], rounds["baseline"]))
    print(f"\nkgpub / baseline time at {args.rows:,} rows: {k_big.seconds / b_big.seconds:.2f}x of medians"
          f" (per round: {per_round}; target <= 1.5x)")
    plain = by[("kgpub --format nt", args.rows)]
    print(f"kgpub --format nt / baseline time at {args.rows:,} rows: {plain.seconds / b_big.seconds:.2f}x")
    if ("morph-kgc", morph_rows) in by:
        m = by[("morph-kgc", morph_rows)]
        k = by[("kgpub", morph_rows)]
        print(f"Morph-KGC / kgpub time at {morph_rows:,} rows: {m.seconds / k.seconds:.1f}x (target >= 5x)")
    peak = max(r.rss_mb for r in runs if r.name.startswith("kgpub"))
    print(f"kgpub peak RSS: {peak:,.0f} MB (target <= 2048 MB)")


if __name__ == "__main__":
    main()
