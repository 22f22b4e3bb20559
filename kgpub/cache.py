"""kgpub's cache folder, under the XDG cache directory: ``$XDG_CACHE_HOME/kgpub`` (default ``~/.cache/kgpub``).

Nothing else is written under ``$HOME``: bioregistry keeps its data through pystow, whose
folders (``PYSTOW_HOME``, ``PYSTOW_CONFIG_HOME``, pystow's documented variables) are pointed
into this cache unless the user set them.
"""

from __future__ import annotations

import hashlib
import os
import time
from functools import lru_cache
from pathlib import Path


def cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kgpub"


#: A file modified less than this long ago is hashed again on every call: a second write within the
#: file system's timestamp granularity could keep the same mtime and size (git's "racily clean" rule).
SETTLED_NS = 2_000_000_000


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, read in blocks; computed once per version of the file in a process
    (a build's cache key and the lexicon cache both key on the same lexicon files)."""
    stat = path.stat()
    if time.time_ns() - stat.st_mtime_ns < SETTLED_NS:
        return _digest.__wrapped__(str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size)
    return _digest(str(path.resolve()), stat.st_ino, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _digest(path: str, inode: int, mtime_ns: int, size: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def keep_pystow_in_cache() -> None:
    """Point pystow (bioregistry's data folder) into :func:`cache_dir`, before bioregistry is imported."""
    os.environ.setdefault("PYSTOW_HOME", str(cache_dir() / "pystow"))
    os.environ.setdefault("PYSTOW_CONFIG_HOME", str(cache_dir() / "pystow-config"))
