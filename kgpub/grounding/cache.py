"""Lexicon cache: the ready index of a lexicon file (:class:`~kgpub.grounding.index.LexiconIndex`,
marshalled) under ``$XDG_CACHE_HOME/kgpub/lexicons`` (default ``~/.cache/kgpub``), keyed by the file's
SHA-256, its format and prefix, the kgpub version and the source of the code that reads and indexes it
(a changed normalisation makes new keys).  A file that gave errors is not cached, so its diagnostics
are reported on every build."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .. import __version__
from ..cache import cache_dir as kgpub_cache_dir
from ..cache import file_digest
from ..diagnostics import DiagnosticLog
from ..identifiers import Identifiers
from . import index as index_module
from . import lexicons, normalise
from .index import LexiconIndex
from .lexicons import read_lexicon
from .model import LexiconSource


def _code_digest() -> bytes:
    """The source of the modules that read and index lexicons, read once: a build keeps one key per file."""
    digest = hashlib.sha256()
    for code in (Path(index_module.__file__), Path(normalise.__file__), *sorted(Path(lexicons.__file__).parent.glob("*.py"))):
        digest.update(code.read_bytes())
    return digest.digest()


_CODE = _code_digest()


def cache_dir() -> Path:
    """Where ready lexicon indexes are kept: ``lexicons/`` in kgpub's cache folder."""
    return kgpub_cache_dir() / "lexicons"


def _key(source: LexiconSource) -> str:
    digest = hashlib.sha256(file_digest(source.path).encode())
    digest.update(f"|{source.format}|{source.prefix}|{source.name}|{__version__}".encode())
    digest.update(_CODE)
    return digest.hexdigest()


def cached_index(source: LexiconSource, ids: Identifiers, log: DiagnosticLog) -> LexiconIndex:
    """The index of ``source``: from the cache when it holds one for this file, else read, indexed and cached."""
    if not source.path.is_file():
        return LexiconIndex.build(read_lexicon(source, ids, log))  # reports the missing file
    path = cache_dir() / f"{_key(source)}.index"
    if path.is_file():
        try:
            ready = LexiconIndex.from_bytes(path.read_bytes())
        except OSError:
            ready = None
        if ready is not None:
            return ready  # a damaged entry is read again below
    errors = len(log.errors)
    built = LexiconIndex.build(read_lexicon(source, ids, log))
    if len(log.errors) == errors:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(built.to_bytes())
            tmp.replace(path)
        except OSError as error:
            log.warning(str(source.path), None, f"cannot cache the lexicon in {path.parent}: {error}", code="lexicon")
    return built
