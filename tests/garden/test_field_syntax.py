"""Every field and link form vaults use, in the vault (Markdown) form and the published (HTML) form.

One garden holds a drug note per form; each case asks for the triple the form
must give (or must not give), after a real build.  The HTML cases are written
as the Digital Garden plugin and its site template render the Markdown
(internal-link anchors, transclusion divs, callout divs, task-list items).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kgpub.build import build_garden
from kgpub.diagnostics import DiagnosticLog

from buildkit import ask, load_store

B = "https://example.org/kg/"
EGFR = f"<{B}genes/egfr>"
PTGS1 = f"<{B}genes/ptgs1>"
CANCER = f"<{B}diseases/lung-cancer>"

TARGET_NOTES = {
    "genes/EGFR.md": "---\ndg-publish: true\ntype: gene/protein\ntitle: EGFR\naliases: [ErbB1]\npermalink: /genes/egfr/\n---\n## Structure\n\nA receptor. ^block1\n",
    "genes/PTGS1 enzyme.md": "---\ndg-publish: true\ntype: gene/protein\ntitle: PTGS1\npermalink: /genes/ptgs1/\n---\nCyclooxygenase 1.\n",
    "diseases/Lung cancer.md": "---\ndg-publish: true\ntype: disease\ntitle: Lung cancer\npermalink: /diseases/lung-cancer/\n---\nA disease.\n",
}

A_EGFR = '<a class="internal-link" href="/genes/egfr/">EGFR</a>'
A_PTGS1 = '<a class="internal-link" href="/genes/ptgs1/">PTGS1</a>'

#: name -> (body, [expected triple patterns with ?d for the case's drug], [patterns that must not hold])
MARKDOWN = {
    "line-start": ("TARGETS:: [[EGFR]]", [f"?d kgo:hasTarget {EGFR}"]),
    "bullet": ("- TARGETS:: [[EGFR]]", [f"?d kgo:hasTarget {EGFR}"]),
    "numbered": ("1. TARGETS:: [[EGFR]]", [f"?d kgo:hasTarget {EGFR}"]),
    "task": ("- [ ] TARGETS:: [[EGFR]]", [f"?d kgo:hasTarget {EGFR}"]),
    "task-done": ("- [x] TARGETS:: [[EGFR]]", [f"?d kgo:hasTarget {EGFR}"]),
    "block-quote": ("> TARGETS:: [[EGFR]]", [f"?d kgo:hasTarget {EGFR}"]),
    "callout": ("> [!note] Targets\n> TARGETS:: [[EGFR]]\n> INDICATED_FOR:: [[Lung cancer]]", [f"?d kgo:hasTarget {EGFR}", f"?d kgo:indicatedFor {CANCER}"]),
    "table": ("| field | value |\n| --- | --- |\n| TARGETS:: [[EGFR]] | [INDICATED_FOR:: [[Lung cancer\\|lung cancer]]] |",
              [f"?d kgo:hasTarget {EGFR}", f"?d kgo:indicatedFor {CANCER}"]),
    "bracket-mid-line": ("Gefitinib binds [TARGETS:: [[EGFR]]] tightly and [INDICATED_FOR:: [[Lung cancer]]].",
                         [f"?d kgo:hasTarget {EGFR}", f"?d kgo:indicatedFor {CANCER}"]),
    "paren-mid-line": ("Gefitinib (TARGETS:: [[EGFR]]) is a kinase inhibitor.", [f"?d kgo:hasTarget {EGFR}"]),
    "lower-case": ("targets:: [[EGFR]]", [f"?d kgo:hasTarget {EGFR}"]),
    "mixed-case": ("Targets:: [[EGFR]]", [f"?d kgo:hasTarget {EGFR}"]),
    "spaces-in-key": ("Indicated for:: [[Lung cancer]]", [f"?d kgo:indicatedFor {CANCER}"]),
    "inhibited-by": ("Inhibited by:: [[EGFR]]", [f"{EGFR} kgo:inhibits ?d"]),
    "emphasis": ("**TARGETS**:: [[EGFR]]", [f"?d kgo:hasTarget {EGFR}"]),
    "space-before-colons": ("TARGETS :: [[EGFR]]", [f"?d kgo:hasTarget {EGFR}"]),
    "full-width-colon": ("TARGETS\uff1a\uff1a [[EGFR]]", [f"?d kgo:hasTarget {EGFR}"]),
    "no-break-space": ("TARGETS::\u00a0[[EGFR]]", [f"?d kgo:hasTarget {EGFR}"]),
    "quoted": ('TARGETS:: "[[EGFR]]"', [f"?d kgo:hasTarget {EGFR}"]),
    "embed-after-key": ("TARGETS:: ![[EGFR]]", [f"?d kgo:hasTarget {EGFR}"]),
    "markdown-link": ("TARGETS:: [EGFR](EGFR.md)", [f"?d kgo:hasTarget {EGFR}"]),
    "markdown-link-angle": ("TARGETS:: [EGFR](<EGFR.md>)", [f"?d kgo:hasTarget {EGFR}"]),
    "markdown-link-folder-space": ("TARGETS:: [PTGS1](<genes/PTGS1 enzyme.md>)", [f"?d kgo:hasTarget {PTGS1}"]),
    "several-links": ("TARGETS:: [[EGFR]], [[PTGS1]] - both", [f"?d kgo:hasTarget {EGFR}", f"?d kgo:hasTarget {PTGS1}"]),
    "heading-link": ("TARGETS:: [[EGFR#Structure]]", [f"?d kgo:hasTarget {EGFR}"]),
    "block-link": ("TARGETS:: [[EGFR#^block1]]", [f"?d kgo:hasTarget {EGFR}"]),
    "folder-link": ("TARGETS:: [[genes/EGFR]]", [f"?d kgo:hasTarget {EGFR}"]),
    "shown-label": ("TARGETS:: [[EGFR|the EGF receptor]]", [f"?d kgo:hasTarget {EGFR}"]),
    "alias-link": ("TARGETS:: [[ErbB1]]", [f"?d kgo:hasTarget {EGFR}"]),
    "unmapped-key": ("REGULATES_TRANSCRIPTION_OF:: [[EGFR]]", [f"?d <{B}property/REGULATES_TRANSCRIPTION_OF> {EGFR}"]),
}

#: Forms that must give no triple.
MARKDOWN_NONE = {
    "fenced-code": "```\nTARGETS:: [[PTGS1]]\n```",
    "indented-code": "Text.\n\n    TARGETS:: [[PTGS1]]",
    "inline-code": "See `TARGETS:: [[PTGS1]]` for the syntax.",
    "code-in-key": "`TARGETS`:: [[PTGS1]]",
    "embed-alone": "![[PTGS1]]",
    "plain-link": "Related: [[PTGS1]]",
}

HTML = {
    "html-p": (f"<p>TARGETS::{A_EGFR}</p>", [f"?d kgo:hasTarget {EGFR}"]),
    "html-bullet": (f"<ul>\n<li>TARGETS:: {A_EGFR}</li>\n</ul>", [f"?d kgo:hasTarget {EGFR}"]),
    "html-numbered": (f"<ol>\n<li>INDICATED_FOR:: <a class=\"internal-link\" href=\"/diseases/lung-cancer/\">Lung cancer</a></li>\n</ol>",
                      [f"?d kgo:indicatedFor {CANCER}"]),
    "html-task": (f'<ul class="contains-task-list">\n<li class="task-list-item"><input class="task-list-item-checkbox" disabled="" type="checkbox"> TARGETS:: {A_EGFR}</li>\n</ul>',
                  [f"?d kgo:hasTarget {EGFR}"]),
    "html-task-text": (f"<ul>\n<li>[x] TARGETS:: {A_EGFR}</li>\n</ul>", [f"?d kgo:hasTarget {EGFR}"]),
    "html-block-quote": (f"<blockquote>\n<p>TARGETS:: {A_EGFR}</p>\n</blockquote>", [f"?d kgo:hasTarget {EGFR}"]),
    "html-callout": ('<div class="callout" data-callout="note">\n<div class="callout-title">\n<div class="callout-title-inner">Targets</div>\n</div>\n'
                     f'<div class="callout-content">\n<p>TARGETS:: {A_EGFR}</p>\n</div>\n</div>', [f"?d kgo:hasTarget {EGFR}"]),
    "html-table": (f"<table>\n<thead>\n<tr>\n<th>field</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>TARGETS:: {A_EGFR}</td>\n</tr>\n</tbody>\n</table>",
                   [f"?d kgo:hasTarget {EGFR}"]),
    "html-bracket": (f"<p>Gefitinib binds [TARGETS:: {A_EGFR}] tightly.</p>", [f"?d kgo:hasTarget {EGFR}"]),
    "html-paren": (f"<p>Gefitinib (TARGETS:: {A_EGFR}) binds.</p>", [f"?d kgo:hasTarget {EGFR}"]),
    "html-emphasis": (f"<p><strong>TARGETS</strong>:: {A_EGFR}</p>", [f"?d kgo:hasTarget {EGFR}"]),
    "html-inhibited-by": (f"<p>Inhibited by:: {A_EGFR}</p>", [f"{EGFR} kgo:inhibits ?d"]),
    "html-several-lines": (f"<p>TARGETS:: {A_EGFR}\nTARGETS:: {A_PTGS1} - cyclooxygenase</p>", [f"?d kgo:hasTarget {EGFR}", f"?d kgo:hasTarget {PTGS1}"]),
    "html-embed": ('<p>TARGETS::</p>\n<div class="transclusion internal-embed is-loaded"><a class="markdown-embed-link" href="/genes/egfr/" aria-label="Open link">'
                   '<svg class="svg-icon lucide-link"><path d="M10 13"></path></svg></a><div class="markdown-embed">\n\n'
                   f"<p>INDICATED_FOR:: <a class=\"internal-link\" href=\"/diseases/lung-cancer/\">Lung cancer</a></p>\n\n</div></div>",
                   [f"?d kgo:hasTarget {EGFR}"]),
}

HTML_NONE = {
    "html-code": f"<pre><code>TARGETS:: {A_PTGS1}\n</code></pre>",
    "html-inline-code": f"<p>See <code>TARGETS:: [[PTGS1]]</code>.</p>",
    "html-embedded-note-fields": ('<div class="transclusion internal-embed is-loaded"><a class="markdown-embed-link" href="/genes/egfr/"></a>'
                                  f'<div class="markdown-embed"><p>TARGETS:: {A_PTGS1}</p><div><p>x</p></div><p>TARGETS:: {A_PTGS1}</p></div></div>'),
}

FRONT_MATTER = {
    "fm-quoted-link": ('targets: "[[EGFR]]"', [f"?d kgo:hasTarget {EGFR}"]),
    "fm-list-of-links": ('targets:\n  - "[[EGFR]]"\n  - "[[PTGS1]]"', [f"?d kgo:hasTarget {EGFR}", f"?d kgo:hasTarget {PTGS1}"]),
    "fm-spaced-key": ('Indicated for: "[[Lung cancer]]"', [f"?d kgo:indicatedFor {CANCER}"]),
    "fm-unquoted": ("related: [[EGFR]]", [f"?d <{B}property/RELATED> {EGFR}"]),
}


def _note(name: str, front: str, body: str) -> str:
    return f"---\ndg-publish: true\ntype: drug\ntitle: {name}\npermalink: /drugs/{name}/\n{front}---\n\n{body}\n"


@pytest.fixture(scope="module")
def syntax_build(tmp_path_factory):
    garden = tmp_path_factory.mktemp("syntax-garden")
    for rel, text in TARGET_NOTES.items():
        (garden / rel).parent.mkdir(parents=True, exist_ok=True)
        (garden / rel).write_text(text, encoding="utf-8")
    (garden / "drugs").mkdir()
    for name, (body, _) in MARKDOWN.items():
        (garden / "drugs" / f"{name}.md").write_text(_note(name, "", body), encoding="utf-8")
    for name, body in MARKDOWN_NONE.items():
        (garden / "drugs" / f"{name}.md").write_text(_note(name, "", body), encoding="utf-8")
    for name, (body, _) in HTML.items():
        (garden / "drugs" / f"{name}.md").write_text(_note(name, "", "{% raw %}\n" + body + "\n{% endraw %}"), encoding="utf-8")
    for name, body in HTML_NONE.items():
        (garden / "drugs" / f"{name}.md").write_text(_note(name, "", "{% raw %}\n" + body + "\n{% endraw %}"), encoding="utf-8")
    for name, (front, _) in FRONT_MATTER.items():
        (garden / "drugs" / f"{name}.md").write_text(_note(name, front + "\n", "No body fields."), encoding="utf-8")
    (garden / "drugs" / "literal.md").write_text(_note("literal", "", "Status:: approved\nTARGETS:: EGFR"), encoding="utf-8")
    log = DiagnosticLog()
    result = build_garden(garden, tmp_path_factory.mktemp("syntax-dist"), log=log)
    return result, load_store(result.out_dir)


def _drug(name: str) -> str:
    return f"<{B}drugs/{name}>"


@pytest.mark.parametrize("name", sorted(MARKDOWN) + sorted(HTML) + sorted(FRONT_MATTER))
def test_form_gives_its_triples(syntax_build, name):
    _, store = syntax_build
    expected = {**MARKDOWN, **HTML, **FRONT_MATTER}[name][1]
    for pattern in expected:
        assert ask(store, "ASK { " + pattern.replace("?d", _drug(name)) + " }"), (name, pattern)


@pytest.mark.parametrize("name", sorted(MARKDOWN_NONE) + sorted(HTML_NONE))
def test_form_gives_no_relationship(syntax_build, name):
    _, store = syntax_build
    assert ask(store, f"ASK {{ {_drug(name)} a kgo:Drug }}")
    assert not ask(store, f"ASK {{ {_drug(name)} ?p ?o . ?o a kgo:Gene }}"), name
    assert not ask(store, f"ASK {{ ?s ?p {_drug(name)} . ?s a kgo:Gene }}"), name


def test_each_form_gives_exactly_its_edges(syntax_build):
    """No form gives more than its triples: the edges of every case note, counted."""
    _, store = syntax_build
    for name, (_, expected) in {**MARKDOWN, **HTML, **FRONT_MATTER}.items():
        rows = list(store.query(
            f"SELECT ?a WHERE {{ GRAPH <{B}note/drugs/{name}> {{ ?a a <http://www.w3.org/2002/07/owl#Axiom> }} }}"))
        assert len(rows) == len(expected), name


def test_diagnostics_of_the_syntax_garden(syntax_build):
    result, _ = syntax_build
    lines = [str(d) for d in result.log]
    assert "drugs/literal.md:8: warning: Status:: has no link: a literal-valued field, not published" in lines
    assert "drugs/literal.md:9: error: TARGETS:: has no link to a note ([[...]] or [..](...md)); relationship skipped" in lines
    minted = [line for line in lines if "REGULATES_TRANSCRIPTION_OF" in line]
    assert minted == [
        "drugs/unmapped-key.md:8: warning: relation key 'REGULATES_TRANSCRIPTION_OF' is not in mappings/relations.tsv: its 1 "
        f"statement(s) are published under <{B}property/REGULATES_TRANSCRIPTION_OF>, declared in the ontology graph"
    ]
    assert not [line for line in lines if "has no link" in line and "literal.md" not in line], lines
    assert not [line for line in lines if ": error:" in line and "literal.md" not in line], lines


def test_minted_property_is_declared_in_the_ontology_graph(syntax_build):
    _, store = syntax_build
    assert ask(store, f"""ASK {{ GRAPH <{B}graph/ontology> {{
        <{B}property/REGULATES_TRANSCRIPTION_OF> a owl:ObjectProperty ; rdfs:label "regulates transcription of"@en ;
            kgo:relationKey "REGULATES_TRANSCRIPTION_OF" .
        <{B}property/RELATED> a owl:ObjectProperty ; rdfs:label "related"@en }} }}""")


def test_garden_drugs_conform_without_drugbank_ids(syntax_build):
    """The import's shapes (one DrugBank CURIE per drug) do not apply to garden drugs."""
    result, _ = syntax_build
    assert result.report is not None
    assert not [r for r in result.report.results if "Drug CURIE" in str(r.message)]
    assert result.report.conforms, result.report.summary(per_message=5)
