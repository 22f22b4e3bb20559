"""Two limits uvicorn's httptools protocol lacks, added by configuration of its own hooks.

uvicorn arms its keep-alive timer only after a response, so a connection that never sends a
request (or sends its head a byte at a time) stays open for ever, and llhttp puts no bound on
the size of a request head.  :class:`BoundedHttpToolsProtocol` arms uvicorn's own timer when a
connection opens and when a request begins, disarms it when the head is complete (the
application's time is the query timeout's business), and answers ``431`` to a head longer than
``max_head_bytes``.  Parsing stays llhttp's.

uvicorn writes a response's head and its body to the socket apart: two system calls (on loopback,
each one also runs the receiver's side of TCP) where one would do.  :class:`CoalescingTransport`
joins the writes made in one turn of the event loop into one, sent at the end of that turn (at
once past ``flush_bytes``, and before a close).
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class CoalescingTransport:
    """A transport that sends the writes of one event-loop turn together (see the module doc)."""

    flush_bytes = 256 << 10

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop):
        self._transport, self._loop = transport, loop
        self._pending: list[bytes] = []
        self._size = 0

    def write(self, data: bytes) -> None:
        if not self._pending:
            self._loop.call_soon(self._flush)
        self._pending.append(data)
        self._size += len(data)
        if self._size >= self.flush_bytes:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        data = b"".join(self._pending)
        self._pending.clear()
        self._size = 0
        if not self._transport.is_closing():
            self._transport.write(data)

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def abort(self) -> None:
        self._pending.clear()
        self._transport.abort()

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def get_extra_info(self, name: str, default=None):
        return self._transport.get_extra_info(name, default)

    def pause_reading(self) -> None:
        self._transport.pause_reading()

    def resume_reading(self) -> None:
        self._transport.resume_reading()

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self._transport.set_protocol(protocol)

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + self._size


class HeadTooLarge(Exception):
    """Raised from a parser callback to stop parsing a request whose head is over the limit."""


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    #: bytes of request line + headers; set by :func:`kgpub.serve.run.uvicorn_config`'s caller
    max_head_bytes = 64 << 10
    head_timeout = 10.0

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(CoalescingTransport(transport, self.loop))  # type: ignore[arg-type]
        self._head_bytes = 0
        self._head_timer = None
        self._arm()

    def _arm(self) -> None:
        """Close the connection unless a complete request head arrives within ``head_timeout``."""
        self._disarm()
        self._head_timer = self.loop.call_later(self.head_timeout, self.timeout_keep_alive_handler)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def connection_lost(self, exc) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_bytes = 0
        if self._head_timer is None:
            self._arm()

    def _count(self, n: int) -> None:
        if self._head_bytes < 0:
            return
        self._head_bytes += n
        if self._head_bytes > self.max_head_bytes and not self.transport.is_closing():
            self.transport.write(b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain; "
                                 b"charset=utf-8\r\nconnection: close\r\ncontent-length: 37\r\n\r\n"
                                 b"the request head is over the limit.\r\n")
            self.transport.close()
            self._head_bytes = -1
            raise HeadTooLarge()  # stops llhttp; uvicorn's 400 goes to the closed transport

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        self._count(len(url))

    def on_header(self, name: bytes, value: bytes) -> None:
        super().on_header(name, value)
        self._count(len(name) + len(value) + 4)

    def on_headers_complete(self) -> None:
        self._head_bytes = -2  # the head is complete: no head timer until the next request begins
        self._disarm()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._head_bytes = 0
