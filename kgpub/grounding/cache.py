"""Lexicon cache: the entries read from a lexicon file, pickled under ``$XDG_CACHE_HOME/kgpub/lexicons``
(default ``~/.cache/kgpub``), keyed by the file's SHA-256, its format and prefix, and the kgpub version.
A file that gave errors is not cached, so its diagnostics are reported on every build."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from .. import __version__
from ..diagnostics import DiagnosticLog
from ..identifiers import Identifiers
from .lexicons import read_lexicon
from .model import LexiconEntry, LexiconSource


def cache_dir() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "kgpub" / "lexicons"


def _key(source: LexiconSource) -> str:
    digest = hashlib.sha256()
    with source.path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    digest.update(f"|{source.format}|{source.prefix}|{source.name}|{__version__}".encode())
    return digest.hexdigest()


def cached_read(source: LexiconSource, ids: Identifiers, log: DiagnosticLog) -> list[LexiconEntry]:
    if not source.path.is_file():
        return read_lexicon(source, ids, log)  # reports the missing file
    path = cache_dir() / f"{_key(source)}.pickle"
    if path.is_file():
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError):
            pass  # a damaged entry is read again below
    errors = len(log.errors)
    entries = read_lexicon(source, ids, log)
    if len(log.errors) == errors:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as handle:
                pickle.dump(entries, handle, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(path)
        except OSError as error:
            log.warning(str(source.path), None, f"cannot cache the lexicon in {path.parent}: {error}", code="lexicon")
    return entries
