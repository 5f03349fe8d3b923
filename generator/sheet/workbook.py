"""Write the 台账 workbook: a sheet per kind, Chinese headers, dropdowns, dates as dates.

Plain xlsx through openpyxl, nothing Excel-only: Excel and WPS open it as it is. Dropdowns take
their values from a hidden sheet (a literal list is capped at 255 characters); they only warn on
other values, because English keys are accepted in cells as in YAML.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Mapping

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .. import schema
from ..schema import Vocabulary
from ..records import Record
from .layout import HELP_SHEET, LISTS_SHEET, STEPS, WORKBOOK, Column, Sheet, sheets

DATE_FORMAT = "yyyy-mm-dd"
EMPTY_ROWS = 500  # rows below the data that still get dropdowns
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")


def vocabulary_of(column: Column, vocabularies: Mapping[str, Vocabulary]) -> Vocabulary | None:
    name = column.spec.vocabulary if column.spec.type == "enum" else None
    return (vocabularies.get(name) or schema.vocabulary(name)) if name else None


def _text(value: Any) -> Any:
    return value.rstrip("\n") if isinstance(value, str) else value


def _groups(counts: Mapping[str, int]) -> str:
    """`居民 23、党员 6`: the group's label where it has one, else its key."""
    labels = schema.vocabulary("group")
    return WORKBOOK.join(f"{labels.label(key, 'zh')} {count}" for key, count in counts.items())


def cell_value(column: Column, record: Record, item: Mapping[str, Any] | None,
               vocabularies: Mapping[str, Vocabulary]) -> Any:
    """What a cell shows for a record (or one item of its list, on an item sheet)."""
    if column.shape == "community":
        return record.community
    if column.shape == "parent":
        return record.id
    data: Any = item if item is not None else record.data
    if column.shape == "step":
        _, step, name = column.path
        data = next((s for s in record.data.get(STEPS, []) if s.get("step") == step), {})
        value = data.get(name)
    else:
        value = data
        for part in column.path:
            value = value.get(part) if isinstance(value, dict) else None
    if value is None:
        return None
    vocabulary = vocabulary_of(column, vocabularies)
    if column.shape == "groups":
        return _groups(value) or None
    if column.shape == "list":
        return WORKBOOK.join(vocabulary.label(v, "zh") if vocabulary else str(v) for v in value) or None
    if vocabulary is not None:
        return vocabulary.label(value, "zh")
    return _text(value)


def _rows(sheet: Sheet, records: Iterable[Record], vocabularies: Mapping[str, Vocabulary]) -> Iterable[list[Any]]:
    for record in records:
        if record.kind != sheet.kind:
            continue
        items = record.data.get(sheet.list_field, []) if sheet.list_field else [None]
        for item in items:
            yield [cell_value(column, record, item, vocabularies) for column in sheet.columns]


def _width(header: str) -> float:
    return max(10, 2.2 * len(header) + 2)


def _add_sheet(book: Workbook, sheet: Sheet, rows: list[list[Any]], choices: dict[str, str]) -> None:
    ws: Worksheet = book.create_sheet(sheet.name)
    ws.append([column.header for column in sheet.columns])
    for row in rows:
        ws.append(row)
    last = max(len(rows) + 1 + EMPTY_ROWS, 2)
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        header = ws.cell(row=1, column=index)
        header.font = Font(bold=True)
        header.fill = REQUIRED_FILL if column.required else HEADER_FILL
        ws.column_dimensions[letter].width = _width(column.header) if column.spec.type not in ("markdown",) else 40
        if column.spec.type == "date":  # only filled cells: a styled empty cell reads as a row
            for row in range(2, len(rows) + 2):
                ws.cell(row=row, column=index).number_format = DATE_FORMAT
        elif column.spec.type == "markdown":
            for row in range(2, len(rows) + 2):
                ws.cell(row=row, column=index).alignment = Alignment(wrap_text=True, vertical="top")
        if column.shape == "value" and column.spec.type == "enum":
            validation = DataValidation(
                type="list", formula1=choices[column.spec.vocabulary], allow_blank=True,
                showErrorMessage=True, errorStyle="warning", errorTitle=WORKBOOK.t("workbook.not_listed"),
                error=WORKBOOK.t("workbook.choose"),
                showInputMessage=True, promptTitle=column.header[:32], prompt=column.help.get("zh", "")[:250],
            )
            validation.add(f"{letter}2:{letter}{last}")
            ws.add_data_validation(validation)
    ws.freeze_panes = "A2"


def _add_lists(book: Workbook, vocabularies: Mapping[str, Vocabulary]) -> dict[str, str]:
    """The hidden sheet of dropdown values; returns each vocabulary's range formula."""
    names = sorted({c.spec.vocabulary for s in sheets() for c in s.columns if c.spec.type == "enum" and c.shape == "value"})
    ws = book.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    formulas = {}
    for index, name in enumerate(names, start=1):
        vocabulary = vocabularies.get(name) or schema.vocabulary(name)
        labels = [term.zh for term in vocabulary.terms.values()]
        ws.cell(row=1, column=index, value=name)
        for row, label in enumerate(labels, start=2):
            ws.cell(row=row, column=index, value=label)
        letter = get_column_letter(index)
        formulas[name] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(labels) + 1}"
    return formulas


def _add_help(book: Workbook, vocabularies: Mapping[str, Vocabulary]) -> None:
    ws = book.create_sheet(HELP_SHEET)
    ws.append([WORKBOOK.both("workbook.title")])
    ws["A1"].font = Font(bold=True, size=14)
    for words in (WORKBOOK, WORKBOOK.other):  # the guide in Chinese, then in English
        for line in words.t("workbook.guide").splitlines():
            ws.append([line])
    ws.append([])
    named = ("workbook.sheet", "workbook.column", "workbook.field", "reference.required")
    ws.append([*(WORKBOOK.both(key, " ") for key in named), WORKBOOK.t("reference.help"),
               WORKBOOK.other.t("reference.help"), WORKBOOK.both("workbook.values", " ")])
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for sheet in sheets():
        for column in sheet.columns:
            vocabulary = vocabulary_of(column, vocabularies)
            values = WORKBOOK.join(
                WORKBOOK.t("format.label_key", label=t.zh, key=t.key) for t in vocabulary.terms.values()) if vocabulary else ""
            if column.spec.type == "date":
                values = WORKBOOK.both("reference.types.date", " ")
            ws.append([sheet.name, column.header, column.key, WORKBOOK.t("workbook.yes") if column.required else "",
                       column.help.get("zh", ""), column.help.get("en", ""), values])
    for letter, width in zip("ABCDEFG", (12, 20, 28, 8, 60, 60, 60)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = f"A{header_row + 1}"


def write_workbook(path: Path, records: list[Record], vocabularies: Mapping[str, Vocabulary]) -> int:
    """Write the workbook (no records: the empty template); returns how many rows it holds."""
    book = Workbook()
    book.remove(book.active)
    choices = _add_lists(book, vocabularies)
    count = 0
    for sheet in sheets():
        rows = list(_rows(sheet, records, vocabularies))
        count += len(rows) if sheet.list_field is None else 0
        _add_sheet(book, sheet, rows, choices)
    _add_help(book, vocabularies)
    book.move_sheet(LISTS_SHEET, offset=len(book.sheetnames))  # hidden, last
    book.active = 0
    book.properties.creator = "ailin"
    book.save(path)
    return count
