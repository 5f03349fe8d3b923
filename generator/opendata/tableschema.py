"""Table Schemas and the data package descriptor, generated from schemas/*.yaml and derived.yaml.

Titles and descriptions carry both languages, the board's first; their words come from schemas/
and the catalogue (generator/words/, opendata)."""

from __future__ import annotations

import hashlib
import json
from typing import Any, Mapping

from .. import schema
from ..model import BoardModel
from ..records import ID as ID_PATTERN
from ..schema import Vocabulary
from ..words import LANGUAGES, Words
from .tables import DERIVED, FREE_TEXT, TABLES, Column, TableSpec, _resolve, foreign_keys

PACKAGE_NAME = "ailin-board"
_TYPES = {
    "slug": "string", "ref": "string", "string": "string", "markdown": "string", "url": "string",
    "path": "string", "enum": "string", "date": "date", "integer": "integer", "count": "integer",
    "amount": "number", "boolean": "boolean", "counts": "object", "list": "array",
}
BOTH = {language: Words.of(language) for language in LANGUAGES}


# ---------------------------------------------------------------------------------------------
# Table Schemas, generated from schemas/*.yaml
# ---------------------------------------------------------------------------------------------

def _vocabulary(name: str, overrides: Mapping[str, Vocabulary]) -> Vocabulary:
    if name in overrides:
        return overrides[name]
    if name in DERIVED["vocabularies"]:
        zh, en = BOTH["zh"], BOTH["en"]
        terms = {key: schema.Term(key, zh.t(f"opendata.{name}.{key}"), en.t(f"opendata.{name}.{key}"))
                 for key in DERIVED["vocabularies"][name]}
        return Vocabulary(name, terms, {})
    return schema.vocabulary(name)


def _pair(words: Mapping[str, str], language: str, separator: str = " ") -> str:
    """Both languages, the board's first: "收到日期 received"."""
    other = Words.of(language).other.language
    return f"{words[language]}{separator}{words[other]}"


def _values(vocabulary: Vocabulary, lead: str = "opendata.values") -> dict[str, str]:
    """The keys with their labels, as a sentence in each language: "取值：new 待受理、…。"."""
    said = {}
    for lang, words in BOTH.items():
        values = words.t("opendata.value_separator").join(
            words.t("opendata.value", key=t.key, label=t.label(lang)) for t in vocabulary.terms.values())
        said[lang] = words.colon(words.t(lead), values) + words.t("punctuation.full_stop")
    return said


def _with_values(key: str, help_: Mapping[str, str], values: Mapping[str, str]) -> dict[str, str]:
    return {lang: w.t(key, help=help_[lang], values=values[lang]) for lang, w in BOTH.items()}


def _field_descriptor(column: Column, language: str, vocabularies: Mapping[str, Vocabulary]) -> dict[str, Any]:
    spec, required = _resolve(column.source)
    required = required if column.required is None else column.required
    title = dict(spec.title)
    help_ = {lang: spec.help.get(lang, "") for lang in LANGUAGES}
    constraints: dict[str, Any] = {}
    kind = "integer" if column.key else _TYPES[spec.type]
    if column.key:  # a team is named as its level is; votes and ratings by their count keys
        level = _vocabulary("level", vocabularies)
        named = level if column.key in level.terms else schema.vocabulary("count_key")
        title = {lang: w.colon(title[lang], named.label(column.key, lang)) for lang, w in BOTH.items()}
        constraints["minimum"] = 0
    elif spec.type == "enum":
        vocabulary = _vocabulary(spec.vocabulary, vocabularies)
        constraints["enum"] = list(vocabulary.terms)
        help_ = _with_values("opendata.with_values", help_, _values(vocabulary))
    elif spec.type == "list" and spec.items is not None and spec.items.vocabulary:
        help_ = _with_values("opendata.json_array", help_, _values(_vocabulary(spec.items.vocabulary, vocabularies)))
    elif spec.type == "counts":
        help_ = _with_values("opendata.json_object", help_, _values(schema.vocabulary("group"), "opendata.common_groups"))
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
    if keys := foreign_keys(table):
        descriptor["foreignKeys"] = [
            {"fields": list(fields), "reference": {"resource": target, "fields": list(target_fields)}}
            for fields, target, target_fields in keys
        ]
    return descriptor


def table_schemas(language: str = "zh", vocabularies: Mapping[str, Vocabulary] | None = None) -> dict[str, dict]:
    """A frictionless Table Schema per table, in table order.

    Titles and descriptions carry both languages, `language` first. `vocabularies` replaces
    a vocabulary by name, e.g. the board's extended `category` and `funding_source`.
    """
    language = Words.of(language).language
    return {table.name: _schema(table, language, vocabularies or {}) for table in TABLES}


def _table_words(table: TableSpec, language: str) -> tuple[str, str]:
    if table.title.startswith("="):
        title = {lang: w.t(f"opendata.titles.{table.title[1:]}") for lang, w in BOTH.items()}
    else:
        kind, *names = table.title.split(".")
        title = _resolve(table.title)[0].title if names else schema.record_schema(kind).title
    description = {lang: w.t(f"opendata.tables.{table.name}") for lang, w in BOTH.items()}
    return _pair(title, language), _pair(description, language, " / ")


def _board_vocabularies(board: BoardModel) -> dict[str, Vocabulary]:
    return {"category": board.categories, "funding_source": board.funding_sources}


def _package(board: BoardModel, tables: Mapping[str, bytes] | None, license: Mapping[str, str]) -> dict[str, Any]:
    """datapackage.json; without the `tables`' bytes, the descriptor the 数据下载 page shows: the
    page is made before the tables are assembled (generator/parts.py) and shows no sizes."""
    language = Words.of(board.language).language
    schemas = table_schemas(language, _board_vocabularies(board))
    description = {
        lang: w.t("opendata.description", title=board.title, as_of=board.as_of.isoformat()) for lang, w in BOTH.items()
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
        title, table_description = _table_words(table, language)
        resource = {
            "name": table.name,
            "type": "table",
            "path": f"{table.name}.csv",
            "scheme": "file",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "title": title,
            "description": table_description,
        }
        if tables is not None:
            content = tables[table.name]
            resource.update(bytes=len(content), hash=f"sha256:{hashlib.sha256(content).hexdigest()}")
        package["resources"].append({**resource, "schema": schemas[table.name]})
    return package


def _json(value: Any, indent: int | None = None) -> bytes:
    separators = None if indent else (",", ":")
    return (json.dumps(value, ensure_ascii=False, indent=indent, separators=separators) + "\n").encode("utf-8")
