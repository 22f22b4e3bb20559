import sys
from pathlib import Path

import pytest

from kgpub.cli import main
from kgpub.importers.primekg.synth import generate
from kgpub.ontology import write_ontology

sys.path.insert(0, str(Path(__file__).parent))


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/conformance/" in str(item.fspath):
            item.add_marker(pytest.mark.conformance)


@pytest.fixture(scope="session")
def ontology_files(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("onto")
    write_ontology(out)
    return out


@pytest.fixture(scope="session")
def garden_dist(tmp_path_factory, example_garden) -> Path:
    out = tmp_path_factory.mktemp("dist")
    assert main(["build", str(example_garden), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def primekg_dist(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("pk")
    generate(str(work / "kg.csv"), 3000)
    assert main(["import", "primekg", str(work / "kg.csv"), "--out", str(work / "dist")]) == 0
    return work / "dist" / "primekg"
