"""Generate a linked garden of N notes (default 10,000; half HTML, half Markdown) and build it.

    python benchmarks/build_10k.py [N] [--keep DIR]

Prints the build time (read, emit, validate, write) and the peak RSS of the process.
"""

from __future__ import annotations

import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from kgpub.build import build_garden
from kgpub.identifiers import Identifiers

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


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv and argv[0].isdigit() else 10_000
    keep = Path(argv[argv.index("--keep") + 1]) if "--keep" in argv else None
    with tempfile.TemporaryDirectory() as tmp:
        root = keep or Path(tmp)
        garden, dist = root / "garden", root / "dist"
        t0 = time.perf_counter()
        generate(garden, n)
        t1 = time.perf_counter()
        Identifiers.default()  # bioregistry load: a one-off per process, reported apart
        t2 = time.perf_counter()
        result = build_garden(garden, dist)
        t3 = time.perf_counter()
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"generated {n} notes in {t1 - t0:.1f} s; bioregistry load {t2 - t1:.1f} s")
        print(result.summary())
        print(f"build (read+index+emit+validate+write): {t3 - t2:.1f} s; with bioregistry load: {t3 - t1:.1f} s")
        print(f"peak RSS: {peak_mb:.0f} MB; kg.nq {(dist / 'kg.nq').stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main(sys.argv[1:])
