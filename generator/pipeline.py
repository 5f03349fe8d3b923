"""load -> validate -> model -> render -> publish; the faces (CLI, MkDocs plugin) call this."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .load import load_content
from .problems import Problems
from .validate import Board, validate_content


@dataclass
class CheckResult:
    board: Board
    problems: Problems
    language: str

    @property
    def ok(self) -> bool:
        return not self.problems.errors

    @property
    def record_count(self) -> int:
        return len(self.board.records) + (self.board.settings is not None)


def check(content_dir: Path, language: str | None = None) -> CheckResult:
    """Load and validate a content folder; every problem is collected, none raised."""
    problems = Problems()
    content = load_content(content_dir, problems)
    board_language = _board_language(content)
    language = language or board_language
    board = validate_content(content, problems, language)
    return CheckResult(board=board, problems=problems, language=language)


def _board_language(content) -> str:
    """The board's `language`, read before validation so its messages speak it."""
    if content.board is None:
        return "zh"
    for key, value in content.board.root.value:
        if key.value == "language" and value.value in ("zh", "en"):
            return value.value
    return "zh"
