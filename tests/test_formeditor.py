"""The form editor's configuration, generated from schemas/: what each form offers and requires.

The browser round trip (save, pull request branch, `ailin check`) is tests/test_editor.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from ailin import formeditor, pipeline, scaffold, schema
from ailin.cli import main

from conftest import CONFIG, FIXTURES

EDITOR = "editor:\n  backend: gitlab\n  repo: jintu/board\n  api_root: https://git.example.org/api/v4\n  app_id: abc123\n"


def _board(tmp_path: Path, editor: str | None = EDITOR) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    if editor:
        with (content / "board.yaml").open("a", encoding="utf-8") as settings:
            settings.write(editor)
    return content


def _config(content: Path) -> dict:
    result = pipeline.check(content)
    assert result.ok, pipeline.report(result)
    return formeditor.decap_config(pipeline.model_of(result), content)


def _fields(collection: dict) -> dict[str, dict]:
    fields = collection["fields"] if "fields" in collection else collection["files"][0]["fields"]
    return {field["name"]: field for field in fields}


def test_a_board_without_an_editor_section_publishes_no_editor(tmp_path: Path) -> None:
    content = _board(tmp_path, editor=None)
    assert main(["build", "--content", str(content), "--output", str(tmp_path / "site"), "--config", CONFIG]) == 0
    assert not (tmp_path / "site/admin").exists()


def test_the_editor_page_loads_only_files_of_the_site(tmp_path: Path) -> None:
    content = _board(tmp_path)
    site = tmp_path / "site"
    assert main(["build", "--content", str(content), "--output", str(site), "--config", CONFIG]) == 0
    page = (site / "admin/index.html").read_text(encoding="utf-8")
    scripts = [line.split('src="')[1].split('"')[0] for line in page.splitlines() if "<script src=" in line]
    assert scripts == [
        f"vendor/js-yaml-{formeditor.JS_YAML_VERSION}/js-yaml.min.js",
        f"vendor/decap-cms-{formeditor.DECAP_VERSION}/decap-cms.js",
        "ailin-admin.js",
    ]
    assert all((site / "admin" / script).is_file() for script in scripts)
    assert (site / f"admin/vendor/decap-cms-{formeditor.DECAP_VERSION}/LICENSE").is_file()
    assert "://" not in page  # nothing from another host
    assert json.loads((site / "admin/config.json").read_text(encoding="utf-8"))["collections"]


def test_the_backend_opens_pull_requests_on_the_boards_git_host(tmp_path: Path) -> None:
    config = _config(_board(tmp_path))
    assert config["backend"] == {
        "name": "gitlab", "repo": "jintu/board", "branch": "main",  # the schema's default branch
        "api_root": "https://git.example.org/api/v4", "app_id": "abc123", "auth_type": "pkce",
    }
    assert config["publish_mode"] == "editorial_workflow"
    assert config["locale"] == "zh_Hans"


def test_one_collection_per_record_kind_and_community(tmp_path: Path) -> None:
    config = _config(_board(tmp_path))
    names = [collection["name"] for collection in config["collections"]]
    assert names == ["demo-community", "demo-suggestions", "demo-meetings", "demo-projects"]
    suggestions = config["collections"][1]
    assert suggestions["folder"] == "content/communities/demo/suggestions"
    assert (suggestions["slug"], suggestions["identifier_field"], suggestions["format"]) == ("{{fields.id}}", "id", "ailin-yaml")
    assert _fields(suggestions)["id"]["default"] == "demo-003"  # the fixture has demo-001 and -002


@pytest.mark.parametrize("kind", ["suggestion", "meeting", "project", "community"])
def test_every_schema_field_is_in_its_form_with_label_help_and_required(tmp_path: Path, kind: str) -> None:
    config = _config(_board(tmp_path))
    collection = next(c for c in config["collections"] if c["name"] == f"demo-{scaffold.FOLDERS.get(kind, kind)}")
    fields = _fields(collection)
    specs = schema.record_schema(kind).fields
    assert list(fields) == list(specs)  # schema order: the order the file is written in
    for name, spec in specs.items():
        assert fields[name]["label"] == spec.title["zh"]
        assert fields[name]["hint"].startswith(spec.help["zh"])
        assert fields[name]["required"] is spec.required


def test_vocabularies_are_selects_with_chinese_labels_and_english_keys(tmp_path: Path) -> None:
    content = _board(tmp_path)
    board = yaml.safe_load((content / "board.yaml").read_text(encoding="utf-8"))
    config = _config(content)
    fields = _fields(config["collections"][1])
    assert fields["priority"]["widget"] == "select"
    assert fields["priority"]["options"][0] == {"label": "红色", "value": "red"}
    categories = [option["value"] for option in fields["category"]["options"]]
    assert categories[: len(schema.vocabulary("category").terms)] == list(schema.vocabulary("category").terms)
    assert set(board.get("categories", {})) <= set(categories)  # the board's own terms too


def test_dates_steps_and_relations(tmp_path: Path) -> None:
    config = _config(_board(tmp_path))
    fields = _fields(config["collections"][1])
    assert {"widget": "datetime", "format": "YYYY-MM-DD", "time_format": False}.items() <= fields["received"].items()
    steps = fields["steps"]
    assert steps["widget"] == "list" and [f["name"] for f in steps["fields"]] == ["step", "date", "note"]
    assert [f["required"] for f in steps["fields"]] == [True, True, False]
    assert {"widget": "relation", "collection": "demo-meetings", "value_field": "id", "multiple": True}.items() <= fields["meetings"].items()
    assert fields["duplicate_of"]["collection"] == "demo-suggestions"
    assert {"collection": "demo-community", "file": "community", "value_field": "compounds.*.id"}.items() <= fields["compound"].items()
    project = _fields(config["collections"][3])
    assert project["resolution"]["pattern"][0] == r"^([a-z0-9][a-z0-9-]{0,63})#([a-z0-9][a-z0-9-]{0,63})$"


def test_the_privacy_rule_is_said_under_every_text_field_the_guard_reads(tmp_path: Path) -> None:
    config = _config(_board(tmp_path))
    fields = _fields(config["collections"][1])
    for name in ("title", "summary", "reason", "referred_to"):
        assert fields[name]["hint"].endswith("不要写手机号、姓名、门牌号。")
    assert fields["steps"]["fields"][2]["hint"].endswith("不要写手机号、姓名、门牌号。")  # the note
    assert not fields["received"]["hint"].endswith("门牌号。")
    exceptions = fields["privacy_exceptions"]["fields"]  # reviewers' notes, never published
    assert not any(field["hint"].endswith("门牌号。") for field in exceptions)
