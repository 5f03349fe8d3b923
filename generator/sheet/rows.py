"""Read a workbook into the YAML node trees the loader makes, so `ailin check`'s rules run on them.

Each row becomes a record's root mapping. Every node carries a mark that names its cell: the
mark's line is `(sheet number) * CELL_LINE + row` and its column is the cell's column, so a
problem the validator reports at a node maps back to `建议!C7`. Lines below CELL_LINE are the
record's own YAML file: fields the workbook has no column for keep their nodes from that file.
Problems found here (a renamed header, a blank row, a date typed as text) carry the same marks.

Length (about 480 lines): one walk over the workbook layout that turns every kind of column
into nodes with cell marks; the kinds share the mark arithmetic and the row problems.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import yaml
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from .. import schema
from ..load import RECORD_DIRS, display_path
from ..problems import Location, Problems
from ..records import ISO_DATE, SLUG, Document
from .layout import HELP_SHEET, LISTS_SHEET, STEPS, Column, Sheet, record_sheet, sheet_named, sheets

CELL_LINE = 1_000_000  # marks at or past this line are cells; below, lines of a YAML file
SPLIT = re.compile(r"[、,，;；\n]+")
GROUP_ITEM = re.compile(r"^(.+?)\s*[:：]?\s*([0-9０-９][0-9０-９.．]*)$")  # 居民 23, residents: 23
NUMBER = re.compile(r"^[-+]?(0|[1-9][0-9_]*)(\.[0-9]+)?$")
FULL_WIDTH_DIGIT = re.compile("[０-９．，]")
TRUE_WORDS = {"true": "true", "yes": "true", "是": "true", "同意": "true",
              "false": "false", "no": "false", "否": "false", "不同意": "false"}
_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
FOLDER_OF = {kind: folder for folder, kind in RECORD_DIRS.items()}


@dataclass
class Cell:
    sheet: int  # index in the workbook, from 1
    row: int
    column: int

    @property
    def line(self) -> int:
        return self.sheet * CELL_LINE + self.row

    def mark(self) -> yaml.Mark:
        return yaml.Mark("", 0, self.line - 1, self.column - 1, None, None)

    def location(self, path: Path) -> Location:
        return Location(path, self.line, self.column)


@dataclass
class Row:
    sheet: Sheet
    number: int
    index: int  # the sheet's position in the workbook, from 1
    cells: dict[Column, tuple[Any, Cell]]  # columns with a header, empty cells included
    first: Cell

    def value(self, column: Column | None) -> Any:
        if column is None or column not in self.cells:
            return None
        value = self.cells[column][0]
        return value.strip() if isinstance(value, str) else value

    def cell(self, column: Column) -> Cell:
        return self.cells[column][1] if column in self.cells else self.first


@dataclass
class SheetRecord:
    """A record as the workbook has it: its document for the validator, and what it touches."""

    document: Document
    original: Document | None  # the record's YAML file as loaded, when it already exists
    covered: set[str]  # top-level fields the workbook has columns for
    places: dict[str, Cell] = field(default_factory=dict)  # field name, as messages write it -> cell


@dataclass
class WorkbookRows:
    """What a workbook holds once read: its sheet names by number, headers by cell, rows."""

    path: Path
    names: dict[int, str] = field(default_factory=dict)
    headers: dict[tuple[int, int], str] = field(default_factory=dict)
    rows: dict[str, list[Row]] = field(default_factory=dict)  # sheet name -> rows
    present: set[str] = field(default_factory=set)  # known sheets the workbook has
    reported: set[tuple[int, int]] = field(default_factory=set)  # (line, column) already reported

    def error(self, problems: Problems, cell: Cell, code: str, **args: Any) -> None:
        problems.error(cell.location(self.path), code, **args)
        self.reported.add((cell.line, cell.column))


def read_workbook(path: Path, problems: Problems) -> WorkbookRows | None:
    """The rows of every known sheet; None (reported) when the file is not a workbook."""
    where = Location(path, 0, 0)
    if not path.is_file():
        problems.error(where, "sheet-missing-file", file=str(path))
        return None
    try:
        book = load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        problems.error(where, "sheet-not-xlsx", file=path.name)
        return None
    result = WorkbookRows(path)
    known = [s.name for s in sheets()]
    for index, ws in enumerate(book.worksheets, start=1):
        result.names[index] = ws.title
        if ws.title in (HELP_SHEET, LISTS_SHEET):
            continue
        sheet = sheet_named(ws.title)
        if sheet is None and ws.max_row == ws.max_column == 1 and ws.cell(1, 1).value is None:
            continue  # an empty sheet, such as the Sheet1 a new workbook starts with: nothing to lose
        if sheet is None:
            guess = next(iter(difflib.get_close_matches(ws.title, known, n=1, cutoff=0.3)), "")
            result.error(problems, Cell(index, 1, 1), "sheet-unknown-sheet", sheet=ws.title, allowed=known, guess=guess)
            continue
        result.present.add(sheet.name)
        columns = _header(ws, sheet, index, result, problems)
        if columns is not None:
            result.rows[sheet.name] = list(_rows(ws, sheet, index, columns, result, problems))
    if not any(sheet_named(name).list_field is None for name in result.present):
        if not result.reported:
            problems.error(where, "sheet-no-records", allowed=[s.name for s in sheets() if s.list_field is None])
        return result
    for name in sorted(result.present):
        sheet = sheet_named(name)
        if sheet.parent and sheet.parent not in result.present:
            index = next(i for i, title in result.names.items() if title == name)
            result.error(problems, Cell(index, 1, 1), "sheet-missing-parent", sheet=name, parent=sheet.parent,
                         column=sheet.columns[0].header)
            result.rows.pop(name, None)
    return result


def _header(ws, sheet: Sheet, index: int, result: WorkbookRows, problems: Problems) -> dict[int, Column] | None:
    """Column number -> column, from row 1; None when a column the rows cannot do without is missing."""
    columns: dict[int, Column] = {}
    seen: dict[Column, int] = {}
    allowed = [c.header for c in sheet.columns]
    for number, cell in enumerate(next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ()), start=1):
        if cell is None or not str(cell).strip():
            continue
        header = str(cell).strip()
        result.headers[(index, number)] = header
        column = sheet.column(header)
        here = Cell(index, 1, number)
        if column is None:
            guess = next(iter(difflib.get_close_matches(header, allowed, n=1, cutoff=0.5)), "")
            result.error(problems, here, "sheet-unknown-column", sheet=sheet.name, header=header, guess=guess)
        elif column in seen:
            result.error(problems, here, "sheet-duplicate-column", header=header, other=f"{get_column_letter(seen[column])}1")
        else:
            columns[number] = column
            seen[column] = number
    missing = [c for c in sheet.columns if c.shape in ("community", "parent") or c.key == "id"]
    missing = [c for c in missing if c not in seen]
    for column in missing:
        result.error(problems, Cell(index, 1, max(columns, default=0) + 1), "sheet-missing-column",
                     sheet=sheet.name, header=column.header)
    return None if missing else columns


def _rows(ws, sheet: Sheet, index: int, columns: dict[int, Column], result: WorkbookRows, problems: Problems) -> Iterator[Row]:
    blank: int | None = None
    for number, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        values = list(values)
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            blank = blank or number
            continue
        if blank is not None:
            result.error(problems, Cell(index, blank, 1), "sheet-blank-row", row=blank)
            blank = None
        for position, value in enumerate(values, start=1):
            if position not in columns and value is not None and str(value).strip():
                result.error(problems, Cell(index, 1, position), "sheet-unknown-column", sheet=sheet.name, header="", guess="")
                columns[position] = None  # reported once per column
        cells = {column: (values[p - 1] if p <= len(values) else None, Cell(index, number, p))
                 for p, column in columns.items() if column is not None}
        yield Row(sheet, number, index, cells, Cell(index, number, 1))


# -- cells to nodes -----------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell's value as the text a volunteer sees: 12.0 is 12, a date is 2024-03-05."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").strip()


class Builder:
    """Turns rows into documents; problems it finds are reported at their cells."""

    def __init__(self, book: WorkbookRows, problems: Problems, content_root: Path, existing: dict[tuple[str, str], Document],
                 communities: set[str]):
        self.book = book
        self.problems = problems
        self.content_root = content_root
        self.existing = existing
        new_communities = book.rows.get(record_sheet("community").name, [])
        self.communities = communities | {cell_text(r.value(r.sheet.column("id"))) for r in new_communities}
        self.places: dict[str, Cell] = {}

    def error(self, cell: Cell, code: str, **args: Any) -> None:
        self.book.error(self.problems, cell, code, **args)

    # one cell

    def scalar(self, value: Any, column: Column, spec: schema.FieldSpec, cell: Cell) -> yaml.Node | None:
        """A value's node, typed as the loader would type what a volunteer wrote in YAML."""
        text = cell_text(value)
        if not text:
            return None
        mark = cell.mark()
        plain = False
        kind = spec.type
        if kind == "date":
            if isinstance(value, str) and not ISO_DATE.match(text):
                self.error(cell, "sheet-date-text", header=column.header, found=text[:40])
                return None
            plain = True
        elif kind in ("count", "integer", "amount"):
            if isinstance(value, bool):
                pass  # TRUE in a number column: text, which the check reports
            elif isinstance(value, (int, float)):
                plain = True
                text = repr(value) if isinstance(value, float) and not value.is_integer() else text
            elif FULL_WIDTH_DIGIT.search(text):
                fixed = unicodedata.normalize("NFKC", text).replace(",", "")
                self.error(cell, "sheet-full-width-digits", header=column.header, found=text[:40], fixed=fixed[:40])
                return None
            else:
                plain = bool(NUMBER.match(text))
        elif kind == "boolean":
            if isinstance(value, bool):
                text, plain = ("true" if value else "false"), True
            elif text.lower() in TRUE_WORDS:
                text, plain = TRUE_WORDS[text.lower()], True
        return yaml.ScalarNode(_STR, text, mark, mark, style=None if plain else '"')

    def groups(self, value: Any, column: Column, cell: Cell) -> yaml.Node | None:
        """`居民 23、党员 6` (or `residents: 23, party_members: 6`) as a mapping node."""
        text = cell_text(value)
        if not text:
            return None
        labels = schema.vocabulary("group")
        count = schema.FieldSpec("", "count")
        pairs = []
        for item in filter(None, (part.strip() for part in SPLIT.split(text))):
            match = GROUP_ITEM.match(item)
            if match is None:
                self.error(cell, "sheet-bad-groups", header=column.header, found=item[:40])
                return None
            label, number = match.groups()
            key = labels.resolve(label) or label
            node = self.scalar(number, column, count, cell)
            if node is None:
                return None
            pairs.append((yaml.ScalarNode(_STR, key, cell.mark(), cell.mark(), style='"'), node))
        return yaml.MappingNode(_MAP, pairs, cell.mark(), cell.mark())

    def items(self, value: Any, column: Column, cell: Cell) -> yaml.Node | None:
        text = cell_text(value)
        if not text:
            return None
        nodes = [self.scalar(part.strip(), column, column.spec, cell) for part in SPLIT.split(text) if part.strip()]
        if any(node is None for node in nodes):
            return None
        return yaml.SequenceNode(_SEQ, nodes, cell.mark(), cell.mark())

    def cell_node(self, row: Row, column: Column, name: str) -> yaml.Node | None:
        cell = row.cell(column)
        self.places[name] = cell
        value = row.value(column)
        if column.shape == "groups":
            return self.groups(value, column, cell)
        if column.shape == "list":
            return self.items(value, column, cell)
        return self.scalar(value, column, column.spec, cell)

    # one record

    def mapping(self, row: Row, prefix: tuple[str, ...], fields: dict[str, schema.FieldSpec],
                original: yaml.MappingNode | None, name: str, list_fields: dict[str, yaml.Node | None]) -> yaml.MappingNode:
        """The mapping at `prefix`: cells where the sheet has columns, the YAML file's nodes elsewhere."""
        originals = _pairs(original)
        pairs = []
        mark = row.first.mark()
        for key, spec in fields.items():
            path = (*prefix, key)
            dotted = f"{name}.{key}" if name else key
            key_node = yaml.ScalarNode(_STR, key, mark, mark)
            exact = next((c for c in row.cells if c.path == path and c.shape not in ("step",)), None)
            nested = [c for c in row.cells if c.path[: len(path)] == path and len(c.path) > len(path)]
            if not prefix and key in list_fields:
                node = list_fields[key]
            elif exact is not None:
                node = self.cell_node(row, exact, dotted)
            elif not prefix and key == STEPS and nested:
                node = self.steps(row, spec, originals.get(key, (None, None))[1])
            elif nested:
                sub_fields = spec.fields or {k: schema.FieldSpec(k, "count") for k in spec.keys or ()}
                node = self.mapping(row, path, sub_fields, _as_mapping(originals.get(key, (None, None))[1]), dotted, {})
                node = node if node.value else None
            elif key in originals:
                pairs.append(originals[key])
                continue
            else:
                continue
            if node is not None:
                pairs.append((key_node, node))
        pairs += [pair for key, pair in originals.items() if key not in fields]  # the check names them
        return yaml.MappingNode(_MAP, pairs, mark, mark)

    def steps(self, row: Row, spec: schema.FieldSpec, original: yaml.Node | None) -> yaml.Node | None:
        """A step for each step whose date or note is filled, in the canonical order."""
        item_fields = spec.items.fields
        step_key = next(iter(item_fields))
        by_step = {}
        for item in (original.value if isinstance(original, yaml.SequenceNode) else []):
            step = _pairs(_as_mapping(item)).get(step_key)
            if step is not None:
                by_step.setdefault(step[1].value, item)
        nodes = []
        for term in schema.vocabulary(item_fields[step_key].vocabulary).terms:
            columns = [c for c in row.cells if c.shape == "step" and c.path[1] == term]
            if not any(cell_text(row.value(c)) for c in columns):
                if not columns and term in by_step:
                    nodes.append(by_step[term])
                continue
            first = next(c for c in columns if cell_text(row.value(c)))
            name = f"{STEPS}[{len(nodes) + 1}]"
            pairs = [(yaml.ScalarNode(_STR, step_key, row.cell(first).mark(), row.cell(first).mark()),
                      yaml.ScalarNode(_STR, term, row.cell(first).mark(), row.cell(first).mark(), style='"'))]
            kept = _pairs(_as_mapping(by_step.get(term)))
            for sub_name in list(item_fields)[1:]:
                column = next((c for c in columns if c.path[2] == sub_name), None)
                if column is None:
                    if sub_name in kept:
                        pairs.append(kept[sub_name])
                    continue
                node = self.cell_node(row, column, f"{name}.{sub_name}")
                if node is not None:
                    pairs.append((yaml.ScalarNode(_STR, sub_name, node.start_mark, node.start_mark), node))
            mark = row.cell(first).mark()
            nodes.append(yaml.MappingNode(_MAP, pairs, mark, mark))
        if not nodes:
            return None
        return yaml.SequenceNode(_SEQ, nodes, nodes[0].start_mark, nodes[0].start_mark)

    def record(self, row: Row, items: dict[str, list[Row]]) -> SheetRecord | None:
        """The record of one row of a record sheet, with its items from the item sheets."""
        sheet = row.sheet
        kind = sheet.kind
        id_column = sheet.column("id")
        record_id = cell_text(row.value(id_column))
        if not record_id:
            self.error(row.cell(id_column), "sheet-empty-cell", header=id_column.header)
            return None
        if not SLUG.match(record_id):
            self.error(row.cell(id_column), "bad-slug", field=id_column.header, found=record_id[:40],
                       fixed=re.sub(r"[^a-z0-9-]+", "-", record_id.lower()).strip("-")[:64] or "…")
            return None
        if kind == "community":
            community = record_id
        else:
            community_column = next(c for c in sheet.columns if c.shape == "community")
            community = cell_text(row.value(community_column))
            cell = row.cell(community_column)
            if not community:
                self.error(cell, "sheet-empty-cell", header=community_column.header)
                return None
            if community not in self.communities:
                self.error(cell, "sheet-unknown-community", id=community[:40])
                return None
        original = self.existing.get((kind, record_id))
        if original is not None and original.community != community:
            column = next(c for c in sheet.columns if c.shape == "community")
            self.error(row.cell(column), "sheet-moved-record", id=record_id, expected=original.community, found=community)
            return None
        self.places = {}
        list_fields = {}
        for item_sheet_name, item_rows in items.items():
            item_sheet = sheet_named(item_sheet_name)
            list_fields[item_sheet.list_field] = self.item_list(item_sheet, item_rows, original)
        fields = schema.record_schema(kind).fields
        root = self.mapping(row, (), fields, original.root if original else None, "", list_fields)
        covered = {c.path[0] for c in row.cells if c.path} | set(list_fields)
        if original is not None:
            document = Document(kind, original.path, original.file, root, community)
        else:
            folder = self.content_root / "communities" / community
            file = folder / "community.yaml" if kind == "community" else folder / FOLDER_OF[kind] / f"{record_id}.yaml"
            document = Document(kind, display_path(file), file, root, community)
        return SheetRecord(document, original, covered, self.places)

    def item_list(self, sheet: Sheet, rows: list[Row], original: Document | None) -> yaml.Node | None:
        """A list field from its item sheet's rows, in row order; columns the sheet lacks keep the
        YAML file's values of the item at the same position."""
        spec = schema.record_schema(sheet.kind).fields[sheet.list_field]
        kept = _pairs(original.root).get(sheet.list_field) if original and original.root is not None else None
        kept_items = kept[1].value if kept and isinstance(kept[1], yaml.SequenceNode) else []
        nodes = []
        for position, row in enumerate(rows):
            name = f"{sheet.list_field}[{position + 1}]"
            before = _as_mapping(kept_items[position]) if position < len(kept_items) else None
            nodes.append(self.mapping(row, (), spec.items.fields, before, name, {}))
        if not nodes:
            return None
        return yaml.SequenceNode(_SEQ, nodes, nodes[0].start_mark, nodes[0].start_mark)


def _pairs(node: yaml.Node | None) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    """A mapping node's pairs by key (the first of repeated keys; the check reports repeats)."""
    pairs: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                pairs.setdefault(key.value, (key, value))
    return pairs


def _as_mapping(node: yaml.Node | None) -> yaml.MappingNode | None:
    return node if isinstance(node, yaml.MappingNode) else None


def build_records(book: WorkbookRows, problems: Problems, content_root: Path,
                  existing: dict[tuple[str, str], Document], communities: set[str]) -> list[SheetRecord]:
    """A document per row of the record sheets, items gathered from the item sheets by id."""
    builder = Builder(book, problems, content_root, existing, communities)
    records = []
    for sheet in sheets():
        if sheet.list_field is not None or sheet.name not in book.rows:
            continue
        rows = book.rows[sheet.name]
        ids = {cell_text(r.value(sheet.column("id"))) for r in rows}
        items_by_id: dict[str, dict[str, list[Row]]] = {}
        for item_sheet in (s for s in sheets() if s.parent == sheet.name and s.name in book.rows):
            parent_column = item_sheet.columns[0]
            for row in book.rows[item_sheet.name]:
                parent = cell_text(row.value(parent_column))
                if not parent:
                    builder.error(row.cell(parent_column), "sheet-empty-cell", header=parent_column.header)
                elif parent not in ids:
                    builder.error(row.cell(parent_column), "sheet-orphan-row", column=parent_column.header, id=parent[:40],
                                  parent=sheet.name)
                else:
                    items_by_id.setdefault(parent, {}).setdefault(item_sheet.name, []).append(row)
        present = [s.name for s in sheets() if s.parent == sheet.name and s.name in book.rows]
        for row in rows:
            record_id = cell_text(row.value(sheet.column("id")))
            items = {name: items_by_id.get(record_id, {}).get(name, []) for name in present}
            record = builder.record(row, items)
            if record is not None:
                records.append(record)
    return records
