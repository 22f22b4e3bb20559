"""A worker process of ``kgpub serve``: accepts on the socket its supervisor
(:class:`kgpub.publish.server.SparqlServer`) shares, answers HTTP with
:class:`~kgpub.publish.server.SparqlApp`, and runs each query itself, on the
event loop's thread (one query at a time per worker: no thread or process hop).

pyoxigraph cannot cancel a query, but it releases the GIL while it evaluates,
so a watchdog thread can act: when a query outlives its timeout, the watchdog
writes a 503 answer on that request's connection and ends the process; the
supervisor starts a new one.  Requests queued on the same worker's other
connections are lost with it (their clients see the connection closed).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import threading
import time

from .http1 import Http1Server, HttpRequest, HttpResponse, encode_response
from .server import ServerConfig, SparqlApp, execute_reply

EXIT_TIMED_OUT = 75


class Watchdog(threading.Thread):
    """Ends the process with a 503 on ``fd`` if the armed deadline passes."""

    def __init__(self, interval: float = 0.02):
        super().__init__(daemon=True, name="kgpub-watchdog")
        self.interval = interval
        self._lock = threading.Lock()
        self._deadline: float | None = None
        self._fd = -1
        self._timeout = 0.0

    def arm(self, timeout: float, fd: int) -> None:
        with self._lock:
            self._deadline, self._fd, self._timeout = time.monotonic() + timeout, fd, timeout

    def disarm(self) -> None:
        with self._lock:
            self._deadline = None

    def run(self) -> None:
        while True:
            time.sleep(self.interval)
            with self._lock:
                if self._deadline is None or time.monotonic() < self._deadline:
                    continue
                body = f"the query did not finish within the {self._timeout:g} s timeout and was stopped\n".encode()
                answer = encode_response(HttpResponse(503, "text/plain; charset=utf-8", body,
                                                      {"Access-Control-Allow-Origin": "*"}),
                                         head_only=False, keep_alive=False, server="kgpub")
                try:
                    if self._fd >= 0:
                        os.write(self._fd, answer)
                except OSError:
                    pass
                os._exit(EXIT_TIMED_OUT)


def main() -> None:
    """Entry: ``python -c ... FD`` with the settings in ``KGPUB_SERVE_CONFIG``."""
    from pyoxigraph import Store

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the supervisor stops us
    settings = json.loads(os.environ.pop("KGPUB_SERVE_CONFIG"))
    settings["graphs"] = tuple(tuple(g) for g in settings["graphs"])
    config = ServerConfig(**settings)
    sock = socket.socket(fileno=int(sys.argv[1]))
    store = Store(str(config.store)) if config.allow_update else Store.read_only(str(config.store))
    watchdog = Watchdog()
    watchdog.start()

    async def run(job: dict, timeout: float, request: HttpRequest) -> tuple[int, str, bytes]:
        watchdog.arm(timeout, request.fd)
        try:
            reply = execute_reply(store, job)
        finally:
            watchdog.disarm()
        if job["op"] == "update":
            store.flush()
        return reply

    server = Http1Server(config.host, config.port, SparqlApp(config, run, config.port).handle, sock=sock)
    # the supervisor holds our stdin: when it goes away, so do we
    server.loop.add_reader(sys.stdin.fileno(), lambda: os._exit(0) if not os.read(sys.stdin.fileno(), 1) else None)
    server.serve_forever()


__all__ = ["Watchdog", "main"]
