"""Every Turtle and N-Triples file kgpub writes parses with Raptor's rapper (Debian raptor2-utils)."""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kgpub.cli import main
from kgpub.importers.primekg.synth import generate


def _rapper(path: Path, syntax: str) -> int:
    if shutil.which("rapper") is None:
        pytest.fail("rapper (Debian raptor2-utils) is needed: `make test-deps` installs it")
    proc = subprocess.run(["rapper", "-i", syntax, "-c", str(path)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    found = re.search(r"returned (\d+) triples", proc.stderr)
    assert found, proc.stderr
    return int(found.group(1))


def test_build_and_import_outputs_parse_with_rapper(tmp_path, example_garden):
    dist = tmp_path / "dist"
    generate(str(tmp_path / "kg.csv"), 2000)
    assert main(["import", "primekg", str(tmp_path / "kg.csv"), "--out", str(dist)]) == 0
    assert main(["build", str(example_garden), "--out", str(dist)]) == 0
    assert main(["validate", str(dist / "primekg"), "-q"]) in (0, 1)
    turtle = sorted(dist.rglob("*.ttl"))
    assert {p.name for p in turtle} >= {"kg.ttl", "ontology.ttl", "validation.ttl", "void.ttl"}
    for path in turtle:
        assert _rapper(path, "turtle") > 0, path
    shards = sorted((dist / "primekg").glob("part-*.nt.gz"))
    assert shards
    for shard in shards:
        plain = tmp_path / shard.name[:-3]
        plain.write_bytes(gzip.decompress(shard.read_bytes()))
        assert _rapper(plain, "ntriples") > 0, shard
