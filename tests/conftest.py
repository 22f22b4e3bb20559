"""Fixtures shared by every test folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
EXAMPLE_GARDEN = ROOT / "examples" / "garden"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"seed notes not found at {SEEDS}: CI must have ../shared beside the project")
        pytest.skip(f"seed notes not found at {SEEDS} (../shared is not beside this clone)")
    return SEEDS


@pytest.fixture(scope="session")
def entity_seed(seeds_dir: Path) -> Path:
    return seeds_dir / "000_990ecd136182c50b.txt"


@pytest.fixture(scope="session")
def article_seed(seeds_dir: Path) -> Path:
    return seeds_dir / "001_d495e92092856a28.txt"


@pytest.fixture(scope="session")
def reference_seed(seeds_dir: Path) -> Path:
    return seeds_dir / "002_ae4789125602f252.txt"


@pytest.fixture(scope="session")
def example_garden() -> Path:
    return EXAMPLE_GARDEN
