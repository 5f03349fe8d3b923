"""Table Schemas and the data package descriptor, generated from schemas/*.yaml and derived.yaml."""

from __future__ import annotations

import hashlib
import json
from typing import Any, Mapping

from .. import schema
from ..model import BoardModel
from ..records import ID as ID_PATTERN
from ..schema import Vocabulary
from .tables import DERIVED, FREE_TEXT, TABLES, Column, TableSpec, _resolve, foreign_keys

PACKAGE_NAME = "ailin-board"
_TYPES = {
    "slug": "string", "ref": "string", "string": "string", "markdown": "string", "url": "string",
    "path": "string", "enum": "string", "date": "date", "integer": "integer", "count": "integer",
    "amount": "number", "boolean": "boolean", "counts": "object", "list": "array",
}
_OTHER = {"zh": "en", "en": "zh"}


# ---------------------------------------------------------------------------------------------
# Table Schemas, generated from schemas/*.yaml
# ---------------------------------------------------------------------------------------------

def _vocabulary(name: str, overrides: Mapping[str, Vocabulary]) -> Vocabulary:
    if name in overrides:
        return overrides[name]
    if name in DERIVED["vocabularies"]:
        raw = DERIVED["vocabularies"][name]
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
        words = DERIVED["keys"].get(column.key) or {
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
    language = language if language in _OTHER else "zh"
    return {table.name: _schema(table, language, vocabularies or {}) for table in TABLES}


def _table_words(table: TableSpec, language: str) -> tuple[str, str]:
    if table.title.startswith("="):
        title = DERIVED["titles"][table.title[1:]]
    else:
        kind, *names = table.title.split(".")
        title = _resolve(table.title)[0].title if names else schema.record_schema(kind).title
    return _pair(title, language), _pair(DERIVED["tables"][table.name], language, " / ")


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
