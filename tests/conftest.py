from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent
CONFIG = str(REPO / "mkdocs.yml")


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file below `folder` with its SHA-256: two equal digests are byte-identical trees."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture
def board(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the minimal clean board; the working directory is its root."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", root)
    monkeypatch.chdir(root)
    return root
