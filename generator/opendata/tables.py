"""The open-data tables: each declared once in `TABLES`, as columns with the function that
reads each cell from the model, so a Table Schema and its rows cannot drift apart; and the
rows as CSV cells and bytes.

A column that holds a record field takes its words from the field's schema in schemas/; the few
derived columns (status, overdue, the keys that tie a row to its parent) are declared in
derived.yaml beside this module, with their words in the catalogue (generator/words/).

Length (about 400 lines): half of it is the eleven tables' declarations, one column a line.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import json
import operator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import yaml

from .. import schema
from ..model import BoardModel, Suggestion
from ..schema import FieldSpec
from ..words import LANGUAGES, Words

DATA_DIR = "data"
DATA_JSON_VERSION = 1  # the shape of c/<community>/data.json; raise it when a key changes meaning
# A default the board can change later (e.g. a `license` key in board.yaml): open, with attribution.
DEFAULT_LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
# Text cells a spreadsheet would run as a formula; OWASP's advice is a leading single quote.
# Only free-text columns: ids, keys, dates and numbers never start so (a negative number is a number).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FREE_TEXT = ("string", "markdown")
# What the schemas do not declare: derived columns and their vocabularies. Same shape as a field
# in schemas/; their words are `opendata.columns.<name>` in the catalogue.
DERIVED: dict[str, Any] = yaml.safe_load(Path(__file__).with_name("derived.yaml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Column:
    """One column: where its words come from, and how a row object gives its cell."""

    name: str
    source: str  # "suggestion.received" (a field in schemas/) or "=status" (in derived.yaml)
    get: Callable[[Any], Any]
    key: str | None = None  # one key of a `counts` field, e.g. the `for` of votes
    required: bool | None = None  # overrides the source: a parent key is required in its child table


@dataclass(frozen=True)
class TableSpec:
    name: str
    title: str  # a schema path whose title names the table, or "=name" for opendata.titles.<name> in the catalogue
    # One community's rows, in key order: the first column, the id of the record a row belongs
    # to, orders the table, and the rows of all communities are merged on it (`merge_rows`).
    rows: Callable[[BoardModel, str], list[Any]]
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()


def _resolve(source: str) -> tuple[FieldSpec, bool]:
    """The field spec a column comes from, and whether every row must have a value."""
    if source.startswith("="):
        name = source[1:]
        raw = DERIVED["fields"][name]
        words = {language: Words.of(language) for language in LANGUAGES}
        spec = FieldSpec(
            name=name, type=raw["type"], required=raw.get("required", False),
            title={language: w.t(f"opendata.columns.{name}.title") for language, w in words.items()},
            help={language: w.t(f"opendata.columns.{name}.help") for language, w in words.items()},
            vocabulary=raw.get("vocabulary"), min=raw.get("min"), to=raw.get("to"),
        )
        return spec, spec.required
    kind, first, *rest = source.split(".")
    spec = schema.record_schema(kind).fields[first]
    required = spec.required
    for name in rest:
        if spec.items is not None:  # a list of objects: each item is a row of its own table
            spec = spec.items.fields[name]
            required = spec.required
        else:  # a field of an object: optional when the object is, titled "contact: address"
            parent, spec = spec, spec.fields[name]
            required = required and spec.required
            title = {language: Words.of(language).colon(parent.title[language], spec.title[language]) for language in LANGUAGES}
            spec = dataclasses.replace(spec, title=title)
    return spec, required


# ---------------------------------------------------------------------------------------------
# The tables. Rows come in key order, a community at a time; every column is a field of
# schemas/ or of derived.yaml.
# ---------------------------------------------------------------------------------------------

def _counts(source: str, get: Callable[[Any], Mapping | None]) -> tuple[Column, ...]:
    """One integer column per key the schema fixes for a `counts` field: votes_for, votes_against, ..."""
    field = source.rsplit(".", 1)[-1]
    return tuple(
        Column(f"{field}_{key}", source, lambda row, key=key: (get(row) or {}).get(key), key=key)
        for key in _resolve(source)[0].keys
    )


def _satisfaction(s: Suggestion) -> dict | None:
    # Its fields are ints: a copy of its __dict__ is what dataclasses.asdict gives, twenty
    # times faster (this runs four times per suggestion).
    return None if s.satisfaction is None else dict(vars(s.satisfaction))


def _resolution_parts(ref: str | None) -> tuple[str | None, str | None]:
    if not ref:
        return None, None
    meeting, _, resolution = ref.partition("#")
    return meeting, resolution


def _links(board: BoardModel, community: str) -> list[tuple[str, str, str]]:
    rows = []
    for s in board.suggestions_of(community):
        rows += [(s.id, "meeting", m.id) for m in sorted(board.meetings_for(s), key=lambda m: m.id)]
        rows += [(s.id, "project", p.id) for p in board.projects_for(s)]
    return rows


def _resolutions(board: BoardModel, community: str) -> list[Any]:
    return [r for m in board.meetings_of(community) for r in sorted(m.resolutions, key=lambda r: r.id)]


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "communities", "community", lambda b, c: [b.communities[c]],
        (
            Column("id", "community.id", lambda c: c.id),
            Column("name", "community.name", lambda c: c.name),
            Column("street", "community.street", lambda c: c.street),
            Column("district", "community.district", lambda c: c.district),
            Column("summary", "community.summary", lambda c: c.summary),
            *_counts("community.teams", lambda c: c.teams),
            Column("channels", "community.channels", lambda c: c.channels),
            Column("deliberation_day", "community.deliberation_day", lambda c: c.deliberation_day),
            # the office phone is public but stays on the page: no phone column in bulk data
            Column("contact_address", "community.contact.address", lambda c: c.contact.get("address")),
            Column("contact_hours", "community.contact.hours", lambda c: c.contact.get("hours")),
        ),
        primary_key=("id",),
    ),
    TableSpec(
        "compounds", "community.compounds",
        lambda b, c: [(c, key, b.communities[c].compounds[key]) for key in sorted(b.communities[c].compounds)],
        (
            Column("community", "=community", lambda r: r[0]),
            Column("id", "community.compounds.id", lambda r: r[1]),
            Column("name", "community.compounds.name", lambda r: r[2]),
        ),
        primary_key=("community", "id"),
    ),
    TableSpec(
        "suggestions", "suggestion", lambda b, c: b.suggestions_of(c),
        (
            Column("id", "suggestion.id", lambda s: s.id),
            Column("community", "=community", lambda s: s.community),
            Column("title", "suggestion.title", lambda s: s.title),
            Column("received", "suggestion.received", lambda s: s.received),
            Column("channel", "suggestion.channel", lambda s: s.channel),
            Column("category", "suggestion.category", lambda s: s.category),
            Column("compound", "suggestion.compound", lambda s: s.compound),
            Column("priority", "suggestion.priority", lambda s: s.priority),
            Column("summary", "suggestion.summary", lambda s: s.summary),
            Column("submitter", "suggestion.submitter.display", lambda s: s.submitter),  # masked, consented only
            Column("level", "suggestion.level", lambda s: s.level),
            Column("decision", "suggestion.decision", lambda s: s.decision),
            Column("reason", "suggestion.reason", lambda s: s.reason),
            Column("duplicate_of", "suggestion.duplicate_of", lambda s: s.duplicate_of),
            Column("referred_to", "suggestion.referred_to", lambda s: s.referred_to),
            *_counts("suggestion.satisfaction", _satisfaction),
            Column("status", "=status", lambda s: s.status.value),
            Column("accepted", "=accepted", lambda s: s.accepted),
            Column("first_response", "=first_response", lambda s: s.first_response),
            Column("feedback", "=feedback", lambda s: s.feedback),
            Column("days_to_feedback", "=days_to_feedback", lambda s: s.days_to_feedback),
            Column("on_time", "=on_time", lambda s: s.on_time),
            Column("overdue", "=overdue", lambda s: s.overdue),
        ),
        primary_key=("id",),
    ),
    TableSpec(
        "steps", "suggestion.steps",
        lambda b, c: [(s, step) for s in b.suggestions_of(c) for step in s.steps],
        (
            Column("suggestion", "=suggestion", lambda r: r[0].id),
            Column("step", "suggestion.steps.step", lambda r: r[1].step),
            Column("date", "suggestion.steps.date", lambda r: r[1].date),
            Column("note", "suggestion.steps.note", lambda r: r[1].note),
            Column("days_since_previous", "=days_since_previous", lambda r: r[1].days_since_previous),
            Column("late", "=late", lambda r: r[1].late),
        ),
        primary_key=("suggestion", "step"),
    ),
    TableSpec(
        "meetings", "meeting", lambda b, c: b.meetings_of(c),
        (
            Column("id", "meeting.id", lambda m: m.id),
            Column("community", "=community", lambda m: m.community),
            Column("kind", "meeting.kind", lambda m: m.kind),
            Column("title", "meeting.title", lambda m: m.title),
            Column("date", "meeting.date", lambda m: m.date),
            Column("place", "meeting.place", lambda m: m.place),
            Column("attendees", "=attendees", lambda m: m.attendees),
            Column("attendance", "meeting.attendance", lambda m: m.attendance),
            Column("minutes", "meeting.minutes", lambda m: m.minutes),
        ),
        primary_key=("id",),
    ),
    TableSpec(
        "resolutions", "meeting.resolutions",
        _resolutions,
        (
            Column("meeting", "=meeting", lambda r: r.meeting, required=True),
            Column("id", "meeting.resolutions.id", lambda r: r.id),
            Column("text", "meeting.resolutions.text", lambda r: r.text),
            Column("decision", "meeting.resolutions.decision", lambda r: r.decision),
            *_counts("meeting.resolutions.votes", lambda r: r.votes),
        ),
        primary_key=("meeting", "id"),
    ),
    TableSpec(
        "projects", "project", lambda b, c: b.projects_of(c),
        (
            Column("id", "project.id", lambda p: p.id),
            Column("community", "=community", lambda p: p.community),
            Column("title", "project.title", lambda p: p.title),
            Column("kind", "project.kind", lambda p: p.kind),
            Column("status", "project.status", lambda p: p.status),
            Column("started", "project.started", lambda p: p.started),
            Column("completed", "project.completed", lambda p: p.completed),
            Column("meeting", "=meeting", lambda p: _resolution_parts(p.resolution)[0]),
            Column("resolution", "=resolution", lambda p: _resolution_parts(p.resolution)[1]),
            Column("funding_total", "=funding_total", lambda p: p.total_funding),
            Column("duration_days", "=duration_days", lambda p: p.duration_days),
            Column("beneficiaries", "project.beneficiaries", lambda p: p.beneficiaries),
            Column("summary", "project.summary", lambda p: p.summary),
        ),
        primary_key=("id",),
    ),
    TableSpec(
        "outputs", "project.outputs",
        lambda b, c: [(p, n, o) for p in b.projects_of(c) for n, o in enumerate(p.outputs, 1)],
        (
            Column("project", "=project", lambda r: r[0].id, required=True),
            Column("position", "=position", lambda r: r[1]),
            Column("label", "project.outputs.label", lambda r: r[2].label),
            Column("quantity", "project.outputs.quantity", lambda r: r[2].quantity),
            Column("unit", "project.outputs.unit", lambda r: r[2].unit),
        ),
        primary_key=("project", "position"),
    ),
    TableSpec(
        "funding", "project.funding",
        lambda b, c: [(p, n, f) for p in b.projects_of(c) for n, f in enumerate(p.funding, 1)],
        (
            Column("project", "=project", lambda r: r[0].id, required=True),
            Column("position", "=position", lambda r: r[1]),
            Column("source", "project.funding.source", lambda r: r[2][0]),
            Column("amount", "project.funding.amount", lambda r: r[2][1]),
        ),
        primary_key=("project", "position"),
    ),
    TableSpec(
        "links", "=links", _links,
        (
            Column("suggestion", "=suggestion", lambda r: r[0]),
            Column("relation", "=relation", lambda r: r[1]),
            Column("meeting", "=meeting", lambda r: r[2] if r[1] == "meeting" else None),
            Column("project", "=project", lambda r: r[2] if r[1] == "project" else None),
        ),
        # no primary key: a row names a meeting or a project, and key cells may not be empty
    ),
    TableSpec(
        "resolution_links", "=resolution_links",
        lambda b, c: [(r, sid) for r in _resolutions(b, c) for sid in sorted(set(r.suggestion_ids))],
        (
            Column("meeting", "=meeting", lambda r: r[0].meeting, required=True),
            Column("resolution", "=resolution", lambda r: r[0].id, required=True),
            Column("suggestion", "=suggestion", lambda r: r[1]),
        ),
        primary_key=("meeting", "resolution", "suggestion"),
    ),
)
TABLE_NAMES = tuple(table.name for table in TABLES)
TABLE_OF = {"community": "communities", "suggestion": "suggestions", "meeting": "meetings", "project": "projects"}


def foreign_keys(table: TableSpec) -> tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...]:
    """The table's foreign keys, from the `to:` of each column's field (schemas/ or derived.yaml).

    A resolution is named by its meeting and its id together, so a table with a resolution
    column keys (meeting, resolution) into resolutions and its meeting column has no key of
    its own. A compound is named within its community: frictionless treats a half-empty
    composite key as dangling and most suggestions name no compound, so validation.py checks it.
    """
    targets = {column.name: _resolve(column.source)[0].to for column in table.columns if column.key is None}
    keys = []
    for name, to in targets.items():
        if to == "resolution":
            meeting = next(other for other, target in targets.items() if target == "meeting")
            keys.append(((meeting, name), "resolutions", ("meeting", "id")))
        elif to in TABLE_OF and not (to == "meeting" and "resolution" in targets.values()):
            keys.append(((name,), TABLE_OF[to], ("id",)))
    return tuple(keys)
# Fields of schemas/ that are no column, and why; tests/test_opendata.py fails on any other gap.
LEFT_OUT = {
    "community.contact.phone": "an office phone, public on the page, but bulk data has no phone column",
    "suggestion.submitter.consent": "never published; the masked name appears only when it is true",
    "suggestion.meetings": "in links, merged with the meetings' agendas and resolutions",
    "suggestion.projects": "in links, merged with the projects' suggestions",
    "meeting.agenda": "in links",
    "meeting.resolutions.suggestions": "in resolution_links",
    "project.suggestions": "in links",
    "project.resolution": "split into the projects' meeting and resolution columns",
    "project.photos": "files of the site, not data",
    "*.privacy_exceptions": "review notes for the check, not data",
}



# ---------------------------------------------------------------------------------------------
# The files
# ---------------------------------------------------------------------------------------------

def _cell(value: Any) -> str:
    """A value as Table Schema's default CSV text; empty means missing."""
    kind = type(value)  # exact types first: this runs a few million times on a district board
    if kind is str:
        return value
    if value is None:
        return ""
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if kind is float:
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")) if value else ""
    return str(value)


def _text_cell(value: Any) -> str:
    """A free-text value as a CSV cell that no spreadsheet runs as a formula: =SUM(…) -> '=SUM(…)."""
    cell = _cell(value)
    return "'" + cell if cell.startswith(FORMULA_START) else cell


@functools.cache  # asked for every column of every community: resolving its source each time cost a tenth of the rows
def _is_free_text(column: Column) -> bool:
    return column.key is None and _resolve(column.source)[0].type in FREE_TEXT


def table_rows(board: BoardModel, community: str) -> dict[str, list[list[str]]]:
    """Every table's rows of one community as CSV cells, in key order (the header is not included)."""
    tables = {}
    for table in TABLES:
        cells = [(column.get, _text_cell if _is_free_text(column) else _cell) for column in table.columns]
        tables[table.name] = [[write(get(row)) for get, write in cells] for row in table.rows(board, community)]
    return tables


class _Line:
    """A file for csv.writer that keeps nothing: `writerow` returns what it wrote, the row's line."""

    @staticmethod
    def write(line: str) -> str:
        return line


_line = csv.writer(_Line(), lineterminator="\r\n").writerow  # a row's cells -> its CSV line


def community_rows(board: BoardModel, community: str) -> dict[str, list[tuple[str, str]]]:
    """The community's share of each table: its rows as (first cell, CSV line), in key order;
    kept with its pages (generator/parts.py), so a build formats only changed communities."""
    return {name: [(cells[0], _line(cells)) for cells in rows] for name, rows in table_rows(board, community).items()}


def merge_rows(shares: Iterable[Mapping[str, list[tuple[str, str]]]]) -> dict[str, list[str]]:
    """Each table's CSV lines in key order, from the shares of all communities: a stable sort on
    the first cell, the id of the record the row belongs to (each id is in one community only),
    keeps the rows of one record in their order."""
    merged: dict[str, list[tuple[str, str]]] = {table.name: [] for table in TABLES}
    for share in shares:
        for name, rows in share.items():
            merged[name] += rows
    return {name: [line for _, line in sorted(rows, key=operator.itemgetter(0))] for name, rows in merged.items()}


def _csv(table: TableSpec, lines: list[str]) -> bytes:
    """UTF-8 without a byte-order mark, CRLF line ends (RFC 4180); see docs/opendata.md."""
    return "".join([_line([column.name for column in table.columns]), *lines]).encode("utf-8")
