"""`ailin serve` answers at once, shows content errors in the browser and recovers by itself."""

from __future__ import annotations

import sys
from pathlib import Path

from serving import break_and_fix
from ailin.cli import main


def test_serve_shows_errors_as_a_page_and_recovers(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path / "board")]) == 0
    timings = break_and_fix([sys.executable, "-m", "ailin.cli"], tmp_path / "board")
    assert timings["error page"] < 30 and timings["recovered"] < 30


def test_error_page_is_in_the_boards_language_and_escapes_the_report() -> None:
    from ailin.preview import error_page

    page = error_page("content/a.yaml:1:1: error: <script>alert(1)</script>", "en")
    assert '<html lang="en">' in page and "The content has errors" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
