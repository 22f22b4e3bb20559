"""The incremental build's cache on disk (``DIST/.kgpub-cache/``) and its records (:mod:`kgpub.stages.cache` uses them).

``files.sqlite`` holds one row per note file (its :class:`FileRecord`) and one per published note
(its :class:`NoteGraph`), pickled, so a rebuild writes only the rows of what it read or emitted
again; ``build.pickle`` holds the rest (where each graph's lines are in ``kg.nq``, the subject
and ``kg.ttl`` indexes, the validation results) and the generation of the rows that go with it.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Quad, RdfFormat, parse

from ..diagnostics import Diagnostic
from ..model.notes import Note
from ..publish.blocks import TurtleIndex
from ..publish.files import KG_NQ, KG_TTL
from ..validate.report import ValidationReport
from .classify import Classified
from .collector import collector_paused
from .emit import Edge

#: The folder of DIST holding the cache (not an output: push, serve and readers ignore it).
CACHE_FOLDER = ".kgpub-cache"
_CACHE_FILE = "build.pickle"
_RECORDS_FILE = "files.sqlite"


@dataclass
class FileRecord:
    """A note file as last read: the digest of its bytes, the note (``None``: unreadable) and its diagnostics;
    then what the note is (before permalink claims) and the diagnostics of classifying it."""

    digest: str
    note: Note | None
    diagnostics: list[Diagnostic]
    classified: Classified | None = None
    classify_diagnostics: list[Diagnostic] = field(default_factory=list)
    #: the file's size, modification time and inode when its bytes had this digest; ``None`` when it had been
    #: modified less than :data:`kgpub.cache.SETTLED_NS` before (a later write could keep all three)
    stat: tuple[int, int, int] | None = None


@dataclass
class NoteGraph:
    """A published note's graph as last emitted, valid while the note's inputs have ``inputs``.

    ``nquads`` (its own quads, sorted N-Quads) is kept only when its graph holds more than this
    note's quads (evidence, another note); otherwise its quads are its graph's lines of ``kg.nq``.
    """

    inputs: str
    graph: str
    nquads: bytes | None
    edges: list[Edge]
    diagnostics: list[Diagnostic]


#: A note graph's place in ``kg.nq``: the digest of its source (:func:`_sources`), offset, length, triple count, digest.
Chunk = tuple[str, int, int, int, str]


@dataclass
class BuildCache:
    key: str
    files: dict[str, FileRecord] = field(default_factory=dict)  # by path relative to the garden
    notes: dict[str, NoteGraph] = field(default_factory=dict)  # by path relative to the garden
    evidence: dict[str, bytes] = field(default_factory=dict)  # supports: evidence quads by graph
    metadata: dict[str, bytes] = field(default_factory=dict)  # metadata graph(s) by IRI
    sources: dict[str, str] = field(default_factory=dict)  # each note graph's source digest (:func:`_sources`)
    chunks: dict[str, Chunk] = field(default_factory=dict)  # each note graph's lines of the kg.nq written
    subjects: dict[str, tuple[str, ...]] = field(default_factory=dict)  # the data graphs stating each subject (subject_key)
    turtle: TurtleIndex | None = None  # the blocks of the kg.ttl written
    stamps: dict[str, tuple[int, int]] = field(default_factory=dict)  # kg.nq and kg.ttl as written: size, mtime
    results: ValidationReport | None = None
    results_turtle: bytes | None = None  # validation.ttl of ``results``
    #: the index facts of the build (:func:`kgpub.stages.index.index_facts`, pickled: :func:`pack_facts`) and the inputs
    #: of its entity notes that are a function of their file and that index (:data:`kgpub.stages.cache.PureInputs`): a
    #: build whose records give the same facts takes them without resolving those notes' links
    #: (:meth:`kgpub.session.BuildSession.new_index`)
    index_facts: bytes = b""
    pure_inputs: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: the last build's kg.nq and kg.ttl (read by :meth:`open` when they are as written; not saved)
    nq: bytes = field(default=b"", repr=False)
    ttl: bytes | None = field(default=None, repr=False)

    generation: str = ""  # which rows of files.sqlite go with this build.pickle
    #: ``build.pickle`` as :meth:`save` wrote it (size, mtime; not saved): the cache in memory is that file's while they are the same
    saved_stamp: tuple[int, int] | None = field(default=None, repr=False)
    #: why :meth:`open` found no usable cache in a folder that has one ("": it did, or there was none; not saved)
    unused: str = field(default="", repr=False)

    def __getstate__(self) -> dict:
        return {**self.__dict__, "files": {}, "notes": {}, "nq": b"", "ttl": None, "saved_stamp": None, "unused": ""}

    @classmethod
    @collector_paused()
    def open(cls, out: Path, key: str, kept: "BuildCache | None" = None) -> "BuildCache":
        """The cache in ``out`` if it was written for ``key`` and ``out/kg.nq`` is the file it describes, else an empty one
        whose :attr:`unused` says why (nothing when ``out`` has no cache).

        ``kept``, the cache saved last in ``out`` by this process, is taken from memory while ``build.pickle`` is the file it wrote.
        """
        folder = out / CACHE_FOLDER
        path = folder / _CACHE_FILE
        stamp = stamp_of(path)
        if stamp is None:
            return cls(key)
        if kept is not None and kept.saved_stamp == stamp:
            cache: BuildCache | str = kept
        else:
            cache = _load(folder)
        if isinstance(cache, str):
            return cls(key, unused=f"{folder}: {cache}")
        if cache.key != key:
            return cls(key, unused=f"{folder}: written by another version, configuration or set of options")
        if cache.chunks:
            if stamp_of(out / KG_NQ) != cache.stamps.get(KG_NQ):
                return cls(key, unused=f"{out / KG_NQ}: changed since {path} was written")  # the note graphs' quads are read from kg.nq
            cache.nq = (out / KG_NQ).read_bytes()
        if cache.turtle is not None and stamp_of(out / KG_TTL) == cache.stamps.get(KG_TTL):
            cache.ttl = (out / KG_TTL).read_bytes()
        return cache

    def graph_quads(self, graph: str) -> list[Quad]:
        """A note graph's quads as the last build wrote them."""
        _, offset, length, _, _ = self.chunks[graph]
        return list(parse(self.nq[offset:offset + length], format=RdfFormat.N_QUADS))

    def note_quads(self, entry: NoteGraph) -> list[Quad]:
        """A cached note's own quads."""
        if entry.nquads is not None:
            return list(parse(entry.nquads, format=RdfFormat.N_QUADS))
        return self.graph_quads(entry.graph)

    @collector_paused()
    def save(self, out: Path, previous: "BuildCache | None" = None) -> None:
        """Write the cache into ``out``: the records of files and notes into ``files.sqlite`` (only those not in
        ``previous``, the cache read at the start of the build, when the file holds its rows), the rest into ``build.pickle``."""
        folder = out / CACHE_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        self.generation = os.urandom(16).hex()
        with closing(sqlite3.connect(folder / _RECORDS_FILE)) as db, db:
            db.execute("CREATE TABLE IF NOT EXISTS records (kind TEXT, path TEXT, record BLOB NOT NULL, PRIMARY KEY (kind, path))")
            db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
            row = db.execute("SELECT value FROM meta WHERE name = 'generation'").fetchone()
            delta = previous is not None and bool(previous.generation) and row == (previous.generation,)
            if not delta:
                db.execute("DELETE FROM records")
            for kind, now, before in (("file", self.files, previous.files if delta else {}),  # type: ignore[union-attr]
                                      ("note", self.notes, previous.notes if delta else {})):  # type: ignore[union-attr]
                db.executemany("DELETE FROM records WHERE kind = ? AND path = ?", [(kind, p) for p in before if p not in now])
                db.executemany("INSERT OR REPLACE INTO records VALUES (?, ?, ?)",
                               [(kind, p, pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL)) for p, r in now.items() if before.get(p) is not r])
            db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (self.generation,))
        tmp = folder / (_CACHE_FILE + ".tmp")
        with tmp.open("wb") as f:
            pickle.dump(self, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / _CACHE_FILE)
        self.saved_stamp = stamp_of(folder / _CACHE_FILE)


def _load(folder: Path) -> BuildCache | str:
    """The cache in ``folder``, or why it cannot be read."""
    try:
        with (folder / _CACHE_FILE).open("rb") as f:
            cache = pickle.load(f)
        if not isinstance(cache, BuildCache):
            return f"{_CACHE_FILE} holds no build cache"
        with closing(sqlite3.connect(f"file:{folder / _RECORDS_FILE}?mode=ro", uri=True)) as db:
            if db.execute("SELECT value FROM meta WHERE name = 'generation'").fetchone() != (cache.generation,):
                return f"{_RECORDS_FILE} is not the one {_CACHE_FILE} was written with"
            for kind, path, record in db.execute("SELECT kind, path, record FROM records"):
                (cache.files if kind == "file" else cache.notes)[path] = pickle.loads(record)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError, sqlite3.Error) as error:
        return f"unreadable ({type(error).__name__}: {error})"
    return cache


def pack_facts(facts: list[tuple]) -> bytes:
    """Index facts as :attr:`BuildCache.index_facts` keeps them (pickled once per set of facts, not each save)."""
    return pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL)


def unpack_facts(packed: bytes) -> list[tuple] | None:
    """:func:`pack_facts`'s facts, or ``None`` (none kept, or not readable)."""
    if not packed:
        return None
    try:
        facts = pickle.loads(packed)
    except (EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return None
    return facts if isinstance(facts, list) else None


def stamp_of(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


