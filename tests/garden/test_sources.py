"""Reading notes: front matter lines, both relationship forms, hostile labels, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgpub.diagnostics import DiagnosticLog
from kgpub.errors import NoteError
from kgpub.sources.garden import read_note, walk_garden
from kgpub.sources.relationships import read_relationships


def note_from(tmp_path: Path, name: str, text: str | bytes):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return read_note(path, name)


def test_seed_relationships_with_file_lines(entity_seed: Path):
    note = read_note(entity_seed, entity_seed.name)
    assert note.body_format == "html" and note.key_lines["type"] == 21
    rels = read_relationships(note, DiagnosticLog())
    assert len(rels) == 16
    lines = entity_seed.read_text(encoding="utf-8").splitlines()
    pten = next(r for r in rels if r.target.label == "PTEN")
    assert pten.key == "INHIBITED_BY" and pten.note_text == "Tumor suppressor that antagonizes PI3K"
    assert pten.target.href == "/404" and pten.target.marked_unresolved
    assert "INHIBITED_BY::" in lines[pten.location.line - 1] and ">PTEN<" in lines[pten.location.line - 1]
    cancer = next(r for r in rels if r.target.label == "Cancer")
    assert cancer.target.href == "/garden/dev_admin/condition/cancer/" and not cancer.target.marked_unresolved


def test_html_and_markdown_forms_give_same_records(tmp_path: Path):
    html = note_from(tmp_path, "a.md", "---\ntype: gene\n---\n{% raw %}\n<p>INHIBITS::<a href=\"/404\" class=\"internal-link is-unresolved\">Foo &amp; &quot;Bar&quot;</a> - stops it, see PMID:11154276<br />\n"
                     "ACTIVATES::<a href=\"/g/x/\" class=\"internal-link\">X</a>, <a href=\"/g/y/\" class=\"internal-link\">Y</a> - both</p>\n{% endraw %}\n")
    md = note_from(tmp_path, "b.md", "---\ntype: gene\n---\n\nINHIBITS:: [[Foo & \"Bar\"]] - stops it, see PMID:11154276\nACTIVATES:: [[x|X]], [[y|Y]] - both\n")
    a = read_relationships(html, DiagnosticLog())
    b = read_relationships(md, DiagnosticLog())
    assert [(r.key, r.target.label, r.note_text, r.pmids, r.location.line) for r in a] == [
        (r.key, r.target.label, r.note_text, r.pmids, r.location.line) for r in b
    ] == [
        ("INHIBITS", 'Foo & "Bar"', "stops it, see PMID:11154276", ("11154276",), 5),
        ("ACTIVATES", "X", "both", (), 6),
        ("ACTIVATES", "Y", "both", (), 6),
    ]
    assert [r.target.target for r in b] == ['Foo & "Bar"', "x", "y"]


def test_hostile_labels_are_kept_as_text(tmp_path: Path):
    label_html = 'Q"uo\\te &lt;tag&gt;\n  😀 next'
    note = note_from(tmp_path, "h.html", f'<p>ENCODES::<a href="/404" class="internal-link is-unresolved">{label_html}</a></p>\n')
    (rel,) = read_relationships(note, DiagnosticLog())
    assert rel.target.label == 'Q"uo\\te <tag> 😀 next'


def test_unclosed_link_is_one_diagnostic(tmp_path: Path):
    note = note_from(tmp_path, "x.md", "---\ntype: gene\n---\n{% raw %}\n<p>ENCODES::<a href=\"/404\">Broken\nPARTICIPATES_IN_PATHWAY::<a href=\"/p/\">P</a></p>{% endraw %}")
    log = DiagnosticLog()
    rels = read_relationships(note, log)
    assert [r.target.label for r in rels] == ["P"]
    assert [str(d) for d in log] == ["x.md:5: error: ENCODES: broken HTML, <a> not closed; relationship skipped"]


@pytest.mark.parametrize(
    "content, line, words",
    [
        (b"---\ntitle: x\ntype: [unclosed\n---\nbody\n", 4, "broken YAML"),
        (b"---\ntitle: ok\n\xff\xfe bad\n---\n", 3, "invalid UTF-8"),
        (b"---\ntype: gene\ntitle: never closed\n", 1, "never closed"),
    ],
)
def test_unreadable_notes_name_their_line(tmp_path: Path, content: bytes, line: int, words: str):
    with pytest.raises(NoteError) as caught:
        note_from(tmp_path, "bad.md", content)
    assert caught.value.path == "bad.md" and caught.value.line == line and words in caught.value.message


def test_oversized_body(tmp_path: Path):
    with pytest.raises(NoteError, match="over the limit"):
        note_from(tmp_path, "big.md", "---\ntype: gene\n---\n" + "x" * (5 * 1024 * 1024 + 1))


def test_walk_any_depth_only_note_files(tmp_path: Path):
    for name in ("a/b/c/deep.md", "top.txt", "page.html", "img.png", "notes.json", ".hidden/x.md", "a/.x.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert [f.relpath for f in walk_garden(tmp_path)] == ["page.html", "top.txt", "a/b/c/deep.md"]
