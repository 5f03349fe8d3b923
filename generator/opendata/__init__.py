"""The open data: normalized tables as CSV with frictionless Table Schemas, and per-community JSON.

- tables.py: each table declared once (`TABLES`), its rows as CSV cells;
- tableschema.py: Table Schemas and datapackage.json, generated from schemas/ and derived.yaml;
- validation.py: the package checked with frictionless (`ailin check --data` and the tests);
- community.py: c/<community>/data.json.

`open_data(board)` returns every file (path relative to the site root -> bytes) with the
package descriptor and the row counts as values. A build does not validate the package (about
4 s on a district board, for a fault that only a change of the generator can bring):
`check_open_data` does, for `ailin check --data` and the tests. The output is deterministic:
rows sorted by key, keys in a fixed order, no timestamp but the board's `as_of`. Nothing
personal is written: the submitter only as the masked name the model keeps when consent was
given, never the consent flag, no phone number. The shapes are documented in docs/opendata.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from ..model import BoardModel
from ..memory import paused_gc
from ..problems import Location, Problems
from .community import _community_data
from .tables import DATA_DIR, DATA_JSON_VERSION, DEFAULT_LICENSE, LEFT_OUT, TABLE_NAMES, TABLES, _by_id, _csv, table_rows
from .tableschema import _json, _package, table_schemas
from .validation import validate_files

__all__ = [
    "DATA_DIR", "DATA_JSON_VERSION", "DEFAULT_LICENSE", "LEFT_OUT", "TABLES", "TABLE_NAMES", "OpenData",
    "check_open_data", "open_data", "open_data_files", "table_rows", "table_schemas", "validate_files",
]


@dataclass
class OpenData:
    """What the open data wrote: its files, and the values the 数据下载 page shows."""

    files: dict[str, bytes]  # path relative to the site root -> content, sorted by path
    package: dict[str, Any]  # data/datapackage.json as written
    rows: dict[str, int]  # table name -> data rows


def open_data(board: BoardModel, *, license: Mapping[str, str] = DEFAULT_LICENSE) -> OpenData:
    """Every open-data file with the package descriptor and row counts: `data/<table>.csv`,
    `data/datapackage.json` and `c/<community>/data.json`."""
    with paused_gc():
        rows = table_rows(board)
        tables = {
            table.name: _csv([column.name for column in table.columns], rows[table.name]) for table in TABLES
        }
        files = {f"{DATA_DIR}/{name}.csv": content for name, content in tables.items()}
        package = _package(board, tables, license)
        files[f"{DATA_DIR}/datapackage.json"] = _json(package, indent=2)
        for community in _by_id(board.communities):
            files[community.file_url("data.json")] = _json(_community_data(board, community, license))
    return OpenData(dict(sorted(files.items())), package, {name: len(table) for name, table in rows.items()})


def open_data_files(board: BoardModel, *, license: Mapping[str, str] = DEFAULT_LICENSE) -> dict[str, bytes]:
    """Every open-data file: path relative to the site root -> content, sorted by path."""
    return open_data(board, license=license).files


def check_open_data(board: BoardModel, problems: Problems) -> None:
    """`ailin check --data`: the package a build would publish, made in memory and validated
    with frictionless; each error becomes a problem at its table's row (the header is row 1)."""
    for table, row, field, message in validate_files(open_data_files(board)):
        file = table if table.endswith(".json") else f"{table}.csv"
        problems.error(Location(Path(DATA_DIR, file), row or 1), "open-data-invalid",
                       problem=f"{field}: {message}" if field else message)
