"""The board as normalized tables, and the relational checks frictionless runs on them.

Each table keeps, beside its rows, where each row's values came from, so that a key that
frictionless reports as missing or repeated comes back to the volunteer as file:line:col.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from frictionless import Package, Resource, Schema

from .problems import Location


@dataclass
class Table:
    """A table's key columns, rows and the source of each row's cells."""

    name: str
    columns: list[str]
    primary_key: list[str]
    foreign_keys: list[tuple[list[str], str, list[str]]] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    sources: list[dict[str, Location]] = field(default_factory=list)

    def add(self, row: dict[str, Any], sources: dict[str, Location]) -> None:
        self.rows.append([row.get(column) for column in self.columns])
        self.sources.append(sources)

    def resource(self) -> Resource:
        descriptor = {
            "fields": [{"name": column, "type": "string"} for column in self.columns],
            "primaryKey": self.primary_key,
            "foreignKeys": [
                {"fields": fields, "reference": {"resource": target, "fields": target_fields}}
                for fields, target, target_fields in self.foreign_keys
            ],
        }
        return Resource(
            name=self.name,
            data=[self.columns, *self.rows],
            schema=Schema.from_descriptor(descriptor),
        )


@dataclass
class KeyViolation:
    """A key problem frictionless found, traced back to its source."""

    table: str
    kind: str  # "primary-key" or "foreign-key"
    values: list[Any]  # the offending key's values
    target: str | None  # the table a foreign key points at
    location: Location


def check_keys(tables: Iterable[Table]) -> list[KeyViolation]:
    """Validate primary and foreign keys of all tables together with frictionless."""
    tables = list(tables)
    by_name = {table.name: table for table in tables}
    report = Package(resources=[table.resource() for table in tables]).validate(
        checklist=None, limit_errors=100_000
    )
    found: list[KeyViolation] = []
    for task in report.tasks:
        table = by_name[task.name]
        for error in task.errors:
            if error.type not in ("primary-key", "foreign-key"):
                raise RuntimeError(f"unexpected table error in {task.name}: {error.message}")
            index = error.row_number - 2  # frictionless counts the header as row 1
            columns = list(getattr(error, "field_names", None) or table.primary_key)
            row = dict(zip(table.columns, table.rows[index]))
            target = next((t for fields, t, _ in table.foreign_keys if fields == columns), None)
            sources = table.sources[index]
            location = next((sources[c] for c in reversed(columns) if c in sources), next(iter(sources.values())))
            found.append(KeyViolation(task.name, error.type, [row[c] for c in columns], target, location))
    return found
