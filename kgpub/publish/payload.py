"""The graphs of a build as N-Triples chunks ready to send to a store.

A build (``DIST/``) lists its named graphs in ``manifest.json``; a graph lives
either in ``kg.nq`` (N-Quads, many graphs) or in its own N-Triples file(s)
(possibly gzip).  :func:`graph_chunks` yields a graph's triples as N-Triples
``bytes`` chunks of about ``chunk_bytes`` each, never splitting the triples of a
blank node across chunks: a store gives each request its own blank-node scope,
so a split group would become two different nodes.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from pyoxigraph import NamedNode, RdfFormat, parse

from ..errors import ConfigError, InputError
from .manifest import GraphEntry, Manifest

DEFAULT_CHUNK_BYTES = 8 << 20
_BNODE = re.compile(rb"_:[A-Za-z0-9_][A-Za-z0-9_.\-]*")


@dataclass
class _UnionFind:
    parent: dict[bytes, bytes] = field(default_factory=dict)

    def find(self, x: bytes) -> bytes:
        root = x
        while self.parent.setdefault(root, root) != root:
            root = self.parent[root]
        while self.parent[x] != root:  # path compression
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, labels: list[bytes]) -> bytes:
        root = self.find(labels[0])
        for other in labels[1:]:
            r = self.find(other)
            if r != root:
                self.parent[r] = root
        return root


def group_blank_nodes(lines: Iterable[bytes]) -> tuple[list[bytes], list[list[bytes]]]:
    """Split N-Triples lines into (lines without blank nodes, groups of lines sharing blank nodes)."""
    plain: list[bytes] = []
    pending: list[tuple[bytes, bytes]] = []  # (a label of the line, line)
    uf = _UnionFind()
    for line in lines:
        labels = _BNODE.findall(line) if b"_:" in line else []
        if not labels:
            plain.append(line)
            continue
        uf.union(labels)
        pending.append((labels[0], line))
    groups: dict[bytes, list[bytes]] = {}
    for label, line in pending:
        groups.setdefault(uf.find(label), []).append(line)
    return plain, list(groups.values())


def pack_chunks(plain: Iterable[bytes], groups: Iterable[list[bytes]], chunk_bytes: int) -> Iterator[bytes]:
    """Pack lines (each ending with ``\\n``) and closed groups of lines into chunks of about ``chunk_bytes``."""
    buf: list[bytes] = []
    size = 0
    for item in _items(plain, groups):
        buf.extend(item)
        size += sum(len(x) for x in item)
        if size >= chunk_bytes:
            yield b"".join(buf)
            buf, size = [], 0
    if buf:
        yield b"".join(buf)


def _items(plain: Iterable[bytes], groups: Iterable[list[bytes]]) -> Iterator[list[bytes]]:
    for line in plain:
        yield [line]
    yield from groups


class DistReader:
    """Reads the graphs of one build; caches the split of ``kg.nq`` by graph."""

    def __init__(self, dist: Path):
        self.dist = Path(dist)
        self._quads: dict[str, dict[str, list[bytes]]] = {}

    def quad_lines(self, entry: GraphEntry) -> list[bytes] | None:
        """The N-Quads lines of ``entry`` (each ending with ``" <graph> .\\n"``) when it lives in an
        N-Quads file (read once, kept split by graph), else None: graphs in their own files are
        streamed by :meth:`chunks` and :meth:`blocks`."""
        if "quads" not in entry.format:
            return None
        if not entry.files:
            raise ConfigError(f"{self.dist / 'manifest.json'}: graph {entry.iri} lists no file")
        lines: list[bytes] = []
        for name in entry.files:
            lines.extend(self._quads_file(name).get(entry.iri, []))
        return lines

    def lines(self, entry: GraphEntry) -> list[bytes] | None:
        """The N-Triples lines of ``entry`` when it lives in an N-Quads file, else None."""
        quads = self.quad_lines(entry)
        return None if quads is None else [line[:line.rfind(b" <", 0, len(line) - 4)] + b" .\n" for line in quads]

    def chunks(self, entry: GraphEntry, chunk_bytes: int = DEFAULT_CHUNK_BYTES) -> Iterator[bytes]:
        """N-Triples chunks of the graph ``entry``; blank-node groups stay in one chunk."""
        if not entry.files:
            raise ConfigError(f"{self.dist / 'manifest.json'}: graph {entry.iri} lists no file")
        lines = self.lines(entry)
        if lines is not None:
            plain, groups = group_blank_nodes(lines)
            yield from pack_chunks(plain, groups, chunk_bytes)
            return
        for name in entry.files:
            path = self.dist / name
            if "turtle" in entry.format or path.name.endswith((".ttl", ".ttl.gz")):
                yield from self._turtle_file(path, chunk_bytes)
            else:
                yield from self._ntriples_file(path, chunk_bytes)

    def blocks(self, entry: GraphEntry, block_bytes: int = 1 << 20) -> Iterator[tuple[int, bytes]]:
        """The N-Triples of a graph in its own files as blocks of whole lines, each with the index of
        its file in ``entry.files`` (a file's blank-node labels are its own)."""
        if not entry.files:
            raise ConfigError(f"{self.dist / 'manifest.json'}: graph {entry.iri} lists no file")
        for index, name in enumerate(entry.files):
            path = self.dist / name
            if "turtle" in entry.format or path.name.endswith((".ttl", ".ttl.gz")):
                for chunk in self._turtle_file(path, block_bytes):
                    yield index, chunk
                continue
            opener = gzip.open if path.suffix == ".gz" else open
            try:
                with opener(path, "rb") as stream:  # type: ignore[operator]
                    rest = b""
                    while block := stream.read(block_bytes):
                        block = rest + block
                        cut = block.rfind(b"\n") + 1
                        rest = block[cut:]
                        if cut:
                            yield index, block[:cut]
                    if rest.strip():
                        yield index, rest + b"\n"
            except FileNotFoundError:
                raise ConfigError(f"{path}: listed in the manifest but missing") from None
            except (OSError, EOFError) as error:
                raise InputError(f"cannot read: {error}", path=path) from error

    @staticmethod
    def _turtle_file(path: Path, chunk_bytes: int) -> Iterator[bytes]:
        """A Turtle file (``.gz`` allowed, e.g. an import's ``void.ttl``) as N-Triples chunks."""
        opener = gzip.open if path.suffix == ".gz" else open
        try:
            with opener(path, "rb") as stream:  # type: ignore[operator]
                lines = [f"{t.subject} {t.predicate} {t.object} .\n".encode("utf-8")
                         for t in parse(stream, format=RdfFormat.TURTLE)]
        except FileNotFoundError:
            raise ConfigError(f"{path}: listed in the manifest but missing") from None
        except SyntaxError as error:
            raise InputError(f"not valid Turtle: {error}", path=path) from error
        plain, groups = group_blank_nodes(lines)
        yield from pack_chunks(plain, groups, chunk_bytes)

    def _quads_file(self, name: str) -> dict[str, list[bytes]]:
        """The N-Quads lines of each graph of the N-Quads file ``name``, read once.

        The file is checked with pyoxigraph's parser (a syntax error names its line), then split by
        the last term of each line: the graph IRI, which holds no space.  That split is trusted when
        every graph of the file gets exactly the triple count the manifest gives it (lines as
        kgpub writes them); otherwise (other spacing, a default-graph triple ending in a graph's
        IRI) each quad is re-serialised from the parser's terms, five times slower."""
        if name not in self._quads:
            path = self.dist / name
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                raise ConfigError(f"{path}: listed in the manifest but missing") from None
            try:
                for _ in parse(data, format=RdfFormat.N_QUADS):
                    pass
            except SyntaxError as error:
                raise InputError(f"not valid N-Quads: {error}", path=path) from error
            by_graph = self._split_lines(data)
            expected = {g.iri: g.triples for g in Manifest.read(self.dist).graphs if g.files == [name]}
            if any(len(by_graph.get(iri, ())) != n for iri, n in expected.items()):
                by_graph = self._split_parsed(data)
            self._quads[name] = by_graph
        return self._quads[name]

    @staticmethod
    def _split_lines(data: bytes) -> dict[str, list[bytes]]:
        by_graph: dict[bytes, list[bytes]] = {}
        for line in data.splitlines(keepends=True):
            if not line.endswith(b"> .\n"):
                continue  # a default-graph triple (or a comment): never part of a named graph
            cut = line.rfind(b" <", 0, len(line) - 4)
            by_graph.setdefault(line[cut + 2:-4], []).append(line)
        return {g.decode("utf-8", "replace"): lines for g, lines in by_graph.items()}

    @staticmethod
    def _split_parsed(data: bytes) -> dict[str, list[bytes]]:
        by_graph: dict[str, list[bytes]] = {}
        for quad in parse(data, format=RdfFormat.N_QUADS):
            g = quad.graph_name
            if isinstance(g, NamedNode):
                by_graph.setdefault(g.value, []).append(
                    f"{quad.subject} {quad.predicate} {quad.object} {g} .\n".encode("utf-8"))
        return by_graph

    @staticmethod
    def _ntriples_file(path: Path, chunk_bytes: int) -> Iterator[bytes]:
        """Stream an N-Triples file (``.gz`` allowed) in chunks; blank-node lines are grouped and sent last."""
        opener = gzip.open if path.suffix == ".gz" else open
        bnode_lines: list[bytes] = []
        try:
            with opener(path, "rb") as stream:  # type: ignore[operator]
                rest = b""
                while True:
                    block = stream.read(chunk_bytes)
                    if not block:
                        break
                    block = rest + block
                    cut = block.rfind(b"\n") + 1
                    if cut == 0:
                        rest = block
                        continue
                    body, rest = block[:cut], block[cut:]
                    if b"_:" in body:
                        lines = body.splitlines(keepends=True)
                        bnode_lines.extend(x for x in lines if b"_:" in x)
                        body = b"".join(x for x in lines if b"_:" not in x)
                    if body:
                        yield body
                if rest.strip():
                    rest = rest if rest.endswith(b"\n") else rest + b"\n"
                    if b"_:" in rest:
                        bnode_lines.append(rest)
                    else:
                        yield rest
        except FileNotFoundError:
            raise ConfigError(f"{path}: listed in the manifest but missing") from None
        except (OSError, EOFError) as error:
            raise InputError(f"cannot read: {error}", path=path) from error
        if bnode_lines:
            plain, groups = group_blank_nodes(bnode_lines)
            yield from pack_chunks(plain, groups, chunk_bytes)


__all__ = ["DistReader", "group_blank_nodes", "pack_chunks", "DEFAULT_CHUNK_BYTES"]
