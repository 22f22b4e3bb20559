"""Rebuild after editing one note of the 10,000-note garden of build_10k.py: full build, then incremental rebuilds.

    python benchmarks/rebuild_one_note.py [N] [--edits K]

Generates the garden (benchmarks/build_10k.py's generator), builds it in full (writing the
cache in DIST/.kgpub-cache), then K times edits the note text of one relationship of one note and rebuilds; prints
the full build time, each incremental rebuild (wall clock and CPU time of the process), their
medians and the peak RSS of the process.  The rebuilds run in the process of the full build, with
its :class:`kgpub.session.BuildSession`, as ``kgpub build --watch`` does (the cache saved last, the
index and the grounder are still in memory); one more edit is rebuilt in a new process, which
reads the cache from ``DIST/.kgpub-cache``.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_10k import generate  # noqa: E402

from kgpub.build import build_garden  # noqa: E402
from kgpub.identifiers import Identifiers  # noqa: E402
from kgpub.session import BuildSession  # noqa: E402


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv and argv[0].isdigit() else 10_000
    edits = int(argv[argv.index("--edits") + 1]) if "--edits" in argv else 5
    with tempfile.TemporaryDirectory() as tmp:
        garden, dist = Path(tmp) / "garden", Path(tmp) / "dist"
        generate(garden, n)
        Identifiers.default()  # bioregistry load: once per process, not part of a build
        session = BuildSession()
        t0 = time.perf_counter()
        full = build_garden(garden, dist, session=session)
        full_s = time.perf_counter() - t0
        print(f"full build of {full.notes_published} notes: {full_s:.2f} s ({full.triples} triples)")
        notes = sorted(garden.rglob("*.md"))
        times, cpus = [], []
        for k in range(edits):
            note = edit(garden, notes, k)
            marks: dict[str, float] = {}
            t0, c0 = time.perf_counter(), time.process_time()
            result = build_garden(garden, dist, session=session, progress=lambda stage, done, total: marks.setdefault(stage, time.perf_counter() - t0))
            times.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
            stages = ", ".join(f"{stage} at {at:.2f} s" for stage, at in marks.items())
            print(f"  edit {note}: {times[-1]:.2f} s wall, {cpus[-1]:.2f} s CPU ({stages}); {result.cache.summary()}")
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"full: {full_s:.2f} s; one note edited, incremental: median {statistics.median(times):.2f} s wall, "
              f"{statistics.median(cpus):.2f} s CPU (min {min(times):.2f}, max {max(times):.2f} s wall, {edits} edits); peak RSS {peak_mb:.0f} MB")
        code = ("import sys, time; sys.path[:0] = sys.argv[1:2]; from pathlib import Path; from rebuild_one_note import edit, fresh; "
                "fresh(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))")
        subprocess.run([sys.executable, "-c", code, str(Path(__file__).resolve().parent), str(garden), str(dist), str(edits)], check=True)


def edit(garden: Path, notes: list[Path], k: int) -> str:
    """Edit the note text of one relationship of one note (the k-th edit); the note's path in the garden."""
    note = notes[(k * 7919) % len(notes)]
    text = note.read_text(encoding="utf-8")
    note.write_text(text.replace(" - note ", f" - edited ({k}) note ", 1), encoding="utf-8")
    return note.relative_to(garden).as_posix()


def fresh(garden: Path, dist: Path, k: int) -> None:
    """One edit rebuilt in this new process (the cache read from DIST)."""
    Identifiers.default()
    note = edit(garden, sorted(garden.rglob("*.md")), k)
    t0, c0 = time.perf_counter(), time.process_time()
    result = build_garden(garden, dist)
    print(f"  edit {note} rebuilt in a new process: {time.perf_counter() - t0:.2f} s wall, {time.process_time() - c0:.2f} s CPU "
          f"(not counting imports and the bioregistry load); {result.cache.summary()}")


if __name__ == "__main__":
    main(sys.argv[1:])
