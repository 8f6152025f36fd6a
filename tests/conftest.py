"""Shared test set-up: offscreen Qt, and every user location pointed at a temporary folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the real user's settings, flows or cases."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("WIZARD_HOME", str(home))
    monkeypatch.delenv("WIZARD_FLOWS_PATH", raising=False)
    return home


@pytest.fixture
def pack_dir() -> Path:
    """A small, valid flow pack used by the core tests (flows/ and resources/ side by side)."""
    return DATA / "pack" / "flows"
