"""``kgpub build --watch``: a saved note is rebuilt into DIST (one summary line), Ctrl-C exits 0."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from kgpub.build import build_garden

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DEADLINE_S = 120


def _wait_for(check, what: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while not check():
        assert proc.poll() is None, f"kgpub build --watch ended early:\n{log.read_text()}"
        assert time.monotonic() < deadline, f"no {what} within {DEADLINE_S} s:\n{log.read_text()}"
        time.sleep(0.1)


def test_watch_rebuilds_on_save_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    garden, dist, log = tmp_path / "garden", tmp_path / "dist", tmp_path / "stderr.txt"
    shutil.copytree(EXAMPLES / "garden", garden)
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-c", "from kgpub.cli import run; run()", "build", str(garden), "--out", str(dist), "--watch"],
                                stdout=subprocess.DEVNULL, stderr=err)
    try:
        _wait_for(lambda: "watching" in log.read_text(), "first build", proc, log)
        before = (dist / "kg.nq").read_bytes()
        assert b'"PTEN"' in before
        note = garden / "gene" / "pten.md"
        note.write_text(note.read_text(encoding="utf-8").replace("title: PTEN\n", "title: PTEN phosphatase\n"), encoding="utf-8")
        _wait_for(lambda: "rebuilt in" in log.read_text(), "rebuild", proc, log)
        after = (dist / "kg.nq").read_bytes()
        assert b'"PTEN phosphatase"' in after and after != before
        lines = [line for line in log.read_text().splitlines() if line.startswith("rebuilt in")]
        assert lines and all("notes emitted again" in line for line in lines), log.read_text()

        # a second save, of the body only: the index the last rebuild kept is reused; the files are a full build's
        time.sleep(0.5)  # the first burst of changes is over
        note.write_text(note.read_text(encoding="utf-8").replace("one of the commonest events", "one of the most common events"), encoding="utf-8")
        _wait_for(lambda: log.read_text().count("rebuilt in") >= len(lines) + 1, "second rebuild", proc, log)
        last = [line for line in log.read_text().splitlines() if line.startswith("rebuilt in")][-1]
        assert "1 notes emitted again" in last, log.read_text()
        full = build_garden(garden, tmp_path / "full", cache=False)
        assert full.exit_code in (0, 1)
        for name in ("kg.nq", "kg.ttl", "mappings.sssom.tsv", "manifest.json", "validation.ttl"):
            assert (dist / name).read_bytes() == (tmp_path / "full" / name).read_bytes(), name
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
