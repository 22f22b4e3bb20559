"""``kgpub serve --watch``: rebuild the garden on save and serve the changed graphs without a restart.

pyoxigraph's read-only stores (what the executors hold) must not be written by another process
while they are open, so the served store is never written in place.  A reload makes a new
*generation* of it instead: a RocksDB checkpoint of the one being served (``Store.backup``: hard
links, milliseconds), brought up to date with the new build by :func:`kgpub.publish.load.load_build`
(only the graphs whose digest changed are removed and loaded again, graphs the build no longer has
are removed), then handed to the pool (:meth:`PoolBackend.switch`), whose executors open it before
their next query and whose answer caches are emptied.  A reader sees the old generation or the new
one, never a graph half loaded.  Generations live in ``STORE.live/`` and are removed once two newer
ones exist and when the server stops; the store itself (``STORE``) is brought up to date by the
next start, as after any rebuild.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from pyoxigraph import Store
from watchfiles import DefaultFilter, awatch

from ..errors import KgpubError
from ..publish.load import STATE_NAME, LoadReport, load_build
from .pool import PoolBackend

if TYPE_CHECKING:
    from ..session import BuildSession

log = logging.getLogger("kgpub.serve")


@dataclass
class WatchSettings:
    garden: Path
    dist: Path
    store: Path
    config: Path | None = None
    extra_dists: list[Path] = field(default_factory=list)
    keep: int = 2  # generations kept besides the one served (readers may still be on the last ones)


class _GardenFilter(DefaultFilter):
    """watchfiles' default filter (editors' swap files, .git, ...), and nothing under DIST or STORE."""

    def __init__(self, skip: list[Path]):
        super().__init__()
        self.skip = [str(p.resolve()) for p in skip]

    def __call__(self, change, path: str) -> bool:
        return super().__call__(change, path) and not any(path == s or path.startswith(s + "/") for s in self.skip)


class Reloader:
    """Watches the garden; after each burst of saves, rebuilds and switches the pool's store."""

    def __init__(self, settings: WatchSettings, backend: PoolBackend,
                 on_reload: Callable[[LoadReport], None] | None = None):
        self.settings, self.backend, self.on_reload = settings, backend, on_reload
        self.live = settings.store.parent / (settings.store.name + ".live")
        self.generations: list[Path] = []
        self.reloads = 0
        self._stop = asyncio.Event()
        self._warming: asyncio.Task | None = None
        self._session: BuildSession | None = None  # what the last rebuild kept for the next (made by the first one)

    async def run(self) -> None:
        s = self.settings
        shutil.rmtree(self.live, ignore_errors=True)  # generations of an earlier run
        watch_filter = _GardenFilter([s.dist, s.store, self.live])
        self._warming = asyncio.get_running_loop().create_task(asyncio.to_thread(self._warm))
        self._warming.add_done_callback(lambda _: log.warning("watching %s: a save rebuilds and reloads", s.garden))
        async for changes in awatch(s.garden, watch_filter=watch_filter, stop_event=self._stop, step=50,
                                    debounce=1000):
            names = sorted({Path(p).name for _, p in changes})
            log.warning("garden changed (%s): rebuilding", ", ".join(names[:5]) + (" ..." if len(names) > 5 else ""))
            await self.reload()

    async def reload(self) -> LoadReport | None:
        """Rebuild and serve the result; a failed build is reported and the served data stays."""
        started = time.perf_counter()
        if self._warming is not None:
            await self._warming
        try:
            staged = await asyncio.to_thread(self._rebuild, Path(self.backend.settings.store))
        except (KgpubError, OSError) as error:
            log.error("rebuild failed, still serving the previous build: %s", error)
            return None
        if staged is None:
            log.warning("rebuilt: no graph changed (%.2f s)", time.perf_counter() - started)
            return None
        path, report = staged
        self.backend.switch(str(path))
        self.generations.append(path)
        self.reloads += 1
        while len(self.generations) > self.settings.keep + 1:
            shutil.rmtree(self.generations.pop(0), ignore_errors=True)
        if self.on_reload is not None:
            self.on_reload(report)
        log.warning("reloaded %d graphs, removed %d (%s quads) in %.2f s", len(report.pushed), len(report.removed),
                    f"{report.quads:,}", time.perf_counter() - started)
        return report

    @staticmethod
    def _warm() -> None:
        """Load what the first rebuild needs (the build's modules, the identifier registry) before
        the first save, not after it."""
        from ..build import build_garden  # noqa: F401 - imported for its import time
        from ..identifiers import Identifiers

        Identifiers.default()

    def _rebuild(self, current: Path) -> tuple[Path, LoadReport] | None:
        from ..build import build_garden  # the build's stages are only needed here
        from ..session import BuildSession

        s = self.settings
        if self._session is None:
            self._session = BuildSession()
        result = build_garden(s.garden, s.dist, config=s.config, extra_dists=s.extra_dists, session=self._session)
        for line in result.log.render():
            log.warning("%s", line)
        self.live.mkdir(parents=True, exist_ok=True)
        target = self.live / f"{self.reloads + 1}-{time.monotonic_ns()}"
        served = Store.read_only(str(current))
        try:
            served.backup(str(target))
        finally:
            del served
        shutil.copyfile(current / STATE_NAME, target / STATE_NAME)
        report = load_build(s.dist, target, progress=False)
        if not report.pushed and not report.removed:
            shutil.rmtree(target, ignore_errors=True)
            return None
        return target, report

    def stop(self) -> None:
        self._stop.set()

    def clean(self) -> None:
        shutil.rmtree(self.live, ignore_errors=True)


__all__ = ["Reloader", "WatchSettings"]
