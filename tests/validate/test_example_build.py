"""The build of examples/garden conforms to the shapes, and HermiT finds ontology + data consistent."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, parse

from kgpub.ontology import check_consistency
from kgpub.validate.shacl import validate


@pytest.fixture(scope="module")
def built(example_garden, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run([sys.executable, "-c", "from kgpub.cli import run; run()", "build", str(example_garden), "--out", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return out


def data_quads(built: Path):
    return [q for q in parse(path=str(built / "kg.nq"), format=RdfFormat.N_QUADS)
            if not q.graph_name.value.endswith("/graph/ontology")]


def test_example_build_conforms_with_the_six_unresolved_warnings(built):
    report = validate(data_quads(built))
    assert not report.has_violations, report.summary()
    where = sorted((r.source_path, r.source_line, r.focus_node.rsplit("/", 1)[-1].rstrip(">")) for r in report.warnings)
    assert sorted((p, f) for p, _l, f in where) == [
        ("gene/akt1.md", "ask1"), ("gene/akt1.md", "gsk3beta"), ("gene/akt1.md", "pi3k"), ("gene/akt1.md", "proteus-syndrome"),
        ("gene/pten.md", "gsk3b"), ("protein/akt1-protein.md", "pdk1")]
    assert all(line for _p, line, _f in where)


def test_ontology_plus_example_data_is_consistent_in_hermit(built):
    result = check_consistency(data_quads(built))
    assert result.consistent, result.message
    assert result.unsatisfiable == []
