"""Rules -> problems: every record against its schema, then the board as a whole.

`validate_content` turns YAML nodes into plain records (aliases resolved, dates parsed) and
reports every problem it meets, never only the first. Records that fail their schema are still
kept where they can be, so references to them do not cascade into more errors.

Length (about 850 lines): converting YAML nodes by the schema and the per-record rules share
`_Context` and the value marks, so they stay together. Each field's converter is picked once per
schema by its type (`_Field`, `_converter`): the walk over 23,000 files of a district board does
not dispatch on type names for every node. The relational part (`KeyTables`,
`key_tables`, `check_references`, about 170 lines; its relations come from the schemas' `to:`)
is the piece to move out next.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import functools
import os
import re
import subprocess
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Iterable

import yaml
from yaml import MappingNode, ScalarNode, SequenceNode

from . import schema as schemas
from .load import display_path
from .privacy import check_privacy
from .problems import Location, Problems
from .records import ISO_DATE, PHONE, RESOLUTION_REF, SLUG, URL, CheckedBoard, Content, Document, Path_, Record, values_at
from .schema import FieldSpec, Vocabulary
from .tables import Table, check_keys

# Bidirectional marks, overrides and isolates reorder what a reader sees: a classic spoofing trick.
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Every other format character (Unicode category Cf, up to Unicode 15): zero-width spaces and
# joiners, BOM, soft hyphen, word joiner, tags. Invisible, they come with pasted text and hide a
# phone number from the privacy guard (138\u200b1234…). tests/test_load.py keeps this list whole.
FORMAT_CHARACTER = re.compile(
    "[\u00ad\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200d\u2060-\u2064\u206a-\u206f"
    "\ufeff\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f]"
)
# ...except where an emoji needs them: 👨\u200d👩 (ZWJ sequences) and the tags of a flag like 🏴 England.
EMOJI_JOIN = re.compile("(?<=[\u2600-\u27bf\ufe0f\U0001f000-\U0001faff\U000e0020-\U000e007f])[\u200d\U000e0020-\U000e007f]")
# A Markdown line's nesting: its indent (4 columns a level) and the list and quote markers it opens with.
MARKDOWN_NESTING = re.compile(r"^([ \t]*)((?:(?:[-*+]|\d{1,9}[.)])[ \t]+|>[ \t]*)+)", re.M)
MARKDOWN_RULE = re.compile(r"[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$")  # - - - is a line across, not lists
MARKDOWN_DEPTH_LIMIT = 10  # a notice needs two or three; Python-Markdown's recursion ends near 300
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
STEPS = schemas.vocabulary("step")
STEP_ORDER = list(STEPS.terms)
MISSING = object()


class _Context:
    """What converting one record needs: where it is, the problems, the extended vocabularies."""

    def __init__(self, record: Record, problems: Problems, language: str, vocabularies: dict[str, Vocabulary]):
        self.record = record
        self.marks = record.marks  # written for every node: one look-up less
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
    return text


def _show(value: str, limit: int = 40) -> str:
    value = value.replace("\n", " ")
    return value if len(value) <= limit else value[: limit - 1] + "…"


# The loader leaves every scalar untyped; these are YAML 1.1's plain-scalar forms we accept.
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}
_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")
_TAG = "tag:yaml.org,2002:"
_STR_TAG = _TAG + "str"
_CORE_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}
_UNSAFE_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufff9-\ufffb]")
_UNSAFE_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufff9-\ufffb]")


def _scalar_type(node: yaml.ScalarNode) -> str:
    """null, bool, int, float or str: an explicit tag wins, else plain scalars are typed by form."""
    if node.tag != _STR_TAG:
        return node.tag[len(_TAG):]
    if node.style:  # quoted or block: text, whatever it looks like (libyaml gives plain as "")
        return "str"
    text = node.value
    if text in _NULLS:
        return "null"
    if text.lower() in _BOOLS:
        return "bool"
    if _INT.match(text):
        return "int"
    if _FLOAT.match(text):
        return "float"
    return "str"


def _type_of(node: yaml.Node) -> str:
    if isinstance(node, MappingNode):
        return "mapping"
    if isinstance(node, SequenceNode):
        return "list"
    return _scalar_type(node)


# A field's converter turns a value that is there (not null, of a core tag, a scalar where its
# type wants one, clean text where it wants text) into its plain value, or reports why it
# cannot and returns MISSING. Each is picked once per schema by the field's type (`_Field`), so
# the walk over a file's nodes never looks at `spec.type` again.
Converter = Callable[[yaml.Node, Path_, "_Context"], Any]
_NOT_SCALAR_TYPES = ("object", "list", "counts", "labels")
_NOT_TEXT_TYPES = ("count", "integer", "amount", "boolean")  # scalars read as numbers or booleans


class _Field:
    """A schema field ready for the walk: its spec, whether its value must be a scalar, how its
    text is cleaned first (`multiline`; None for numbers, booleans and non-scalars) and the
    converter its type calls for."""

    __slots__ = ("spec", "scalar", "multiline", "convert")

    def __init__(self, spec: FieldSpec):
        self.spec = spec
        self.scalar = spec.type not in _NOT_SCALAR_TYPES
        self.multiline = None if not self.scalar or spec.type in _NOT_TEXT_TYPES else spec.type == "markdown"
        self.convert: Converter = _converter(spec)


class _Fields:
    """An object's fields ready for the walk; `when_absent` are those that matter when their
    key is not written (required, with a default, or required when another field has a value)."""

    __slots__ = ("specs", "by_key", "when_absent")

    def __init__(self, specs: dict[str, FieldSpec]):
        self.specs = specs
        self.by_key = {key: _Field(spec) for key, spec in specs.items()}
        self.when_absent = [(key, spec) for key, spec in specs.items()
                            if spec.required or spec.default is not None or spec.required_when]


@functools.cache
def _record_fields(kind: str) -> _Fields:
    return _Fields(schemas.record_schema(kind).fields)


def _converter(spec: FieldSpec) -> Converter:
    """The converter for a value of `spec`: its type's function, bound to the spec."""
    kind = spec.type
    if kind == "object":
        return functools.partial(_convert_object, _Fields(spec.fields))
    if kind == "list":
        return functools.partial(_convert_list, _Field(spec.items))
    if kind in ("counts", "labels"):
        item = FieldSpec(name="", type="count" if kind == "counts" else "string", max_length=30)
        return functools.partial(_convert_mapping, spec, _Field(item))
    if kind in ("count", "integer"):
        return functools.partial(_convert_integer, spec)
    if kind == "amount":
        return _convert_amount
    if kind == "boolean":
        return _convert_boolean
    if kind in ("string", "markdown"):
        return functools.partial(_convert_text, spec)
    if kind == "date":
        return _convert_date
    if kind == "enum":
        return functools.partial(_convert_enum, spec.vocabulary, schemas.vocabulary(spec.vocabulary))
    pattern, code = _PATTERNS.get(kind if kind != "ref" or spec.to != "resolution" else "resolution", (None, ""))
    return functools.partial(_convert_other_text, pattern, code)


def _convert(node: yaml.Node, field: _Field, path: Path_, ctx: _Context) -> Any:
    """Convert one node by its field, reporting problems; MISSING when unusable."""
    mark = node.start_mark
    ctx.marks[path] = (mark.line, mark.column)
    tag = node.tag
    if tag not in _CORE_TAGS:
        ctx.error(node, "yaml-tag", tag=tag.replace(_TAG, "!!"))
        return MISSING
    if tag == _STR_TAG and isinstance(node, ScalarNode) and not node.style and node.value in _NULLS:
        if field.spec.required:
            ctx.error(node, "missing-value", field=_field_name(path))
        return MISSING
    if field.scalar:
        if not isinstance(node, ScalarNode):
            ctx.error(node, "expected-scalar", field=_field_name(path), found=_type_of(node))
            return MISSING
        if field.multiline is not None and not _clean_text(node, node.value, path, ctx, field.multiline):
            return MISSING
    return field.convert(node, path, ctx)


def _convert_list(item: _Field, node: yaml.Node, path: Path_, ctx: _Context) -> Any:
    if not isinstance(node, SequenceNode):
        ctx.error(node, "expected-list", field=_field_name(path), found=_type_of(node))
        return MISSING
    items = [_convert(child, item, (*path, i), ctx) for i, child in enumerate(node.value)]
    return [value for value in items if value is not MISSING]


def _keys(node: yaml.MappingNode, path: Path_, ctx: _Context):
    """(key text, key node, value node) of a mapping; non-text and repeated keys are reported.

    In a block item of a list, a repeated key means the next item lost its leading "- ": that is
    one mistake, said once at the first repeated key; the lost item's other keys are not reported."""
    seen: dict[str, yaml.Node] = {}  # key -> the node that first wrote it
    in_list = bool(path) and isinstance(path[-1], int) and not node.flow_style
    dash_lost = False
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode) or key_node.tag not in _CORE_TAGS:
            ctx.error(key_node, "key-not-text")
            continue
        key = key_node.value
        if key in seen:
            if in_list and not dash_lost:
                ctx.error(key_node, "list-item-without-dash", key=_show(key), field=_field_name(path[:-1]),
                          first_line=seen[key].start_mark.line + 1)
                dash_lost = True
            elif not in_list:
                ctx.error(key_node, "duplicate-key", key=_show(key), first_line=seen[key].start_mark.line + 1)
            continue
        seen[key] = key_node
        yield key, key_node, value_node


def _convert_object(fields: _Fields, node: yaml.Node, path: Path_, ctx: _Context) -> Any:
    if not isinstance(node, MappingNode):
        ctx.error(node, "expected-mapping", field=_field_name(path) or ctx.record.kind, found=_type_of(node))
        return MISSING
    values: dict[str, Any] = {}
    written: set[str] = set()
    guessed: set[str] = set()  # a misspelled key is one mistake, not also a missing field
    by_key = fields.by_key
    for key, key_node, value_node in _keys(node, path, ctx):
        written.add(key)
        field = by_key.get(key)
        if field is None:
            guessed.add(_unknown_key(key_node, key, fields.specs, path, ctx))
            continue
        value = _convert(value_node, field, (*path, key), ctx)
        if value is not MISSING:
            values[key] = value
    for key, spec in fields.when_absent:
        if key in values:
            continue
        if spec.required and key not in guessed and key not in written:  # written empty: reported
            ctx.error(node, "missing-field", field=_field_name((*path, key)), title=spec.label(ctx.language))
        elif spec.default is not None:
            values[key] = spec.default
        if spec.required_when and key not in written:
            for other, triggers in spec.required_when.items():
                if values.get(other) in triggers:
                    ctx.problems.error(
                        ctx.record.at(*path, other), "required-when",
                        field=_field_name((*path, key)), other=other, value=values[other],
                    )
    return values


def _unknown_key(key_node: yaml.Node, key: str, fields: dict[str, FieldSpec], path: Path_, ctx: _Context) -> str:
    """Report a key the schema does not have; return the field it was probably meant as."""
    if _has_full_width_colon(key_node, key, ctx):
        return key.partition("：")[0].strip()
    by_title = {spec.title.get("zh"): name for name, spec in fields.items() if spec.title.get("zh")}
    guess = by_title.get(key) or next(iter(difflib.get_close_matches(key, list(fields), n=1, cutoff=0.6)), "")
    where = _field_name(path) or ctx.record.kind
    ctx.error(key_node, "unknown-key", key=_show(key), where=where, guess=guess, allowed=", ".join(fields))
    return guess


def _has_full_width_colon(key_node: yaml.Node, key: str, ctx: _Context) -> bool:
    """`{step：accept}` reads as one key with no value: the commonest slip of a Chinese
    keyboard, reported at the colon."""
    if "：" not in key:
        return False
    mark = key_node.start_mark
    quoted = 1 if key_node.style in ("'", '"') else 0
    at = Location(ctx.record.document.path, mark.line + 1, mark.column + 1 + quoted + key.index("："))
    ctx.problems.error(at, "full-width-colon")
    return True


def _convert_mapping(spec: FieldSpec, item: _Field, node: yaml.Node, path: Path_, ctx: _Context) -> Any:
    """A `counts` (group -> non-negative integer) or `labels` (key -> text) mapping."""
    if not isinstance(node, MappingNode):
        ctx.error(node, "expected-mapping", field=_field_name(path), found=_type_of(node))
        return MISSING
    values: dict[str, Any] = {}
    for key, key_node, value_node in _keys(node, path, ctx):
        if _has_full_width_colon(key_node, key, ctx):
            continue
        if spec.keys is not None and key not in spec.keys:
            guess = next(iter(difflib.get_close_matches(key, spec.keys, n=1, cutoff=0.6)), "")
            ctx.error(key_node, "unknown-key", key=_show(key), where=_field_name(path), guess=guess, allowed=", ".join(spec.keys))
            continue
        if spec.keys is None and not SLUG.match(key.replace("_", "-")):
            ctx.error(key_node, "bad-group-key", field=_field_name(path), key=_show(key))
            continue
        value = _convert(value_node, item, (*path, key), ctx)
        if value is not MISSING:
            values[key] = value
    return values


def _convert_text(spec: FieldSpec, node: yaml.Node, path: Path_, ctx: _Context) -> Any:
    """A `string` or `markdown` field (its text already clean, `_convert`): within its length,
    Markdown not too deep."""
    text = node.value
    if spec.max_length is not None and len(text) > spec.max_length:
        ctx.error(node, "too-long", field=_field_name(path), length=len(text), limit=spec.max_length)
        return MISSING
    if spec.type == "markdown" and ("\n" in text or text[:1] in "-*+>0123456789 \t"):
        depth, line = markdown_depth(text)
        if depth > MARKDOWN_DEPTH_LIMIT:
            ctx.error(node, "markdown-too-deep", field=_field_name(path), depth=depth, line=line, limit=MARKDOWN_DEPTH_LIMIT)
            return MISSING
    return text


def _convert_other_text(pattern: re.Pattern | None, code: str, node: yaml.Node, path: Path_, ctx: _Context) -> Any:
    """Clean one-line text of the pattern its type asks for (slug, ref, url, phone), if any."""
    text = node.value
    if pattern is not None and not pattern.match(text):
        ctx.error(node, code, field=_field_name(path), found=_show(text), fixed=_slugify(text))
        return MISSING
    return text


# Numbers and booleans come from plain scalars only: a quoted "12" is text.


def _convert_boolean(node: yaml.Node, path: Path_, ctx: _Context) -> Any:
    text = node.value
    if _scalar_type(node) != "bool":
        ctx.error(node, "expected-boolean", field=_field_name(path), found=_show(text))
        return MISSING
    return _BOOLS[text.lower()]


def _convert_amount(node: yaml.Node, path: Path_, ctx: _Context) -> Any:
    text = node.value
    if _scalar_type(node) not in ("int", "float"):
        ctx.error(node, "expected-number", field=_field_name(path), found=_show(text))
        return MISSING
    number = float(text.replace("_", ""))
    if number < 0:
        ctx.error(node, "negative-count", field=_field_name(path), found=text)
        return MISSING
    return int(number) if number.is_integer() else number


def _convert_integer(spec: FieldSpec, node: yaml.Node, path: Path_, ctx: _Context) -> Any:
    """An `integer`, or a `count` (never negative)."""
    text = node.value
    if _scalar_type(node) != "int" or not _INT.match(text):
        ctx.error(node, "expected-integer", field=_field_name(path), found=_show(text))
        return MISSING
    number = int(text.replace("_", ""))
    if spec.type == "count" and number < 0:
        ctx.error(node, "negative-count", field=_field_name(path), found=text)
        return MISSING
    if spec.min is not None and number < spec.min or spec.max is not None and number > spec.max:
        ctx.error(node, "out-of-range", field=_field_name(path), found=text, low=spec.min, high=spec.max)
        return MISSING
    return number


def _any_of(*classes: re.Pattern) -> re.Pattern:
    """One character class of several `[...]` patterns."""
    return re.compile("[" + "".join(pattern.pattern[1:-1] for pattern in classes) + "]")


# Every character the three looks of _clean_text search for: most texts have none, one search says so.
_SUSPECT_IN_TEXT = _any_of(_UNSAFE_CHARS, BIDI, FORMAT_CHARACTER)
_SUSPECT_IN_LINE = _any_of(_UNSAFE_IN_LINE, BIDI, FORMAT_CHARACTER)


def _clean_text(node: yaml.Node, text: str, path: Path_, ctx: _Context, multiline: bool) -> bool:
    """No invisible control, direction or format characters; one-line fields stay one line."""
    if text.isascii() and text.isprintable():  # most ids, dates and numbers: nothing to look for
        return True
    if not (_SUSPECT_IN_TEXT if multiline else _SUSPECT_IN_LINE).search(text):
        return True
    match = (_UNSAFE_CHARS if multiline else _UNSAFE_IN_LINE).search(text)
    if match is not None:
        ctx.error(node, "control-character", field=_field_name(path), char=f"U+{ord(match.group()):04X}", position=match.start() + 1)
        return False
    bidi = BIDI.search(text)
    if bidi is not None:
        ctx.error(node, "bidi-character", field=_field_name(path), char=f"U+{ord(bidi.group()):04X}")
        return False
    invisible = _format_character(text)
    if invisible is not None:
        ctx.error(node, "invisible-character", field=_field_name(path), char=f"U+{ord(text[invisible]):04X}", position=invisible + 1)
        return False
    return True


def _format_character(text: str) -> int | None:
    """Where the first format character that no emoji needs is, or None."""
    for match in FORMAT_CHARACTER.finditer(text):
        if not EMOJI_JOIN.match(text, match.start()):
            return match.start()
    return None


def markdown_depth(text: str) -> tuple[int, int]:
    """(deepest nesting of lists and quotes, its line in the text counted from 1), cheaply:
    what Python-Markdown would nest, estimated from indents and markers, never below it."""
    deepest, line = 0, 0
    for match in MARKDOWN_NESTING.finditer(text):
        indent, markers = match.groups()
        end = text.find("\n", match.start())
        if MARKDOWN_RULE.match(text, match.start(), len(text) if end < 0 else end):
            continue
        depth = len(indent.expandtabs(4)) // 4 + len(re.findall(r"[-*+>]|\d[.)]", markers))
        if depth > deepest:
            deepest, line = depth, text.count("\n", 0, match.start()) + 1
    return deepest, line


_PATTERNS = {
    "slug": (SLUG, "bad-slug"), "ref": (SLUG, "bad-slug"), "resolution": (RESOLUTION_REF, "bad-resolution-ref"),
    "url": (URL, "bad-url"), "phone": (PHONE, "bad-phone"),
}


@functools.lru_cache(maxsize=4096)  # a board writes the same few thousand dates over and over
def _iso_date(text: str) -> dt.date | None:
    if ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    return None


def _convert_date(node: yaml.Node, path: Path_, ctx: _Context) -> Any:
    text = node.value
    date = _iso_date(text)
    if date is not None:
        return date
    half_width = unicodedata.normalize("NFKC", text)
    if half_width != text and _iso_date(half_width):  # typed with a Chinese input method
        ctx.error(node, "full-width-date", field=_field_name(path), found=_show(text), fixed=half_width)
        return MISSING
    year, month, _ = map(int, text.split("-")) if ISO_DATE.match(text) else (0, 0, 0)
    if year:  # the right form, but no such day in the calendar
        if 1 <= month <= 12:
            days = calendar.monthrange(year, month)[1]
            ctx.error(node, "no-such-day", field=_field_name(path), found=text, year=year, month=month, days=days)
        else:
            ctx.error(node, "no-such-month", field=_field_name(path), found=text)
        return MISSING
    ctx.error(node, "bad-date", field=_field_name(path), found=_show(text))
    return MISSING


def _convert_enum(name: str, vocabulary: Vocabulary, node: yaml.Node, path: Path_, ctx: _Context) -> Any:
    """A key of the vocabulary `name`: as board.yaml extends it, else as the schemas give it."""
    text = node.value
    vocabulary = ctx.vocabularies.get(name) or vocabulary
    key = vocabulary.resolve(text.strip())
    if key is None:
        guess = vocabulary.closest(text.strip())
        ctx.error(
            node, "unknown-value", field=_field_name(path), found=_show(text), guess=guess or "",
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
    data = _convert_object(_record_fields(document.kind), document.root, (), ctx)
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
    _check_step_order(record, steps, problems)
    last_date = received
    for index, step in enumerate(steps):
        name, date = step.get("step"), step.get("date")
        if name is None or date is None:
            continue
        if last_date is not None and date < last_date:
            problems.error(record.at("steps", index, "date"), "step-date-decreasing", step=STEPS.terms[name], date=date, previous=last_date)
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


def _check_step_order(record: Record, steps: list[dict], problems: Problems) -> None:
    """Each step once, in the canonical order. The steps out of order are those outside the
    longest run already in order: the step moved to the wrong place is the one named, with the
    order this suggestion's steps should take."""
    seen: set[str] = set()
    placed: list[tuple[int, int]] = []  # (index in steps, canonical rank), first mentions only
    for index, step in enumerate(steps):
        name = step.get("step")
        if name in seen:
            problems.error(record.at("steps", index, "step"), "step-repeated", step=STEPS.terms[name])
        elif name is not None:
            seen.add(name)
            placed.append((index, STEP_ORDER.index(name)))
    ranks = [rank for _, rank in placed]
    if ranks == sorted(ranks):  # the usual suggestion: each step once (ranks differ), in order
        return
    in_order = _longest_increasing(ranks)
    expected = [STEPS.terms[STEP_ORDER[rank]] for rank in sorted(rank for _, rank in placed)]
    for position, (index, rank) in enumerate(placed):
        if position not in in_order:
            problems.error(record.at("steps", index, "step"), "step-order", step=STEPS.terms[STEP_ORDER[rank]], order=expected)


def _longest_increasing(ranks: list[int]) -> set[int]:
    """Positions of the longest strictly increasing run of `ranks` (the first, on a tie)."""
    runs: list[list[int]] = []  # runs[i]: the longest run ending at position i
    for i, rank in enumerate(ranks):
        before = max((runs[j] for j in range(i) if ranks[j] < rank), key=len, default=[])
        runs.append(before + [i])
    return set(max(runs, key=len, default=[]))


def _check_meeting(record: Record, as_of: dt.date, problems: Problems) -> None:
    date = record.data.get("date")
    if date and date > as_of and any(r.get("decision") for r in record.data.get("resolutions", [])):
        problems.error(record.at("date"), "date-in-future", field="date", date=date, as_of=as_of)


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
            photo["file"] = _check_photo(file, media, content_root, record.at("photos", index, "file"), problems)


def _check_photo(file: str, media: Path, content_root: Path, where: Location, problems: Problems) -> str:
    """The photo's path inside media/, as the site reads it; problems with it are reported."""
    pure = PurePosixPath(file.replace("\\", "/"))
    if pure.is_absolute() or re.match(r"^[A-Za-z]:", file) or ".." in pure.parts:
        problems.error(where, "photo-outside-media", file=_show(file))
        return file
    if pure.parts[:1] == ("media",) and len(pure.parts) > 1 and not (media / pure).exists():
        # Volunteers see the photo in media/ and write media/x.jpg; the field is relative to media/.
        pure = PurePosixPath(*pure.parts[1:])
    path = media / pure
    if not path.is_file():
        problems.error(where, "photo-missing", file=_show(file), folder=str(display_path(media)))
    elif not path.resolve().is_relative_to(content_root.resolve()):
        problems.error(where, "link-outside-content")
    elif path.suffix.lower() not in IMAGE_SUFFIXES:
        problems.error(where, "photo-not-image", file=_show(file), allowed=" ".join(sorted(IMAGE_SUFFIXES)))
    return pure.as_posix()


# -- the whole board ----------------------------------------------------------------------


@dataclass
class KeyTables:
    """The board's keys, ready for frictionless; shares checked apart merge into one."""

    records: Table = field(default_factory=lambda: Table("records", ["kind", "id"], primary_key=["id"]))
    compounds: Table = field(default_factory=lambda: Table("compounds", ["community", "id"], primary_key=["community", "id"]))
    resolutions: Table = field(default_factory=lambda: Table("resolutions", ["meeting", "id"], primary_key=["meeting", "id"]))
    references: Table = field(default_factory=lambda: Table("references", ["kind", "id"], references=("records", ["kind", "id"])))
    compound_references: Table = field(default_factory=lambda: Table(
        "compound_references", ["community", "id"], references=("compounds", ["community", "id"])))
    resolution_references: Table = field(default_factory=lambda: Table(
        "resolution_references", ["meeting", "id"], references=("resolutions", ["meeting", "id"])))
    unreadable: set[str] = field(default_factory=set)  # ids whose files did not load: not reported again

    def all(self) -> list[Table]:
        return [self.records, self.compounds, self.resolutions, self.references,
                self.compound_references, self.resolution_references]

    def merge(self, other: "KeyTables") -> None:
        for mine, theirs in zip(self.all(), other.all()):
            mine.merge(theirs)
        self.unreadable |= other.unreadable


_TARGET_KIND = {"compound_references": "compound", "resolution_references": "resolution"}


def key_tables(records: list[Record], unreadable: set[str]) -> KeyTables:
    """The keys these records define and the keys they name, with where each was written."""
    tables = KeyTables(unreadable=unreadable | {r.document.stem for r in records if r.id is None})
    loaded_communities = {r.community for r in records if r.kind == "community"}
    for record in records:
        rid, data = record.id, record.data
        if rid is None or record.kind == "board":
            continue
        tables.records.add((record.kind, rid), record.at("id"))
        if record.kind == "community":
            for index, compound in enumerate(data.get("compounds", [])):
                # keyed by folder: a mismatched id is reported once, by id-not-folder-name
                tables.compounds.add((record.community, compound.get("id")), record.at("compounds", index, "id"))
        elif record.kind == "meeting":
            for index, resolution in enumerate(data.get("resolutions", [])):
                tables.resolutions.add((rid, resolution.get("id")), record.at("resolutions", index, "id"))
        # every reference the schemas declare (`to:`), where it was written
        for reference in schemas.references(record.kind) if record.kind in schemas.REFERENCE_KINDS else ():
            for where, target in values_at(data, reference.path):
                if not target and reference.path[-1] != "*":  # an empty field names nothing; list items all count
                    continue
                if reference.to == "compound":
                    if record.community in loaded_communities:
                        tables.compound_references.refer((record.community, target), record.at(*where))
                elif reference.to == "resolution":
                    meeting, _, resolution = target.partition("#")
                    tables.resolution_references.refer((meeting, resolution), record.at(*where))
                else:
                    tables.references.refer((reference.to, target), record.at(*where))
    return tables


def check_references(tables: KeyTables, problems: Problems) -> None:
    """Primary and foreign keys, checked by frictionless, reported where they were written."""
    first_of: dict[str, tuple[str, Location]] = {}
    for (kind, rid), places in zip(tables.records.rows, tables.records.places):
        first_of.setdefault(rid, (kind, places[0]))
    violations = check_keys(tables.all())
    mistyped = _mistyped_ids(violations, tables, first_of)
    for intended, (typo, places) in mistyped.items():
        kind, where = first_of[typo]
        first = min(places, key=lambda place: (str(place.path), place.line, place.column))
        problems.error(where, "mistyped-id", id=typo, intended=intended, expected=kind, count=len(places), first=str(first))
    for violation in violations:
        if violation.kind == "primary-key" and violation.table == "records":
            value = violation.row[1]
            places = [p[0] for row, p in zip(tables.records.rows, tables.records.places) if row[1] == value]
            kept, blamed = _kept_and_blamed(places)
            for place in blamed:
                problems.error(place, "duplicate-id", id=value, other=str(kept))
            continue
        if violation.kind == "primary-key":
            code = {"compounds": "duplicate-compound", "resolutions": "duplicate-resolution"}[violation.table]
            for place in violation.places:
                problems.error(place, code, id=violation.row[1])
            continue
        expected = _TARGET_KIND.get(violation.table) or violation.row[0]
        named = violation.row[0 if expected == "resolution" else 1]  # the record (or meeting) named
        if named in tables.unreadable or (expected != "compound" and named in mistyped):
            continue  # already reported, where the file failed or where its id was mistyped
        value = "#".join(violation.row) if expected == "resolution" else violation.row[1]
        actual = first_of[value][0] if value in first_of else None
        if actual and actual != expected:
            for place in violation.places:
                problems.error(place, "wrong-kind-reference", id=value, expected=expected, actual=actual)
            continue
        # Several places that agree on an id are not all typos: no guess then.
        guess = _closest(value, [i for i, (kind, _) in first_of.items() if kind == expected]) if len(violation.places) == 1 else ""
        for place in violation.places:
            problems.error(place, "unknown-reference", id=value, expected=expected, guess=guess)


def _kept_and_blamed(places: list[Location]) -> tuple[Location, list[Location]]:
    """Of the records sharing an id, the one that keeps it and those told to change: the files
    new to git (not in HEAD) when git knows the others, else all but the first path."""
    places = sorted(places, key=lambda place: (str(place.path), place.line, place.column))
    new = _new_to_git([place.path for place in places])
    if new and len(new) < len(places):
        return next(p for p in places if p.path not in new), [p for p in places if p.path in new]
    return places[0], places[1:]


def _new_to_git(paths: list[Path]) -> set[Path] | None:
    """The files git's HEAD does not hold; None outside a git work tree or when git cannot say."""
    try:
        top = subprocess.run(["git", "-C", str(Path(paths[0]).resolve().parent), "rev-parse", "--show-toplevel"],
                             capture_output=True, text=True, timeout=10)
        if top.returncode != 0:
            return None
        root = Path(top.stdout.strip()).resolve()
        query = "".join(f"HEAD:{Path(path).resolve().relative_to(root).as_posix()}\n" for path in paths)
        answer = subprocess.run(["git", "-C", str(root), "cat-file", "--batch-check"],
                                input=query, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError, ValueError):  # no git, a hung git, a path outside
        return None
    lines = answer.stdout.splitlines()
    if answer.returncode != 0 or len(lines) != len(paths):
        return None
    return {path for path, line in zip(paths, lines) if line.endswith(" missing")}


def _closest(value: str, candidates: list[str]) -> str:
    return next(iter(difflib.get_close_matches(value, candidates, n=1, cutoff=0.7)), "")


def _mistyped_ids(violations: list, tables: KeyTables, first_of: dict[str, tuple[str, Location]]) -> dict:
    """Missing ids that several records agree on, while a record's own id is a near miss that
    fewer name: the typo is in that record. {missing id: (the record's id, places naming it)}"""
    named = {row: len(places) for row, places in zip(tables.references.rows, tables.references.places)}
    for (meeting, _), places in zip(tables.resolution_references.rows, tables.resolution_references.places):
        named[("meeting", meeting)] = named.get(("meeting", meeting), 0) + len(places)
    mistyped = {}
    for violation in violations:
        if violation.table != "references" or len(violation.places) < 2 or violation.row[1] in first_of:
            continue
        kind, missing = violation.row
        typo = _closest(missing, [i for i, (k, _) in first_of.items() if k == kind])
        if typo and not _next_in_series(typo, missing) and named.get((kind, typo), 0) < len(violation.places):
            mistyped[missing] = (typo, violation.places)
    return mistyped


def _next_in_series(one: str, other: str) -> bool:
    """jt-2024-001 and jt-2024-002 differ only in their numbers: two records, not a typo."""
    differences = [(a, b) for a, b in zip(one, other) if a != b]
    return len(one) == len(other) and all(a.isdigit() and b.isdigit() for a, b in differences)


def build_date() -> dt.date:
    """Today, or the day SOURCE_DATE_EPOCH names, for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


@dataclass
class Settings:
    """board.yaml as the other records need it."""

    record: Record | None
    language: str
    as_of: dt.date
    vocabularies: dict[str, Vocabulary]


def read_settings(board: Document | None, problems: Problems, language: str) -> Settings:
    vocabularies: dict[str, Vocabulary] = {}
    record = convert_document(board, problems, language, {}) if board is not None else None
    if record is not None:
        check_privacy([record], problems)  # its title and labels are on every page
    data = record.data if record else {}
    for key, vocabulary_name in schemas.vocabulary_extensions().items():
        if data.get(key):
            vocabularies[vocabulary_name] = schemas.vocabulary(vocabulary_name).extended(data[key])
    today = build_date()
    as_of = data.get("as_of") or today
    if record and as_of > today:
        problems.error(record.at("as_of"), "as-of-after-today", date=as_of, today=today)
    return Settings(record=record, language=language, as_of=as_of, vocabularies=vocabularies)


def check_records(documents: Iterable[Document], settings: Settings, content_root: Path, problems: Problems) -> list[Record]:
    """Each record on its own: its schema and its rules. The board-wide checks come after."""
    records = []
    for document in documents:
        records.append(convert_document(document, problems, settings.language, settings.vocabularies))
        document.root = None  # the values and their marks are in the record now: free the nodes
    for record in records:
        _check_identity(record, problems)
        if record.kind == "suggestion":
            _check_suggestion(record, settings.as_of, problems)
        elif record.kind == "meeting":
            _check_meeting(record, settings.as_of, problems)
        elif record.kind == "project":
            _check_project(record, content_root, settings.as_of, problems)
    # here, not in validate_content: `ailin check` runs this in its workers, a community at a time
    check_privacy(records, problems)
    return records


def validate_content(content: Content, documents: Iterable[Document], settings: Settings, problems: Problems) -> CheckedBoard:
    """Check every record and the board as a whole; problems collect in `problems`."""
    records = check_records(documents, settings, content.root, problems)
    check_references(key_tables(records, content.unreadable), problems)
    return CheckedBoard(settings=settings.record, records=records, as_of=settings.as_of, content=content)
