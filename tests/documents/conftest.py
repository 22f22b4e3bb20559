"""Helpers for the documents tests: notes read with the garden reader, emit contexts, stores."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Store

from kgpub.diagnostics import DiagnosticLog
from kgpub.emit.context import EmitContext
from kgpub.identifiers import Identifiers
from kgpub.iris import IriMinter
from kgpub.model.notes import Note
from kgpub.sources.garden import read_note

BASE = "https://example.org/kg/"


def note_from(path: Path, relpath: str | None = None) -> Note:
    return read_note(path, relpath or path.name)


def note_from_text(tmp_path: Path, name: str, text: str) -> Note:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_note(path, name)


def context(note: Note, log: DiagnosticLog | None = None, index=None) -> EmitContext:
    minter = IriMinter(BASE)
    permalink = note.permalink or f"/note/{Path(note.relpath).stem}/"
    return EmitContext(
        minter=minter, ids=Identifiers.default(), note=note, note_iri=minter.note(permalink),
        log=log or DiagnosticLog(), index=index,
    )


def store_of(quads) -> Store:
    store = Store()
    store.extend(list(quads))
    return store


def ask(store: Store, query: str) -> bool:
    return bool(store.query("PREFIX kgo: <https://w3id.org/kgpub/ontology/> " + query, use_default_graph_as_union=True))


def iri(text: str) -> NamedNode:
    return NamedNode(text)
