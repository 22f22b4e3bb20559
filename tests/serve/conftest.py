"""Fixtures of the server tests (helpers in serving.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serving import Canary  # noqa: E402


@pytest.fixture
def canary():
    c = Canary()
    yield c
    c.close()
