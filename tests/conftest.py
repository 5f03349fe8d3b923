from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def board(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the minimal clean board; the working directory is its root."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", root)
    monkeypatch.chdir(root)
    return root
