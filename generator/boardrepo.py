"""`ailin init DIR`: a community's own board repository, ready to check, build and publish.

The files come from `starter/` (data, not code): a path part starting with `_` is written with
a dot (`_github` -> `.github`), since package data leaves dot-files out. `@AILIN_VERSION@` pins
this generator's version in the workflows, so a board builds the same until it upgrades. The
editor help (JSON Schemas and the VS Code settings that wire them) is generated from `schemas/`.

Running it again on an existing board writes only what is missing and refreshes the schemas:
nothing a volunteer wrote is overwritten.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import yaml

from . import __version__, editorschema, schema

STARTER = Path(__file__).with_name("starter")
SCHEMA_FOLDER = Path(".ailin/schemas")
VERSION_MARK = "@AILIN_VERSION@"


BASE_URL_LINE = "# base_url: https://board.example.org/"


def init(target: Path, base_url: str | None = None) -> list[Path]:
    """Write the board repository into `target`; returns the files written.

    `base_url`, the address the site will have, goes into the new board.yaml (QR codes and
    feeds need it; the publish workflow's strict build refuses a site without it)."""
    has_content = (target / "content").exists()
    written = []
    for source in sorted(p for p in STARTER.rglob("*") if p.is_file()):
        relative = Path(*(("." + part[1:]) if part.startswith("_") else part for part in source.relative_to(STARTER).parts))
        destination = target / relative
        if destination.exists() or (has_content and relative.parts[0] == "content"):
            continue
        text = source.read_text(encoding="utf-8").replace(VERSION_MARK, __version__)
        if base_url and relative == Path("content/board.yaml"):
            text = text.replace(BASE_URL_LINE, f"base_url: {base_url}")
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(text, encoding="utf-8")
        written.append(destination)
    written += editorschema.write(target / SCHEMA_FOLDER, board_terms(target / "content"))
    settings = target / ".vscode/settings.json"
    if not settings.exists():
        settings.write_text(json.dumps(vscode_settings(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(settings)
    return written


def vscode_settings() -> dict:
    """yaml.schemas: each record kind's JSON Schema on the files the schemas say it lives in."""
    schemas = {
        f"./{(SCHEMA_FOLDER / f'{kind}.schema.json').as_posix()}": "content/" + _glob(schema.record_schema(kind).file)
        for kind in schema.KINDS
    }
    return {
        "yaml.schemas": schemas,
        "files.encoding": "utf8",
        "files.eol": "\n",
        "[yaml]": {"editor.insertSpaces": True, "editor.tabSize": 2},
    }


def schema_line(kind: str, content: Path, record_file: Path) -> str | None:
    """The `# yaml-language-server: $schema=` line for a new record, when its board has the
    editor schemas (the board repository is the content folder's parent)."""
    schema_file = content.resolve().parent / SCHEMA_FOLDER / f"{kind}.schema.json"
    if not schema_file.is_file():
        return None
    relative = Path(os.path.relpath(schema_file, record_file.resolve().parent)).as_posix()
    return f"# yaml-language-server: $schema={relative}"


def board_terms(content: Path) -> dict[str, dict[str, str]]:
    """The vocabulary terms a board adds in board.yaml (read leniently: `ailin check` judges it)."""
    try:
        board = yaml.safe_load((content / "board.yaml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    if not isinstance(board, dict):
        return {}
    return {
        vocabulary: {str(k): str(v) for k, v in board[key].items()}
        for key, vocabulary in schema.vocabulary_extensions().items() if isinstance(board.get(key), dict)
    }


def _glob(file_pattern: str) -> str:
    """communities/<community>/suggestions/<id>.yaml -> communities/*/suggestions/*.yaml"""
    return re.sub(r"<[^>]+>", "*", file_pattern)
