"""Serve the app on uvicorn: front-end processes (httptools parser, uvloop), each with its executor pool.

uvicorn owns the wire: RFC 9112 framing and header validation (llhttp), chunked request bodies,
``100-continue``, the keep-alive idle timeout, the connection limit (``limit_concurrency``: past
it, new requests get 503); :mod:`.wire` adds a timeout for the request head and a bound on its size.  The socket is bound here first, so a taken port is a clear error and
port 0 picks a free one.

With ``frontends`` above one, the process forks that many minus one copies of itself once the
store is loaded; all accept on the one listening socket (whichever is free takes the next
connection) and each runs its own app, pool and answer cache.  Not ``SO_REUSEPORT``: with it a
second ``kgpub serve`` on a taken port would quietly share it instead of failing.  The first
process ends the others when it stops; each copy is sent SIGTERM if the first one dies.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import logging
import os
import signal
import socket
from dataclasses import dataclass, field
from typing import Awaitable, Callable, Protocol

import uvicorn
import uvloop

from ..errors import ConfigError
from .app import ASGIApp, AppSettings, create_app
from .backend import QueryBackend
from ..publish.load import LoadReport
from .pool import PoolBackend, PoolSettings
from .reload import Reloader, WatchSettings
from .wire import BoundedHttpToolsProtocol

log = logging.getLogger("kgpub.serve")


class PagesApp(Protocol):
    """The pages app as a front end runs it: an ASGI app, and a warm-up run in the background once
    the pool is up (the pages' label index, which their first request would otherwise wait for)."""

    async def __call__(self, scope, receive, send) -> None: ...

    async def warm(self) -> None: ...


@dataclass
class ServerSettings:
    host: str = "127.0.0.1"
    port: int = 7878
    idle_timeout: int = 5  # seconds a keep-alive connection may sit idle
    max_connections: int = 512  # open connections + running requests; past it: 503
    max_head_bytes: int = 64 << 10  # request line + headers; past it: 431
    app: AppSettings = field(default_factory=AppSettings)
    pool: PoolSettings | None = None
    watch: WatchSettings | None = None  # rebuild and reload on save (one front end)
    frontends: int = 1  # front-end processes accepting on the one socket, each with its own pool


def bind(host: str, port: int) -> socket.socket:
    try:
        sock = socket.create_server((host, port), backlog=2048, family=socket.AF_INET6 if ":" in host else socket.AF_INET)
    except OSError as error:
        raise ConfigError(f"cannot listen on {host}:{port}: {error.strerror or error}") from error
    sock.set_inheritable(True)
    return sock


class _Lifespan:
    """Starts the pool (and the reloader of ``--watch``) before the first request and stops them
    (every executor) at shutdown."""

    def __init__(self, app: ASGIApp, backend: PoolBackend, reloader: Reloader | None = None,
                 warm: Callable[[], Awaitable[None]] | None = None):
        self.app, self.backend, self.reloader, self.warm = app, backend, reloader, warm
        self._watching: asyncio.Task | None = None
        self._warming: asyncio.Task | None = None

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "lifespan":
            return await self.app(scope, receive, send)
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await self.backend.start()
                except Exception as error:  # report it through the server, which then exits
                    await send({"type": "lifespan.startup.failed", "message": str(error)})
                    return
                if self.reloader is not None:
                    self._watching = asyncio.get_running_loop().create_task(self.reloader.run())
                if self.warm is not None:
                    self._warming = asyncio.get_running_loop().create_task(self._warm_up(self.warm))
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self._warming is not None:
                    self._warming.cancel()
                    await asyncio.gather(self._warming, return_exceptions=True)
                if self.reloader is not None and self._watching is not None:
                    self.reloader.stop()
                    self._watching.cancel()
                    await asyncio.gather(self._watching, return_exceptions=True)
                await self.backend.close()
                if self.reloader is not None:
                    self.reloader.clean()
                await send({"type": "lifespan.shutdown.complete"})
                return

    @staticmethod
    async def _warm_up(warm: Callable[[], Awaitable[None]]) -> None:
        try:
            await warm()
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 - a failed warm-up only means the first page does the work
            log.warning("warming up the pages failed (their first request does it): %s", error)


def uvicorn_config(app: ASGIApp, settings: ServerSettings) -> uvicorn.Config:
    protocol = type("KgpubHttpProtocol", (BoundedHttpToolsProtocol,),
                    {"max_head_bytes": settings.max_head_bytes, "head_timeout": settings.idle_timeout})
    return uvicorn.Config(app, loop="uvloop", http=protocol, ws="none", lifespan="on", access_log=False,
                          timeout_keep_alive=settings.idle_timeout, limit_concurrency=settings.max_connections,
                          server_header=False, log_level="warning", proxy_headers=False)


def serve(settings: ServerSettings, sock: socket.socket,
          pages: Callable[[QueryBackend], PagesApp] | None = None) -> None:
    """Run until SIGINT/SIGTERM.  ``sock`` comes from :func:`bind`; ``pages`` makes the pages app
    (``kgpub.web``) over the same executor pool as the SPARQL endpoint."""
    children = []
    try:
        for _ in range(settings.frontends - 1):
            pid = os.fork()
            if pid == 0:
                _as_copy(settings, sock, pages)
            children.append(pid)
        _serve_one(settings, sock, pages)
    finally:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        for pid in children:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


_PR_SET_PDEATHSIG = 1


def _as_copy(settings: ServerSettings, sock: socket.socket,
             pages: Callable[[QueryBackend], PagesApp] | None) -> None:
    """The body of a forked front end, on the listening socket it shares; never returns."""
    code = 0
    try:
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        _serve_one(settings, sock, pages)
    except KeyboardInterrupt:
        pass
    except BaseException:  # noqa: BLE001 - a copy reports and exits; it must never return into the caller
        log.exception("front end %d stopped", os.getpid())
        code = 1
    finally:
        logging.shutdown()
        os._exit(code)


def _serve_one(settings: ServerSettings, sock: socket.socket,
               pages: Callable[[QueryBackend], PagesApp] | None) -> None:
    assert settings.pool is not None
    backend = PoolBackend(settings.pool)
    reloader = None
    if settings.watch is not None:
        def described(report: LoadReport) -> None:
            settings.app.graphs = report.graphs
        reloader = Reloader(settings.watch, backend, described)
    pages_app = pages(backend) if pages else None
    app = _Lifespan(create_app(settings.app, backend, pages_app), backend, reloader,
                    pages_app.warm if pages_app is not None else None)
    server = uvicorn.Server(uvicorn_config(app, settings))
    # Everything built so far (modules, the app) lives as long as the process: out of the
    # collector's sight, a full collection no longer walks it and pauses every request for it.
    gc.freeze()
    with contextlib.closing(sock):
        uvloop.run(server.serve(sockets=[sock]))
    if not server.started:
        raise ConfigError("the server did not start (see the messages above)")


__all__ = ["PagesApp", "ServerSettings", "bind", "serve", "uvicorn_config"]
