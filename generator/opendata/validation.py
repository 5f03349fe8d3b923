"""Validating the written package with frictionless, plus the one key frictionless cannot check."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from typing import Iterator, Mapping

from .tables import DATA_DIR, TABLES, _resolve


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------

def validate_files(files: Mapping[str, bytes]) -> list[tuple[str, int | None, str | None, str]]:
    """Write the package to a temporary folder, validate it with frictionless, list the errors.

    A function of the bytes alone, so a build may run it in a worker while it renders pages.
    frictionless is imported here: a quarter of a second that builds, which never validate, skip.
    """
    from frictionless import FrictionlessException, Package

    with tempfile.TemporaryDirectory(prefix="ailin-opendata-") as folder:
        for path, content in files.items():
            if path.startswith(f"{DATA_DIR}/"):
                target = Path(folder) / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
        try:
            report = Package(str(Path(folder) / DATA_DIR / "datapackage.json")).validate()
        except FrictionlessException as error:
            return [("datapackage.json", None, None, error.error.message)]
    errors: list[tuple[str, int | None, str | None, str]] = [
        ("datapackage.json", None, None, f"[{e.type}] {e.note or e.message}") for e in report.errors
    ]
    for task in report.tasks:
        for e in task.errors:
            field = getattr(e, "field_name", None) or ", ".join(getattr(e, "field_names", None) or []) or None
            message = f"[{e.type}] {e.note}"
            cell = getattr(e, "cell", None)
            if cell not in (None, ""):
                message += f' (value "{cell}")'
            errors.append((task.name, getattr(e, "row_number", None), field, message))
    return errors + _check_compounds(files)


def _check_compounds(files: Mapping[str, bytes]) -> list[tuple[str, int | None, str | None, str]]:
    """(community, compound) -> compounds, for every column whose field has `to: compound`: the
    one key frictionless cannot check (see tables.foreign_keys)."""

    def rows(table: str) -> Iterator[dict[str, str]]:
        yield from csv.DictReader(io.StringIO(files[f"{DATA_DIR}/{table}.csv"].decode("utf-8")))

    compounds = {(row["community"], row["id"]) for row in rows("compounds")}
    return [
        (
            table.name, number, column.name,
            f'[foreign-key] for "community, {column.name}": values "{row.get("community")}, {row[column.name]}" '
            'not found in the lookup table "compounds" as "community, id"',
        )
        for table in TABLES
        for column in table.columns if column.key is None and _resolve(column.source)[0].to == "compound"
        for number, row in enumerate(rows(table.name), start=2)  # row 1 is the header
        if row.get(column.name) and (row.get("community"), row[column.name]) not in compounds
    ]
