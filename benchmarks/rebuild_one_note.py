"""Rebuild after editing one note of the 10,000-note garden of build_10k.py: full build, then incremental rebuilds.

    python benchmarks/rebuild_one_note.py [N] [--edits K]

Generates the garden (benchmarks/build_10k.py's generator), builds it in full (writing the
cache in DIST/.kgpub-cache), then K times edits the note text of one relationship of one note and rebuilds; prints
the full build time, each incremental rebuild, their median and the peak RSS of the process.
"""

from __future__ import annotations

import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_10k import generate  # noqa: E402

from kgpub.build import build_garden  # noqa: E402
from kgpub.identifiers import Identifiers  # noqa: E402


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv and argv[0].isdigit() else 10_000
    edits = int(argv[argv.index("--edits") + 1]) if "--edits" in argv else 5
    with tempfile.TemporaryDirectory() as tmp:
        garden, dist = Path(tmp) / "garden", Path(tmp) / "dist"
        generate(garden, n)
        Identifiers.default()  # bioregistry load: once per process, not part of a build
        t0 = time.perf_counter()
        full = build_garden(garden, dist)
        full_s = time.perf_counter() - t0
        print(f"full build of {full.notes_published} notes: {full_s:.2f} s ({full.triples} triples)")
        notes = sorted(garden.rglob("*.md"))
        times = []
        for k in range(edits):
            note = notes[(k * 7919) % len(notes)]
            text = note.read_text(encoding="utf-8")
            note.write_text(text.replace(" - note ", f" - edited ({k}) note ", 1), encoding="utf-8")  # a relationship's note text
            marks: dict[str, float] = {}
            t0 = time.perf_counter()
            result = build_garden(garden, dist, progress=lambda stage, done, total: marks.setdefault(stage, time.perf_counter() - t0))
            times.append(time.perf_counter() - t0)
            stages = ", ".join(f"{stage} at {at:.2f} s" for stage, at in marks.items())
            print(f"  edit {note.relative_to(garden)}: {times[-1]:.2f} s ({stages}); {result.cache.summary()}")
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"full: {full_s:.2f} s; one note edited, incremental: median {statistics.median(times):.2f} s "
              f"(min {min(times):.2f}, max {max(times):.2f}, {edits} edits); peak RSS {peak_mb:.0f} MB")


if __name__ == "__main__":
    main(sys.argv[1:])
