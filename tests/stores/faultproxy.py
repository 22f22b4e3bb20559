"""A small HTTP fault-injecting proxy for tests: forwards requests to a real server, or
drops the connection, delays, or answers 500, as its plan says.

``plan`` is a list of faults consumed one per request (``None`` forwards); once it
is empty every request is forwarded.  ``match`` restricts faults to requests whose
path contains it.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

DROP = "drop"          # close the connection without an answer (request not forwarded)
DROP_AFTER = "drop-after"  # forward, then close without passing the answer on
ERROR_500 = "500"      # answer 500 without forwarding
DELAY = "delay"        # wait `delay` seconds, then forward


class FaultProxy:
    def __init__(self, target: str, *, delay: float = 0.5):
        self.target = target.rstrip("/")
        self.delay = delay
        self.plan: list[str | None] = []
        self.match = ""
        self.seen: list[tuple[str, str, str]] = []  # (method, path, fault)
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                fault = proxy._next_fault(self.path)
                proxy.seen.append((self.command, self.path, fault or ""))
                if fault == DROP:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                if fault == ERROR_500:
                    payload = b"injected failure"
                    self.send_response(500)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                if fault == DELAY:
                    time.sleep(proxy.delay)
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ("host", "content-length", "connection", "transfer-encoding")}
                response = requests.request(self.command, proxy.target + self.path, data=body,
                                            headers=headers, timeout=60, allow_redirects=False)
                if fault == DROP_AFTER:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                content = response.content
                self.send_response(response.status_code)
                for k, v in response.headers.items():
                    if k.lower() not in ("content-length", "connection", "transfer-encoding", "content-encoding"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def _next_fault(self, path: str) -> str | None:
        with self._lock:
            if self.plan and self.match in path:
                return self.plan.pop(0)
        return None

    def start(self) -> "FaultProxy":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)
