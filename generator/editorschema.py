"""JSON Schemas for editors, generated from `schemas/`: completion and checks while typing.

VS Code's YAML extension (yaml-language-server) reads them through `.vscode/settings.json` or a
`# yaml-language-server: $schema=` line. They say what a JSON Schema can say: field names,
types, required fields, vocabularies (keys and their Chinese labels, which `ailin check`
accepts too), date and id formats. Rules across fields and files stay with `ailin check`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import schema
from .schema import FieldSpec
from .records import PHONE, RESOLUTION_REF, SLUG, URL

DRAFT = "http://json-schema.org/draft-07/schema#"  # the draft yaml-language-server knows best
# Our loader reads every scalar as text and types it by the schema, so `title: 2024` is a title;
# a JSON Schema sees the number, so text fields accept numbers and booleans as well.
TEXT = ["string", "number", "boolean"]
GROUP_KEY = r"^[a-z0-9][a-z0-9_-]{0,63}$"


def editor_schemas(extra_terms: dict[str, dict[str, str]] | None = None) -> dict[str, str]:
    """File name -> JSON text, one schema per record kind.

    `extra_terms` are the board's own vocabulary entries (board.yaml `categories`,
    `funding_sources`), so the editor offers them too.
    """
    return {
        f"{kind}.schema.json": json.dumps(record_json_schema(kind, extra_terms or {}), ensure_ascii=False, indent=1) + "\n"
        for kind in schema.KINDS
    }


def write(folder: Path, extra_terms: dict[str, dict[str, str]] | None = None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in editor_schemas(extra_terms).items():
        target = folder / name
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


def record_json_schema(kind: str, extra_terms: dict[str, dict[str, str]]) -> dict[str, Any]:
    record = schema.record_schema(kind)
    body = _object(record.fields, extra_terms)
    return {"$schema": DRAFT, "title": f"{record.title['zh']} · {record.title['en']}", **body}


def _object(fields: dict[str, FieldSpec], extra_terms: dict) -> dict[str, Any]:
    result: dict[str, Any] = {
        "type": "object",
        "properties": {name: _field(spec, extra_terms) for name, spec in fields.items()},
        "additionalProperties": False,
    }
    required = [name for name, spec in fields.items() if spec.required]
    if required:
        result["required"] = required
    return result


def _field(spec: FieldSpec, extra_terms: dict) -> dict[str, Any]:
    result = _shape(spec, extra_terms)
    if spec.title:
        result["title"] = spec.label("zh")
    if spec.help:
        result["description"] = "\n".join(filter(None, (spec.help.get("zh"), spec.help.get("en"))))
    return result


def _shape(spec: FieldSpec, extra_terms: dict) -> dict[str, Any]:
    kind = spec.type
    if kind in ("string", "markdown", "path"):
        return {"type": TEXT, **({"maxLength": spec.max_length} if spec.max_length else {})}
    if kind == "date":
        return {"type": "string", "format": "date"}
    if kind in ("integer", "amount"):
        bounds = {"minimum": spec.min if spec.min is not None else 0}
        if spec.max is not None:
            bounds["maximum"] = spec.max
        return {"type": "integer" if kind == "integer" else "number", **bounds}
    if kind == "boolean":
        return {"type": "boolean"}
    if kind == "enum":
        return _enum(spec.vocabulary, extra_terms)
    if kind in ("slug", "ref"):
        pattern = RESOLUTION_REF if spec.to == "resolution" else SLUG
        return {"type": "string", "pattern": pattern.pattern}
    if kind == "url":
        return {"type": "string", "pattern": URL.pattern}
    if kind == "phone":
        return {"type": ["string", "integer"], "pattern": PHONE.pattern}
    if kind == "list":
        return {"type": "array", "items": _shape(spec.items, extra_terms) if spec.items else {}}
    if kind == "object":
        return _object(spec.fields, extra_terms)
    if kind == "counts":
        count = {"type": "integer", "minimum": 0}
        if spec.keys:
            return {"type": "object", "properties": {key: count for key in spec.keys}, "additionalProperties": False}
        return {"type": "object", "propertyNames": {"pattern": GROUP_KEY}, "additionalProperties": count}
    if kind == "labels":
        return {"type": "object", "propertyNames": {"pattern": GROUP_KEY}, "additionalProperties": {"type": "string", "maxLength": 30}}
    raise ValueError(f"schemas/ declares a field type the editor schema does not know: {kind}")


def _enum(name: str, extra_terms: dict) -> dict[str, Any]:
    """Every key with its labels for completion; Chinese labels and aliases are accepted too."""
    vocabulary = schema.vocabulary(name)
    if vocabulary.extensible:
        vocabulary = vocabulary.extended(extra_terms.get(name, {}))
    choices = [{"const": key, "description": f"{term.zh} · {term.en}"} for key, term in vocabulary.terms.items()]
    choices += [{"const": alias, "description": f"= {key}"} for alias, key in vocabulary.aliases.items() if alias not in vocabulary.terms]
    if vocabulary.open:
        return {"anyOf": [*choices, {"type": "string", "pattern": GROUP_KEY}]}
    return {"anyOf": choices}
