"""The schemas in `schemas/` as Python objects: field specs, vocabularies, labels and help.

The schema files are data and the single source of truth; this module only reads them.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field
from typing import Any


from . import packaged, read_data

SCHEMA_DIR = packaged("schemas")
KINDS = ("board", "community", "suggestion", "meeting", "project")


@dataclass(frozen=True)
class Term:
    key: str
    zh: str
    en: str

    def label(self, language: str) -> str:
        return self.zh if language == "zh" else self.en


@dataclass
class Vocabulary:
    """An enumerated set of keys with Chinese and English labels; labels work as aliases."""

    name: str
    terms: dict[str, Term]
    aliases: dict[str, str]
    extensible: bool = False  # board.yaml may add terms
    open: bool = False  # any slug is accepted; the terms only give labels

    def resolve(self, value: str) -> str | None:
        """The key for a key, a label or an alias; None when unknown."""
        if value in self.terms:
            return value
        return self.aliases.get(value)

    def closest(self, value: str) -> str | None:
        candidates = list(self.terms) + list(self.aliases)
        match = difflib.get_close_matches(value, candidates, n=1, cutoff=0.6)
        return self.resolve(match[0]) if match else None

    def label(self, key: str, language: str = "zh") -> str:
        term = self.terms.get(key)
        return term.label(language) if term else key

    def extended(self, extra: dict[str, str]) -> "Vocabulary":
        terms = dict(self.terms)
        aliases = dict(self.aliases)
        for key, zh in extra.items():
            terms[key] = Term(key, zh, key)
            aliases[zh] = key
        return Vocabulary(self.name, terms, aliases, self.extensible, self.open)


@dataclass
class FieldSpec:
    """One field of a record kind, as declared in its schema file."""

    name: str
    type: str
    required: bool = False
    title: dict[str, str] = field(default_factory=dict)
    help: dict[str, str] = field(default_factory=dict)
    vocabulary: str | None = None
    to: str | None = None  # what a `ref` points at
    keys: list[str] | None = None  # the fixed keys of a `counts` mapping
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    default: Any = None
    required_when: dict[str, list[str]] | None = None
    extends: str | None = None  # a board.yaml `labels` field whose terms join this vocabulary
    items: "FieldSpec | None" = None
    fields: dict[str, "FieldSpec"] = field(default_factory=dict)

    def label(self, language: str) -> str:
        return self.title.get(language, self.name)


@dataclass
class RecordSchema:
    kind: str
    title: dict[str, str]
    file: str
    fields: dict[str, FieldSpec]


def _field(name: str, raw: dict) -> FieldSpec:
    spec = FieldSpec(
        name=name,
        type=raw["type"],
        required=raw.get("required", False),
        title=raw.get("title", {}),
        help=raw.get("help", {}),
        vocabulary=raw.get("vocabulary"),
        to=raw.get("to"),
        keys=raw.get("keys"),
        min=raw.get("min"),
        max=raw.get("max"),
        max_length=raw.get("max_length"),
        default=raw.get("default"),
        required_when=raw.get("required_when"),
        extends=raw.get("extends"),
    )
    if "items" in raw:
        spec.items = _field(name, raw["items"])
    spec.fields = {key: _field(key, value) for key, value in raw.get("fields", {}).items()}
    return spec


@functools.cache
def record_schema(kind: str) -> RecordSchema:
    raw = read_data(SCHEMA_DIR / f"{kind}.yaml")
    fields = {name: _field(name, spec) for name, spec in raw["fields"].items()}
    return RecordSchema(kind=raw["kind"], title=raw["title"], file=raw["file"], fields=fields)


@dataclass(frozen=True)
class Reference:
    """A field that names another record, as its schema's `to:` declares: the relations of the board."""

    kind: str  # the record kind that holds the field
    path: tuple[str, ...]  # field names from the record's top; "*" steps into each item of a list
    to: str  # suggestion, meeting, project, compound (of the same community) or resolution


REFERENCE_KINDS = ("suggestion", "meeting", "project")  # the record kinds whose fields may name others


@functools.cache
def references(kind: str) -> tuple[Reference, ...]:
    """Every `ref` field of a record kind, in schema order (nested objects and lists included)."""
    found: list[Reference] = []

    def walk(spec: FieldSpec, path: tuple[str, ...]) -> None:
        if spec.type == "ref" and spec.to:
            found.append(Reference(kind, path, spec.to))
        if spec.items is not None:
            walk(spec.items, path + ("*",))
        for name, child in spec.fields.items():
            walk(child, path + (name,))

    for name, spec in record_schema(kind).fields.items():
        walk(spec, (name,))
    return tuple(found)


@functools.cache
def vocabulary_extensions() -> dict[str, str]:
    """board.yaml key -> the vocabulary its terms extend (`extends:` in schemas/board.yaml)."""
    return {name: spec.extends for name, spec in record_schema("board").fields.items() if spec.extends}


@functools.cache
def _raw_vocabularies() -> dict:
    return read_data(SCHEMA_DIR / "vocabularies.yaml")


@functools.cache
def vocabulary(name: str) -> Vocabulary:
    raw = dict(_raw_vocabularies()[name])
    extensible = raw.pop("extensible", False)
    is_open = raw.pop("open", False)
    terms: dict[str, Term] = {}
    aliases: dict[str, str] = {}
    for key, entry in raw.items():
        terms[key] = Term(key, entry["zh"], entry["en"])
        for alias in [entry["zh"], *entry.get("aliases", [])]:
            aliases[str(alias)] = key
    return Vocabulary(name, terms, aliases, extensible, is_open)


@functools.cache
def unit_aliases() -> dict[str, str]:
    """Spelling -> canonical unit, e.g. 平方米 -> m²."""
    table = _raw_vocabularies()["unit_aliases"]
    return {alias: unit for unit, aliases in table.items() for alias in aliases}


def normalize_unit(unit: str) -> str:
    unit = unit.strip()
    return unit_aliases().get(unit, unit)
