"""The open data: normalized tables as CSV with frictionless Table Schemas, and per-community JSON.

- tables.py: each table declared once (`TABLES`), its rows as CSV cells;
- tableschema.py: Table Schemas and datapackage.json, generated from schemas/ and derived.yaml;
- validation.py: the written package checked with frictionless (`OpenDataError`);
- community.py: c/<community>/data.json.

`open_data(board)` returns every file (path relative to the site root -> bytes) with the
package descriptor and the row counts as values, and validates the package with frictionless
first: a package that would not validate raises `OpenDataError` and nothing is published. The
output is deterministic: rows sorted by key, keys in a fixed order, no timestamp but the board's
`as_of`. Nothing personal is written: the submitter only as the masked name the model keeps
when consent was given, never the consent flag, no phone number. The shapes are documented in
docs/opendata.md.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Mapping

from ..model import BoardModel
from ..memory import paused_gc
from .community import _community_data
from .tables import DATA_DIR, DATA_JSON_VERSION, DEFAULT_LICENSE, LEFT_OUT, TABLE_NAMES, TABLES, _by_id, _csv, table_rows
from .tableschema import _json, _package, table_schemas
from .validation import OpenDataError, validate_files

__all__ = [
    "DATA_DIR", "DATA_JSON_VERSION", "DEFAULT_LICENSE", "LEFT_OUT", "TABLES", "TABLE_NAMES", "OpenData",
    "OpenDataError", "open_data", "open_data_files", "table_rows", "table_schemas", "validate_files",
]
_validated: set[str] = set()  # digests of packages that passed in this process (`ailin serve` rebuilds)


@dataclass
class OpenData:
    """What the open data wrote: its files, and the values the 数据下载 page shows."""

    files: dict[str, bytes]  # path relative to the site root -> content, sorted by path
    package: dict[str, Any]  # data/datapackage.json as written
    rows: dict[str, int]  # table name -> data rows


def open_data(
    board: BoardModel, *, license: Mapping[str, str] = DEFAULT_LICENSE, validate: bool = True,
) -> OpenData:
    """Every open-data file with the package descriptor and row counts.

    `data/<table>.csv` and `data/datapackage.json`, validated with frictionless unless
    `validate` is false (raises OpenDataError when not valid); `c/<community>/data.json`.
    """
    with paused_gc():
        rows = table_rows(board)
        tables = {
            table.name: _csv([column.name for column in table.columns], rows[table.name]) for table in TABLES
        }
        files = {f"{DATA_DIR}/{name}.csv": content for name, content in tables.items()}
        package = _package(board, tables, license)
        files[f"{DATA_DIR}/datapackage.json"] = _json(package, indent=2)
        # the package names every CSV's sha256, so its digest stands for all of the tables
        digest = hashlib.sha256(files[f"{DATA_DIR}/datapackage.json"]).hexdigest()
        if validate and digest not in _validated:
            errors = validate_files(files)
            if errors:
                raise OpenDataError(errors)
            _validated.add(digest)
        for community in _by_id(board.communities):
            files[community.file_url("data.json")] = _json(_community_data(board, community, license))
    return OpenData(dict(sorted(files.items())), package, {name: len(table) for name, table in rows.items()})


def open_data_files(
    board: BoardModel, *, license: Mapping[str, str] = DEFAULT_LICENSE, validate: bool = True,
) -> dict[str, bytes]:
    """Every open-data file: path relative to the site root -> content, sorted by path."""
    return open_data(board, license=license, validate=validate).files
