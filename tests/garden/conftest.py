"""Fixtures of the build tests: built gardens (built once per session) and a query helper."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from buildkit import OPEN, B, ask, load_store  # noqa: F401  (re-exported for older imports)
from kgpub.build import build_garden

@pytest.fixture(scope="session")
def seed_dist(tmp_path_factory, entity_seed: Path, reference_seed: Path, article_seed: Path):
    garden = tmp_path_factory.mktemp("seed-garden")
    for seed in (entity_seed, reference_seed, article_seed):
        shutil.copy(seed, garden / seed.name)
    dist = tmp_path_factory.mktemp("seed-dist")
    result = build_garden(garden, dist, config=OPEN)
    return result, dist


@pytest.fixture(scope="session")
def example_dist(tmp_path_factory, example_garden: Path):
    dist = tmp_path_factory.mktemp("example-dist")
    return build_garden(example_garden, dist), dist
