"""kg.nq written from per-graph chunks: a kept chunk is written as it is, adding to its graph forgets it."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from kgpub.publish.files import GraphSet, manifest_for, write_nquads
from kgpub.publish.manifest import GraphDigest, digest_of

EX = "https://example.org/kg/"
A, B = NamedNode(EX + "note/a"), NamedNode(EX + "note/b")


def _quad(s: str, o: str, g: NamedNode) -> Quad:
    return Quad(NamedNode(EX + s), NamedNode(EX + "p"), Literal(o), g)


def _graphs() -> GraphSet:
    graphs = GraphSet()
    graphs.add(A, [_quad("x", "2", A), _quad("x", "1", A)])
    graphs.add(B, [_quad("y", "3", B)])
    return graphs


def test_chunks_are_kept_and_reused(tmp_path: Path) -> None:
    graphs = _graphs()
    digests: dict[NamedNode, GraphDigest] = {}
    write_nquads(graphs, tmp_path / "kg.nq", digests)
    first = (tmp_path / "kg.nq").read_bytes()
    assert first == (f'<{EX}x> <{EX}p> "1" <{EX}note/a> .\n<{EX}x> <{EX}p> "2" <{EX}note/a> .\n'
                     f'<{EX}y> <{EX}p> "3" <{EX}note/b> .\n').encode()
    assert graphs.chunks[A][0] == first.split(b"\n<" + f"{EX}y".encode())[0] + b"\n"
    assert (digests[A].count, digests[A].hexdigest()) == digest_of([_quad("x", "1", A), _quad("x", "2", A)])

    kept = _graphs()  # a later build: A's chunk known from the cache, B's not
    kept.chunks[A] = (graphs.chunks[A][0], GraphDigest.known(digests[A].count, digests[A].hexdigest()))
    again: dict[NamedNode, GraphDigest] = {}
    write_nquads(kept, tmp_path / "again.nq", again)
    assert (tmp_path / "again.nq").read_bytes() == first
    entries = {g.iri: (g.triples, g.digest) for g in manifest_for(kept, EX, again).graphs}
    assert entries == {g.iri: (g.triples, g.digest) for g in manifest_for(graphs, EX, digests).graphs}


def test_adding_to_a_graph_forgets_its_chunk(tmp_path: Path) -> None:
    graphs = _graphs()
    graphs.chunks[A] = (b"stale\n", GraphDigest())
    graphs.add(A, [_quad("x", "4", A)])
    assert A not in graphs.chunks
    write_nquads(graphs, tmp_path / "kg.nq")
    text = (tmp_path / "kg.nq").read_text()
    assert "stale" not in text and f'<{EX}x> <{EX}p> "4" <{EX}note/a> .' in text
