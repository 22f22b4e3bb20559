"""load_build reloads only the graphs whose digest changed, picking their lines out of kg.nq;
a file whose lines do not end with their graph is parsed whole instead."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from serving import write_graphs_dist

from kgpub.publish.load import STATE_NAME, load_build

GRAPHS = {f"http://example.org/g{i}": [f"<http://example.org/s{i}> <http://example.org/p> \"{i}-{j}\""
                                       for j in range(5)] for i in range(30)}


def _counts(store_path: Path) -> dict[str, int]:
    store = ox.Store.read_only(str(store_path))
    out: dict[str, int] = {}
    for q in store.quads_for_pattern(None, None, None):
        out[q.graph_name.value] = out.get(q.graph_name.value, 0) + 1
    return out


def test_changed_graphs_are_reloaded_from_their_lines(tmp_path):
    dist = write_graphs_dist(tmp_path / "dist", GRAPHS)
    first = load_build(dist, tmp_path / "store", progress=False)
    assert len(first.pushed) == 30 and _counts(tmp_path / "store")["http://example.org/g7"] == 5
    changed = dict(GRAPHS)
    changed["http://example.org/g7"] = GRAPHS["http://example.org/g7"][:3] + ['<http://example.org/s7> <http://example.org/q> "new"']
    del changed["http://example.org/g9"]
    write_graphs_dist(dist, changed)
    again = load_build(dist, tmp_path / "store", progress=False)
    assert again.pushed == ["http://example.org/g7"] and again.removed == ["http://example.org/g9"]
    counts = _counts(tmp_path / "store")
    assert counts["http://example.org/g7"] == 4 and "http://example.org/g9" not in counts and counts["http://example.org/g8"] == 5
    store = ox.Store.read_only(str(tmp_path / "store"))
    assert ox.Quad(ox.NamedNode("http://example.org/s7"), ox.NamedNode("http://example.org/q"), ox.Literal("new"),
                   ox.NamedNode("http://example.org/g7")) in store


def test_lines_written_another_way_are_parsed_whole(tmp_path):
    dist = write_graphs_dist(tmp_path / "dist", GRAPHS)
    load_build(dist, tmp_path / "store", progress=False)
    state = json.loads((tmp_path / "store" / STATE_NAME).read_text())
    state["graphs"]["http://example.org/g3"][0] = "0" * 64  # as if g3 had changed
    (tmp_path / "store" / STATE_NAME).write_text(json.dumps(state))
    # the same quads, with a tab before the graph: valid N-Quads no line of which ends " <g3> .\n"
    nq = dist / "kg.nq"
    nq.write_text(nq.read_text().replace(" <http://example.org/g3> .", "\t<http://example.org/g3> ."))
    report = load_build(dist, tmp_path / "store", progress=False)
    assert report.pushed == ["http://example.org/g3"] and _counts(tmp_path / "store")["http://example.org/g3"] == 5


def test_an_unchanged_manifest_is_not_read_again(tmp_path, monkeypatch):
    import os

    from kgpub.publish import load
    from kgpub.publish.manifest import Manifest

    dist = write_graphs_dist(tmp_path / "dist", GRAPHS)
    old = (dist / "manifest.json").stat().st_mtime_ns - 10_000_000_000
    os.utime(dist / "manifest.json", ns=(old, old))  # settled: written more than 2 s ago
    first = load_build(dist, tmp_path / "store", progress=False)
    assert len(first.pushed) == 30
    state = json.loads((tmp_path / "store" / STATE_NAME).read_text())
    assert state["manifest"][1:] == [(dist / "manifest.json").stat().st_size, old]
    assert state["base_iri"] == "https://example.org/kg/"

    def unread(cls, path):
        raise AssertionError("the manifest was read")
    monkeypatch.setattr(Manifest, "read", classmethod(unread))
    again = load_build(dist, tmp_path / "store", progress=False)
    assert again.pushed == [] and again.removed == [] and len(again.skipped) == 30
    assert again.base_iri == "https://example.org/kg/" and again.graphs == first.graphs
    assert ("http://example.org/g7", 5) in again.graphs
    monkeypatch.undo()
    # a new manifest (a new file, just written) is read, and what changed is loaded
    changed = dict(GRAPHS)
    del changed["http://example.org/g9"]
    write_graphs_dist(dist, changed)
    third = load_build(dist, tmp_path / "store", progress=False)
    assert third.removed == ["http://example.org/g9"] and "http://example.org/g9" not in _counts(tmp_path / "store")
    assert json.loads((tmp_path / "store" / STATE_NAME).read_text())["manifest"] is None  # too young to trust
    assert load.load_build(dist, tmp_path / "store", progress=False).removed == []
