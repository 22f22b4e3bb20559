"""Incremental builds: after each edit of a garden, the cached build writes the same bytes as a full build,
and emits again exactly the notes the edit concerns (so a cache that is ignored, or reused where it
must not be, fails)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, RdfFormat, parse

from kgpub.build import BuildResult, build_garden
from kgpub.session import BuildSession
from kgpub.stages.cache import CACHE_FOLDER
from kgpub.vocab import KGO

B = "https://example.org/kg/"

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


class Garden:
    """A copy of a garden, built after each edit into ``inc`` (with the cache) and ``full`` (without)."""

    def __init__(self, source: Path, root: Path):
        self.root = root
        self.path = root / "garden"
        shutil.copytree(source, self.path)
        self.digests: dict[str, str] = {}
        self.evidence: set[str] = set()
        self.validated: int | None = None  # nodes the last incremental build validated again (None: all)
        self.warnings = 0  # SHACL warnings of the last build
        self.builds = 0
        self.session = BuildSession()  # what this process keeps from its last build (a new one: a new process)
        self.keep_session = False  # True: every build in this process (as kgpub build --watch), none from disk

    def note(self, relpath: str) -> Path:
        return self.path / relpath

    def edit(self, relpath: str, old: str, new: str) -> None:
        path = self.note(relpath)
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{relpath}: {old!r} not found"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def build(self) -> set[str]:
        """Build both ways, compare every file, return the paths of the notes emitted again.

        Every other build reads the cache from ``inc/.kgpub-cache`` as a new process would (the others
        take the cache, the index and the grounder this process kept from memory)."""
        self.builds += 1
        if self.builds % 2 and not self.keep_session:
            self.session = BuildSession()
        inc = build_garden(self.path, self.root / "inc", session=self.session)
        full = build_garden(self.path, self.root / "full", cache=False)
        assert not (self.root / "full" / CACHE_FOLDER).exists()
        assert (self.root / "inc" / CACHE_FOLDER).is_dir()
        compare_folders(self.root / "full", self.root / "inc")
        changed = {path for path, digest in graph_digests(self.root / "full").items() if self.digests.get(path) != digest}
        evidence = self.evidence | with_evidence(self.root / "full")
        self.digests, self.evidence = graph_digests(self.root / "full"), with_evidence(self.root / "full")
        assert changed <= set(inc.cache.emitted) | evidence  # every note whose graph changed was emitted again,
        # or received supports: evidence (matched every build, over every graph)
        self.validated = inc.cache.validated_nodes
        self.warnings = len(full.report.warnings) if full.report is not None else 0
        assert [str(d) for d in inc.log] == [str(d) for d in full.log]
        assert (inc.exit_code, inc.notes_read, inc.notes_published, inc.triples) == (full.exit_code, full.notes_read, full.notes_published, full.triples)
        assert len(full.cache.emitted) == full.notes_published and full.cache.reused == 0
        return set(inc.cache.emitted)


def compare_folders(full: Path, inc: Path) -> None:
    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
                if p.is_file() and CACHE_FOLDER not in p.relative_to(root).parts}

    a, b = files(full), files(inc)
    assert sorted(a) == sorted(b)
    assert {"kg.nq", "kg.ttl", "validation.ttl", "manifest.json", "mappings.sssom.tsv", "ontology.ttl"} <= set(a)
    different = [name for name in a if a[name] != b[name]]
    assert not different, f"incremental output differs from a full build in {different}"


def mentioning(dist: Path, iri: str) -> set[str]:
    """The notes (paths in the garden) whose graph in ``dist/kg.nq`` has ``iri`` as an object."""
    quads = list(parse(path=str(dist / "kg.nq"), format=RdfFormat.N_QUADS))
    paths = {q.graph_name: q.object.value for q in quads if q.predicate == KGO.sourcePath}
    return {paths[q.graph_name] for q in quads if isinstance(q.object, NamedNode) and q.object.value == iri and q.graph_name in paths}


def graph_digests(dist: Path) -> dict[str, str]:
    """The digest of each note's graph in ``dist``'s manifest, by the note's path in the garden."""
    quads = parse(path=str(dist / "kg.nq"), format=RdfFormat.N_QUADS)
    paths = {q.graph_name.value: q.object.value for q in quads if q.predicate == KGO.sourcePath}
    manifest = json.loads((dist / "manifest.json").read_text())
    return {paths[g["iri"]]: g["digest"] for g in manifest["graphs"] if g["iri"] in paths}


def with_evidence(dist: Path) -> set[str]:
    """The notes whose graph has ``kgo:evidence`` (from reference notes' ``supports:`` claims)."""
    quads = list(parse(path=str(dist / "kg.nq"), format=RdfFormat.N_QUADS))
    paths = {q.graph_name: q.object.value for q in quads if q.predicate == KGO.sourcePath}
    return {paths[q.graph_name] for q in quads if q.predicate == KGO.evidence and q.graph_name in paths}


def linking(garden: Path, pattern: str) -> set[str]:
    """Notes whose text matches ``pattern`` (the notes that link by a name)."""
    rx = re.compile(pattern, re.IGNORECASE)
    return {p.relative_to(garden).as_posix() for p in garden.rglob("*.md") if rx.search(p.read_text(encoding="utf-8"))}


@pytest.fixture
def example(tmp_path: Path) -> Garden:
    return Garden(EXAMPLES / "garden", tmp_path)


@pytest.fixture
def primekg(tmp_path: Path) -> Garden:
    return Garden(EXAMPLES / "primekg-garden", tmp_path)


def test_a_series_of_edits_gives_the_bytes_of_a_full_build(example: Garden) -> None:
    g = example
    first = g.build()
    assert len(first) == 17  # every published note (the private one is not)
    assert g.build() == set()  # nothing changed: nothing emitted, the same files

    # a note's body
    g.edit("gene/pten.md", "one of the commonest events", "one of the most common events")
    assert g.build() == {"gene/pten.md"}

    # a relationship
    g.edit("gene/pten.md", "ASSOCIATED_WITH_CONDITION:: [[Cancer]]", "ASSOCIATED_WITH_CONDITION:: [[Type 2 Diabetes]]")
    assert g.build() == {"gene/pten.md"}
    assert "/condition/type-2-diabetes" in (g.root / "inc" / "kg.ttl").read_text()

    # a retitled note: the notes whose links resolve to it (by permalink or name) get the new label
    pathway = B + "garden/dev_admin/pathway/pi3k-akt-signaling"
    # (protein/akt1-protein.md names it by an identifier it shares: its target keeps the link's label)
    linkers = {"gene/akt1.md", "gene/pten.md", "protein/pten-protein.md"}
    assert linkers < mentioning(g.root / "full", pathway)
    g.edit("pathway/pi3k-akt-signaling.md", "title: PI3K/AKT Signaling", "title: PI3K-AKT cascade")
    assert g.build() == {"pathway/pi3k-akt-signaling.md", *linkers}
    assert '"PI3K-AKT cascade"' in (g.root / "inc" / "kg.nq").read_text()

    # an alias that makes a dangling link resolve
    warnings = g.warnings
    dangling = linking(g.path, r"\[\[PDK1\]\]")
    assert dangling == {"protein/akt1-protein.md"} == mentioning(g.root / "full", B + "unresolved/pdk1")
    g.edit("gene/mtor.md", "title: mTOR", "aliases:\n- PDK1\ntitle: mTOR")
    assert g.build() == {"gene/mtor.md", *dangling}
    assert "unresolved/pdk1" not in (g.root / "inc" / "kg.nq").read_text()
    assert g.warnings == warnings - 1  # "Link target has no published note" is gone
    assert g.validated is not None and 0 < g.validated < 200  # the nodes of the two graphs, not the whole union

    # a renamed note file (its permalink is in its front matter): only the note itself
    shutil.move(g.note("gene/foxo1.md"), g.note("gene/foxo-1.md"))
    assert g.build() == {"gene/foxo-1.md"}

    # a deleted note: its graph goes, the notes that link to it (by title or permalink) change
    to_igf1 = mentioning(g.root / "full", B + "garden/dev_admin/hormone/igf-1") - {"hormone/igf-1.md"}
    assert "gene/akt1.md" in to_igf1
    g.note("hormone/igf-1.md").unlink()
    assert g.build() == to_igf1
    assert "/hormone/igf-1/" not in (g.root / "inc" / "manifest.json").read_text()

    # a new note: nothing links to it
    g.note("gene/pdk2.md").write_text(
        "---\ntype: gene\ntitle: PDK2\ndg-publish: true\npermalink: /garden/dev_admin/gene/pdk2/\n---\n\n"
        "# PDK2\n\n## Relationships\n\nACTIVATES:: [[AKT1]]\n", encoding="utf-8")
    assert g.build() == {"gene/pdk2.md"}

    # a reference note's supports: claim moves its evidence to other edges; only the reference note is emitted
    manning = B + "publication/pubmed/17604717"
    assert mentioning(g.root / "full", manning) >= {"gene/akt1.md"}
    g.edit("reference/manning-2007-akt-downstream.md", "  predicate: INHIBITS\n  object: FOXO1", "  predicate: ACTIVATES\n  object: mTOR")
    assert g.build() == {"reference/manning-2007-akt-downstream.md"}
    assert "gene/mtor.md" in with_evidence(g.root / "full")

    # the garden's configuration: a full build
    (g.path / "kgpub.toml").write_text('[dataset]\ntitle = "Edited garden"\n', encoding="utf-8")
    assert len(g.build()) == 17
    assert "Edited garden" in (g.root / "inc" / "kg.nq").read_text()


def test_primekg_garden_edits(primekg: Garden) -> None:
    g = primekg
    everything = g.build()
    assert len(everything) > 40
    abl1 = "genes/ABL1.md"
    assert abl1 in everything
    g.edit(abl1, "a non-receptor tyrosine kinase", "a tyrosine kinase")
    assert g.build() == {abl1}

    # retitling a note that others link to by title
    target = "anatomy/Bone marrow.md"
    linkers = linking(g.path, r"\[\[Bone marrow\]\]") - {target}
    assert abl1 in linkers
    assert linkers == mentioning(g.root / "full", B + "anatomy/bone-marrow") - {target}
    g.edit(target, "title: Bone marrow", "title: Marrow")
    assert g.build() == {target, *linkers}

    # deleting it: its graph goes, its linkers change again
    g.note(target).unlink()
    assert g.build() == linkers

    # a relationship removed from one note
    g.edit(abl1, "INTERACTS_WITH:: [[BCR]] - BCR-ABL1 fusion in CML\n", "")
    assert g.build() == {abl1}


def test_full_and_no_cache(example: Garden) -> None:
    g = example
    g.build()
    again = build_garden(g.path, g.root / "inc", session=g.session, full=True)
    assert len(again.cache.emitted) == 17 and again.cache.validated_nodes is None
    assert build_garden(g.path, g.root / "inc", session=g.session).cache.emitted == []  # full=True wrote a new cache


LEXICONS = Path(__file__).resolve().parents[1] / "grounding" / "fixtures"


def test_grounded_garden_edits(tmp_path: Path) -> None:
    """Links grounded by lexicons (FOXO only to related candidates): the SSSOM file and the diagnostics are a full build's."""
    source = tmp_path / "source"
    (source / "notes").mkdir(parents=True)
    for name in ("hgnc_subset.tsv", "mondo_subset.obo"):
        shutil.copy(LEXICONS / name, source / name)
    (source / "kgpub.toml").write_text('[[lexicon]]\npath = "hgnc_subset.tsv"\nformat = "hgnc-tsv"\n\n'
                                       '[[lexicon]]\npath = "mondo_subset.obo"\nformat = "obo"\n', encoding="utf-8")
    notes = {"tp53": "TP53", "myc": "c-Myc"}
    for stem, title in notes.items():
        (source / "notes" / f"{stem}.md").write_text(
            f"---\ntype: gene\ntitle: {title}\ndg-publish: true\npermalink: /gene/{stem}/\n---\n# {title}\n\n## Relationships\n"
            "INHIBITED_BY:: [[FOXO]]\nASSOCIATED_WITH_CONDITION:: [[malignant neoplasm]]\n", encoding="utf-8")
    g = Garden(source, tmp_path / "build")
    assert g.build() == {"notes/tp53.md", "notes/myc.md"}
    g.edit("notes/myc.md", "# c-Myc", "# c-Myc\n\nEdited.")
    assert g.build() == {"notes/myc.md"}
    assert "mondo:0004992" in (g.root / "inc" / "mappings.sssom.tsv").read_text()


def test_the_cache_key_covers_what_a_build_reads_of_a_with_folder(tmp_path):
    """A --with folder imported again at the same path (new node names, new graph digests) invalidates the cache."""
    from kgpub.config import load_config
    from kgpub.stages.cache import build_key

    garden = tmp_path / "garden"
    shutil.copytree(EXAMPLES / "garden", garden)
    dist = tmp_path / "primekg"
    dist.mkdir()
    (dist / "manifest.json").write_text('{"graphs": []}', encoding="utf-8")
    (dist / "nodes.tsv").write_text("iri\tcurie\tclass\ttype\tsource\tname\n", encoding="utf-8")
    cfg = load_config(garden / "kgpub.toml")
    key = build_key(garden, cfg, validate=True, extra_dists=[dist])
    assert build_key(garden, cfg, validate=True, extra_dists=[dist]) == key
    with (dist / "nodes.tsv").open("a", encoding="utf-8") as f:
        f.write("http://purl.obolibrary.org/obo/MONDO_0004981\tMONDO:0004981\tkgo:Disease\tdisease\tMONDO\tatrial fibrillation\n")
    assert build_key(garden, cfg, validate=True, extra_dists=[dist]) != key
    key = build_key(garden, cfg, validate=True, extra_dists=[dist])
    (dist / "manifest.json").write_text('{"graphs": [1]}', encoding="utf-8")
    assert build_key(garden, cfg, validate=True, extra_dists=[dist]) != key


def test_unchanged_graphs_are_kept_as_lines_and_kg_ttl_is_patched(example: Garden) -> None:
    """An edit parses no unchanged graph: they are the lines of the last kg.nq; kg.ttl gets the changed subjects' blocks."""
    g = example
    g.build()
    graphs = json.loads((g.root / "inc" / "manifest.json").read_text())["graphs"]
    notes = sum(1 for entry in graphs if entry["role"] == "note")
    g.edit("gene/pten.md", "one of the commonest events", "one of the most common events")
    inc = build_garden(g.path, g.root / "inc", session=g.session)
    assert inc.cache.read == 1 and inc.cache.emitted == ["gene/pten.md"]
    assert inc.cache.graphs_kept == notes - 1  # every note graph but PTEN's
    assert inc.cache.turtle_blocks is not None and 0 < inc.cache.turtle_blocks < 20
    full = build_garden(g.path, g.root / "full", cache=False)
    compare_folders(g.root / "full", g.root / "inc")
    assert full.cache.graphs_kept == 0 and full.cache.turtle_blocks is None

    # a file touched, not changed: hashed again, not read
    g.note("gene/akt1.md").touch()
    assert build_garden(g.path, g.root / "inc", session=g.session).cache.read == 0

    # a new process: the cache is read from DIST/.kgpub-cache (files.sqlite and build.pickle)
    g.session = BuildSession()
    g.edit("gene/pten.md", "ASSOCIATED_WITH_CONDITION:: [[Cancer]]", "ASSOCIATED_WITH_CONDITION:: [[Type 2 Diabetes]]")
    assert g.build() == {"gene/pten.md"}
    g.session = BuildSession()
    shutil.move(g.note("gene/foxo1.md"), g.note("gene/foxo-1.md"))
    assert g.build() == {"gene/foxo-1.md"}

    # a kg.nq changed by hand: the cache describes another file, so the build is a full one
    with (g.root / "inc" / "kg.nq").open("ab") as f:
        f.write(b"<https://example.org/x> <https://example.org/y> <https://example.org/z> .\n")
    again = build_garden(g.path, g.root / "inc", session=g.session)
    assert len(again.cache.emitted) == again.notes_published and again.cache.graphs_kept == 0
    build_garden(g.path, g.root / "full", cache=False)
    compare_folders(g.root / "full", g.root / "inc")


def test_kg_ttl_blocks_patch_like_a_full_serialisation() -> None:
    """TurtleIndex.patch replaces, inserts and removes subject blocks: the bytes of serialising the new union."""
    from pyoxigraph import BlankNode, Literal, RdfFormat, Triple, serialize

    from kgpub.publish.blocks import TurtleIndex, subject_block, subject_key
    from kgpub.vocab import PREFIXES

    def turtle(triples):
        ordered = sorted(triples, key=lambda t: (type(t.subject) is not NamedNode, t.subject.value, t.predicate.value, str(t.object)))
        return ordered, serialize(ordered, format=RdfFormat.TURTLE, prefixes=dict(PREFIXES))

    p, q = NamedNode(B + "p"), NamedNode(B + "q")
    subjects = [NamedNode(B + f"s{i}") for i in range(0, 10, 2)] + [BlankNode("b1")]
    before = [Triple(s, p, Literal(f"{s.value} line\nbreak")) for s in subjects] + [Triple(subjects[0], q, subjects[-1])]
    ordered, data = turtle(before)
    index = TurtleIndex.of(data, ordered)
    assert index is not None and len(index.keys) == len(subjects)
    after = [t for t in before if t.subject != subjects[1]]  # s2 removed
    after += [Triple(NamedNode(B + "s3"), p, Literal("new")), Triple(NamedNode(B + "s9"), q, p)]  # s3, s9 inserted
    after += [Triple(subjects[0], p, Literal("more"))]  # s0 changed
    after += [Triple(BlankNode("a0"), p, Literal("blank"))]  # a blank node after the IRIs
    header = data[:index.header]
    changed = [subjects[1], NamedNode(B + "s3"), NamedNode(B + "s9"), subjects[0], BlankNode("a0")]
    blocks = {subject_key(s): subject_block([t for t in after if t.subject == s], PREFIXES, header) for s in changed}
    patched, new_index = index.patch(data, blocks)
    ordered, expected = turtle(after)
    assert patched == expected
    assert new_index == TurtleIndex.of(expected, ordered)


def _gene(stem: str, title: str, *lines: str, front: str = "") -> tuple[str, str]:
    return f"notes/{stem}.md", (f"---\ntype: gene\ntitle: {title}\ndg-publish: true\n{front}---\n# {title}\n\n"
                                "## Relationships\n" + "".join(line + "\n" for line in lines))


@pytest.fixture
def linked(tmp_path: Path) -> Garden:
    """Notes without permalinks (a renamed file moves its entity), two sharing an identifier, links by name to
    notes and to no note (unresolved targets named after the first label a link gives them)."""
    source = tmp_path / "source"
    (source / "notes").mkdir(parents=True)
    notes = [
        _gene("alpha", "Alpha", "INHIBITED_BY:: [[Omega Thing]] - first", "ACTIVATES:: [[Beta]] - second"),
        _gene("beta", "Beta", "INHIBITED_BY:: [[omega thing]]", "ACTIVATES:: [[Delta]]"),
        _gene("gamma", "Gamma", "ACTIVATES:: [[Alpha]]", "TUNES_UP:: [[Beta]]", front="ncbigene: 101\n"),  # a key not in relations.tsv
        _gene("delta", "Delta", "ACTIVATES:: [[Beta]]", front="ncbigene: 101\n"),
        _gene("epsilon", "Epsilon", "ACTIVATES:: [[Delta]]", "INHIBITED_BY:: [[Gamma]]"),
    ]
    for relpath, text in notes:
        (source / relpath).write_text(text, encoding="utf-8")
    g = Garden(source, tmp_path / "build")
    g.keep_session = True
    return g


def test_edits_in_one_process_keep_the_index_and_give_a_full_builds_bytes(linked: Garden) -> None:
    """Every build in one session: the index is kept while no note's names, identifiers or permalink change, and
    built again when they do; either way the files are a full build's and the notes emitted are those that changed."""
    g = linked
    assert len(g.build()) == 5
    assert "1 statement(s)" in " ".join(str(d) for d in build_garden(g.path, None).log)  # the minted key's use counted once
    text = (g.root / "inc" / "kg.nq").read_text()
    assert '"Omega Thing"' in text and '"omega thing"' not in text  # the first label a link gave the target

    # the index kept: a relationship's note text
    g.edit("notes/alpha.md", "- second", "- second, edited")
    assert g.build() == {"notes/alpha.md"}

    # the index kept, the first label of an unresolved target changed: the other note linking there changes too
    g.edit("notes/alpha.md", "[[Omega Thing]]", "[[OMEGA THING]]")
    assert g.build() == {"notes/alpha.md", "notes/beta.md"}
    assert '"OMEGA THING"' in (g.root / "inc" / "kg.nq").read_text()

    # the index kept, the link that named the target first removed: named by the next one
    g.edit("notes/alpha.md", "INHIBITED_BY:: [[OMEGA THING]] - first\n", "")
    assert g.build() == {"notes/alpha.md", "notes/beta.md"}
    assert '"omega thing"' in (g.root / "inc" / "kg.nq").read_text()

    # a renamed file others link to by title (no permalink in its front matter: its entity IRI moves)
    linkers = mentioning(g.root / "full", B + "gene/beta") - {"notes/beta.md"}
    assert linkers == {"notes/alpha.md", "notes/gamma.md", "notes/delta.md"}
    shutil.move(g.note("notes/beta.md"), g.note("notes/beta-2.md"))
    assert g.build() == {"notes/beta-2.md", *linkers}
    assert mentioning(g.root / "full", B + "gene/beta-2") - {"notes/beta-2.md"} == linkers

    # a retitle that gives a second note the same name: links by that name resolve to the first by permalink
    g.edit("notes/epsilon.md", "title: Epsilon", "title: Alpha")
    assert g.build() >= {"notes/epsilon.md"}
    assert mentioning(g.root / "full", B + "gene/alpha") >= {"notes/gamma.md"}

    # a deleted note that shared an identifier with another (the merged entity's IRI was its own)
    to_merged = mentioning(g.root / "full", B + "gene/delta")
    assert "notes/epsilon.md" in to_merged and B + "gene/gamma" not in (g.root / "full" / "kg.ttl").read_text()
    g.note("notes/delta.md").unlink()
    emitted = g.build()
    assert "notes/gamma.md" in emitted and "notes/epsilon.md" in emitted
    assert B + "gene/gamma" in (g.root / "full" / "kg.ttl").read_text()

    # nothing changed: nothing emitted
    assert g.build() == set()


def test_another_build_into_dist_between_two_builds_of_a_session(linked: Garden) -> None:
    """Another build into DIST in between (another process): the session's cache in memory is not that DIST's, and
    the inputs it kept (a function of a note's file and the index) still hold; the files are a full build's."""
    g = linked
    g.build()
    g.edit("notes/beta.md", "[[omega thing]]", "[[Omega thing]]")
    other = build_garden(g.path, g.root / "inc", session=BuildSession())  # another process's build into DIST
    assert other.cache.emitted == ["notes/beta.md"]
    g.edit("notes/alpha.md", "[[Omega Thing]]", "[[Omega, Thing]]")
    assert g.build() == {"notes/alpha.md", "notes/beta.md"}


_NEW_PROCESS_BUILD = """
import json, sys
from kgpub.build import build_garden
r = build_garden(sys.argv[1], sys.argv[2])
print(json.dumps({"emitted": r.cache.emitted, "inputs_kept": r.cache.inputs_kept, "unused": r.cache.unused,
                  "summary": r.cache.summary(), "log": [str(d) for d in r.log], "exit": r.exit_code, "triples": r.triples}))
"""


def build_in_new_process(garden: Path, out: Path) -> dict:
    """``build_garden(garden, out)`` in a new Python process: what it kept of the cache on disk only."""
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, *filter(None, [os.environ.get("PYTHONPATH")])])}
    done = subprocess.run([sys.executable, "-c", _NEW_PROCESS_BUILD, str(garden), str(out)], env=env, check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout)


def test_rebuilds_in_new_processes_take_the_entity_inputs_from_disk_and_give_a_full_builds_bytes(linked: Garden) -> None:
    """Each build a new process (as the plain ``kgpub build`` command): the index is built again, and the entity
    notes whose file is the same take their inputs from the cache while its index facts are the build's; after
    edits, a rename, a retitle and a deletion the files are a full build's."""
    g = linked
    inc, full = g.root / "inc", g.root / "full"

    def build() -> dict:
        got = build_in_new_process(g.path, inc)
        expected = build_garden(g.path, full, cache=False)
        compare_folders(full, inc)
        assert got["log"] == [str(d) for d in expected.log] and (got["exit"], got["triples"]) == (expected.exit_code, expected.triples)
        return got

    first = build()
    assert len(first["emitted"]) == 5 and first["inputs_kept"] == 0 and first["unused"] == ""
    # gamma and epsilon link to notes only: their inputs are a function of their file and the index
    g.edit("notes/alpha.md", "- second", "- second, edited")
    again = build()
    assert again["emitted"] == ["notes/alpha.md"] and again["inputs_kept"] == 3  # gamma, delta, epsilon
    g.edit("notes/alpha.md", "[[Omega Thing]]", "[[OMEGA THING]]")
    again = build()
    assert set(again["emitted"]) == {"notes/alpha.md", "notes/beta.md"} and again["inputs_kept"] == 3
    # a rename: other index facts, so no inputs are taken; the notes linking to the renamed one are emitted again
    shutil.move(g.note("notes/beta.md"), g.note("notes/beta-2.md"))
    again = build()
    assert again["inputs_kept"] == 0 and {"notes/beta-2.md", "notes/alpha.md", "notes/gamma.md", "notes/delta.md"} <= set(again["emitted"])
    assert build()["inputs_kept"] == 3  # the next build: the inputs of the new facts (the notes linking to notes only)
    g.edit("notes/epsilon.md", "title: Epsilon", "title: Alpha")  # a retitle
    assert build()["inputs_kept"] == 0
    g.note("notes/delta.md").unlink()  # a deletion
    assert {"notes/gamma.md", "notes/epsilon.md"} <= set(build()["emitted"])
    g.edit("notes/alpha.md", "- second, edited", "- second, edited again")
    again = build()
    assert again["emitted"] == ["notes/alpha.md"] and again["inputs_kept"] == 1  # gamma: every other note links to no note


@pytest.mark.parametrize("damage", ["truncated", "other generation", "not a cache"])
def test_a_damaged_cache_gives_a_full_build_and_says_why(linked: Garden, damage: str) -> None:
    """A build.pickle cut short, files.sqlite of another build, or a pickle of something else: the build is a full
    one (every note emitted, no inputs taken), the summary names the cache and why, and the files are a full build's."""
    import pickle
    import sqlite3

    g = linked
    inc = g.root / "inc"
    build_in_new_process(g.path, inc)
    g.edit("notes/alpha.md", "- second", "- second, edited")
    cache = inc / CACHE_FOLDER
    if damage == "truncated":
        data = (cache / "build.pickle").read_bytes()
        (cache / "build.pickle").write_bytes(data[:len(data) // 2])
        why = "unreadable ("
    elif damage == "other generation":
        with sqlite3.connect(cache / "files.sqlite") as db:
            db.execute("UPDATE meta SET value = 'another' WHERE name = 'generation'")
        why = "files.sqlite is not the one build.pickle was written with"
    else:
        (cache / "build.pickle").write_bytes(pickle.dumps({"key": "x"}))
        why = "build.pickle holds no build cache"
    got = build_in_new_process(g.path, inc)
    assert len(got["emitted"]) == 5 and got["inputs_kept"] == 0
    assert got["unused"].startswith(f"{cache}: ") and why in got["unused"]
    assert got["summary"].startswith(f"cache not used, full build: {cache}: ")
    build_garden(g.path, g.root / "full", cache=False)
    compare_folders(g.root / "full", inc)
    assert build_in_new_process(g.path, inc)["unused"] == ""  # the cache written by that build is used


def test_garbled_index_facts_in_the_cache_resolve_every_link_again(linked: Garden) -> None:
    """build.pickle readable but its index facts not: the rest of the cache is used, no entity inputs are taken
    (every link resolved again), and the files are a full build's."""
    import pickle

    g = linked
    inc = g.root / "inc"
    build_in_new_process(g.path, inc)
    g.edit("notes/alpha.md", "- second", "- second, edited")
    assert build_in_new_process(g.path, inc)["inputs_kept"] == 3
    path = inc / CACHE_FOLDER / "build.pickle"
    cache = pickle.loads(path.read_bytes())
    assert cache.index_facts and cache.pure_inputs
    cache.index_facts = cache.index_facts[:len(cache.index_facts) // 2]
    path.write_bytes(pickle.dumps(cache))
    g.edit("notes/alpha.md", "- second, edited", "- second, edited again")
    got = build_in_new_process(g.path, inc)
    assert got["unused"] == "" and got["emitted"] == ["notes/alpha.md"] and got["inputs_kept"] == 0
    build_garden(g.path, g.root / "full", cache=False)
    compare_folders(g.root / "full", inc)
    g.edit("notes/alpha.md", "- second, edited again", "- second")
    assert build_in_new_process(g.path, inc)["inputs_kept"] == 3  # that build kept its own facts
