"""Servers of the web tests on 127.0.0.1: the pages app on uvicorn (a thread of this process),
and ``kgpub serve`` (the SPARQL endpoint the query page talks to) as its own process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
import uvicorn


class ThreadedUvicorn:
    """An ASGI app served by uvicorn on a free port of 127.0.0.1, in a daemon thread."""

    def __init__(self, app):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> "ThreadedUvicorn":
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class KgpubServe:
    """``kgpub serve DIST`` on a free port, stopped (terminate, then kill) on exit."""

    def __init__(self, dist: Path, folder: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / "serve.log"
        self.command = [sys.executable, "-c", "from kgpub.cli import run; run()", "serve", str(dist),
                        "--store", str(folder / "store"), "--port", str(self.port)]

    def __enter__(self) -> "KgpubServe":
        self.log_file = self.log.open("wb")
        self.proc = subprocess.Popen(self.command, stdout=self.log_file, stderr=subprocess.STDOUT, env=dict(os.environ))
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"kgpub serve exited: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                if requests.get(f"{self.url}/sparql?query=ASK%7B%7D", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("kgpub serve did not answer within 90 s")

    def __exit__(self, *exc) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.log_file.close()


class PageLinks(HTMLParser):
    """The links of an HTML page (``a``/``link`` href, ``script``/``img`` src), for the crawls."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {"a": "href", "link": "href", "script": "src", "img": "src"}
        for name, value in attrs:
            if tag in names and name == names[tag] and value:
                self.links.append(value)


def crawl(root: str, depth: int, headers: dict[str, str] | None = None) -> dict[str, int]:
    """Status of every URL of ``root``'s host reachable from ``root`` in at most ``depth`` links (HTML
    pages only are followed; a link is resolved against the URL the page was answered from)."""
    host = urlsplit(root).netloc
    seen: dict[str, int] = {}
    frontier = [root]
    for level in range(depth + 1):
        next_frontier = []
        for url in frontier:
            if url in seen:
                continue
            r = requests.get(url, timeout=30, headers=headers)
            seen[url] = r.status_code
            if level == depth or not r.headers.get("content-type", "").startswith("text/html"):
                continue
            parser = PageLinks()
            parser.feed(r.text)
            for link in parser.links:
                absolute = urljoin(r.url, link).split("#")[0]
                if urlsplit(absolute).netloc == host and absolute not in seen:
                    next_frontier.append(absolute)
        frontier = next_frontier
    return seen
