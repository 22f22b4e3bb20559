"""Rebuild on save: watch a garden (and the files its configuration names) and call a build after each burst of changes.

Changes are grouped over ``debounce_ms`` (watchfiles' debounce: the Rust ``notify`` backend,
polling where the file system has no events); changes under the output folder are ignored,
so a ``DIST`` inside the garden does not rebuild itself.  Ctrl-C ends the loop.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Protocol

from watchfiles import Change, DefaultFilter, watch


class StopEvent(Protocol):
    def is_set(self) -> bool: ...


class _GardenFilter(DefaultFilter):
    """watchfiles' default filter (editor swap files, VCS folders), and nothing under the output folders."""

    def __init__(self, ignored: Iterable[Path]):
        super().__init__()
        self.ignored = [p.resolve() for p in ignored]

    def __call__(self, change: Change, path: str) -> bool:
        resolved = Path(path).resolve()
        if any(resolved == p or resolved.is_relative_to(p) for p in self.ignored):
            return False
        return super().__call__(change, path)


def watch_garden(
    garden: Path,
    out: Path,
    rebuild: Callable[[set[Path]], None],
    *,
    also: Iterable[Path] = (),
    debounce_ms: int = 300,
    stop_event: StopEvent | None = None,
) -> int:
    """Call ``rebuild(changed paths)`` after each burst of changes under ``garden`` (and ``also``); returns the number of rebuilds.

    Returns when ``stop_event`` is set or on Ctrl-C (no exception: ending the watch is not an error).
    """
    paths = [garden, *(p for p in also if p.exists() and not p.resolve().is_relative_to(garden.resolve()))]
    rebuilds = 0
    for changes in watch(*paths, watch_filter=_GardenFilter([out]), debounce=debounce_ms, step=50,
                         stop_event=stop_event, raise_interrupt=False, rust_timeout=1000):
        rebuild({Path(path) for _, path in changes})
        rebuilds += 1
    return rebuilds
