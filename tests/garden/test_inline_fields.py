"""Dataview's field rules on single lines: key canonicalisation (Dataview's own test cases), wrappers, nesting, code."""

from __future__ import annotations

import pytest

from kgpub.sources.inline_fields import canonical_key, garden_key, line_fields
from kgpub.sources.markdown_body import markdown_lines


# blacksmithgu/obsidian-dataview src/test/util/normalize.test.ts, "Variable Canonicalization"
@pytest.mark.parametrize("raw, canonical", [
    ("test", "test"), ("property", "property"), ("test thing", "test-thing"), ("This     is test", "this-is-test"),
    ("test thing 3", "test-thing-3"), ("This is a Test.", "this-is-a-test"), ("Yes-sir", "yes-sir"), ("Статус", "статус"),
])
def test_canonical_key_as_dataview(raw, canonical):
    assert canonical_key(raw) == canonical


@pytest.mark.parametrize("raw, key", [
    ("Inhibited by", "INHIBITED_BY"), ("INHIBITED_BY", "INHIBITED_BY"), ("inhibited_by", "INHIBITED_BY"),
    ("Side  effect", "SIDE_EFFECT"), ("phenotype-of", "PHENOTYPE_OF"), ("Targets!", "TARGETS"),
])
def test_garden_key(raw, key):
    assert garden_key(raw) == key


def fields(text: str):
    return [(f.raw_key, f.key, "".join(s.text for s in f.value).strip(), f.line)
            for line in markdown_lines(text, 10) for f in line_fields(line)]


def test_wrapped_fields_anywhere_and_nested_brackets():
    assert fields("A [TARGETS:: [[X]]] b (Side effect:: [[Y]] (mild)) c") == [
        ("TARGETS", "TARGETS", "X", 10), ("Side effect", "SIDE_EFFECT", "Y (mild)", 10)]


def test_wrapped_fields_win_over_the_full_line_form():
    assert fields("NOTE:: text [TARGETS:: [[X]]]") == [("TARGETS", "TARGETS", "X", 10)]


def test_escaped_bracket_does_not_close():
    assert fields(r"[K:: a \] b]") == [("K", "K", r"a \] b", 10)]


def test_no_field_in_code_or_urls_or_single_colons():
    assert fields("`K:: [[X]]`") == []
    assert fields("See https://example.org/a::b and note: x") == []
    assert fields("Status: draft") == []


def test_file_lines_of_a_multi_line_paragraph_and_list():
    assert [f[3] for f in fields("intro\nA:: [[X]]\n\n- B:: [[Y]]\n- C:: [[Z]]")] == [11, 13, 14]


def test_front_matter_values_of_links_only(tmp_path):
    from kgpub.sources.garden import read_note
    from kgpub.sources.relationships import read_front_matter_relationships

    path = tmp_path / "n.md"
    path.write_text('---\ntype: drug\ntargets: "[[EGFR]], [[PTGS1]]"\nsummary: "[[EGFR]] is its target"\n'
                    'related: [[X]]\nsee: ["[A](a.md)", "[[B#Part|b]]"]\n---\nbody\n', encoding="utf-8")
    rels = read_front_matter_relationships(read_note(path, "n.md"), {"type"})
    assert [(r.key, r.target.target, r.location.line) for r in rels] == [
        ("TARGETS", "EGFR", 3), ("TARGETS", "PTGS1", 3), ("RELATED", "X", 5), ("SEE", "a", 6), ("SEE", "B", 6)]
