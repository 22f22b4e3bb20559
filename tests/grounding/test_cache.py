"""The lexicon cache: a second read comes from the cache, a changed file is read again."""

from __future__ import annotations

import shutil
from pathlib import Path

from kgpub.diagnostics import DiagnosticLog
from kgpub.grounding import cache, index
from kgpub.grounding.cache import cache_dir, cached_index
from kgpub.grounding.model import LexiconSource
from kgpub.identifiers import Identifiers

FIXTURES = Path(__file__).parent / "fixtures"


def test_cache_keyed_by_digest(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    lexicon = tmp_path / "hp.obo"
    shutil.copy(FIXTURES / "hp_subset.obo", lexicon)
    ids, log = Identifiers.default(), DiagnosticLog()
    first = cached_index(LexiconSource(lexicon, "obo"), ids, log)
    assert first.entry(0).ids == ("hp:0000855",)
    assert len(list(cache_dir().glob("*.index"))) == 1 and cache_dir().is_relative_to(tmp_path)
    again = cached_index(LexiconSource(lexicon, "obo"), ids, log)
    assert again.records == first.records and again.tiers == first.tiers and again is not first
    lexicon.write_text(lexicon.read_text(encoding="utf-8").replace("name: Obesity", "name: Adiposity"), encoding="utf-8")
    changed = cached_index(LexiconSource(lexicon, "obo"), ids, log)
    labels = {changed.entry(i).label for i in range(len(changed))}
    assert "Adiposity" in labels and "Obesity" not in labels
    assert [e.label for e, _ in changed.hits(0, "adiposity")] == ["Adiposity"]
    assert len(list(cache_dir().glob("*.index"))) == 2


def test_malformed_rows_are_reported_and_skipped(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    lexicon = tmp_path / "hgnc.tsv"
    lines = (FIXTURES / "hgnc_subset.tsv").read_text(encoding="utf-8").splitlines()
    lines.insert(3, "HGNC:391\tAKT1")  # too few cells
    lines.insert(5, "\t".join(["HGNC:abc", "BROKEN"] + [""] * 11))  # not an HGNC id
    lexicon.write_text("\n".join(lines) + "\n", encoding="utf-8")
    log = DiagnosticLog()
    entries = cached_index(LexiconSource(lexicon, "hgnc-tsv"), Identifiers.default(), log)
    assert [(d.line, "skipped" in d.message) for d in log.errors] == [(4, True), (6, True)]
    assert all(str(lexicon) == d.path for d in log.errors)
    assert len(entries) == len(lines) - 3  # header and the two bad rows
    assert list(cache_dir().glob("*.index")) == []  # not cached: the errors are reported again next build


def test_warm_read_is_the_ready_index(tmp_path: Path, monkeypatch) -> None:
    """A second build reads no lexicon file and normalises no name: the index comes from the cache as it was."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source, ids, log = LexiconSource(FIXTURES / "hgnc_subset.tsv", "hgnc-tsv"), Identifiers.default(), DiagnosticLog()
    first = cached_index(source, ids, log)

    def refuse(*args, **kwargs):
        raise AssertionError("the lexicon was read or indexed again")

    monkeypatch.setattr(cache, "read_lexicon", refuse)
    monkeypatch.setattr(index, "plain_key", refuse)
    monkeypatch.setattr(index, "loose_key", refuse)
    warm = cached_index(source, ids, log)
    assert [(e.ids[0], m) for e, m in warm.hits(2, "rachgamma")] == []
    assert [(e.ids, m) for e, m in warm.hits(3, "racgamma")] == [(("ncbigene:10000", "hgnc:393", "uniprot:Q9Y243"), "RAC-gamma")]
    assert warm.tiers == first.tiers
    (path,) = cache_dir().glob("*.index")
    path.write_bytes(b"\x00damaged")
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert cached_index(source, ids, log).records == first.records  # a damaged entry is read again
    assert not log.errors
