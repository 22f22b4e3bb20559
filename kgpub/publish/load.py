"""Load a build into the on-disk store ``kgpub serve`` reads, with pyoxigraph's bulk loader.

One pass over each file the manifest names (``kg.nq`` and every ``--with`` shard), with a live
progress bar (quads/s, ETA) on stderr.  What the store holds is recorded beside it in
``kgpub-loaded.json`` (graph IRI -> digest and triple count, as in the manifest), so the next start
loads only graphs whose digest changed and removes graphs the build no longer has; a start with
nothing changed reads two JSON files and opens nothing.  The record also keeps the manifest's
inode, size and modification time (once it is 2 s old, like :func:`kgpub.cache.file_digest`): while
they are the same, the manifest is the one loaded and is not read at all (3 MB and 10,000 entries
for a 10,000-note build: most of a second start's own work).  A load that did not finish (an error, a
kill) leaves the record marked incomplete, and the next start rebuilds the store from scratch.
"""

from __future__ import annotations

import io
import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from isal import igzip
from pyoxigraph import NamedNode, RdfFormat, Store, parse
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from ..cache import SETTLED_NS
from ..errors import ConfigError, InputError, StoreError
from .manifest import MANIFEST_NAME, GraphEntry, Manifest

STATE_NAME = "kgpub-loaded.json"


@dataclass
class LoadReport:
    pushed: list[str] = field(default_factory=list)  # graphs loaded now
    skipped: list[str] = field(default_factory=list)  # graphs already there, unchanged
    removed: list[str] = field(default_factory=list)  # graphs the build no longer has
    quads: int = 0
    seconds: float = 0.0
    graphs: tuple[tuple[str, int], ...] = ()  # every graph served, with its triple count
    base_iri: str = ""  # the build's, from its manifest


class _Counting(io.RawIOBase):
    """A binary file that counts the bytes read from it (the progress of a load)."""

    def __init__(self, path: Path, progress: Progress, task, quads_per_byte: float):
        self.file = open(path, "rb")
        self.progress, self.task, self.quads_per_byte = progress, task, quads_per_byte
        self.started = time.perf_counter()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.file.readinto(buffer)
        done = self.progress.tasks[0].completed + n
        rate = done * self.quads_per_byte / max(time.perf_counter() - self.started, 1e-9)
        self.progress.update(self.task, advance=n, rate=f"{rate:,.0f} quads/s")
        return n

    def close(self) -> None:
        self.file.close()
        super().close()


def _read_state(store_path: Path) -> dict | None:
    try:
        return json.loads((store_path / STATE_NAME).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except ValueError:
        return {"complete": False, "graphs": {}}


def _write_state(store_path: Path, complete: bool, graphs: dict[str, list], manifest: list | None = None,
                 base_iri: str | None = None) -> None:
    tmp = store_path / (STATE_NAME + ".tmp")
    record = {"complete": complete, "graphs": graphs, "manifest": manifest, "base_iri": base_iri}
    tmp.write_text(json.dumps(record, sort_keys=True), encoding="utf-8")
    tmp.replace(store_path / STATE_NAME)


def _manifest_stamp(dist: Path) -> list | None:
    """The manifest's inode, size and modification time, or None while it may still change."""
    try:
        stat = (dist / MANIFEST_NAME).stat()
    except OSError:
        return None  # Manifest.read says what is wrong
    if time.time_ns() - stat.st_mtime_ns < SETTLED_NS:  # it may still be rewritten within the same tick
        return None
    return [stat.st_ino, stat.st_size, stat.st_mtime_ns]


def _format(entry: GraphEntry, path: Path) -> RdfFormat:
    if "quads" in entry.format:
        return RdfFormat.N_QUADS
    if "turtle" in entry.format or path.name.endswith((".ttl", ".ttl.gz")):
        return RdfFormat.TURTLE
    return RdfFormat.N_TRIPLES


def load_build(dist: Path, store_path: Path, *, progress: bool = True) -> LoadReport:
    """Bring the store at ``store_path`` up to date with the build in ``dist`` (see the module doc)."""
    started = time.perf_counter()
    dist, store_path = Path(dist), Path(store_path)
    stamp = _manifest_stamp(dist)  # before reading it: a manifest rewritten meanwhile is read again next time
    state = _read_state(store_path)
    if (stamp is not None and state is not None and state.get("complete") and state.get("manifest") == stamp
            and isinstance(state.get("base_iri"), str)):
        held = state["graphs"]  # the manifest is the one this store was loaded from
        report = LoadReport(skipped=sorted(held), graphs=tuple(sorted((iri, g[1]) for iri, g in held.items())),
                            base_iri=state["base_iri"])
        report.seconds = time.perf_counter() - started
        return report
    manifest = Manifest.read(dist)
    want = {g.iri: g for g in manifest.graphs}
    if state is None or not state.get("complete"):
        if store_path.exists() and any(store_path.iterdir()):
            shutil.rmtree(store_path)  # an unfinished or unrecorded load: start from scratch
        state = {"complete": True, "graphs": {}}
    held: dict[str, list] = state["graphs"]
    report = LoadReport(graphs=tuple(sorted((iri, g.triples) for iri, g in want.items())), base_iri=manifest.base_iri)
    report.skipped = sorted(iri for iri, g in want.items() if held.get(iri) == [g.digest, g.triples])
    unchanged = set(report.skipped)
    report.pushed = sorted(iri for iri in want if iri not in unchanged)
    report.removed = sorted(iri for iri in held if iri not in want)
    if not report.pushed and not report.removed:
        if stamp is not None and (state.get("manifest") != stamp or state.get("base_iri") != manifest.base_iri):
            _write_state(store_path, True, held, stamp, manifest.base_iri)
        report.seconds = time.perf_counter() - started
        return report
    store_path.mkdir(parents=True, exist_ok=True)
    keep = {iri: held[iri] for iri in report.skipped}
    _write_state(store_path, False, keep)
    try:
        store = Store(str(store_path))
    except OSError as error:
        raise StoreError(f"{store_path}: cannot open the store: {error}") from error
    try:
        for iri in [*report.removed, *(i for i in report.pushed if i in held)]:
            store.remove_graph(NamedNode(iri))
        report.quads = _load(dist, manifest, store, [want[i] for i in report.pushed], progress)
        store.flush()
    finally:
        del store
    _write_state(store_path, True, {**keep, **{i: [want[i].digest, want[i].triples] for i in report.pushed}},
                 stamp, manifest.base_iri)
    report.seconds = time.perf_counter() - started
    return report


def _load(dist: Path, manifest: Manifest, store: Store, entries: list[GraphEntry], show: bool) -> int:
    """Bulk-load the graphs ``entries`` from their files: whole files where every graph is wanted."""
    by_file: dict[str, list[GraphEntry]] = {}
    for entry in entries:
        if not entry.files:
            raise ConfigError(f"{dist / 'manifest.json'}: graph {entry.iri} lists no file")
        for name in entry.files:
            by_file.setdefault(name, []).append(entry)
    paths = {name: dist / name for name in by_file}
    for name, path in paths.items():
        if not path.is_file():
            raise ConfigError(f"{path}: listed in the manifest but missing")
    total_bytes = sum(p.stat().st_size for p in paths.values())
    total_quads = sum(e.triples for e in entries)
    columns = (TextColumn("loading"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
               TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn())
    with Progress(*columns, disable=not show, transient=False) as bar:
        task = bar.add_task("load", total=max(total_bytes, 1), rate="")
        for name, wanted in by_file.items():
            path = paths[name]
            fmt = _format(wanted[0], path)
            raw = _Counting(path, bar, task, total_quads / max(total_bytes, 1))
            stream = igzip.IGzipFile(fileobj=raw) if path.suffix == ".gz" else io.BufferedReader(raw, 1 << 20)
            try:
                if fmt == RdfFormat.N_QUADS:
                    in_file = {g.iri for g in manifest.graphs if name in g.files}
                    if {e.iri for e in wanted} >= in_file:
                        store.bulk_load(input=stream, format=fmt)
                    else:
                        _load_some(store, stream, path, wanted)
                else:
                    store.bulk_load(input=stream, format=fmt, to_graph=NamedNode(wanted[0].iri))
            except SyntaxError as error:
                raise InputError(f"not valid {fmt.name}: {error}", path=path) from error
            except (OSError, EOFError) as error:
                raise InputError(f"cannot read: {error}", path=path) from error
            finally:
                stream.close()
    return total_quads


def _load_some(store: Store, stream, path: Path, wanted: list[GraphEntry]) -> None:
    """Load the graphs ``wanted`` out of an N-Quads file that holds others too.

    A quad of graph ``g`` is a line ending in `` <g> .``: the lines that do are picked out
    without parsing the rest (a reload after one edited note reads the file, it does not parse
    it) and parsed; only quads whose graph is wanted are kept.  If the quads found are not the
    triple counts the manifest gives (a file written some other way), the whole file is parsed.
    """
    names = {e.iri for e in wanted}
    endings = tuple(f" <{iri}> .\n".encode() for iri in names)
    if len(endings) <= 64 and path.suffix != ".gz":  # a few graphs: find their lines in the bytes
        data = path.read_bytes()
        lines = []
        for ending in endings:
            at = data.find(ending)
            while at >= 0:
                end = at + len(ending)
                lines.append(data[data.rfind(b"\n", 0, at) + 1:end])
                at = data.find(ending, end)
        picked = b"".join(lines)
    else:
        picked = b"".join(line for line in stream if line.endswith(endings))
    quads = [q for q in parse(picked, format=RdfFormat.N_QUADS)
             if isinstance(q.graph_name, NamedNode) and q.graph_name.value in names]
    if len(quads) == sum(e.triples for e in wanted):
        # the bulk loader costs about 0.3 s whatever it loads: a few quads go in one transaction
        (store.extend if len(quads) < 100_000 else store.bulk_extend)(quads)
        return
    with open(path, "rb") as raw:
        whole = igzip.IGzipFile(fileobj=raw) if path.suffix == ".gz" else io.BufferedReader(raw, 1 << 20)
        store.bulk_extend(q for q in parse(whole, format=RdfFormat.N_QUADS)
                          if isinstance(q.graph_name, NamedNode) and q.graph_name.value in names)


__all__ = ["LoadReport", "load_build", "STATE_NAME"]
