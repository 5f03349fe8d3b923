"""The workbook's shape, derived from `schemas/`: which sheets, which columns, which words.

A record kind is one sheet, one row per record. Fields flatten into columns:
- a single value is one column;
- a mapping with fixed keys (satisfaction, votes, teams) or an object (submitter, contact) is a
  column per key, headed `满意度·满意`;
- a list of values (agenda, meetings) or a mapping of free groups (attendance) is one text cell;
- `steps` is a date and a note column per step: the check allows each step once, in order;
- any other list of objects (resolutions, funding, outputs, photos, compounds) is its own sheet,
  a row per item, keyed by the record's id in its first column.
Nothing here names a field the schemas already declare, except `steps` and the privacy
exceptions (reviewed field paths, kept in YAML only).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from .. import schema
from ..schema import FieldSpec
from ..words import LANGUAGES, Words

RECORD_KINDS = ("community", "suggestion", "meeting", "project")
LEFT_OUT = {"privacy_exceptions"}  # reviewed paths like steps[2].note: kept in the YAML files
STEPS = "steps"
# The workbook is Chinese whatever the board's language: its sheets and columns are named by the
# schemas' Chinese titles, and an import reads them back by those names.
WORKBOOK = Words.of("zh")
HELP_SHEET = WORKBOOK.t("workbook.help_sheet")
LISTS_SHEET = WORKBOOK.t("workbook.lists_sheet")  # hidden: the dropdowns' values
SEPARATOR = "·"


@dataclass(frozen=True, eq=False)
class Column:
    """One column: its header, the English key that may stand for the header, and where its
    value goes in a record (`path`). `shape` says how a cell holds the value."""

    header: str
    key: str
    path: tuple[str, ...]
    spec: FieldSpec
    shape: str  # value | list | groups | step | community | parent
    required: bool = False
    help: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class Sheet:
    name: str
    kind: str
    columns: tuple[Column, ...]
    list_field: str | None = None  # for an item sheet: the record's list field it fills
    parent: str | None = None  # for an item sheet: the record sheet it belongs to

    def __post_init__(self) -> None:
        table = {c.key: c for c in self.columns}
        table.update({c.header: c for c in self.columns})
        object.__setattr__(self, "_by_header", table)

    def column(self, header: str) -> Column | None:
        """The column a header names: its Chinese header or its English key."""
        return self._by_header.get(header.strip())


def _key_label(key: str) -> str:
    return schema.vocabulary("count_key").label(key, "zh")


def _flatten(spec: FieldSpec, path: tuple[str, ...], title: str, key: str, required: bool = True) -> list[Column]:
    """The columns of one field (recursing into objects and fixed-key counts). A column is
    required when its field and every field around it are."""
    required = required and spec.required
    if spec.type == "object":
        return [
            column
            for name, sub in spec.fields.items()
            for column in _flatten(sub, (*path, name), f"{title}{SEPARATOR}{sub.label('zh')}", f"{key}.{name}", required)
        ]
    if spec.type == "counts" and spec.keys:
        count = FieldSpec(name="", type="count")
        return [
            Column(f"{title}{SEPARATOR}{_key_label(k)}", f"{key}.{k}", (*path, k), count, "value", help=spec.help)
            for k in spec.keys
        ]
    if spec.type in ("counts", "labels"):
        return [Column(title, key, path, spec, "groups", help=spec.help)]
    if spec.type == "list":
        return [Column(title, key, path, spec.items, "list", help=spec.help)]
    return [Column(title, key, path, spec, "value", required, spec.help)]


def _step_columns(spec: FieldSpec) -> list[Column]:
    item_fields = spec.items.fields
    step_spec = next(iter(item_fields.values()))  # the step's name; the column says which
    columns = []
    for term in schema.vocabulary(step_spec.vocabulary).terms.values():
        for name, sub in list(item_fields.items())[1:]:
            columns.append(Column(
                f"{term.zh}{SEPARATOR}{sub.label('zh')}", f"{STEPS}.{term.key}.{name}",
                (STEPS, term.key, name), sub, "step", help=sub.help,
            ))
    return columns


def _id_column(kind: str) -> Column:
    spec = schema.record_schema(kind).fields["id"]
    return Column(spec.label("zh"), "id", ("id",), spec, "value", True, spec.help)


@functools.cache
def sheets() -> tuple[Sheet, ...]:
    """Every sheet of the workbook, record sheets each followed by their item sheets."""
    result: list[Sheet] = []
    for kind in RECORD_KINDS:
        record = schema.record_schema(kind)
        name = record.title["zh"]
        columns: list[Column] = []
        if kind != "community":
            community = schema.record_schema("community").title
            community_help = {language: Words.of(language).t("workbook.community_help") for language in LANGUAGES}
            columns.append(Column(community["zh"], community["en"], (), FieldSpec("community", "slug"),
                                  "community", True, community_help))
        item_sheets: list[Sheet] = []
        for field_name, spec in record.fields.items():
            if field_name in LEFT_OUT:
                continue
            if field_name == STEPS:
                columns += _step_columns(spec)
            elif spec.type == "list" and spec.items is not None and spec.items.type == "object":
                parent = _id_column(kind)
                parent_help = {language: Words.of(language).t("workbook.parent_help", record=record.title[language])
                               for language in LANGUAGES}
                key_column = Column(f"{name}{parent.header}", kind, (), parent.spec, "parent", True, parent_help)
                item_columns = [
                    column
                    for sub_name, sub in spec.items.fields.items()
                    for column in _flatten(sub, (sub_name,), sub.label("zh"), sub_name)
                ]
                item_sheets.append(Sheet(spec.label("zh"), kind, (key_column, *item_columns), field_name, name))
            else:
                columns += _flatten(spec, (field_name,), spec.label("zh"), field_name)
        result.append(Sheet(name, kind, tuple(columns)))
        result.extend(item_sheets)
    names = [s.name for s in result]
    assert len(set(names)) == len(names) and HELP_SHEET not in names, names
    for sheet in result:
        headers = [c.header for c in sheet.columns]
        assert len(set(headers)) == len(headers), (sheet.name, headers)
    return tuple(result)


def sheet_named(name: str) -> Sheet | None:
    return next((s for s in sheets() if s.name == name.strip()), None)


def record_sheet(kind: str) -> Sheet:
    return next(s for s in sheets() if s.kind == kind and s.list_field is None)


def item_sheets(kind: str) -> list[Sheet]:
    return [s for s in sheets() if s.kind == kind and s.list_field is not None]
