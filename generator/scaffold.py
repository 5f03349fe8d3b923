"""`ailin new`: a commented record template in the right place, written from the schemas.

Every field's help text becomes a comment above it; required fields are left for the volunteer
to fill (`ailin check` names each one still empty), optional ones are commented out.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from . import boardrepo, schema
from .schema import FieldSpec
from .words import Words

KINDS = ("suggestion", "meeting", "project", "community", "board")
FOLDERS = {"suggestion": "suggestions", "meeting": "meetings", "project": "projects"}
# A template's comments are Chinese, like the schemas' help they quote, whatever --lang says.
TEMPLATE = Words.of("zh")


def next_id(folder: Path, community: str, kind: str, today: dt.date) -> str:
    """The next free id in the folder's own numbering (jt-2024-012 -> jt-2024-013)."""
    taken = sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []
    numbered = [m for m in (re.fullmatch(r"(.*?)(\d+)", stem) for stem in taken) if m]
    if numbered:
        prefix, number = numbered[-1].group(1), numbered[-1].group(2)
        candidate = f"{prefix}{int(number) + 1:0{len(number)}d}"
        if candidate not in taken:
            return candidate
    marker = {"suggestion": "", "meeting": "m-", "project": "p-"}[kind]
    return f"{community}-{marker}{today.year}-{len(taken) + 1:03d}"


def _placeholder(spec: FieldSpec, today: dt.date) -> str:
    if spec.type == "date":
        return today.isoformat()
    if spec.default is not None:
        return str(spec.default)
    return ""


def _choices(spec: FieldSpec) -> str:
    """可选：red（红色）、orange（橙色）…"""
    terms = schema.vocabulary(spec.vocabulary).terms.values()
    return TEMPLATE.colon(TEMPLATE.t("new_record.choices"), TEMPLATE.join(
        TEMPLATE.t("format.key_label", key=t.key, label=t.zh) for t in terms))


def _comment(spec: FieldSpec, indent: str) -> list[str]:
    lines = [f"{indent}# {spec.help.get('zh', '')}"]
    if spec.type == "enum":
        lines.append(f"{indent}# {_choices(spec)}")
    return lines


def render_template(kind: str, record_id: str, today: dt.date) -> str:
    """The commented YAML for a new record of `kind`."""
    record = schema.record_schema(kind)
    # A board repository has no docs/ folder: the reference is named, not linked.
    title = f"{record.title['zh']} · {record.title['en']}"
    lines = [f"# {TEMPLATE.t('new_record.header', title=title)}", ""]
    for name, spec in record.fields.items():
        if name == "privacy_exceptions":
            continue
        lines += _comment(spec, "")
        if name == "id" and record_id:
            lines.append(f"id: {record_id}")
        elif spec.required and spec.type not in ("list", "object", "counts"):
            lines.append(f"{name}: {_placeholder(spec, today)}".rstrip())
        elif spec.type == "list" and spec.items is not None and spec.items.fields:
            example = ", ".join(f"{key}: {_placeholder(sub, today)}" for key, sub in spec.items.fields.items())
            lines += [f"# {key} {_choices(sub)}" for key, sub in spec.items.fields.items() if sub.type == "enum"]
            lines += [f"# {name}:", f"#   - {{{example}}}"]
        elif spec.type == "list":
            lines.append(f"# {name}: []")
        elif spec.type in ("counts", "object"):
            keys = spec.keys or list(spec.fields) or ["residents"]
            lines.append(f"# {name}: {{" + ", ".join(f"{key}: " for key in keys) + "}")
        else:
            lines.append(f"# {name}: {_placeholder(spec, today)}".rstrip())
        lines.append("")
    return "\n".join(lines)


class MissingCommunity(Exception):
    """A record for a community that has no community.yaml: a mistyped id, or one not set up."""

    def __init__(self, community: str, kind: str) -> None:
        super().__init__(community)
        self.community, self.kind = community, kind

    def words(self, language: str) -> str:
        words = Words.of(language)
        kind = schema.record_schema(self.kind).title[words.language]
        return words.t("new_record.missing_community", community=self.community, kind=kind)


def new_record(content: Path, kind: str, community: str, record_id: str | None, today: dt.date) -> Path:
    """Write the template; refuse to overwrite, or to start a record of a community that does
    not exist (it would make a folder `ailin check` then reports). Returns the new file's path."""
    community_folder = content / "communities" / community
    if kind in FOLDERS and not (community_folder / "community.yaml").is_file():
        raise MissingCommunity(community, kind)
    if kind == "board":
        target = content / "board.yaml"
        record_id = ""
    elif kind == "community":
        target = community_folder / "community.yaml"
        record_id = community
    else:
        folder = community_folder / FOLDERS[kind]
        record_id = record_id or next_id(folder, community, kind, today)
        target = folder / f"{record_id}.yaml"
    if target.exists():
        raise FileExistsError(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    text = render_template(kind, record_id, today)
    line = boardrepo.schema_line(kind, content, target)  # completion in editors that read it
    target.write_text(f"{line}\n{text}" if line else text, encoding="utf-8")
    return target
