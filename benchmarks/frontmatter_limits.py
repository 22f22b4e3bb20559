"""Cost of refusing hostile front matter: a YAML alias bomb (9 levels of 9), a 5,000-digit number.

    python benchmarks/frontmatter_limits.py [ROUNDS]

Prints the median time and the peak RSS growth of reading each note (target: 1 s and 50 MB).
"""

from __future__ import annotations

import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from kgpub.errors import NoteError
from kgpub.sources.garden import read_note

LEVELS = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"] + [f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 9) + "]" for i in range(1, 10)]
NOTES = {
    "alias-bomb.md": "---\ntype: gene\n" + "\n".join(LEVELS) + "\n---\nx\n",
    "huge-number.md": "---\ntype: gene\nn: " + "9" * 5000 + "\n---\nx\n",
}


def main(rounds: int = 7) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in NOTES.items():
            path = Path(tmp) / name
            path.write_text(text, encoding="utf-8")
            times = []
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            for _ in range(rounds):
                start = time.perf_counter()
                try:
                    read_note(path, name)
                    raise SystemExit(f"{name} was not refused")
                except NoteError as error:
                    message = str(error)
                times.append(time.perf_counter() - start)
            grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
            print(f"{name} ({len(text)} bytes): median {statistics.median(times) * 1000:.2f} ms of {rounds}, "
                  f"peak RSS +{grown:.1f} MB: {message}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
