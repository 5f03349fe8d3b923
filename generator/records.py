"""The bottom layer: what a content file and a checked record are, shared by every stage.

Loading makes `Document`s and a `Content`; validation turns each document into a `Record` and
the whole into a `CheckedBoard`; privacy, the sheet and the model read those. The patterns of
ids and references are written here once. This module imports no stage.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from .problems import Location, PathsAsText

ID = "[a-z0-9][a-z0-9-]{0,63}"  # a record id, community id or compound id: a slug
SLUG = re.compile(f"^{ID}$")
RESOLUTION_REF = re.compile(f"^({ID})#({ID})$")  # <meeting-id>#<resolution-id>
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
URL = re.compile(r"""^https?://[^\s<>"']+$""")  # also a valid JSON Schema (ECMA) pattern
PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{4,20}$")
Path_ = tuple  # a value's path inside a record, e.g. ("steps", 2, "date")


@dataclass
class Document(PathsAsText):
    """One content file: its kind, where it sits, and its YAML root mapping."""

    path_fields = ("path", "file")

    kind: str
    path: Path  # as shown to people: relative to the working directory
    file: Path  # absolute path on disk
    root: yaml.MappingNode
    community: str | None = None  # the folder name, for records under communities/

    @property
    def stem(self) -> str:
        return self.file.stem


@dataclass
class Content:
    """A content folder as loaded: its root, its board settings, and the files that failed to load."""

    root: Path
    board: Document | None = None
    unreadable: set[str] = field(default_factory=set)  # ids of files that failed to load


@dataclass
class Record:
    """A record after its schema: plain values, plus where each value was written."""

    kind: str
    document: Document
    data: dict[str, Any]
    # path -> where its value starts, (line, column) from 0: a pair, not yaml's mark, so that a
    # record pickles small into the check cache (cache.py)
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    @property
    def id(self) -> str | None:
        value = self.data.get("id")
        return value if isinstance(value, str) else None

    @property
    def community(self) -> str | None:
        return self.document.community

    def at(self, *path: Any) -> Location:
        """Where the value at `path` was written, or its nearest enclosing value."""
        while path not in self.marks and path:
            path = path[:-1]
        if path not in self.marks:
            return Location(self.document.path)
        line, column = self.marks[path]
        return Location(self.document.path, line + 1, column + 1)


@dataclass
class CheckedBoard:
    """Everything that passed the check: the board settings and the records, as the model reads them."""

    settings: Record | None
    records: list[Record]
    as_of: dt.date
    content: Content


def values_at(data: Any, path: tuple[str, ...], where: tuple = ()) -> Iterable[tuple[tuple, Any]]:
    """(the value's path in the record, the value) for every value at a schema path; "*" is each item."""
    if not path:
        yield where, data
        return
    step, rest = path[0], path[1:]
    if step == "*":
        for index, item in enumerate(data if isinstance(data, list) else []):
            yield from values_at(item, rest, where + (index,))
    elif isinstance(data, dict) and step in data:
        yield from values_at(data[step], rest, where + (step,))
