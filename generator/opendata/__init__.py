"""The open data: normalized tables as CSV with frictionless Table Schemas, and per-community JSON.

- tables.py: each table declared once (`TABLES`), its rows as CSV cells;
- tableschema.py: Table Schemas and datapackage.json, generated from schemas/ and derived.yaml;
- validation.py: the package checked with frictionless (`ailin check --data` and the tests);
- community.py: c/<community>/data.json.

A build makes the tables from each community's share of their rows (`community_rows`), kept
with the community's pages so that only changed communities are formatted again, and assembles
them with `table_files` (generator/parts.py); `open_data_files(board)` does the same for every
community at once. A build does not validate the package (about 4 s on a district board, for a
fault that only a change of the generator can bring): `check_open_data` does, for `ailin check
--data` and the tests. The output is deterministic: rows sorted by key, keys in a fixed order, no
timestamp but the board's `as_of`. Nothing personal is written: the submitter only as the masked
name the model keeps when consent was given, never the consent flag, no phone number. The shapes
are documented in docs/opendata.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Mapping

from ..model import BoardModel
from ..memory import paused_gc
from ..problems import Location, Problems
from .community import community_data
from .tables import (
    DATA_DIR, DATA_JSON_VERSION, DEFAULT_LICENSE, LEFT_OUT, TABLE_NAMES, TABLES, _csv, community_rows, merge_rows,
    table_rows,
)
from .tableschema import _json, _package, table_schemas
from .validation import validate_files

__all__ = [
    "DATA_DIR", "DATA_JSON_VERSION", "DEFAULT_LICENSE", "LEFT_OUT", "TABLES", "TABLE_NAMES", "check_open_data",
    "community_data", "community_rows", "open_data_files", "package", "row_counts", "table_files", "table_rows",
    "table_schemas", "validate_files",
]


def table_files(
    board: BoardModel, shares: Iterable[Mapping[str, list[tuple[str, str]]]], license: Mapping[str, str] = DEFAULT_LICENSE,
) -> dict[str, bytes]:
    """`data/<table>.csv` and `data/datapackage.json`, from every community's `community_rows`."""
    lines = merge_rows(shares)
    tables = {table.name: _csv(table, lines[table.name]) for table in TABLES}
    files = {f"{DATA_DIR}/{name}.csv": content for name, content in tables.items()}
    files[f"{DATA_DIR}/datapackage.json"] = _json(_package(board, tables, license), indent=2)
    return files


def package(board: BoardModel, license: Mapping[str, str] = DEFAULT_LICENSE) -> dict[str, Any]:
    """The package descriptor as the 数据下载 page shows it: without the sizes and hashes of the
    tables, which are assembled after the pages (generator/parts.py)."""
    return _package(board, None, license)


def row_counts(board: BoardModel) -> dict[str, int]:
    """Table name -> its number of rows, for the 数据下载 page: the rows counted, not formatted."""
    return {table.name: sum(len(table.rows(board, c)) for c in board.communities) for table in TABLES}


def open_data_files(board: BoardModel, *, license: Mapping[str, str] = DEFAULT_LICENSE) -> dict[str, bytes]:
    """Every open-data file, path relative to the site root -> content, sorted by path: the
    tables and the package assembled from the rows of all communities, as a build does, and
    `c/<community>/data.json`."""
    with paused_gc():
        files = table_files(board, [community_rows(board, c) for c in board.communities], license)
        for c in board.communities:
            files[board.communities[c].file_url("data.json")] = community_data(board, c, license)
    return dict(sorted(files.items()))


def check_open_data(board: BoardModel, problems: Problems) -> None:
    """`ailin check --data`: the package a build would publish, made in memory and validated
    with frictionless; each error becomes a problem at its table's row (the header is row 1)."""
    for table, row, field, message in validate_files(open_data_files(board)):
        file = table if table.endswith(".json") else f"{table}.csv"
        problems.error(Location(Path(DATA_DIR, file), row or 1), "open-data-invalid",
                       problem=f"{field}: {message}" if field else message)
