"""A small HTTP/1.1 server on asyncio: keep-alive, pipelined requests answered in order,
``Content-Length`` bodies, and one coroutine handler run on the event loop (which must not block).

It replaces ``http.server`` for ``kgpub serve``: parsing a request is a split of
its head, with no per-request thread or ``email`` header parser, which is what
made most of the per-request cost of the stdlib server.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Awaitable, Callable

log = logging.getLogger(__name__)

MAX_HEAD = 64 << 10


@dataclass
class HttpRequest:
    method: str
    target: str
    headers: dict[str, str]  # lower-case names
    body: bytes = b""
    fd: int = -1  # the connection's socket, for a last-resort answer (see serve_worker)


@dataclass
class HttpResponse:
    status: int
    content_type: str
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[HttpRequest], Awaitable[HttpResponse]]


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def encode_response(response: HttpResponse, *, head_only: bool, keep_alive: bool, server: str) -> bytes:
    lines = [f"HTTP/1.1 {response.status} {_reason(response.status)}", f"Server: {server}",
             f"Content-Type: {response.content_type}", f"Content-Length: {len(response.body)}"]
    lines += [f"{k}: {v}" for k, v in response.headers.items()]
    if not keep_alive:
        lines.append("Connection: close")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return head if head_only else head + response.body


class _Connection(asyncio.Protocol):
    def __init__(self, server: "Http1Server"):
        self.server = server
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None
        self.pending: asyncio.Queue[tuple[HttpRequest, bool] | None] = asyncio.Queue()
        self.task: asyncio.Task | None = None
        self.closing = False

    def connection_made(self, transport) -> None:
        self.transport = transport
        sock = transport.get_extra_info("socket")
        self.fd = -1
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.fd = sock.fileno()
        self.task = asyncio.get_running_loop().create_task(self._answer())

    def connection_lost(self, exc) -> None:
        self.closing = True
        self.pending.put_nowait(None)

    def data_received(self, data: bytes) -> None:
        if self.closing:
            return
        self.buffer += data
        while not self.closing:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buffer) > MAX_HEAD:
                    self._fail(431, "request head too large")
                return
            head = bytes(self.buffer[:end]).decode("latin-1")
            lines = head.split("\r\n")
            parts = lines[0].split(" ")
            if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
                return self._fail(400, "malformed request line")
            headers: dict[str, str] = {}
            for line in lines[1:]:
                name, sep, value = line.partition(":")
                if not sep:
                    return self._fail(400, "malformed header line")
                name = name.strip().lower()
                headers[name] = f"{headers[name]}, {value.strip()}" if name in headers else value.strip()
            if "chunked" in headers.get("transfer-encoding", "").lower():
                return self._fail(411, "chunked request bodies are not supported: send Content-Length")
            try:
                length = int(headers.get("content-length") or 0)
            except ValueError:
                return self._fail(400, "bad Content-Length")
            if length < 0:
                return self._fail(400, "bad Content-Length")
            if length > self.server.max_body:
                return self._fail(413, f"request body larger than {self.server.max_body >> 20} MiB")
            if len(self.buffer) < end + 4 + length:
                return
            body = bytes(self.buffer[end + 4:end + 4 + length])
            del self.buffer[:end + 4 + length]
            connection = headers.get("connection", "").lower()
            keep = "close" not in connection and (parts[2] != "HTTP/1.0" or "keep-alive" in connection)
            self.pending.put_nowait((HttpRequest(parts[0].upper(), parts[1], headers, body, self.fd), keep))
            if not keep:
                self.closing = True

    def _fail(self, status: int, message: str) -> None:
        self.closing = True
        self.pending.put_nowait((HttpRequest("ERROR", str(status), {}, message.encode()), False))

    async def _answer(self) -> None:
        while True:
            item = await self.pending.get()
            if item is None or self.transport is None or self.transport.is_closing():
                return
            request, keep = item
            if request.method == "ERROR":
                response = HttpResponse(int(request.target), "text/plain; charset=utf-8", request.body + b"\n")
            else:
                try:
                    response = await self.server.handler(request)
                except Exception as error:  # a handler bug answers 500, the server keeps going
                    log.exception("handler failed")
                    response = HttpResponse(500, "text/plain; charset=utf-8",
                                            f"internal error: {type(error).__name__}\n".encode())
            if self.transport.is_closing():
                return
            self.transport.write(encode_response(response, head_only=request.method == "HEAD",
                                                 keep_alive=keep, server=self.server.name))
            if not keep:
                self.transport.close()
                return


class Http1Server:
    """Listens on ``host:port`` (0 = a free port), or accepts on ``sock``, and answers with the
    coroutine ``handler``."""

    def __init__(self, host: str, port: int, handler: Handler, *, max_body: int = 16 << 20, name: str = "kgpub",
                 sock: socket.socket | None = None):
        self.handler, self.max_body, self.name = handler, max_body, name
        self.loop = asyncio.new_event_loop()
        self.sock = sock if sock is not None else socket.create_server((host, port))
        self.server_address = self.sock.getsockname()[:2]
        self._stopped = threading.Event()

    def serve_forever(self) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(
            self.loop.create_server(lambda: _Connection(self), sock=self.sock, backlog=128))
        try:
            self.loop.run_forever()
        finally:
            server.close()
            for task in asyncio.all_tasks(self.loop):
                task.cancel()
            self.loop.run_until_complete(asyncio.sleep(0))
            self.loop.close()
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop :meth:`serve_forever` (from another thread) and wait for it."""
        if not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._stopped.wait(timeout=10)

    def server_close(self) -> None:
        self.sock.close()
        if not self.loop.is_closed() and not self.loop.is_running():
            self.loop.close()


__all__ = ["Http1Server", "HttpRequest", "HttpResponse", "encode_response"]
