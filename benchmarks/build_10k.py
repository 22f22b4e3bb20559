"""Generate a linked garden of N notes (default 10,000; half HTML, half Markdown) and build it.

    python benchmarks/build_10k.py [N] [--keep DIR] [--rounds R]

Each round (default 3) builds the garden in a fresh process; the benchmark prints every
round's build time (wall clock and CPU time of the process and of its worker processes, which a
loaded machine disturbs less), the CPU time per stage (read, classify, index, emit, check, write; "other" is the rest of
``build_garden``: tables, grounder, ontology and metadata graphs, SSSOM), the build time
without the one-off bioregistry load, and the peak RSS of the process and of its largest worker, then the medians.
"""

from __future__ import annotations

import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import kgpub.build as build
from kgpub.identifiers import Identifiers

STAGES = ("read_notes_cached", "classify_cached", "index_records", "emit_cached", "check_cached", "write_outputs")
NAMES = {"read_notes_cached": "read", "classify_cached": "classify", "index_records": "index", "emit_cached": "emit",
         "check_cached": "check", "write_outputs": "write"}

TYPES = ["gene", "protein", "pathway", "condition", "hormone"]
KEYS = {  # key -> type of target
    "gene": [("ENCODES", "protein"), ("PARTICIPATES_IN_PATHWAY", "pathway"), ("INHIBITED_BY", "gene"), ("ACTIVATES", "gene"), ("ASSOCIATED_WITH_CONDITION", "condition")],
    "protein": [("INHIBITS", "protein"), ("PARTICIPATES_IN_PATHWAY", "pathway")],
    "pathway": [("ASSOCIATED_WITH_CONDITION", "condition")],
    "condition": [("ASSOCIATED_WITH_CONDITION", "condition")],
    "hormone": [("ACTIVATES", "gene"), ("PARTICIPATES_IN_PATHWAY", "pathway")],
}


def generate(garden: Path, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    notes = [(TYPES[i % len(TYPES)], i) for i in range(n)]
    by_type: dict[str, list[int]] = {}
    for t, i in notes:
        by_type.setdefault(t, []).append(i)
    for t, i in notes:
        slug = f"{t}-{i}"
        folder = garden / t / f"{i // 1000:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        ident = {"gene": f"ncbigene: {100000 + i}", "protein": "", "pathway": "", "condition": "", "hormone": ""}[t]
        fm = (f"---\ntype: {t}\ntitle: {t.upper()} {i}\nslug: {slug}\npermalink: /garden/bench/{t}/{slug}/\n"
              f"dg-publish: true\ncreated: '2026-01-01T00:00:00Z'\ntags:\n- bench\n{ident}\n---\n")
        rels = []
        for key, target_type in KEYS[t]:
            for _ in range(2):
                j = rng.choice(by_type[target_type])
                rels.append((key, target_type, j, rng.random() < 0.05))
        if i % 2:
            lines = [f"{k}:: [[{tt.upper()} {j}]] - note {k.lower()} {j}" if not miss else f"{k}:: [[Missing {j}]]" for k, tt, j, miss in rels]
            body = f"# {t.upper()} {i}\n\nText of note {i}.\n\n## Relationships\n\n" + "\n".join(lines) + "\n"
        else:
            links = [
                f'{k}::<a href="/garden/bench/{tt}/{tt}-{j}/" class="internal-link">{tt.upper()} {j}</a> - note {k.lower()} {j}'
                if not miss else f'{k}::<a class="internal-link is-unresolved" href="/404">Missing {j}</a>'
                for k, tt, j, miss in rels
            ]
            body = f"{{% raw %}}\n<h1>{t.upper()} {i}</h1>\n<h2>Relationships</h2>\n<p>" + "<br />\n".join(links) + "</p>\n{% endraw %}\n"
        (folder / f"{slug}.md").write_text(fm + body, encoding="utf-8")


def _timed_stages(times: dict[str, float]) -> None:
    """Wrap the stage functions :mod:`kgpub.build` calls so each call adds its time to ``times``."""
    for name in STAGES:
        stage = vars(build)[name]

        def timed(*args, _stage=stage, _name=NAMES[name], **kwargs):
            t = _cpu()
            try:
                return _stage(*args, **kwargs)
            finally:
                times[_name] = times.get(_name, 0.0) + _cpu() - t

        setattr(build, name, timed)


def _cpu() -> float:
    """CPU time of this process and of the worker processes it forked and waited for."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def one_round(garden: Path, dist: Path) -> dict:
    """Build ``garden`` into ``dist`` in this process; the stage times, totals and peak RSS."""
    times: dict[str, float] = {}
    _timed_stages(times)
    t0 = time.perf_counter()
    Identifiers.default()  # bioregistry load: a one-off per process, reported apart
    t1, c1 = time.perf_counter(), _cpu()
    result = build.build_garden(garden, dist, full=True)  # each round a full build (the cache of the last round ignored)
    t2, c2 = time.perf_counter(), _cpu()
    times["other"] = (c2 - c1) - sum(times.values())
    return {
        "stages": times, "build": t2 - t1, "cpu": c2 - c1, "bioregistry": t1 - t0,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "summary": result.summary().splitlines()[:4],
        "kg_nq_mb": (dist / "kg.nq").stat().st_size / 1e6,
    }


def main(argv: list[str]) -> None:
    if argv[:1] == ["--round"]:
        print(json.dumps(one_round(Path(argv[1]), Path(argv[2]))))
        return
    n = int(argv[0]) if argv and argv[0].isdigit() else 10_000
    keep = Path(argv[argv.index("--keep") + 1]) if "--keep" in argv else None
    rounds = int(argv[argv.index("--rounds") + 1]) if "--rounds" in argv else 3
    with tempfile.TemporaryDirectory() as tmp:
        root = keep or Path(tmp)
        garden, dist = root / "garden", root / "dist"
        t0 = time.perf_counter()
        generate(garden, n)
        print(f"generated {n} notes in {time.perf_counter() - t0:.1f} s")
        runs = []
        for index in range(rounds):
            done = subprocess.run([sys.executable, __file__, "--round", str(garden), str(dist)],
                                  check=True, capture_output=True, text=True)
            run = json.loads(done.stdout.strip().splitlines()[-1])
            runs.append(run)
            stages = "  ".join(f"{k} {v:.2f}" for k, v in run["stages"].items())
            print(f"round {index + 1}: build {run['build']:.2f} s wall, {run['cpu']:.2f} s CPU ({stages}); peak RSS {run['peak_mb']:.0f} MB"
                  f" (worker processes {run['worker_peak_mb']:.0f} MB)")
        print("\n".join(runs[-1]["summary"]))
        print(f"kg.nq {runs[-1]['kg_nq_mb']:.1f} MB; bioregistry load {statistics.median(r['bioregistry'] for r in runs):.1f} s (not in the build time)")
        stages = "  ".join(f"{k} {statistics.median(r['stages'][k] for r in runs):.2f}" for k in runs[0]["stages"])
        print(f"median of {rounds}: build {statistics.median(r['build'] for r in runs):.2f} s wall, "
              f"{statistics.median(r['cpu'] for r in runs):.2f} s CPU ({stages}); "
              f"peak RSS {statistics.median(r['peak_mb'] for r in runs):.0f} MB "
              f"(worker processes {statistics.median(r['worker_peak_mb'] for r in runs):.0f} MB)")


if __name__ == "__main__":
    main(sys.argv[1:])
