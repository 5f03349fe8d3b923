"""Write what an import changed into the YAML files, as a volunteer would have edited them.

ruamel.yaml keeps comments, key order, quoting and flow style: only the values that differ are
set, so an unchanged file is never written and a changed one differs only where the workbook
did. Each file is written to a temporary file beside it, then renamed over it.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from .. import schema
from ..schema import FieldSpec
from .layout import WORKBOOK

# The sample board's layout (`  - ` under a key) first, then the layout ruamel writes by default.
_INDENTS = ((2, 4, 2), (2, 2, 0))


def _yaml(indent: tuple[int, int, int]) -> YAML:
    yaml = YAML()
    yaml.width = 4096  # never fold a long line the volunteer wrote on one
    yaml.preserve_quotes = True
    yaml.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    return yaml


def _dump(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _load(text: str) -> tuple[YAML, Any]:
    """The file's data, and a dumper whose layout writes the file back unchanged where it can."""
    for indent in _INDENTS:
        yaml = _yaml(indent)
        data = yaml.load(text)
        if _dump(yaml, data) == text:
            return yaml, data
    yaml = _yaml(_INDENTS[0])
    return yaml, yaml.load(text)


def same(old: Any, new: Any) -> bool:
    """Equal as published: text compares without the trailing line break a YAML block adds."""
    if isinstance(old, str) and isinstance(new, str):
        return old.strip() == new.strip()
    if isinstance(old, dict) and isinstance(new, dict):
        return old.keys() == new.keys() and all(same(old[k], new[k]) for k in old)
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(same(a, b) for a, b in zip(old, new))
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    return old == new


def _flat(value: Any) -> bool:
    return isinstance(value, (str, int, float, dt.date)) and not (isinstance(value, str) and "\n" in value)


def to_yaml(value: Any, like: Any = None) -> Any:
    """A plain value as ruamel writes it in the board's style: short mappings and lists of plain
    values on one line, multi-line text as a literal block."""
    if isinstance(value, dict):
        mapping = CommentedMap((k, to_yaml(v)) for k, v in value.items())
        if all(_flat(v) for v in value.values()):
            mapping.fa.set_flow_style()
        return mapping
    if isinstance(value, list):
        sequence = CommentedSeq(to_yaml(v) for v in value)
        if all(_flat(v) for v in value):
            sequence.fa.set_flow_style()
        return sequence
    if isinstance(value, str):
        text = value.strip("\n")
        if "\n" in text or isinstance(like, LiteralScalarString):
            return LiteralScalarString(text + "\n")
        return text
    return value


def _insert_at(mapping: CommentedMap, key: str, value: Any, order: list[str]) -> None:
    """Put a new key where the schema orders it among the keys the file has."""
    rank = order.index(key) if key in order else len(order)
    position = len(mapping)
    for index, existing in enumerate(mapping):
        if existing in order and order.index(existing) > rank:
            position = index
            break
    mapping.insert(position, key, value)


def _order(fields: dict[str, FieldSpec], key: str) -> list[str]:
    spec = fields.get(key)
    if spec is None:
        return []
    inner = spec.items.fields if spec.items is not None else spec.fields
    return list(inner) or list(spec.keys or [])


def _update(node: Any, old: dict, new: dict, keys: list[str], order: list[str], fields: dict[str, FieldSpec]) -> bool:
    changed = False
    for key in keys:
        before, after = old.get(key), new.get(key)
        if (before is None and after is None) or same(before, after):
            continue
        changed = True
        if after is None:
            if key in node:
                del node[key]
            continue
        current = node.get(key) if key in node else None
        if before is None or current is None:
            if key in node:
                node[key] = to_yaml(after, current)
            else:
                _insert_at(node, key, to_yaml(after), order)
        elif isinstance(before, dict) and isinstance(after, dict) and isinstance(current, CommentedMap):
            sub_fields = (fields[key].fields if key in fields else {}) or {}
            _update(current, before, after, list(dict.fromkeys([*before, *after])), _order(fields, key), sub_fields)
        elif (isinstance(before, list) and isinstance(after, list) and isinstance(current, CommentedSeq)
              and len(before) == len(after) and all(isinstance(i, dict) for i in before + after)):
            item_fields = fields[key].items.fields if key in fields and fields[key].items else {}
            for index, (a, b) in enumerate(zip(before, after)):
                if not same(a, b) and isinstance(current[index], CommentedMap):
                    _update(current[index], a, b, list(dict.fromkeys([*a, *b])), list(item_fields), item_fields)
                elif not same(a, b):
                    current[index] = to_yaml(b)
        else:
            replacement = to_yaml(after, current)
            flow = getattr(getattr(current, "fa", None), "flow_style", lambda: None)()
            if flow is not None and hasattr(replacement, "fa"):
                replacement.fa.set_flow_style() if flow else replacement.fa.set_block_style()
            node[key] = replacement
    return changed


def updated_text(file: Path, kind: str, old: dict, new: dict, covered: set[str]) -> str | None:
    """The file's new text with the covered fields set to `new`; None when nothing changed."""
    text = file.read_text(encoding="utf-8-sig")
    yaml, data = _load(text)
    fields = schema.record_schema(kind).fields
    keys = [key for key in fields if key in covered]
    if not _update(data, old, new, keys, list(fields), fields):
        return None
    return _dump(yaml, data)


def new_text(kind: str, data: dict) -> str:
    """A new record's file: the schema's key order, the board's style."""
    fields = schema.record_schema(kind).fields
    mapping = CommentedMap()
    for key in fields:
        if key in data:
            mapping[key] = to_yaml(data[key])
    title = data.get("title") or data.get("name") or ""
    mapping.yaml_set_start_comment(WORKBOOK.t("sheet.imported_comment", kind=schema.record_schema(kind).title["zh"], title=title))
    return _dump(_yaml(_INDENTS[0]), mapping)


def write_atomically(file: Path, text: str) -> None:
    file.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(temporary, file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
