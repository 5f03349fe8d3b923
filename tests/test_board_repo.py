"""A community's own board repository: `ailin init`, its site settings, editor help, PR checks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from cases import apply_case, case_id, load_cases
from conftest import FIXTURES, REPO, tree_digest
from ailin import boardrepo, schema
from ailin.cli import main

BIN = Path(sys.executable).parent
# The golden cases whose rule a JSON Schema can state: shapes, types, formats, vocabularies.
# References, privacy, step order, files and YAML syntax stay with `ailin check` alone.
SCHEMA_RULES = {
    "unknown-key", "unknown-value", "bad-date", "too-long", "out-of-range", "negative-count",
    "missing-value", "missing-field", "expected-scalar", "expected-number", "expected-mapping",
    "expected-list", "expected-integer", "expected-boolean", "bad-url", "bad-slug",
    "bad-resolution-ref", "bad-phone", "bad-group-key", "top-not-mapping",
}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A board repository written by `ailin init`; the working directory is its root."""
    root = tmp_path / "board"
    assert main(["init", str(root)]) == 0
    monkeypatch.chdir(root)
    return root


def kind_of(path: str) -> str:
    name = Path(path)
    if name.name in ("board.yaml", "community.yaml"):
        return name.stem
    return {"suggestions": "suggestion", "meetings": "meeting", "projects": "project"}[name.parent.name]


def check_jsonschema(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "check-jsonschema"), *args], capture_output=True, text=True)


def test_init_writes_a_board_that_checks_and_builds(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init", "board"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "  README.md" in out and "  .github/workflows/check.yml" in out
    assert out[-1] == "已在 board 写入 18 个文件。下一步：cd board，运行 ailin check，再运行 ailin serve 预览；README.md 里有完整步骤。"
    repo = tmp_path / "board"
    monkeypatch.chdir(repo)
    for name in ("README.md", ".gitignore", ".editorconfig", ".pre-commit-config.yaml",
                 ".github/workflows/check.yml", ".github/workflows/publish.yml",
                 ".vscode/settings.json", ".ailin/schemas/suggestion.schema.json"):
        assert (repo / name).is_file(), name
    assert not (repo / "mkdocs.yml").exists()  # the packaged defaults are enough
    assert main(["check"]) == 0
    assert main(["build"]) == 0
    assert "示例社区" in (repo / "site/c/example/index.html").read_text(encoding="utf-8")
    assert (repo / "site/about/index.html").is_file()  # packaged pages come along


def test_init_pins_this_version_everywhere(repo: Path) -> None:
    from ailin import __version__

    for name in (".github/workflows/check.yml", ".github/workflows/publish.yml", ".pre-commit-config.yaml", "README.md"):
        text = (repo / name).read_text(encoding="utf-8")
        assert f"ailin-board=={__version__}" in text and "@AILIN_VERSION@" not in text, name


def test_init_again_keeps_what_volunteers_wrote(repo: Path) -> None:
    readme = repo / "README.md"
    readme.write_text("我们社区的说明\n", encoding="utf-8")
    (repo / "content/communities/example").rename(repo / "content/communities/jintu")
    assert main(["init", str(repo)]) == 0
    assert readme.read_text(encoding="utf-8") == "我们社区的说明\n"
    assert not (repo / "content/communities/example").exists()  # no example added to a real board


def test_init_refuses_a_file(tmp_path: Path, capsys) -> None:
    target = tmp_path / "board"
    target.write_text("x", encoding="utf-8")
    assert main(["init", str(target)]) == 2
    assert "是一个文件，不是文件夹" in capsys.readouterr().err


def test_workflows_are_valid_github_workflows(repo: Path) -> None:
    result = check_jsonschema("--builtin-schema", "vendor.github-workflows", *map(str, (repo / ".github/workflows").glob("*.yml")))
    assert result.returncode == 0, result.stdout + result.stderr


def workflow_commands(repo: Path, name: str, job: str) -> list[str]:
    workflow = yaml.safe_load((repo / ".github/workflows" / name).read_text(encoding="utf-8"))
    return [step["run"].split("#")[0].strip() for step in workflow["jobs"][job]["steps"] if "run" in step]


def test_pull_request_workflow_annotates_and_builds(repo: Path) -> None:
    workflow = yaml.safe_load((repo / ".github/workflows/check.yml").read_text(encoding="utf-8"))
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as true
    assert workflow_commands(repo, "check.yml", "check")[-2:] == ["ailin check --format github", "ailin build"]
    assert workflow_commands(repo, "publish.yml", "build")[-1].startswith("ailin build --strict --shard ")


def test_publish_workflow_shards_join_into_the_site_one_build_makes(repo: Path, tmp_path: Path) -> None:
    """The publish workflow's own commands, run as its matrix would with AILIN_SHARDS=2."""
    settings = repo / "content/board.yaml"  # publishable: --strict needs base_url
    settings.write_text(settings.read_text(encoding="utf-8") + "base_url: https://board.example.org/x/\n", encoding="utf-8")
    (repo / "content/communities/example").rename(repo / "content/communities/second")
    shutil.copytree(repo / "content/communities/second", repo / "content/communities/example")
    for path in (repo / "content/communities/second").rglob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("example", "second"), encoding="utf-8")
    for path in list((repo / "content/communities/second").rglob("example*")):
        path.rename(path.with_name(path.name.replace("example", "second")))
    env = {**os.environ, "SHARDS": "2", "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}

    def run(command: str, **matrix: int) -> None:
        for name, value in matrix.items():
            command = command.replace("${{ matrix.%s }}" % name, str(value))
        result = subprocess.run(["bash", "-c", command], cwd=repo, env=env, capture_output=True, text=True)
        assert result.returncode == 0, command + result.stdout + result.stderr

    for shard in (1, 2):
        run(workflow_commands(repo, "publish.yml", "build")[-1] + f" && mkdir -p shards && mv shard shards/shard-{shard}", shard=shard)
    run(workflow_commands(repo, "publish.yml", "combine")[-1])
    assert main(["build", "--content", str(repo / "content"), "--output", str(tmp_path / "whole"), "--no-cache"]) == 0
    assert tree_digest(repo / "site") == tree_digest(tmp_path / "whole")
    shards = [json.loads((repo / f"shards/shard-{i}/.ailin-shard.json").read_text(encoding="utf-8")) for i in (1, 2)]
    assert sorted(c for s in shards for c in s["communities"]) == ["example", "second"]


def test_a_new_board_without_base_url_builds_but_does_not_publish(repo: Path, capsys) -> None:
    assert main(["build"]) == 0  # the pull-request check
    assert main(["build", "--strict"]) == 1  # the publish workflow: no QR codes, relative feed links
    assert "没有设置 base_url" in capsys.readouterr().err


def test_init_with_base_url_gives_a_board_ready_to_publish(tmp_path: Path, monkeypatch) -> None:
    assert main(["init", str(tmp_path / "board"), "--base-url", "https://board.example.org/jinsha/"]) == 0
    assert "\nbase_url: https://board.example.org/jinsha/\n" in (tmp_path / "board/content/board.yaml").read_text(encoding="utf-8")
    monkeypatch.chdir(tmp_path / "board")
    assert main(["build", "--strict"]) == 0
    assert 'href="https://board.example.org/jinsha/c/example/' in (tmp_path / "board/site/c/example/index.html").read_text(encoding="utf-8")


def test_init_refuses_a_base_url_that_is_not_an_address(tmp_path: Path, capsys) -> None:
    assert main(["init", str(tmp_path / "board"), "--base-url", "board.example.org"]) == 2
    assert "board.example.org 不是网址" in capsys.readouterr().err
    assert not (tmp_path / "board").exists()


def test_pre_commit_files_are_valid(repo: Path) -> None:
    pre_commit = str(BIN / "pre-commit")
    for command in (["validate-config", str(repo / ".pre-commit-config.yaml")], ["validate-manifest", str(REPO / ".pre-commit-hooks.yaml")]):
        result = subprocess.run([pre_commit, *command], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
    local = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"][0]["hooks"][0]
    published = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
    assert {k: local[k] for k in ("id", "entry", "language", "files")} == {k: published[k] for k in ("id", "entry", "language", "files")}


def test_vscode_settings_give_every_sample_file_its_schema() -> None:
    patterns = boardrepo.vscode_settings()["yaml.schemas"]
    for file in (REPO / "content").rglob("*.yaml"):
        relative = Path("content") / file.relative_to(REPO / "content")
        matches = [s for s, glob in patterns.items() if relative.match(glob) and len(relative.parts) == len(Path(glob).parts)]
        assert matches == [f"./.ailin/schemas/{kind_of(str(relative))}.schema.json"], relative


def test_new_record_names_its_editor_schema(repo: Path) -> None:
    assert main(["new", "meeting", "example"]) == 0
    created = sorted((repo / "content/communities/example/meetings").glob("*.yaml"))[-1]
    first = created.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    assert (created.parent / first.split("=", 1)[1]).resolve() == (repo / ".ailin/schemas/meeting.schema.json").resolve()


def test_editor_schemas_accept_the_sample_board(tmp_path: Path) -> None:
    from ailin import editorschema

    editorschema.write(tmp_path, boardrepo.board_terms(REPO / "content"))
    by_kind: dict[str, list[str]] = {}
    for file in (REPO / "content").rglob("*.yaml"):
        by_kind.setdefault(kind_of(str(file)), []).append(str(file))
    assert set(by_kind) == set(schema.KINDS)
    for kind, files in by_kind.items():
        result = check_jsonschema("--schemafile", str(tmp_path / f"{kind}.schema.json"), *files)
        assert result.returncode == 0, result.stdout


SCHEMA_CASES = [case for case in load_cases() if case["rule"] in SCHEMA_RULES]


@pytest.mark.parametrize("case", SCHEMA_CASES, ids=[case_id(c) for c in SCHEMA_CASES])
def test_editor_schemas_flag_what_ailin_check_flags(case: dict, tmp_path: Path) -> None:
    """Each golden bad case a JSON Schema can state fails the editor schema on the same file."""
    from ailin import editorschema

    board = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", board)
    editorschema.write(tmp_path / "schemas")
    apply_case(board, case)
    path = case["expect"][0].split(":", 1)[0]
    kind = kind_of(path)
    result = check_jsonschema("--schemafile", str(tmp_path / "schemas" / f"{kind}.schema.json"), str(board / path))
    assert result.returncode == 1, f"the editor schema accepts what ailin check refuses: {case['expect'][0]}"
    assert "Schema validation errors" in result.stdout


def test_the_rules_a_schema_states_all_have_golden_cases() -> None:
    assert SCHEMA_RULES <= {case["rule"] for case in load_cases()}


def test_editor_schemas_offer_labels_and_board_terms() -> None:
    from ailin import editorschema

    schemas = editorschema.editor_schemas({"category": {"noise": "噪音扰民"}})
    suggestion = json.loads(schemas["suggestion.schema.json"])
    priority = suggestion["properties"]["priority"]
    assert priority["anyOf"][0] == {"const": "red", "description": "红色 · red"}
    consts = {choice["const"] for choice in priority["anyOf"]}
    assert {"红色", "红"} <= consts  # labels and aliases are accepted, as in YAML
    assert {"const": "noise", "description": "噪音扰民 · noise"} in suggestion["properties"]["category"]["anyOf"]
    assert suggestion["properties"]["title"]["title"] == "标题"
    assert "received" in suggestion["required"]


# --- site settings: the board's optional mkdocs.yml ------------------------------------------

def test_board_settings_merge_onto_the_defaults(repo: Path) -> None:
    (repo / "pages").mkdir()
    (repo / "pages/contact.md").write_text("# 联系我们\n\n社区办公室：工作日 9:00–17:00\n", encoding="utf-8")
    (repo / "pages/extra.css").write_text(".md-header{background:teal}\n", encoding="utf-8")
    (repo / "mkdocs.yml").write_text(
        "theme:\n  palette:\n    primary: teal\ndocs_dir: pages\nextra_css:\n  - assets/ailin.css\n  - extra.css\n",
        encoding="utf-8",
    )
    assert main(["build"]) == 0
    index = (repo / "site/index.html").read_text(encoding="utf-8")
    assert 'data-md-color-primary="teal"' in index and "extra.css" in index and "ailin.css" in index
    assert "联系我们" in (repo / "site/contact/index.html").read_text(encoding="utf-8")
    assert (repo / "site/about/index.html").is_file()  # packaged pages beside the board's own
    assert 'lang="zh"' in index  # the rest of the theme settings stayed


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ("theme:\n  palette: [\n", "mkdocs.yml:3:1: error: 网站设置 mkdocs.yml 的 YAML 格式错误："),
        ("site_name: 公示板\ntheme:\n  name: nosuch\n", "mkdocs.yml:2:1: error: 网站设置中 theme 这一项无法使用（MkDocs 的说明：Unrecognised theme name: 'nosuch'."),
        ("plugins:\n  - search\n", "mkdocs.yml:1:1: error: 网站设置的 plugins 列表中没有 ailin，公示板的页面不会生成。"),
        ("- a list\n", "mkdocs.yml:1:1: error: 文件的最外层必须是“字段: 值”的形式"),
    ],
    ids=["syntax", "bad-theme", "no-ailin-plugin", "not-a-mapping"],
)
def test_board_settings_mistakes_are_file_line_messages(repo: Path, capsys, settings: str, expected: str) -> None:
    assert main(["build"]) == 0
    before = (repo / "site/index.html").read_bytes()
    capsys.readouterr()
    (repo / "mkdocs.yml").write_text(settings, encoding="utf-8")
    assert main(["build"]) == 1
    out = capsys.readouterr().out
    assert out.startswith(expected), out
    assert out.rstrip().endswith("网站未生成：上次生成的网站保持不变。")
    assert "内部错误" not in out
    assert (repo / "site/index.html").read_bytes() == before


def test_a_named_settings_file_must_exist(repo: Path, capsys) -> None:
    assert main(["build", "--config", "site.yml"]) == 1
    assert capsys.readouterr().out.startswith("site.yml:1:1: error: 找不到网站设置文件 site.yml。")
