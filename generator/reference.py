"""Reference pages generated from the data they describe, so they never drift.

`python -m ailin.reference` rewrites docs/errors.md (from the message catalogue) and
docs/fields.md (from schemas/); a test fails when the committed pages are stale.
"""

from __future__ import annotations

from pathlib import Path

from . import messages, schema
from .schema import FieldSpec

DOCS = Path(__file__).resolve().parent.parent / "docs"
TYPE_NAMES = {
    "string": "文字 text", "markdown": "Markdown", "slug": "编号 id", "date": "日期 date",
    "integer": "整数 integer", "amount": "数字 number", "boolean": "true/false", "enum": "选项 choice",
    "ref": "引用 reference", "url": "网址 URL", "phone": "电话 phone", "path": "文件 file",
    "list": "列表 list", "object": "字段组 mapping", "counts": "人数/票数 counts", "labels": "名称表 labels",
}


def errors_page() -> str:
    lines = [
        "# `ailin check` 信息一览 · Every message of `ailin check`",
        "",
        "Generated from `generator/messages.yaml` by `python -m ailin.reference`; do not edit.",
        "Each line of `ailin check` ends with its code in brackets, e.g. `[unknown-key]`.",
        "",
        "| code | 中文 | English |",
        "| --- | --- | --- |",
    ]
    for code in messages.codes():
        entry = messages.catalogue()[code]
        cells = [entry["zh"], entry["en"]]
        lines.append(f"| `{code}` | " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def _rows(fields: dict[str, FieldSpec], prefix: str = "") -> list[str]:
    rows = []
    for name, spec in fields.items():
        kind = TYPE_NAMES.get(spec.type, spec.type)
        if spec.type == "enum":
            kind += ": " + ", ".join(f"`{k}` {t.zh}" for k, t in schema.vocabulary(spec.vocabulary).terms.items())
        elif spec.type == "ref":
            kind += f" → {spec.to}"
        elif spec.type == "list" and spec.items and spec.items.type != "object":
            kind += " of " + TYPE_NAMES.get(spec.items.type, spec.items.type)
            if spec.items.to:
                kind += f" → {spec.items.to}"
        elif spec.keys:
            kind += ": " + ", ".join(f"`{k}`" for k in spec.keys)
        need = "必填 required" if spec.required else (
            "when " + ", ".join(f"{k} = {'/'.join(v)}" for k, v in spec.required_when.items()) if spec.required_when else ""
        )
        help_text = f"{spec.help.get('zh', '')}<br>{spec.help.get('en', '')}".replace("|", "\\|")
        rows.append(f"| `{prefix}{name}` | {spec.title.get('zh', '')} | {kind} | {need} | {help_text} |")
        nested = spec.items.fields if spec.items else spec.fields
        if nested:
            rows.extend(_rows(nested, f"{prefix}{name}{'[].' if spec.items else '.'}"))
    return rows


def fields_page() -> str:
    lines = [
        "# 字段说明 · Field reference",
        "",
        "Generated from `schemas/` by `python -m ailin.reference`; do not edit.",
        "See [format.md](format.md) for examples.",
    ]
    for kind in schema.KINDS:
        record = schema.record_schema(kind)
        lines += [
            "",
            f"## {record.title['zh']} · {record.title['en']}",
            "",
            f"`{record.file}`",
            "",
            "| field | 名称 | type | | 说明 · help |",
            "| --- | --- | --- | --- | --- |",
            *_rows(record.fields),
        ]
    return "\n".join(lines) + "\n"


PAGES = {"errors.md": errors_page, "fields.md": fields_page}


def main() -> None:
    for name, render in PAGES.items():
        (DOCS / name).write_text(render(), encoding="utf-8")
        print(f"wrote docs/{name}")


if __name__ == "__main__":
    main()
