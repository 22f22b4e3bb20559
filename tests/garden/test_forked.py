"""Classification in forked worker processes: the same records, diagnostics and files as in the process."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kgpub.build import build_garden
from kgpub.stages import forked
from kgpub.stages.forked import forked_map, workers_for

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

needs_two_cores = pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="forks only with two cores or more")


class Item:
    def __init__(self, n: int):
        self.n = n


def _tag(part):
    return [(item, item.n * 10, os.getpid()) for item in part]


def _fails(part):
    if any(item.n == 5 for item in part):
        raise ValueError("item 5 refused")
    return [item.n for item in part]


def test_forked_map_keeps_order_and_gives_back_the_callers_items():
    items = [Item(n) for n in range(11)]
    results = forked_map(_tag, items, 3)
    assert [value for _item, value, _pid in results] == [n * 10 for n in range(11)]
    assert all(item is items[i] for i, (item, _value, _pid) in enumerate(results))  # the caller's objects, not copies
    pids = {pid for _item, _value, pid in results}
    assert len(pids) == 3 and os.getpid() not in pids


def test_forked_map_raises_a_workers_exception():
    with pytest.raises(ValueError, match="item 5 refused"):
        forked_map(_fails, [Item(n) for n in range(8)], 2)


def test_forked_map_with_one_worker_runs_in_the_process():
    assert {pid for _item, _value, pid in forked_map(_tag, [Item(1), Item(2)], 1)} == {os.getpid()}


@needs_two_cores
def test_few_items_are_not_forked(monkeypatch):
    monkeypatch.setattr(forked, "MIN_ITEMS_PER_WORKER", 500)
    assert workers_for(999) == 1
    assert workers_for(1000) == 2


@needs_two_cores
def test_build_with_forked_classification_writes_the_same_files(tmp_path, monkeypatch):
    garden = tmp_path / "garden"
    shutil.copytree(EXAMPLES / "garden", garden)
    odd = garden / "gene" / "widget-1.md"  # an unknown note type: minted, with one warning at its first note
    odd.write_text("---\ntype: widget\ntitle: Widget 1\ndg-publish: true\n---\n# Widget 1\n", encoding="utf-8")
    (garden / "gene" / "widget-2.md").write_text(odd.read_text(encoding="utf-8").replace("1", "2"), encoding="utf-8")
    monkeypatch.setattr(forked, "MAX_WORKERS", 1)
    alone = build_garden(garden, tmp_path / "alone", cache=False)
    monkeypatch.setattr(forked, "MAX_WORKERS", 4)
    monkeypatch.setattr(forked, "MIN_ITEMS_PER_WORKER", 1)
    assert workers_for(alone.notes_read) >= 2
    shared = build_garden(garden, tmp_path / "forked", cache=False)
    assert [str(d) for d in shared.log] == [str(d) for d in alone.log]
    assert any("note type 'widget' is not in mappings/note_types.tsv: its 2 note(s)" in str(d) for d in shared.log)
    names = sorted(p.name for p in (tmp_path / "alone").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "forked").iterdir())
    for name in names:
        assert (tmp_path / "alone" / name).read_bytes() == (tmp_path / "forked" / name).read_bytes(), name
