"""The open data: normalized tables as CSV with frictionless Table Schemas, and per-community JSON.

The Table Schemas are generated from `schemas/*.yaml`: a column that holds a record field takes
its name, type, constraints, title and help from the field's schema; the few derived columns
(status, overdue, the keys that tie a row to its parent) have their words in `_DERIVED` below.
Each table is declared once, in `TABLES`, as columns with the function that reads each cell from
the model, so a schema and its rows cannot drift apart.

`open_data_files(board)` returns every file (path relative to the site root -> bytes) and
validates the package with frictionless first: a package that would not validate raises
`OpenDataError` and nothing is published. The output is deterministic: rows sorted by key,
keys in a fixed order, no timestamp but the board's `as_of`. Nothing personal is written: the
submitter only as the masked name the model keeps when consent was given, never the consent
flag, no phone number. The shapes are documented in docs/opendata.md.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import gc
import hashlib
import io
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

import yaml
from frictionless import FrictionlessException, Package

from . import metrics, schema
from .model import BoardModel, Community, Meeting, Project, Status, Suggestion
from .records import ID as ID_PATTERN
from .schema import FieldSpec, Vocabulary

DATA_DIR = "data"
PACKAGE_NAME = "ailin-board"
DATA_JSON_VERSION = 1  # the shape of c/<community>/data.json; raise it when a key changes meaning
# A default the board can change later (e.g. a `license` key in board.yaml): open, with attribution.
DEFAULT_LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
_TYPES = {
    "slug": "string", "ref": "string", "string": "string", "markdown": "string", "url": "string",
    "path": "string", "enum": "string", "date": "date", "integer": "integer", "count": "integer",
    "amount": "number", "boolean": "boolean", "counts": "object", "list": "array",
}
_OTHER = {"zh": "en", "en": "zh"}
# Text cells a spreadsheet would run as a formula; OWASP's advice is a leading single quote.
# Only free-text columns: ids, keys, dates and numbers never start so (a negative number is a number).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FREE_TEXT = ("string", "markdown")
_validated: set[str] = set()  # digests of packages that passed in this process (`ailin serve` rebuilds)

# Words for what the schemas do not declare: derived columns, the keys of `counts` fields that
# have no vocabulary, and what one row of each table is. Same shape as a field in schemas/.
_DERIVED: dict[str, Any] = yaml.safe_load("""
fields:
  community:
    type: slug
    required: true
    title: {zh: 社区, en: community}
    help: {zh: 所属社区的编号，见 communities 表。, en: "The id of its community; see the communities table."}
  suggestion:
    type: slug
    required: true
    title: {zh: 建议, en: suggestion}
    help: {zh: 建议编号，见 suggestions 表。, en: "A suggestion's id; see the suggestions table."}
  meeting:
    type: slug
    title: {zh: 会议, en: meeting}
    help: {zh: 会议编号，见 meetings 表。, en: "A meeting's id; see the meetings table."}
  project:
    type: slug
    title: {zh: 项目, en: project}
    help: {zh: 项目编号，见 projects 表。, en: "A project's id; see the projects table."}
  resolution:
    type: slug
    title: {zh: 决议, en: resolution}
    help: {zh: 决议在其会议内的编号；与 meeting 一起指向 resolutions 表。, en: "The resolution's id within its meeting; with meeting it points into the resolutions table."}
  position:
    type: integer
    required: true
    min: 1
    title: {zh: 序号, en: position}
    help: {zh: 在所属项目中的顺序，从 1 开始。, en: "Its place in the project's list, from 1."}
  status:
    type: enum
    vocabulary: status
    required: true
    title: {zh: 办理状态, en: status}
    help: {zh: 由办理步骤和处理结果推导，不是手工填写的。, en: "Derived from the steps and the decision, never typed by hand."}
  accepted:
    type: date
    title: {zh: 受理日期, en: accepted}
    help: {zh: 受理这一步的日期。, en: The date of the accept step.}
  first_response:
    type: date
    title: {zh: 首次响应日期, en: first response}
    help: {zh: 受理之后第一个办理步骤的日期（早响应）。, en: The date of the first step after acceptance.}
  feedback:
    type: date
    title: {zh: 反馈日期, en: feedback}
    help: {zh: 反馈这一步的日期。, en: The date of the feedback step.}
  days_to_feedback:
    type: count
    title: {zh: 办理天数, en: days to feedback}
    help: {zh: 从受理到反馈的天数；尚未反馈时为空。, en: "Days from acceptance to feedback; empty until feedback is given."}
  on_time:
    type: boolean
    title: {zh: 按时办结, en: on time}
    help: {zh: 反馈是否在其紧急程度规定的办结天数内；尚未反馈时为空。, en: "Whether feedback came within its priority's close_days; empty until feedback is given."}
  overdue:
    type: boolean
    required: true
    title: {zh: 超期, en: overdue}
    help: {zh: 仍在办理且已超过其紧急程度的响应或办结期限（按数据截至日期计算）。, en: "Still being handled and past its priority's deadline, as of the board's date."}
  days_since_previous:
    type: count
    title: {zh: 间隔天数, en: days since previous}
    help: {zh: 距上一步的天数；第一步为空。, en: "Days since the previous step; empty for the first."}
  late:
    type: boolean
    required: true
    title: {zh: 超时, en: late}
    help: {zh: 这一步晚于其紧急程度的响应或办结期限。, en: "The step came after its priority's deadline."}
  attendees:
    type: count
    required: true
    title: {zh: 参会总人数, en: attendees}
    help: {zh: attendance 各项之和。, en: The sum of attendance.}
  funding_total:
    type: amount
    required: true
    title: {zh: 资金合计（元）, en: total funding (CNY)}
    help: {zh: funding 表中本项目各项金额之和。, en: "The sum of the project's rows in the funding table."}
  duration_days:
    type: count
    title: {zh: 用时天数, en: days taken}
    help: {zh: 从开始到完成的天数；未完成时为空。, en: "Days from start to completion; empty until completed."}
  relation:
    type: enum
    vocabulary: relation
    required: true
    title: {zh: 关联, en: relation}
    help: {zh: meeting 讨论过这条建议的会议，project 落实它的项目。, en: "meeting: a meeting that discussed the suggestion; project: a project that carries it out."}
vocabularies:
  relation:
    meeting: {zh: 会议, en: meeting}
    project: {zh: 项目, en: project}
keys:
  for: {zh: 赞成, en: for}
  against: {zh: 反对, en: against}
  abstain: {zh: 弃权, en: abstain}
  satisfied: {zh: 满意, en: satisfied}
  basically_satisfied: {zh: 基本满意, en: basically satisfied}
  dissatisfied: {zh: 不满意, en: dissatisfied}
tables:
  communities: {zh: 每行一个社区。, en: One row per community.}
  compounds: {zh: 每行一个小区（院落）；主键是社区编号加小区编号。, en: "One row per compound; keyed by community and compound id."}
  suggestions: {zh: 每行一条建议，含推导出的办理状态、天数和超期标记。, en: "One row per suggestion, with its derived status, durations and overdue flag."}
  steps: {zh: 每行一条建议的一个办理步骤（八步闭环）。, en: "One row per handling step of a suggestion (the eight-step loop)."}
  meetings: {zh: 每行一次会议。, en: One row per meeting.}
  resolutions: {zh: 每行一项会议决议；主键是会议编号加决议编号。, en: "One row per meeting resolution; keyed by meeting and resolution id."}
  projects: {zh: 每行一个项目；meeting 和 resolution 指向它依据的决议。, en: "One row per project; meeting and resolution name the resolution behind it."}
  outputs: {zh: 每行一个项目的一项可计量成果，单位已统一（平方米 = m²）。, en: "One row per measured output of a project; units are normalized (平方米 = m²)."}
  funding: {zh: 每行一个项目的一笔资金来源。, en: One row per funding source of a project.}
  links: {zh: 建议与会议、项目之间的关联，两边任一处写明即算。, en: "Links from suggestions to meetings and projects, whichever side names them."}
  resolution_links: {zh: 决议回应了哪些建议。, en: Which suggestions each resolution answers.}
titles:
  links: {zh: 建议关联, en: suggestion links}
  resolution_links: {zh: 决议与建议, en: resolutions and suggestions}
""")


class OpenDataError(Exception):
    """The open-data package did not validate; `errors` holds (table, row, field, message).

    Rows count as in a spreadsheet: the header is row 1, the first data row is row 2.
    """

    def __init__(self, errors: list[tuple[str, int | None, str | None, str]]):
        self.errors = errors
        lines = [f"open data package is not valid ({len(errors)} error{'s' * (len(errors) != 1)}):"]
        for table, row, field, message in errors:
            where = ", ".join(part for part in (
                table if table.endswith(".json") else f"{table}.csv",
                f"row {row}" if row is not None else "", f"field {field}" if field else "",
            ) if part)
            lines.append(f"  {where}: {message}")
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Column:
    """One column: where its words come from, and how a row object gives its cell."""

    name: str
    source: str  # "suggestion.received" (a field in schemas/) or "=status" (in _DERIVED)
    get: Callable[[Any], Any]
    key: str | None = None  # one key of a `counts` field, e.g. the `for` of votes
    required: bool | None = None  # overrides the source: a parent key is required in its child table


@dataclass(frozen=True)
class TableSpec:
    name: str
    title: str  # a schema path whose title names the table, or "=name" in _DERIVED titles
    rows: Callable[[BoardModel], Iterable[Any]]
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()  # (fields, table, fields)


def _resolve(source: str) -> tuple[FieldSpec, bool]:
    """The field spec a column comes from, and whether every row must have a value."""
    if source.startswith("="):
        raw = _DERIVED["fields"][source[1:]]
        spec = FieldSpec(
            name=source[1:], type=raw["type"], required=raw.get("required", False),
            title=raw["title"], help=raw["help"], vocabulary=raw.get("vocabulary"), min=raw.get("min"),
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
            title = {
                "zh": f"{parent.title['zh']}：{spec.title['zh']}", "en": f"{parent.title['en']}: {spec.title['en']}",
            }
            spec = dataclasses.replace(spec, title=title)
    return spec, required


# ---------------------------------------------------------------------------------------------
# The tables. Rows come in key order; every column is a field of schemas/ or of _DERIVED.
# ---------------------------------------------------------------------------------------------

def _counts(source: str, get: Callable[[Any], Mapping | None]) -> tuple[Column, ...]:
    """One integer column per key the schema fixes for a `counts` field: votes_for, votes_against, ..."""
    field = source.rsplit(".", 1)[-1]
    return tuple(
        Column(f"{field}_{key}", source, lambda row, key=key: (get(row) or {}).get(key), key=key)
        for key in _resolve(source)[0].keys
    )


def _satisfaction(s: Suggestion) -> dict | None:
    return None if s.satisfaction is None else dataclasses.asdict(s.satisfaction)


def _resolution_parts(ref: str | None) -> tuple[str | None, str | None]:
    if not ref:
        return None, None
    meeting, _, resolution = ref.partition("#")
    return meeting, resolution


def _links(board: BoardModel) -> list[tuple[str, str, str]]:
    rows = []
    for s in sorted(board.suggestions.values(), key=lambda s: s.id):
        rows += [(s.id, "meeting", m.id) for m in sorted(board.meetings_for(s), key=lambda m: m.id)]
        rows += [(s.id, "project", p.id) for p in board.projects_for(s)]
    return rows


def _by_id(records: Mapping[str, Any]) -> list[Any]:
    return [records[key] for key in sorted(records)]


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "communities", "community", lambda b: _by_id(b.communities),
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
        lambda b: [(c.id, key, c.compounds[key]) for c in _by_id(b.communities) for key in sorted(c.compounds)],
        (
            Column("community", "=community", lambda r: r[0]),
            Column("id", "community.compounds.id", lambda r: r[1]),
            Column("name", "community.compounds.name", lambda r: r[2]),
        ),
        primary_key=("community", "id"),
        foreign_keys=((("community",), "communities", ("id",)),),
    ),
    TableSpec(
        "suggestions", "suggestion", lambda b: _by_id(b.suggestions),
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
        # (community, compound) is not declared: frictionless treats a half-empty composite key
        # as dangling, and most suggestions name no compound; _check_compounds covers it.
        foreign_keys=(
            (("community",), "communities", ("id",)),
            (("duplicate_of",), "suggestions", ("id",)),
        ),
    ),
    TableSpec(
        "steps", "suggestion.steps",
        lambda b: [(s, step) for s in _by_id(b.suggestions) for step in s.steps],
        (
            Column("suggestion", "=suggestion", lambda r: r[0].id),
            Column("step", "suggestion.steps.step", lambda r: r[1].step),
            Column("date", "suggestion.steps.date", lambda r: r[1].date),
            Column("note", "suggestion.steps.note", lambda r: r[1].note),
            Column("days_since_previous", "=days_since_previous", lambda r: r[1].days_since_previous),
            Column("late", "=late", lambda r: r[1].late),
        ),
        primary_key=("suggestion", "step"),
        foreign_keys=((("suggestion",), "suggestions", ("id",)),),
    ),
    TableSpec(
        "meetings", "meeting", lambda b: _by_id(b.meetings),
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
        foreign_keys=((("community",), "communities", ("id",)),),
    ),
    TableSpec(
        "resolutions", "meeting.resolutions",
        lambda b: [r for m in _by_id(b.meetings) for r in sorted(m.resolutions, key=lambda r: r.id)],
        (
            Column("meeting", "=meeting", lambda r: r.meeting, required=True),
            Column("id", "meeting.resolutions.id", lambda r: r.id),
            Column("text", "meeting.resolutions.text", lambda r: r.text),
            Column("decision", "meeting.resolutions.decision", lambda r: r.decision),
            *_counts("meeting.resolutions.votes", lambda r: r.votes),
        ),
        primary_key=("meeting", "id"),
        foreign_keys=((("meeting",), "meetings", ("id",)),),
    ),
    TableSpec(
        "projects", "project", lambda b: _by_id(b.projects),
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
        foreign_keys=(
            (("community",), "communities", ("id",)),
            (("meeting", "resolution"), "resolutions", ("meeting", "id")),
        ),
    ),
    TableSpec(
        "outputs", "project.outputs",
        lambda b: [(p, n, o) for p in _by_id(b.projects) for n, o in enumerate(p.outputs, 1)],
        (
            Column("project", "=project", lambda r: r[0].id, required=True),
            Column("position", "=position", lambda r: r[1]),
            Column("label", "project.outputs.label", lambda r: r[2].label),
            Column("quantity", "project.outputs.quantity", lambda r: r[2].quantity),
            Column("unit", "project.outputs.unit", lambda r: r[2].unit),
        ),
        primary_key=("project", "position"),
        foreign_keys=((("project",), "projects", ("id",)),),
    ),
    TableSpec(
        "funding", "project.funding",
        lambda b: [(p, n, f) for p in _by_id(b.projects) for n, f in enumerate(p.funding, 1)],
        (
            Column("project", "=project", lambda r: r[0].id, required=True),
            Column("position", "=position", lambda r: r[1]),
            Column("source", "project.funding.source", lambda r: r[2][0]),
            Column("amount", "project.funding.amount", lambda r: r[2][1]),
        ),
        primary_key=("project", "position"),
        foreign_keys=((("project",), "projects", ("id",)),),
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
        foreign_keys=(
            (("suggestion",), "suggestions", ("id",)),
            (("meeting",), "meetings", ("id",)),
            (("project",), "projects", ("id",)),
        ),
    ),
    TableSpec(
        "resolution_links", "=resolution_links",
        lambda b: [
            (r, sid) for m in _by_id(b.meetings) for r in sorted(m.resolutions, key=lambda r: r.id)
            for sid in sorted(set(r.suggestion_ids))
        ],
        (
            Column("meeting", "=meeting", lambda r: r[0].meeting, required=True),
            Column("resolution", "=resolution", lambda r: r[0].id, required=True),
            Column("suggestion", "=suggestion", lambda r: r[1]),
        ),
        primary_key=("meeting", "resolution", "suggestion"),
        foreign_keys=(
            (("meeting", "resolution"), "resolutions", ("meeting", "id")),
            (("suggestion",), "suggestions", ("id",)),
        ),
    ),
)
TABLE_NAMES = tuple(table.name for table in TABLES)
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
# Table Schemas, generated from schemas/*.yaml
# ---------------------------------------------------------------------------------------------

def _vocabulary(name: str, overrides: Mapping[str, Vocabulary]) -> Vocabulary:
    if name in overrides:
        return overrides[name]
    if name in _DERIVED["vocabularies"]:
        raw = _DERIVED["vocabularies"][name]
        return Vocabulary(name, {k: schema.Term(k, v["zh"], v["en"]) for k, v in raw.items()}, {})
    return schema.vocabulary(name)


def _pair(words: Mapping[str, str], language: str, separator: str = " ") -> str:
    """Both languages, the board's first: "收到日期 received"."""
    return f"{words[language]}{separator}{words[_OTHER[language]]}"


def _values(vocabulary: Vocabulary, lead: tuple[str, str] = ("取值", "Values")) -> dict[str, str]:
    """The keys with their labels, as a sentence in each language."""
    zh = "、".join(f"{t.key} {t.zh}" for t in vocabulary.terms.values())
    en = "; ".join(f"{t.key} = {t.en}" for t in vocabulary.terms.values())
    return {"zh": f"{lead[0]}：{zh}。", "en": f"{lead[1]}: {en}."}


def _field_descriptor(column: Column, language: str, vocabularies: Mapping[str, Vocabulary]) -> dict[str, Any]:
    spec, required = _resolve(column.source)
    required = required if column.required is None else column.required
    title = dict(spec.title)
    help_ = {lang: spec.help.get(lang, "") for lang in ("zh", "en")}
    constraints: dict[str, Any] = {}
    kind = "integer" if column.key else _TYPES[spec.type]
    if column.key:
        words = _DERIVED["keys"].get(column.key) or {
            lang: _vocabulary("level", vocabularies).label(column.key, lang) for lang in ("zh", "en")
        }
        title = {"zh": f"{title['zh']}：{words['zh']}", "en": f"{title['en']}: {words['en']}"}
        constraints["minimum"] = 0
    elif spec.type == "enum":
        vocabulary = _vocabulary(spec.vocabulary, vocabularies)
        constraints["enum"] = list(vocabulary.terms)
        values = _values(vocabulary)
        help_ = {"zh": help_["zh"] + values["zh"], "en": f"{help_['en']} {values['en']}"}
    elif spec.type == "list" and spec.items is not None and spec.items.vocabulary:
        vocabulary = _vocabulary(spec.items.vocabulary, vocabularies)
        values = _values(vocabulary)
        help_ = {"zh": f"{help_['zh']}JSON 数组。{values['zh']}", "en": f"{help_['en']} A JSON array. {values['en']}"}
    elif spec.type == "counts":
        groups = _values(schema.vocabulary("group"), ("常见组别", "Common groups"))
        help_ = {
            "zh": f"{help_['zh']}JSON 对象：组别 → 人数。{groups['zh']}",
            "en": f"{help_['en']} A JSON object: group -> count. {groups['en']}",
        }
    if spec.type in ("slug",) or spec.type == "ref" and spec.to != "resolution":
        constraints["pattern"] = ID_PATTERN  # Table Schema patterns are anchored at both ends
    if spec.max_length is not None:  # free text may carry the formula-neutralizing quote
        constraints["maxLength"] = spec.max_length + (spec.type in FREE_TEXT)
    if spec.type in ("count", "amount"):
        constraints["minimum"] = 0
    if spec.min is not None:
        constraints["minimum"] = spec.min
    if spec.max is not None:
        constraints["maximum"] = spec.max
    if required:
        constraints["required"] = True
    descriptor: dict[str, Any] = {
        "name": column.name,
        "type": kind,
        "title": _pair(title, language),
        "description": _pair(help_, language, " / "),
    }
    if constraints:
        descriptor["constraints"] = dict(sorted(constraints.items()))
    return descriptor


def _schema(table: TableSpec, language: str, vocabularies: Mapping[str, Vocabulary]) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "fields": [_field_descriptor(column, language, vocabularies) for column in table.columns],
        "missingValues": [""],
    }
    if table.primary_key:
        descriptor["primaryKey"] = list(table.primary_key)
    if table.foreign_keys:
        descriptor["foreignKeys"] = [
            {"fields": list(fields), "reference": {"resource": target, "fields": list(target_fields)}}
            for fields, target, target_fields in table.foreign_keys
        ]
    return descriptor


def table_schemas(language: str = "zh", vocabularies: Mapping[str, Vocabulary] | None = None) -> dict[str, dict]:
    """A frictionless Table Schema per table, in table order.

    Titles and descriptions carry both languages, `language` first. `vocabularies` replaces
    a vocabulary by name, e.g. the board's extended `category` and `funding_source`.
    """
    language = language if language in _OTHER else "zh"
    return {table.name: _schema(table, language, vocabularies or {}) for table in TABLES}


def _table_words(table: TableSpec, language: str) -> tuple[str, str]:
    if table.title.startswith("="):
        title = _DERIVED["titles"][table.title[1:]]
    else:
        kind, *names = table.title.split(".")
        title = _resolve(table.title)[0].title if names else schema.record_schema(kind).title
    return _pair(title, language), _pair(_DERIVED["tables"][table.name], language, " / ")


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


def _is_free_text(column: Column) -> bool:
    return column.key is None and _resolve(column.source)[0].type in FREE_TEXT


def table_rows(board: BoardModel) -> dict[str, list[list[str]]]:
    """Every table's rows as CSV cells, in key order (the header is not included)."""
    tables = {}
    for table in TABLES:
        cells = [(column.get, _text_cell if _is_free_text(column) else _cell) for column in table.columns]
        tables[table.name] = [[write(get(row)) for get, write in cells] for row in table.rows(board)]
    return tables


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    """UTF-8 without a byte-order mark, CRLF line ends (RFC 4180); see docs/opendata.md."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _board_vocabularies(board: BoardModel) -> dict[str, Vocabulary]:
    return {"category": board.categories, "funding_source": board.funding_sources}


def _package(board: BoardModel, tables: dict[str, bytes], license: Mapping[str, str]) -> dict[str, Any]:
    language = board.language if board.language in _OTHER else "zh"
    schemas = table_schemas(language, _board_vocabularies(board))
    description = {
        "zh": f"{board.title}的开放数据：建议、办理步骤、议事会决议、项目及其成果，数据截至 {board.as_of.isoformat()}。"
              "不含个人信息：建议人只在本人同意时以打码称呼出现。",
        "en": f"Open data of {board.title}: suggestions, handling steps, meeting resolutions, projects and "
              f"their outputs, as of {board.as_of.isoformat()}. No personal data: a submitter appears only "
              "as a masked name, and only with consent.",
    }
    package: dict[str, Any] = {
        "name": PACKAGE_NAME,
        "title": board.title or PACKAGE_NAME,
        "description": _pair(description, language, " / "),
    }
    if board.base_url:
        package["homepage"] = board.base_url
    package["licenses"] = [dict(license)]
    package["as_of"] = board.as_of.isoformat()  # 数据截至: the only date in the package
    package["resources"] = []
    for table in TABLES:
        content = tables[table.name]
        title, table_description = _table_words(table, language)
        package["resources"].append({
            "name": table.name,
            "type": "table",
            "path": f"{table.name}.csv",
            "scheme": "file",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "title": title,
            "description": table_description,
            "bytes": len(content),
            "hash": f"sha256:{hashlib.sha256(content).hexdigest()}",
            "schema": schemas[table.name],
        })
    return package


def _json(value: Any, indent: int | None = None) -> bytes:
    separators = None if indent else (",", ":")
    return (json.dumps(value, ensure_ascii=False, indent=indent, separators=separators) + "\n").encode("utf-8")


def open_data_files(
    board: BoardModel, *, license: Mapping[str, str] = DEFAULT_LICENSE, validate: bool = True,
) -> dict[str, bytes]:
    """Every open-data file: path relative to the site root -> content, sorted by path.

    `data/<table>.csv` and `data/datapackage.json`, validated with frictionless unless
    `validate` is false (raises OpenDataError when not valid); `c/<community>/data.json`.
    """
    with _paused_gc():
        rows = table_rows(board)
        tables = {
            table.name: _csv([column.name for column in table.columns], rows[table.name]) for table in TABLES
        }
        files = {f"{DATA_DIR}/{name}.csv": content for name, content in tables.items()}
        files[f"{DATA_DIR}/datapackage.json"] = _json(_package(board, tables, license), indent=2)
        # the package names every CSV's sha256, so its digest stands for all of the tables
        digest = hashlib.sha256(files[f"{DATA_DIR}/datapackage.json"]).hexdigest()
        if validate and digest not in _validated:
            errors = validate_files(files)
            if errors:
                raise OpenDataError(errors)
            _validated.add(digest)
        for community in _by_id(board.communities):
            files[community.file_url("data.json")] = _json(_community_data(board, community, license))
    return dict(sorted(files.items()))


@contextlib.contextmanager
def _paused_gc() -> Iterator[None]:
    """A district board is a million objects without cycles; the cyclic collector would rescan
    them every few thousand new rows (as in pipeline.check), so it pauses while rows are made."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------

def validate_files(files: Mapping[str, bytes]) -> list[tuple[str, int | None, str | None, str]]:
    """Write the package to a temporary folder, validate it with frictionless, list the errors.

    A function of the bytes alone, so a build may run it in a worker while it renders pages.
    """
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
    """suggestions.(community, compound) -> compounds: the one key frictionless cannot check."""

    def rows(table: str) -> Iterator[dict[str, str]]:
        yield from csv.DictReader(io.StringIO(files[f"{DATA_DIR}/{table}.csv"].decode("utf-8")))

    compounds = {(row["community"], row["id"]) for row in rows("compounds")}
    return [
        (
            "suggestions", number, "compound",
            f'[foreign-key] for "community, compound": values "{row.get("community")}, {row["compound"]}" '
            'not found in the lookup table "compounds" as "community, id"',
        )
        for number, row in enumerate(rows("suggestions"), start=2)  # row 1 is the header
        if row.get("compound") and (row.get("community"), row["compound"]) not in compounds
    ]


# ---------------------------------------------------------------------------------------------
# c/<community>/data.json: the figures and items of one community page, for other apps
# ---------------------------------------------------------------------------------------------

class _Labels:
    """Collects the vocabulary keys a document uses, to ship their labels with it."""

    def __init__(self, vocabularies: Mapping[str, Vocabulary]):
        self.vocabularies = vocabularies
        self.used: dict[str, set[str]] = {}

    def __call__(self, vocabulary: str, key: str | None) -> str | None:
        if key is not None:
            self.used.setdefault(vocabulary, set()).add(key)
        return key

    def table(self) -> dict[str, dict[str, dict[str, str]]]:
        result = {}
        for name in sorted(self.used):
            vocabulary = _vocabulary(name, self.vocabularies)
            result[name] = {
                key: {"zh": vocabulary.label(key, "zh"), "en": vocabulary.label(key, "en")}
                for key in sorted(self.used[name])
            }
        return result


def _figure(figure: metrics.Figure) -> dict[str, Any]:
    value = figure.value
    return {
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "value": None if value is None else round(value, 4),
        "percent": figure.percent,
    }


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _suggestion_item(board: BoardModel, s: Suggestion, label: _Labels) -> dict[str, Any]:
    return {
        "id": s.id,
        "path": s.url,
        "title": s.title,
        "received": _date(s.received),
        "channel": label("channel", s.channel),
        "category": label("category", s.category),
        "compound": s.compound,
        "priority": label("priority", s.priority),
        "level": label("level", s.level),
        "submitter": s.submitter,
        "status": label("status", s.status.value),
        "decision": label("decision", s.decision),
        "duplicate_of": s.duplicate_of,
        "referred_to": s.referred_to,
        "accepted": _date(s.accepted),
        "first_response": _date(s.first_response),
        "feedback": _date(s.feedback),
        "days_to_feedback": s.days_to_feedback,
        "on_time": s.on_time,
        "overdue": s.overdue,
        "steps": [{"step": label("step", x.step), "date": _date(x.date), "late": x.late} for x in s.steps],
        "satisfaction": _satisfaction(s),
        "meetings": sorted(m.id for m in board.meetings_for(s)),
        "resolutions": sorted(r.ref for r in board.resolutions_for(s)),
        "projects": [p.id for p in board.projects_for(s)],
    }


def _meeting_item(board: BoardModel, m: Meeting, label: _Labels) -> dict[str, Any]:
    for group in m.attendance:
        label("group", group)
    return {
        "id": m.id,
        "path": m.url,
        "title": m.display_title(board.language),
        "kind": label("meeting_kind", m.kind),
        "date": _date(m.date),
        "place": m.place or None,
        "attendees": m.attendees,
        "attendance": dict(m.attendance),
        "suggestions": sorted(s.id for s in board.suggestions_for_meeting(m)),
        "resolutions": [
            {
                "id": r.id,
                "ref": r.ref,
                "decision": label("resolution_decision", r.decision),
                "votes": dict(r.votes),
                "suggestions": sorted(set(r.suggestion_ids)),
                "projects": [p.id for p in board.projects_for_resolution(r)],
            }
            for r in sorted(m.resolutions, key=lambda r: r.id)
        ],
    }


def _project_item(board: BoardModel, p: Project, label: _Labels) -> dict[str, Any]:
    for group in p.beneficiaries:
        label("group", group)
    return {
        "id": p.id,
        "path": p.url,
        "title": p.title,
        "kind": label("project_kind", p.kind),
        "status": label("project_status", p.status),
        "started": _date(p.started),
        "completed": _date(p.completed),
        "duration_days": p.duration_days,
        "resolution": p.resolution,
        "suggestions": [s.id for s in board.suggestions_for_project(p)],
        "funding": [
            {"source": label("funding_source", source), "amount": _number(amount)} for source, amount in p.funding
        ],
        "funding_total": _number(p.total_funding),
        "outputs": [{"label": o.label, "quantity": _number(o.quantity), "unit": o.unit} for o in p.outputs],
        "beneficiaries": dict(p.beneficiaries),
    }


def _community_data(
    board: BoardModel, community: Community, license: Mapping[str, str],
) -> dict[str, Any]:
    """The figures and items of a community page as plain JSON (shape in docs/opendata.md)."""
    label = _Labels(_board_vocabularies(board))
    suggestions = board.suggestions_of(community.id)
    meetings = board.meetings_of(community.id)
    projects = board.projects_of(community.id)
    figures = metrics.compute(suggestions)
    by_status = {status.value: 0 for status in Status}
    for s in suggestions:
        by_status[s.status.value] += 1
    for status in by_status:
        label("status", status)
    items = {  # before the labels, which collect the keys the items use
        "suggestions": [_suggestion_item(board, s, label) for s in suggestions],
        "meetings": [_meeting_item(board, m, label) for m in meetings],
        "projects": [_project_item(board, p, label) for p in projects],
    }
    return {
        "format": "ailin-community-data",
        "version": DATA_JSON_VERSION,
        "as_of": board.as_of.isoformat(),
        "language": board.language,
        "board": board.title,
        "base_url": board.base_url,
        "license": dict(license),
        "community": {
            "id": community.id,
            "path": community.url,
            "name": community.name,
            "street": community.street,
            "district": community.district or None,
            "compounds": [{"id": key, "name": community.compounds[key]} for key in sorted(community.compounds)],
            "channels": [label("channel", c) for c in community.channels],
            "deliberation_day": community.deliberation_day,
            "teams": dict(community.teams),
        },
        "figures": {
            "received": figures.received,
            "by_status": by_status,
            "closure": _figure(figures.closure),
            "on_time": _figure(figures.on_time),
            "satisfaction": _figure(figures.satisfaction),
            "median_days_to_feedback": None if figures.median_days is None else _number(figures.median_days),
            "overdue": [s.id for s in figures.overdue],
            "meetings": len(meetings),
            "projects": len(projects),
            "output_totals": [
                {"label": o.label, "quantity": _number(o.quantity), "unit": o.unit}
                for o in metrics.output_totals(projects)
            ],
        },
        **items,
        "labels": label.table(),
    }
