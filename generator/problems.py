"""A problem is a record: where, which rule, the values it names. Wording lives in messages."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Location:
    """A place in a content file; line and column are 1-based (1:1 for a whole file)."""

    path: Path
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """One finding: `code` picks the message template, `args` fill it in."""

    location: Location
    code: str
    args: dict[str, Any] = field(default_factory=dict)
    severity: Severity = Severity.ERROR

    @property
    def sort_key(self) -> tuple:
        return (str(self.location.path), self.location.line, self.location.column, self.code)


class Problems:
    """Collects every problem of a run, so a volunteer sees them all at once."""

    def __init__(self) -> None:
        self._items: list[Problem] = []

    def error(self, location: Location, code: str, **args: Any) -> None:
        self._items.append(Problem(location, code, args))

    def warning(self, location: Location, code: str, **args: Any) -> None:
        self._items.append(Problem(location, code, args, Severity.WARNING))

    def extend(self, problems: "Problems") -> None:
        self._items.extend(problems._items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self._items if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self._items if p.severity is Severity.WARNING]

    def sorted(self) -> list[Problem]:
        return sorted(self._items, key=lambda p: p.sort_key)

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self):
        return iter(self._items)
