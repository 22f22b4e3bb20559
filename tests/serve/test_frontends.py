"""Several front-end processes share the port: each listens and answers, and they go together."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psutil
import requests

from serving import serve, write_graphs_dist

DATA = {"http://example.org/g": [f"<http://example.org/s{i}> <http://example.org/p> \"{i}\"" for i in range(50)]}


def _listening(proc: psutil.Process, port: int) -> bool:
    return any(c.status == psutil.CONN_LISTEN and c.laddr.port == port for c in proc.net_connections(kind="tcp"))


def test_two_front_ends_listen_answer_and_stop_together(tmp_path):
    s = serve(write_graphs_dist(tmp_path / "dist", DATA), tmp_path / "serve", "--frontends", "2", "--executors", "2")
    first = psutil.Process(s.server.proc.pid)
    try:
        deadline = time.monotonic() + 30
        while True:
            copies = [p for p in first.children() if "kgpub.serve.executor" not in " ".join(p.cmdline())]
            if len(copies) == 1 and _listening(copies[0], s.port):
                break
            assert time.monotonic() < deadline, "the second front end never listened"
            time.sleep(0.1)
        assert _listening(first, s.port) and "2 front ends" in s.log()
        (copy,) = copies
        # the port is taken: another kgpub serve fails at once rather than share it
        other = subprocess.run([sys.executable, "-c", "from kgpub.cli import run; run()", "serve",
                                str(tmp_path / "dist"), "--store", str(tmp_path / "other"), "--port", str(s.port)],
                               capture_output=True, text=True, timeout=60)
        assert other.returncode == 2 and "cannot listen" in other.stderr
        # each has its own executor pool
        assert any("kgpub.serve.executor" in " ".join(p.cmdline()) for p in copy.children())
        query = {"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}
        for _ in range(20):  # new connections, spread by the kernel: every one answered
            r = requests.get(s.url, params=query, headers={"Connection": "close"}, timeout=10)
            assert r.status_code == 200 and r.json()["results"]["bindings"][0]["n"]["value"] == "50"
        os.kill(copy.pid, signal.SIGKILL)  # one front end lost: the other still answers
        deadline = time.monotonic() + 10
        while copy.is_running() and copy.status() != psutil.STATUS_ZOMBIE:  # reaped when the first stops
            assert time.monotonic() < deadline
            time.sleep(0.05)
        for _ in range(5):
            assert requests.get(s.url, params=query, headers={"Connection": "close"}, timeout=10).status_code == 200
    finally:
        s.stop()
    assert not first.is_running() or first.status() == psutil.STATUS_ZOMBIE
