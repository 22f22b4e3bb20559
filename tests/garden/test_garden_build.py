"""The example garden and a hostile garden: determinism, privacy, stable IRIs, both forms, bad input, CLI."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pyoxigraph
import pytest
import rdflib

from buildkit import OPEN, B, ask, load_store
from kgpub.build import build_garden
from kgpub.cli import main

OUTPUTS = ("kg.ttl", "kg.nq", "ontology.ttl", "ontology.owl", "validation.ttl", "manifest.json")


def test_example_garden_conforms(example_dist):
    result, dist = example_dist
    assert result.exit_code == 0, [str(d) for d in result.log] + [r.message for r in result.report.results if r.severity == "Violation"]
    assert (result.notes_published, result.notes_private) == (17, 1)


def test_identical_bytes_across_builds(example_dist, example_garden, tmp_path):
    _, first = example_dist
    build_garden(example_garden, tmp_path / "again")
    for name in OUTPUTS:
        assert (first / name).read_bytes() == (tmp_path / "again" / name).read_bytes(), name


def test_private_note_leaks_nothing(example_dist, example_garden):
    _, dist = example_dist
    private = (example_garden / "gene" / "gsk3b.md").read_text(encoding="utf-8")
    assert "PRIVATE-DRAFT-7731" in private
    for name in OUTPUTS:
        text = (dist / name).read_text(encoding="utf-8")
        for secret in ("PRIVATE-DRAFT-7731", "gene/gsk3b", "private_draft", "unfinished note on GSK3B", "serine 9 phosphorylation"):
            assert secret not in text, (name, secret)
    store = load_store(dist)
    # the link from PTEN to the private note is an unresolved target with the link's label only
    assert ask(store, f"ASK {{ <{B}garden/dev_admin/gene/pten> kgo:inhibits <{B}unresolved/gsk3b> . <{B}unresolved/gsk3b> rdfs:label 'GSK3B' }}")
    rows = list(store.query(f"SELECT ?p ?o WHERE {{ <{B}unresolved/gsk3b> ?p ?o }}", use_default_graph_as_union=True))
    assert sorted(r["p"].value.rsplit("/", 1)[-1].rsplit("#", 1)[-1] for r in rows) == ["label", "type", "type", "wasDerivedFrom"]


def test_html_and_markdown_notes_agree(example_dist):
    store = load_store(example_dist[1])
    # AKT1 (HTML) says INHIBITED_BY PTEN, PTEN (Markdown) says INHIBITS AKT1: one triple, two axioms with the same text
    rows = list(store.query(
        f"""PREFIX kgo: <https://w3id.org/kgpub/ontology/> PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?key ?c WHERE {{ ?ax owl:annotatedSource <{B}garden/dev_admin/gene/pten> ; owl:annotatedProperty kgo:inhibits ;
            owl:annotatedTarget <{B}garden/dev_admin/gene/akt1> ; kgo:relationKey ?key ; rdfs:comment ?c }} ORDER BY ?key""",
        use_default_graph_as_union=True))
    assert [(r["key"].value, r["c"].value) for r in rows] == [
        ("INHIBITED_BY", "Tumor suppressor that antagonizes PI3K"), ("INHIBITS", "Tumor suppressor that antagonizes PI3K")]


def test_same_note_in_both_forms_gives_same_triples(tmp_path):
    fm = "---\ntype: gene\ntitle: AKT1\npermalink: /garden/u/gene/akt1/\nslug: akt1\n---\n"
    html = (fm + '{% raw %}\n<p>INHIBITED_BY::<a href="/404" class="internal-link is-unresolved">PTEN</a> - Tumor "suppressor" &lt;x&gt;<br />\n'
            'PARTICIPATES_IN_PATHWAY::<a href="/404" class="internal-link is-unresolved">Insulin Signaling</a>, '
            '<a href="/404" class="internal-link is-unresolved">mTOR Pathway</a></p>\n{% endraw %}\n')
    md = fm + "\n" + 'INHIBITED_BY:: [[PTEN]] - Tumor "suppressor" <x>\nPARTICIPATES_IN_PATHWAY:: [[Insulin Signaling]], [[mTOR Pathway]]\n'
    triples = []
    for form, text in (("html", html), ("md", md)):
        (tmp_path / form / "g").mkdir(parents=True)
        (tmp_path / form / "g" / "akt1.md").write_text(text, encoding="utf-8")
        build_garden(tmp_path / form / "g", tmp_path / form / "d", config=OPEN)
        triples.append({q.triple for q in pyoxigraph.parse(path=str(tmp_path / form / "d" / "kg.ttl"), format=pyoxigraph.RdfFormat.TURTLE)})
    assert triples[0] == triples[1]
    assert pyoxigraph.Triple(pyoxigraph.NamedNode(f"{B}unresolved/pten"), pyoxigraph.NamedNode("https://w3id.org/kgpub/ontology/inhibits"),
                             pyoxigraph.NamedNode(f"{B}garden/u/gene/akt1")) in triples[0]


def test_renamed_file_keeps_iris(example_garden, example_dist, tmp_path):
    garden = tmp_path / "garden"
    shutil.copytree(example_garden, garden)
    (garden / "gene" / "akt1.md").rename(garden / "gene" / "renamed-kinase.md")
    build_garden(garden, tmp_path / "d")

    def triples(dist: Path) -> set[str]:
        return {line for line in (dist / "kg.nq").read_text(encoding="utf-8").splitlines() if "sourcePath" not in line}

    assert triples(example_dist[1]) == triples(tmp_path / "d")


HOSTILE = {
    "broken-yaml.md": ("---\ntype: gene\ntitle: [unclosed\n---\nbody\n", "broken-yaml.md:4"),
    "no-type.md": ("---\ntitle: No Type\n---\nbody\n", "no-type.md:1"),
    "broken-html.md": ("---\ntype: gene\ntitle: BrokenHtml\n---\n{% raw %}\n<p>ENCODES::<a href=\"/404\">never closed\n{% endraw %}\n", "broken-html.md:6"),
    "bad-id.md": ("---\ntype: gene\ntitle: BadId\nncbigene: ABC\n---\nx\n", "bad-id.md:4"),
}

#: Notes the build publishes with one warning: an unmapped note type, an unmapped relation key.
WARNED = {
    "unknown-type.md": ("---\ntitle: Odd\ntype: spaceship\n---\nbody\n",
                        "unknown-type.md:3: warning: note type 'spaceship' is not in mappings/note_types.tsv: its 1 note(s) are published as kgo:Entity"),
    "bad-key.md": ("---\ntype: gene\ntitle: BadKey\n---\n\nFROBNICATES:: [[AKT1]]\nENCODES:: [[Good Protein]]\n",
                   "bad-key.md:6: warning: relation key 'FROBNICATES' is not in mappings/relations.tsv: its 1 statement(s) are published "
                   "under <https://example.org/kg/property/FROBNICATES>, declared in the ontology graph"),
}


@pytest.fixture(scope="module")
def hostile_dist(tmp_path_factory, entity_seed):
    garden = tmp_path_factory.mktemp("hostile")
    shutil.copy(entity_seed, garden / "akt1.txt")
    for name, (text, _) in {**HOSTILE, **WARNED}.items():
        (garden / name).write_text(text, encoding="utf-8")
    (garden / "bad-utf8.md").write_bytes(b"---\ntype: gene\ntitle: x\n---\nok\n\xc3\x28 bad\n")
    (garden / "huge.md").write_text("---\ntype: gene\ntitle: Huge\n---\n" + "a" * (5 * 1024 * 1024 + 10), encoding="utf-8")
    labels = ['He said "hi" \\ back', "<script>&amp;</script>", "line\nbreak", "emoji 😀🧬", "tab\tand \x7f del", "'single' ''' triple"]
    md = "---\ntype: gene\ntitle: 'Quote \" back \\\\ <tag> 😀'\ndescription: \"multi\\nline \\\" quoted\"\n---\n\n"
    md += "\n".join(f"ACTIVATES:: [[{l.replace(chr(10), ' ')}]] - text \"{l}\" \\ <b>" for l in labels)
    (garden / "labels.md").write_text(md, encoding="utf-8")
    html = "---\ntype: gene\ntitle: HtmlLabels\n---\n{% raw %}\n<p>" + "<br />\n".join(
        f'INHIBITS::<a href="/404" class="internal-link is-unresolved">{l.replace("<", "&lt;")}</a> - "{l}"' for l in labels) + "</p>\n{% endraw %}\n"
    (garden / "sub" / "deeper").mkdir(parents=True)
    (garden / "sub" / "deeper" / "html-labels.html").write_text(html, encoding="utf-8")
    (garden / "kgpub.toml").write_text('[publish]\nmode = "all-but-private"\n', encoding="utf-8")
    dist = tmp_path_factory.mktemp("hostile-dist")
    code = main(["build", str(garden), "--out", str(dist)])
    result_log = build_garden(garden, tmp_path_factory.mktemp("hostile-dist2")).log
    return code, dist, result_log


def test_hostile_garden_one_diagnostic_per_bad_note(hostile_dist):
    code, dist, log = hostile_dist
    assert code == 1
    errors = [str(d) for d in log.errors]
    for name, (_, where) in HOSTILE.items():
        assert [e for e in errors if e.startswith(name)] and all(e.startswith(where) for e in errors if e.startswith(name)), (name, errors)
    assert [e for e in errors if e.startswith("bad-utf8.md:6: error: invalid UTF-8")]
    assert [e for e in errors if e.startswith("huge.md:5: error:") and "over the limit" in e]
    assert len([e for e in errors if not e.startswith(("labels.md", "sub/"))]) == len(HOSTILE) + 2
    warnings = [str(d) for d in log.warnings]
    for name, (_, line) in WARNED.items():
        assert [w for w in warnings if w.startswith(name)] == [line]


def test_hostile_garden_rest_is_published(hostile_dist):
    _, dist, _ = hostile_dist
    store = load_store(dist)
    assert ask(store, f"ASK {{ <{B}garden/dev_admin/gene/akt1> a kgo:Gene ; kgo:encodes ?p }}")
    assert ask(store, "ASK { ?g rdfs:label 'BadKey' ; kgo:encodes ?p . ?p rdfs:label 'Good Protein' }")
    assert ask(store, """ASK { ?s rdfs:label 'He said "hi" \\\\ back' ; kgo:activates ?o }""") or ask(store, """ASK { ?o rdfs:label 'He said "hi" \\\\ back' }""")
    assert ask(store, "ASK { ?x rdfs:label 'emoji 😀🧬' }")
    assert ask(store, f"ASK {{ ?odd a kgo:Entity ; rdfs:label 'Odd' }}")
    assert ask(store, f"ASK {{ ?g rdfs:label 'BadKey' ; <{B}property/FROBNICATES> ?akt1 }}")
    assert ask(store, f"ASK {{ GRAPH <{B}graph/ontology> {{ <{B}property/FROBNICATES> a owl:ObjectProperty ; rdfs:label 'frobnicates'@en }} }}")


def test_hostile_output_parses_everywhere(hostile_dist):
    _, dist, _ = hostile_dist
    ttl = dist / "kg.ttl"
    assert len(rdflib.Graph().parse(ttl, format="turtle")) > 100
    assert len(list(pyoxigraph.parse(path=str(ttl), format=pyoxigraph.RdfFormat.TURTLE))) > 100
    rapper = shutil.which("rapper")
    assert rapper, "raptor2-utils (rapper) is needed"
    run = subprocess.run([rapper, "-i", "turtle", "-c", str(ttl)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "returned" in run.stderr
    rdflib.Dataset().parse(dist / "kg.nq", format="nquads")


def test_cli_exit_codes(example_garden, tmp_path):
    assert main(["build", str(example_garden), "--out", str(tmp_path / "ok")]) == 0
    assert main(["build", str(tmp_path / "missing"), "--out", str(tmp_path / "x")]) == 2
    assert main(["build", str(example_garden), "--out", str(tmp_path / "x"), "--base-iri", "not an iri"]) == 2
    assert main(["build"]) == 2


def test_the_collector_is_left_off_only_by_a_build_whose_process_ends_with_it(example_garden, tmp_path):
    """``main(..., exits=True)`` (the ``kgpub`` command, which ends the process after): the build leaves the collector
    off; the library entry point leaves it as it found it.  The files are the same bytes."""
    import gc

    assert gc.isenabled()
    try:
        assert main(["build", str(example_garden), "--out", str(tmp_path / "lib")]) == 0
        assert gc.isenabled()
        assert main(["build", str(example_garden), "--out", str(tmp_path / "cmd")], exits=True) == 0
        assert not gc.isenabled()
    finally:
        gc.enable()
    for path in (tmp_path / "lib").iterdir():
        if path.is_file():
            assert path.read_bytes() == (tmp_path / "cmd" / path.name).read_bytes(), path.name
