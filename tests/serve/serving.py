"""Helpers of the server tests: DIST folders made from given graphs, `kgpub serve` as a real process, a canary."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "stores"))

from servers import Server, start_kgpub_serve  # noqa: E402

from kgpub.publish.manifest import GraphDigest, GraphEntry, Manifest  # noqa: E402

TOKEN = "s3cret-update-token"


def write_graphs_dist(out: Path, graphs: dict[str, list[str]], base: str = "https://example.org/kg/") -> Path:
    """A DIST (kg.nq + manifest.json) holding ``graphs``: graph IRI -> N-Triples lines (no final dot)."""
    out.mkdir(parents=True, exist_ok=True)
    entries, lines = [], []
    for iri, triples in graphs.items():
        digest = GraphDigest()
        for t in triples:
            digest.add_line(f"{t} .")
            lines.append(f"{t} <{iri}> .\n")
        entries.append(GraphEntry(iri, digest.count, digest.hexdigest(), ["kg.nq"]))
    (out / "kg.nq").write_text("".join(lines), encoding="utf-8")
    Manifest(base, "test", entries).write(out)
    return out


@dataclass
class Served:
    server: Server

    @property
    def url(self) -> str:
        return f"{self.server.base_url}/sparql"

    @property
    def port(self) -> int:
        return int(self.server.base_url.rsplit(":", 1)[1])

    def stop(self) -> int:
        self.server.proc.send_signal(signal.SIGINT)
        try:
            return self.server.proc.wait(timeout=20)
        finally:
            self.server.stop()

    def log(self) -> str:
        return (self.server.folder / "kgpub-serve.log").read_text(errors="replace")


def serve(dist: Path, folder: Path, *args: str, update: bool = False) -> Served:
    env = {"KGPUB_UPDATE_TOKEN": TOKEN} if update else {}
    extra = ["--quiet", *args, *(["--allow-update"] if update else [])]
    return Served(start_kgpub_serve(dist, folder, extra=extra, env=env, timeout=120))


class Canary:
    """A TCP listener on 127.0.0.1 that records every connection made to it (nothing may reach it)."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.hits += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()

