"""The board's keys as normalized tables, and the relational checks frictionless runs on them.

Each table keeps, beside its rows, the places in the content each row came from, so that a key
frictionless reports as missing or repeated comes back to the volunteer as file:line:col.
References are kept once per distinct value with all their places: a district board names the
same ids tens of thousands of times, and frictionless checks each row.
"""

from __future__ import annotations

import csv
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from .problems import Location
from .records import SLUG


@dataclass
class Table:
    """A table of keys: its columns, rows, and where each row was written."""

    name: str
    columns: list[str]
    primary_key: list[str] = field(default_factory=list)
    references: tuple[str, list[str]] | None = None  # (target table, target columns) of all columns
    rows: list[tuple] = field(default_factory=list)
    places: list[list[Location]] = field(default_factory=list)
    _index: dict[tuple, int] = field(default_factory=dict)

    def add(self, row: tuple, place: Location) -> None:
        """A row for a record (repeats are kept: the primary key check reports them)."""
        self.rows.append(row)
        self.places.append([place])

    def refer(self, row: tuple, place: Location) -> None:
        """A reference: one row per distinct value, remembering every place it is written."""
        index = self._index.get(row)
        if index is None:
            self._index[row] = len(self.rows)
            self.add(row, place)
        else:
            self.places[index].append(place)

    def merge(self, other: "Table") -> None:
        for row, places in zip(other.rows, other.places):
            if self.references is None:  # a key table: every row counts
                self.rows.append(row)
                self.places.append(list(places))
            else:
                for place in places:
                    self.refer(row, place)

    def resource(self, folder: Path):
        """The table as a CSV file in `folder`: frictionless deep-copies inline data, not files."""
        path = folder / f"{self.name}.csv"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(self.columns)
            writer.writerows(self.rows)
        descriptor: dict[str, Any] = {"fields": [{"name": column, "type": "string"} for column in self.columns]}
        if self.primary_key:
            descriptor["primaryKey"] = self.primary_key
        if self.references:
            target, target_columns = self.references
            descriptor["foreignKeys"] = [
                {"fields": self.columns, "reference": {"resource": target, "fields": target_columns}}
            ]
        from frictionless import Resource, Schema

        return Resource(
            name=self.name, path=path.name, basepath=str(folder), format="csv", encoding="utf-8",
            schema=Schema.from_descriptor(descriptor),
        )


@dataclass
class KeyViolation:
    """A key problem frictionless found, traced back to where it was written."""

    table: str
    kind: str  # "primary-key" or "foreign-key"
    row: tuple
    places: list[Location]


def check_keys(tables: Iterable[Table]) -> list[KeyViolation]:
    """Validate the primary and foreign keys of all tables together with frictionless."""
    tables = list(tables)
    if _nothing_to_find(tables):  # the usual board: frictionless would spend a second to confirm it
        return []
    return _frictionless_violations(tables)


def _frictionless_violations(tables: list[Table]) -> list[KeyViolation]:
    from frictionless import Package

    violations: list[KeyViolation] = []
    with tempfile.TemporaryDirectory(prefix="ailin-keys-") as folder:
        package = Package(resources=[table.resource(Path(folder)) for table in tables], basepath=folder)
        # Resource by resource: Package.validate first deep-copies the whole package's metadata.
        reports = [resource.validate(limit_errors=1_000_000) for resource in package.resources]
    for table, report in zip(tables, reports):
        for error in report.tasks[0].errors if report.tasks else report.errors:
            if error.type not in ("primary-key", "foreign-key"):
                raise RuntimeError(f"unexpected table error in {table.name}: {error.message}")
            index = error.row_number - 2  # frictionless counts the header as row 1
            violations.append(KeyViolation(table.name, error.type, table.rows[index], table.places[index]))
    return violations


def _nothing_to_find(tables: list[Table]) -> bool:
    """True when every cell is an id (a slug), no primary key repeats and every reference is
    found: then frictionless, which reads these same strings, has no violation to report.
    Anything else (an empty or unusual cell, a repeat, a miss) is left to frictionless."""
    by_name = {table.name: table for table in tables}
    for table in tables:
        if not all(isinstance(cell, str) and SLUG.fullmatch(cell) for row in table.rows for cell in row):
            return False
        if table.primary_key:
            at = [table.columns.index(column) for column in table.primary_key]
            if len({tuple(row[i] for i in at) for row in table.rows}) < len(table.rows):
                return False
        if table.references:
            target, target_columns = table.references
            at = [by_name[target].columns.index(column) for column in target_columns]
            found = {tuple(row[i] for i in at) for row in by_name[target].rows}
            if not found.issuperset(tuple(row) for row in table.rows):
                return False
    return True
