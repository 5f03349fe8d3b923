"""Rules -> problems: every record against its schema, then the board as a whole.

`validate_content` turns YAML nodes into plain records (aliases resolved, dates parsed) and
reports every problem it meets, never only the first. Records that fail their schema are still
kept where they can be, so references to them do not cascade into more errors.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from . import schema as schemas
from .load import Content, Document, display_path
from .problems import Location, Problems
from .schema import FieldSpec, Vocabulary
from .tables import Table, check_keys

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
URL = re.compile(r"^https?://[^\s<>\"']+$")
PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{4,20}$")
RESOLUTION_REF = re.compile(r"^([a-z0-9][a-z0-9-]{0,63})#([a-z0-9][a-z0-9-]{0,63})$")
# Bidirectional overrides and isolates reorder what a reader sees: a classic spoofing trick.
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
STEP_ORDER = list(schemas.vocabulary("step").terms)
MISSING = object()
Path_ = tuple  # a value's path inside a record, e.g. ("steps", 2, "date")


@dataclass
class Record:
    """A record after its schema: plain values, plus where each value was written."""

    kind: str
    document: Document
    data: dict[str, Any]
    marks: dict[Path_, Location] = field(default_factory=dict)

    @property
    def id(self) -> str | None:
        value = self.data.get("id")
        return value if isinstance(value, str) else None

    @property
    def community(self) -> str | None:
        return self.document.community

    def at(self, *path: Any) -> Location:
        """Where the value at `path` was written, or its nearest enclosing value."""
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path, Location(self.document.path, 1, 1))


@dataclass
class Board:
    """Everything that passed loading: the board settings and the records by kind."""

    settings: Record | None
    records: list[Record]
    as_of: dt.date
    content: Content

    def of_kind(self, kind: str) -> list[Record]:
        return [r for r in self.records if r.kind == kind]


class _Context:
    """What converting one record needs: where it is, the problems, the extended vocabularies."""

    def __init__(self, record: Record, problems: Problems, language: str, vocabularies: dict[str, Vocabulary]):
        self.record = record
        self.problems = problems
        self.language = language
        self.vocabularies = vocabularies

    def here(self, node: yaml.Node) -> Location:
        return Location(self.record.document.path, node.start_mark.line + 1, node.start_mark.column + 1)

    def error(self, node: yaml.Node, code: str, **args: Any) -> None:
        self.problems.error(self.here(node), code, **args)


def _field_name(path: Path_) -> str:
    """`steps[2].date` from ("steps", 2, "date"), counting list items from 1 as people do."""
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(文件)"


def _show(value: str, limit: int = 40) -> str:
    value = value.replace("\n", " ")
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _type_of(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "mapping"
    if isinstance(node, yaml.SequenceNode):
        return "list"
    return node.tag.rsplit(":", 1)[-1]


def _convert(node: yaml.Node, spec: FieldSpec, path: Path_, ctx: _Context) -> Any:
    """Convert one node by its spec, reporting problems; MISSING when unusable."""
    ctx.record.marks[path] = ctx.here(node)
    name = _field_name(path)
    kind = spec.type
    if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
        if spec.required:
            ctx.error(node, "missing-value", field=name)
        return MISSING
    if kind == "object":
        return _convert_object(node, spec.fields, path, ctx)
    if kind == "list":
        if not isinstance(node, yaml.SequenceNode):
            ctx.error(node, "expected-list", field=name, found=_type_of(node))
            return MISSING
        items = [_convert(item, spec.items, (*path, i), ctx) for i, item in enumerate(node.value)]
        return [item for item in items if item is not MISSING]
    if kind in ("counts", "labels"):
        return _convert_mapping(node, spec, path, ctx)
    if not isinstance(node, yaml.ScalarNode):
        ctx.error(node, "expected-scalar", field=name, found=_type_of(node))
        return MISSING
    return _convert_scalar(node, spec, name, ctx)


def _convert_object(node: yaml.Node, fields: dict[str, FieldSpec], path: Path_, ctx: _Context) -> Any:
    name = _field_name(path)
    if not isinstance(node, yaml.MappingNode):
        ctx.error(node, "expected-mapping", field=name, found=_type_of(node))
        return MISSING
    values: dict[str, Any] = {}
    guessed: set[str] = set()  # a misspelled key is one mistake, not also a missing field
    for key_node, value_node in node.value:
        key = key_node.value
        spec = fields.get(key)
        if spec is None:
            guessed.add(_unknown_key(key_node, key, fields, path, ctx))
            continue
        value = _convert(value_node, spec, (*path, key), ctx)
        if value is not MISSING:
            values[key] = value
    for key, spec in fields.items():
        if key in values:
            continue
        if spec.required and key not in guessed and not _written_as_null(node, key):
            ctx.error(node, "missing-field", field=_field_name((*path, key)), title=spec.label(ctx.language))
        elif spec.default is not None:
            values[key] = spec.default
    for key, spec in fields.items():
        if spec.required_when and key not in values:
            for other, triggers in spec.required_when.items():
                if values.get(other) in triggers:
                    ctx.problems.error(
                        ctx.record.at(*path, other), "required-when",
                        field=_field_name((*path, key)), other=other, value=values[other],
                    )
    return values


def _written_as_null(node: yaml.MappingNode, key: str) -> bool:
    return any(k.value == key for k, _ in node.value)  # already reported as missing-value


def _unknown_key(key_node: yaml.Node, key: Any, fields: dict[str, FieldSpec], path: Path_, ctx: _Context) -> str:
    """Report a key the schema does not have; return the field it was probably meant as."""
    by_title = {spec.title.get("zh"): name for name, spec in fields.items() if spec.title.get("zh")}
    guess = by_title.get(str(key)) or next(iter(difflib.get_close_matches(str(key), list(fields), n=1, cutoff=0.6)), "")
    where = _field_name(path) if path else ctx.record.kind
    ctx.error(key_node, "unknown-key", key=_show(str(key)), where=where, guess=guess, allowed=", ".join(fields))
    return guess


def _convert_mapping(node: yaml.Node, spec: FieldSpec, path: Path_, ctx: _Context) -> Any:
    name = _field_name(path)
    if not isinstance(node, yaml.MappingNode):
        ctx.error(node, "expected-mapping", field=name, found=_type_of(node))
        return MISSING
    values: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        item_path = (*path, key)
        if spec.keys is not None and key not in spec.keys:
            guess = next(iter(difflib.get_close_matches(key, spec.keys, n=1, cutoff=0.6)), "")
            ctx.error(key_node, "unknown-key", key=_show(key), where=name, guess=guess, allowed=", ".join(spec.keys))
            continue
        if spec.keys is None and not SLUG.match(key.replace("_", "-")):
            ctx.error(key_node, "bad-group-key", field=name, key=_show(key))
            continue
        item_spec = FieldSpec(name=key, type="count" if spec.type == "counts" else "string", max_length=20)
        value = _convert(value_node, item_spec, item_path, ctx)
        if value is not MISSING:
            values[key] = value
    return values


def _convert_scalar(node: yaml.ScalarNode, spec: FieldSpec, name: str, ctx: _Context) -> Any:
    tag = node.tag.rsplit(":", 1)[-1]
    text = node.value
    kind = spec.type
    if kind in ("count", "integer"):
        if tag != "int":
            ctx.error(node, "expected-integer", field=name, found=_show(text))
            return MISSING
        number = int(text.replace("_", ""), 0) if not text.lstrip("+-").startswith("0") or text.strip("+-0") == "" else int(text)
        if kind == "count" and number < 0:
            ctx.error(node, "negative-count", field=name, found=text)
            return MISSING
        low = spec.min
        if low is not None and number < low or spec.max is not None and number > spec.max:
            ctx.error(node, "out-of-range", field=name, found=text, low=low, high=spec.max if spec.max is not None else "∞")
            return MISSING
        return number
    if kind == "amount":
        if tag not in ("int", "float") or text.lower().lstrip("+-.") in ("inf", "nan"):
            ctx.error(node, "expected-number", field=name, found=_show(text))
            return MISSING
        number = float(text.replace("_", ""))
        if number < 0:
            ctx.error(node, "negative-count", field=name, found=text)
            return MISSING
        return int(number) if number.is_integer() else number
    if kind == "boolean":
        if tag != "bool":
            ctx.error(node, "expected-boolean", field=name, found=_show(text))
            return MISSING
        return text.lower() in ("true", "yes", "on")
    if not _clean_text(node, text, name, ctx, multiline=kind == "markdown"):
        return MISSING
    if kind == "date":
        return _convert_date(node, text, name, ctx)
    if kind == "enum":
        return _convert_enum(node, text, spec, name, ctx)
    if kind == "slug" or (kind == "ref" and spec.to != "resolution"):
        if not SLUG.match(text):
            ctx.error(node, "bad-slug", field=name, found=_show(text), fixed=_slugify(text))
            return MISSING
        return text
    if kind == "ref":  # a resolution: <meeting-id>#<resolution-id>
        if not RESOLUTION_REF.match(text):
            ctx.error(node, "bad-resolution-ref", field=name, found=_show(text))
            return MISSING
        return text
    if kind == "url" and not URL.match(text):
        ctx.error(node, "bad-url", field=name, found=_show(text))
        return MISSING
    if kind == "phone" and not PHONE.match(text):
        ctx.error(node, "bad-phone", field=name, found=_show(text))
        return MISSING
    if spec.max_length is not None and len(text) > spec.max_length:
        ctx.error(node, "too-long", field=name, length=len(text), limit=spec.max_length)
        return MISSING
    return text


def _clean_text(node: yaml.Node, text: str, name: str, ctx: _Context, multiline: bool) -> bool:
    for offset, char in enumerate(text):
        if char in BIDI:
            ctx.error(node, "bidi-character", field=name, char=f"U+{ord(char):04X}")
            return False
        if char in "\n\t" and multiline:
            continue
        if unicodedata.category(char) in ("Cc", "Cs", "Co") or (char == "\n" and not multiline):
            ctx.error(node, "control-character", field=name, char=f"U+{ord(char):04X}", position=offset + 1)
            return False
    return True


def _convert_date(node: yaml.Node, text: str, name: str, ctx: _Context) -> Any:
    if ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    ctx.error(node, "bad-date", field=name, found=_show(text))
    return MISSING


def _convert_enum(node: yaml.Node, text: str, spec: FieldSpec, name: str, ctx: _Context) -> Any:
    vocabulary = ctx.vocabularies.get(spec.vocabulary) or schemas.vocabulary(spec.vocabulary)
    key = vocabulary.resolve(text.strip())
    if key is None:
        guess = vocabulary.closest(text.strip())
        ctx.error(
            node, "unknown-value", field=name, found=_show(text), guess=guess or "",
            allowed=list(vocabulary.terms.values()),
        )
        return MISSING
    return key


def _slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9-]+", "-", text.strip().lower()).strip("-")
    return slug[:64] or "…"


# -- one record ---------------------------------------------------------------------------


def convert_document(document: Document, problems: Problems, language: str, vocabularies: dict[str, Vocabulary]) -> Record:
    record = Record(kind=document.kind, document=document, data={})
    ctx = _Context(record, problems, language, vocabularies)
    fields = schemas.record_schema(document.kind).fields
    data = _convert_object(document.root, fields, (), ctx)
    record.data = data if data is not MISSING else {}
    return record


def _check_identity(record: Record, problems: Problems) -> None:
    """A record's id equals its file name; a community's id equals its folder name."""
    if record.kind == "board" or record.id is None:
        return
    expected = record.community if record.kind == "community" else record.document.stem
    if record.id != expected:
        what = "folder" if record.kind == "community" else "file"
        problems.error(record.at("id"), f"id-not-{what}-name", id=record.id, expected=expected)


def _check_suggestion(record: Record, as_of: dt.date, problems: Problems) -> None:
    data = record.data
    received = data.get("received")
    steps = data.get("steps", [])
    last_rank, last_date, last_name = -1, received, "received"
    for index, step in enumerate(steps):
        name, date = step.get("step"), step.get("date")
        if name is None:
            continue
        rank = STEP_ORDER.index(name)
        if rank <= last_rank:
            code = "step-repeated" if rank == last_rank else "step-order"
            problems.error(record.at("steps", index, "step"), code, step=name, previous=last_name, order=" → ".join(STEP_ORDER))
        else:
            last_rank, last_name = rank, name
        if date is None:
            continue
        if last_date is not None and date < last_date:
            problems.error(record.at("steps", index, "date"), "step-date-decreasing", step=name, date=date, previous=last_date)
        if date > as_of:
            problems.error(record.at("steps", index, "date"), "date-in-future", field=f"steps[{index + 1}].date", date=date, as_of=as_of)
        last_date = max(date, last_date) if last_date else date
    if received and received > as_of:
        problems.error(record.at("received"), "date-in-future", field="received", date=received, as_of=as_of)
    if data.get("duplicate_of") and data.get("duplicate_of") == record.id:
        problems.error(record.at("duplicate_of"), "duplicate-of-self", id=record.id)
    submitter = data.get("submitter")
    consent_unreadable = ("submitter", "consent") in record.marks and "consent" not in (submitter or {})
    if submitter and not submitter.get("consent") and not consent_unreadable:
        problems.error(record.at("submitter"), "submitter-without-consent")


def _check_meeting(record: Record, as_of: dt.date, problems: Problems) -> None:
    date = record.data.get("date")
    if date and date > as_of and any(r.get("decision") for r in record.data.get("resolutions", [])):
        problems.error(record.at("date"), "date-in-future", field="date", date=date, as_of=as_of)
    seen: dict[str, int] = {}
    for index, resolution in enumerate(record.data.get("resolutions", [])):
        rid = resolution.get("id")
        if rid in seen:
            problems.error(record.at("resolutions", index, "id"), "duplicate-resolution", id=rid, first=seen[rid] + 1)
        elif rid:
            seen[rid] = index


def _check_project(record: Record, content_root: Path, as_of: dt.date, problems: Problems) -> None:
    data = record.data
    started, completed = data.get("started"), data.get("completed")
    if started and completed and completed < started:
        problems.error(record.at("completed"), "completed-before-started", completed=completed, started=started)
    for name in ("started", "completed"):
        if data.get(name) and data[name] > as_of:
            problems.error(record.at(name), "date-in-future", field=name, date=data[name], as_of=as_of)
    media = content_root / "communities" / (record.community or "") / "media"
    for index, photo in enumerate(data.get("photos", [])):
        file = photo.get("file")
        if file:
            _check_photo(file, media, content_root, record.at("photos", index, "file"), problems)


def _check_photo(file: str, media: Path, content_root: Path, where: Location, problems: Problems) -> None:
    pure = PurePosixPath(file.replace("\\", "/"))
    if pure.is_absolute() or re.match(r"^[A-Za-z]:", file) or ".." in pure.parts:
        problems.error(where, "photo-outside-media", file=_show(file))
        return
    path = media / pure
    if not path.is_file():
        problems.error(where, "photo-missing", file=_show(file), folder=str(display_path(media)))
    elif not path.resolve().is_relative_to(content_root.resolve()):
        problems.error(where, "link-outside-content")
    elif path.suffix.lower() not in IMAGE_SUFFIXES:
        problems.error(where, "photo-not-image", file=_show(file), allowed=" ".join(sorted(IMAGE_SUFFIXES)))


# -- the whole board ----------------------------------------------------------------------


def _relation_tables(records: list[Record]) -> list[Table]:
    """Key tables of the board; frictionless checks their primary and foreign keys."""
    ids = Table("ids", ["id", "kind"], ["id"])
    communities = Table("communities", ["id"], ["id"])
    compounds = Table("compounds", ["community", "id"], ["community", "id"])
    suggestions = Table(
        "suggestions", ["id", "community", "compound", "duplicate_of"], ["id"],
        [(["community", "compound"], "compounds", ["community", "id"]), (["duplicate_of"], "suggestions", ["id"])],
    )
    meetings = Table("meetings", ["id"], ["id"])
    resolutions = Table("resolutions", ["meeting", "id"], ["meeting", "id"])
    projects = Table(
        "projects", ["id", "meeting", "resolution"], ["id"],
        [(["meeting", "resolution"], "resolutions", ["meeting", "id"])],
    )
    links = Table(
        "links", ["suggestion", "meeting", "project"], [],
        [(["suggestion"], "suggestions", ["id"]), (["meeting"], "meetings", ["id"]), (["project"], "projects", ["id"])],
    )
    loaded_communities = {r.community for r in records if r.kind == "community"}
    for record in records:
        rid, data = record.id, record.data
        if rid is None:
            continue
        ids.add({"id": rid, "kind": record.kind}, {"id": record.at("id")})
        if record.kind == "community":
            communities.add({"id": rid}, {"id": record.at("id")})
            for index, compound in enumerate(data.get("compounds", [])):
                compounds.add({"community": record.community, "id": compound.get("id")}, {"id": record.at("compounds", index, "id")})
        elif record.kind == "suggestion":
            suggestions.add(
                # frictionless checks a composite key even when part of it is empty: fill both or
                # neither; a community whose community.yaml is missing is reported once, not per compound
                {"id": rid, "community": record.community if data.get("compound") and record.community in loaded_communities else None,
                 "compound": data.get("compound") if record.community in loaded_communities else None,
                 "duplicate_of": data.get("duplicate_of")},
                {"id": record.at("id"), "compound": record.at("compound"), "duplicate_of": record.at("duplicate_of")},
            )
            for key in ("meetings", "projects"):
                for index, target in enumerate(data.get(key, [])):
                    links.add({"suggestion": rid, key[:-1]: target}, {key[:-1]: record.at(key, index)})
        elif record.kind == "meeting":
            meetings.add({"id": rid}, {"id": record.at("id")})
            for index, target in enumerate(data.get("agenda", [])):
                links.add({"suggestion": target, "meeting": rid}, {"suggestion": record.at("agenda", index)})
            for index, resolution in enumerate(data.get("resolutions", [])):
                resolutions.add({"meeting": rid, "id": resolution.get("id")}, {"id": record.at("resolutions", index, "id")})
                for s_index, target in enumerate(resolution.get("suggestions", [])):
                    links.add({"suggestion": target}, {"suggestion": record.at("resolutions", index, "suggestions", s_index)})
        elif record.kind == "project":
            meeting, _, resolution = (data.get("resolution") or "").partition("#")
            projects.add(
                {"id": rid, "meeting": meeting or None, "resolution": resolution or None},
                {"id": record.at("id"), "meeting": record.at("resolution"), "resolution": record.at("resolution")},
            )
            for index, target in enumerate(data.get("suggestions", [])):
                links.add({"suggestion": target, "project": rid}, {"suggestion": record.at("suggestions", index)})
    return [ids, communities, compounds, suggestions, meetings, resolutions, projects, links]


_KIND_OF_TABLE = {"suggestions": "suggestion", "meetings": "meeting", "projects": "project", "compounds": "compound", "resolutions": "resolution"}


def _check_references(records: list[Record], unreadable: set[str], problems: Problems) -> None:
    """Keys with frictionless; a reference to a file that failed to load is not reported again."""
    first_of: dict[str, Record] = {}
    for record in records:
        if record.id is not None and record.kind != "board":
            first_of.setdefault(record.id, record)
    for violation in check_keys(_relation_tables(records)):
        if violation.kind == "primary-key":
            if violation.table == "ids":
                other = first_of[violation.values[0]].at("id")
                problems.error(violation.location, "duplicate-id", id=violation.values[0], other=str(other))
            elif violation.table == "compounds":
                problems.error(violation.location, "duplicate-compound", id=violation.values[1])
            # the other tables' keys are ids, which `ids` already covers
            continue
        expected = _KIND_OF_TABLE[violation.target]
        value = "#".join(violation.values) if expected == "resolution" else violation.values[-1]
        if violation.values[0] in unreadable:
            continue
        actual = first_of[value].kind if value in first_of else None
        if actual and actual != expected:
            problems.error(violation.location, "wrong-kind-reference", id=value, expected=expected, actual=actual)
        else:
            candidates = [i for i, r in first_of.items() if r.kind == expected]
            guess = next(iter(difflib.get_close_matches(value, candidates, n=1, cutoff=0.7)), "")
            problems.error(violation.location, "unknown-reference", id=value, expected=expected, guess=guess)


def build_date() -> dt.date:
    """Today, or the day SOURCE_DATE_EPOCH names, for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def validate_content(content: Content, problems: Problems, language: str | None = None) -> Board:
    """Check every record and the board as a whole; problems collect in `problems`."""
    settings = None
    vocabularies: dict[str, Vocabulary] = {}
    language = language or "zh"
    if content.board is not None:
        settings = convert_document(content.board, problems, language, {})
        for vocabulary_name, key in (("category", "categories"), ("funding_source", "funding_sources")):
            if settings.data.get(key):
                vocabularies[vocabulary_name] = schemas.vocabulary(vocabulary_name).extended(settings.data[key])
    today = build_date()
    as_of = (settings.data.get("as_of") if settings else None) or today
    if settings and as_of > today:
        problems.error(settings.at("as_of"), "date-in-future", field="as_of", date=as_of, as_of=today)
    records = [convert_document(d, problems, language, vocabularies) for d in content.documents]
    for record in records:
        _check_identity(record, problems)
        if record.kind == "suggestion":
            _check_suggestion(record, as_of, problems)
        elif record.kind == "meeting":
            _check_meeting(record, as_of, problems)
        elif record.kind == "project":
            _check_project(record, content.root, as_of, problems)
    unreadable = content.unreadable | {r.document.stem for r in records if r.id is None}
    _check_references(records, unreadable, problems)
    return Board(settings=settings, records=records, as_of=as_of, content=content)
