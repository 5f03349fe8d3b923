"""A problem is a record: where, which rule, the values it names. Wording lives in messages."""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


class PathsAsText:
    """Pickles its Path fields (`path_fields`) as text and makes each a Path again when it is
    first read. Unpickling a Path runs pathlib's parser, 7 µs: the checked records of a district
    hold 46,000 Paths, sent from the workers and read from the check cache on every build, and a
    build that passes the check reads few of them again."""

    path_fields: ClassVar[tuple[str, ...]] = ()

    def __getstate__(self) -> dict[str, Any]:
        state = {name: value for name, value in self.__dict__.items() if not name.startswith("_text_")}
        for name in self.path_fields:
            state[name] = self.path_text(name)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name in self.path_fields:
            state["_text_" + name] = state.pop(name)
        self.__dict__.update(state)  # not setattr: frozen dataclasses allow this only

    def __getattr__(self, name: str) -> Any:  # only for attributes not set: a path still as text
        text = self.__dict__.get("_text_" + name)
        if text is None:
            raise AttributeError(name)
        path = self.__dict__[name] = Path(text)
        return path

    def path_text(self, name: str) -> str:
        """The path field `name` as text, without making its Path."""
        path = self.__dict__.get(name)
        return self.__dict__["_text_" + name] if path is None else os.fspath(path)


@dataclass(frozen=True)
class Location(PathsAsText):
    """A place in a content file; line and column are 1-based (1:1 for a whole file)."""

    path_fields = ("path",)

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
