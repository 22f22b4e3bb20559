"""kgpub's cache folder, under the XDG cache directory: ``$XDG_CACHE_HOME/kgpub`` (default ``~/.cache/kgpub``).

Nothing else is written under ``$HOME``: bioregistry keeps its data through pystow, whose
folders (``PYSTOW_HOME``, ``PYSTOW_CONFIG_HOME``, pystow's documented variables) are pointed
into this cache unless the user set them.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kgpub"


def keep_pystow_in_cache() -> None:
    """Point pystow (bioregistry's data folder) into :func:`cache_dir`, before bioregistry is imported."""
    os.environ.setdefault("PYSTOW_HOME", str(cache_dir() / "pystow"))
    os.environ.setdefault("PYSTOW_CONFIG_HOME", str(cache_dir() / "pystow-config"))
