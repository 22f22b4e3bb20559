"""The lexicon cache: a second read comes from the cache, a changed file is read again."""

from __future__ import annotations

import shutil
from pathlib import Path

from kgpub.diagnostics import DiagnosticLog
from kgpub.grounding.cache import cache_dir, cached_read
from kgpub.grounding.model import LexiconSource
from kgpub.identifiers import Identifiers

FIXTURES = Path(__file__).parent / "fixtures"


def test_cache_keyed_by_digest(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    lexicon = tmp_path / "hp.obo"
    shutil.copy(FIXTURES / "hp_subset.obo", lexicon)
    ids, log = Identifiers.default(), DiagnosticLog()
    first = cached_read(LexiconSource(lexicon, "obo"), ids, log)
    assert [e.ids for e in first][:1] == [("hp:0000855",)]
    assert len(list(cache_dir().glob("*.pickle"))) == 1 and cache_dir().is_relative_to(tmp_path)
    assert cached_read(LexiconSource(lexicon, "obo"), ids, log) == first
    lexicon.write_text(lexicon.read_text(encoding="utf-8").replace("name: Obesity", "name: Adiposity"), encoding="utf-8")
    changed = cached_read(LexiconSource(lexicon, "obo"), ids, log)
    assert "Adiposity" in {e.label for e in changed} and "Obesity" not in {e.label for e in changed}
    assert len(list(cache_dir().glob("*.pickle"))) == 2


def test_malformed_rows_are_reported_and_skipped(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    lexicon = tmp_path / "hgnc.tsv"
    lines = (FIXTURES / "hgnc_subset.tsv").read_text(encoding="utf-8").splitlines()
    lines.insert(3, "HGNC:391\tAKT1")  # too few cells
    lines.insert(5, "\t".join(["HGNC:abc", "BROKEN"] + [""] * 11))  # not an HGNC id
    lexicon.write_text("\n".join(lines) + "\n", encoding="utf-8")
    log = DiagnosticLog()
    entries = cached_read(LexiconSource(lexicon, "hgnc-tsv"), Identifiers.default(), log)
    assert [(d.line, "skipped" in d.message) for d in log.errors] == [(4, True), (6, True)]
    assert all(str(lexicon) == d.path for d in log.errors)
    assert len(entries) == len(lines) - 3  # header and the two bad rows
    assert list(cache_dir().glob("*.pickle")) == []  # not cached: the errors are reported again next build
