"""Reference pages generated from the data they describe, so they never drift.

`python -m ailin.reference` rewrites docs/errors.md (from the word catalogue's `problems`) and
docs/fields.md (from schemas/); a test fails when the committed pages are stale. Both pages show
Chinese and English side by side.
"""

from __future__ import annotations

from pathlib import Path

from . import messages, schema
from .schema import FieldSpec
from .words import Words

DOCS = Path(__file__).resolve().parent.parent / "docs"
ZH, EN = Words.of("zh"), Words.of("en")


def _type_name(kind: str) -> str:
    """文字 text, 编号 id …: a field type in both languages."""
    key = f"reference.types.{kind}"
    return ZH.both(key, " ") if ZH.has(key) else kind


def errors_page() -> str:
    lines = [
        f"# {ZH.both('reference.errors_title')}",
        "",
        "Generated from `generator/words/zh.yaml` and `en.yaml` by `python -m ailin.reference`; do not edit.",
        "Each line of `ailin check` ends with its code in brackets, e.g. `[unknown-key]`.",
        "",
        f"| code | {ZH.t('format.language')} | {EN.t('format.language')} |",
        "| --- | --- | --- |",
    ]
    for code in messages.codes():
        cells = [ZH.t(f"problems.{code}"), EN.t(f"problems.{code}")]
        lines.append(f"| `{code}` | " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def _rows(fields: dict[str, FieldSpec], prefix: str = "") -> list[str]:
    rows = []
    for name, spec in fields.items():
        kind = _type_name(spec.type)
        if spec.type == "enum":
            kind += ": " + ", ".join(f"`{k}` {t.zh}" for k, t in schema.vocabulary(spec.vocabulary).terms.items())
        elif spec.type == "ref":
            kind += f" → {spec.to}"
        elif spec.type == "list" and spec.items and spec.items.type != "object":
            kind += " of " + _type_name(spec.items.type)
            if spec.items.to:
                kind += f" → {spec.items.to}"
        elif spec.keys:
            kind += ": " + ", ".join(f"`{k}`" for k in spec.keys)
        need = ZH.both("reference.required", " ") if spec.required else (
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
        f"# {ZH.both('reference.fields_title')}",
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
            f"| field | {ZH.t('reference.name')} | type | | {ZH.both('reference.help')} |",
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
