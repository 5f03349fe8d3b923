"""The open data: a frictionless-valid package of the sample and a synthetic board (`ailin check
--data`), nothing personal, stable bytes."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from frictionless import Package

from conftest import REPO
from ailin import metrics, opendata, pipeline, schema
from ailin.opendata import tables
from ailin.cli import main
from ailin.model import BoardModel
from ailin.problems import Problems

CJK = re.compile(r"[\u4e00-\u9fff]")


def sample_board() -> BoardModel:
    result = pipeline.check(REPO / "content")
    assert result.ok, pipeline.report(result)
    return pipeline.model_of(result)


@pytest.fixture(scope="module")
def board() -> BoardModel:
    return sample_board()


@pytest.fixture(scope="module")
def files(board: BoardModel) -> dict[str, bytes]:
    return opendata.open_data_files(board)


@pytest.fixture(scope="module")
def site(files: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The files written under a site root, as the build will publish them."""
    root = tmp_path_factory.mktemp("site")
    for path, content in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(content)
    return root


def read_table(files: dict[str, bytes], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[f"data/{name}.csv"].decode("utf-8"))))


def package(files: dict[str, bytes]) -> dict:
    return json.loads(files["data/datapackage.json"])


def fields_of(files: dict[str, bytes], table: str) -> dict[str, dict]:
    resource = next(r for r in package(files)["resources"] if r["name"] == table)
    return {field["name"]: field for field in resource["schema"]["fields"]}


def test_package_passes_frictionless_validate_in_python(site: Path) -> None:
    report = Package(str(site / "data" / "datapackage.json")).validate()
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "note"])
    assert [task.name for task in report.tasks] == list(opendata.TABLE_NAMES)


def test_package_passes_the_frictionless_command_line(site: Path) -> None:
    command = Path(sys.executable).with_name("frictionless")
    result = subprocess.run(
        [str(command), "validate", "data/datapackage.json"], cwd=site, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_files_are_the_tables_the_package_and_one_data_json_per_community(
    files: dict[str, bytes], board: BoardModel,
) -> None:
    expected = {f"data/{name}.csv" for name in opendata.TABLE_NAMES} | {"data/datapackage.json"}
    expected |= {f"c/{community}/data.json" for community in board.communities}
    assert set(files) == expected
    assert list(files) == sorted(files)


def test_resources_have_relative_paths_and_the_default_open_licence(files: dict[str, bytes]) -> None:
    descriptor = package(files)
    assert descriptor["licenses"] == [opendata.DEFAULT_LICENSE]
    assert descriptor["as_of"] == "2024-12-20"
    for resource in descriptor["resources"]:
        assert resource["path"] == f"{resource['name']}.csv"
        assert resource["encoding"] == "utf-8"
        assert resource["bytes"] == len(files[f"data/{resource['path']}"])


def test_row_counts_match_the_model(files: dict[str, bytes], board: BoardModel) -> None:
    suggestions = board.suggestions.values()
    resolutions = [r for m in board.meetings.values() for r in m.resolutions]
    expected = {
        "communities": len(board.communities),
        "compounds": sum(len(c.compounds) for c in board.communities.values()),
        "suggestions": len(board.suggestions),
        "steps": sum(len(s.steps) for s in suggestions),
        "meetings": len(board.meetings),
        "resolutions": len(resolutions),
        "projects": len(board.projects),
        "outputs": sum(len(p.outputs) for p in board.projects.values()),
        "funding": sum(len(p.funding) for p in board.projects.values()),
        "links": sum(len(board.meetings_for(s)) + len(board.projects_for(s)) for s in suggestions),
        "resolution_links": sum(len(set(r.suggestion_ids)) for r in resolutions),
    }
    assert {name: len(read_table(files, name)) for name in opendata.TABLE_NAMES} == expected
    assert expected["suggestions"] == 37 and expected["steps"] == 202


def test_rows_are_sorted_by_their_key(files: dict[str, bytes]) -> None:
    for name in ("communities", "suggestions", "meetings", "projects"):
        ids = [row["id"] for row in read_table(files, name)]
        assert ids == sorted(ids), name
    keys = [(row["meeting"], row["id"]) for row in read_table(files, "resolutions")]
    assert keys == sorted(keys)


def test_foreign_keys_tie_every_table_to_its_parent(files: dict[str, bytes]) -> None:
    declared = {
        (resource["name"], tuple(fk["fields"]), fk["reference"]["resource"], tuple(fk["reference"]["fields"]))
        for resource in package(files)["resources"]
        for fk in resource["schema"].get("foreignKeys", [])
    }
    assert declared >= {
        ("compounds", ("community",), "communities", ("id",)),
        ("suggestions", ("community",), "communities", ("id",)),
        ("suggestions", ("duplicate_of",), "suggestions", ("id",)),
        ("steps", ("suggestion",), "suggestions", ("id",)),
        ("meetings", ("community",), "communities", ("id",)),
        ("resolutions", ("meeting",), "meetings", ("id",)),
        ("projects", ("community",), "communities", ("id",)),
        ("projects", ("meeting", "resolution"), "resolutions", ("meeting", "id")),
        ("outputs", ("project",), "projects", ("id",)),
        ("funding", ("project",), "projects", ("id",)),
        ("links", ("suggestion",), "suggestions", ("id",)),
        ("links", ("meeting",), "meetings", ("id",)),
        ("links", ("project",), "projects", ("id",)),
        ("resolution_links", ("meeting", "resolution"), "resolutions", ("meeting", "id")),
        ("resolution_links", ("suggestion",), "suggestions", ("id",)),
    }
    schemas = opendata.table_schemas()
    assert schemas["compounds"]["primaryKey"] == ["community", "id"]
    assert schemas["steps"]["primaryKey"] == ["suggestion", "step"]


def test_links_name_a_meeting_or_a_project_never_both(files: dict[str, bytes]) -> None:
    rows = read_table(files, "links")
    assert rows
    for row in rows:
        assert bool(row["meeting"]) != bool(row["project"])
        assert row["relation"] == ("meeting" if row["meeting"] else "project")
    assert len({tuple(row.values()) for row in rows}) == len(rows)


def test_no_column_or_key_is_personal(files: dict[str, bytes]) -> None:
    for table in opendata.TABLE_NAMES:
        for name in fields_of(files, table):
            assert not re.search("consent|phone|mobile|tel", name), f"{table}.{name}"

    def keys(value):
        if isinstance(value, dict):
            for key, item in value.items():
                yield key
                yield from keys(item)
        elif isinstance(value, list):
            for item in value:
                yield from keys(item)

    for path, content in files.items():
        if path.endswith("data.json"):
            assert not [k for k in keys(json.loads(content)) if re.search("consent|phone", k)], path


def test_submitter_appears_only_as_the_consented_masked_name(files: dict[str, bytes], board: BoardModel) -> None:
    consented = {s.id: s.submitter for s in board.suggestions.values() if s.submitter}
    assert consented == {"jt-2024-005": "王**", "syy-2024-005": "王**"}
    rows = read_table(files, "suggestions")
    assert {row["id"]: row["submitter"] for row in rows if row["submitter"]} == consented
    data = b"".join(content for path, content in files.items() if path != "data/datapackage.json")
    assert data.decode("utf-8").count("王**") == 2 * len(consented)  # suggestions.csv and data.json


def test_a_submitter_without_consent_is_not_published(board: BoardModel, monkeypatch: pytest.MonkeyPatch) -> None:
    # the model keeps no name without consent; this guards the open data against a model that would
    suggestion = board.suggestions["jt-2024-005"]
    monkeypatch.setattr(suggestion, "submitter", None)
    files = opendata.open_data_files(board)
    row = next(row for row in read_table(files, "suggestions") if row["id"] == "jt-2024-005")
    assert row["submitter"] == ""
    item = next(s for s in json.loads(files["c/jintu/data.json"])["suggestions"] if s["id"] == "jt-2024-005")
    assert item["submitter"] is None
    data = b"".join(content for path, content in files.items() if path != "data/datapackage.json")
    assert data.decode("utf-8").count("王**") == 2  # syy-2024-005 still has consent


def test_two_builds_are_byte_identical(files: dict[str, bytes]) -> None:
    again = opendata.open_data_files(sample_board())
    assert again == files
    assert "created" not in package(files)


@pytest.mark.parametrize("title", ["=HYPERLINK(\"http://x\",\"点我\")", "+86 138", "-5 元", "@SUM(A1)", "\t=1", "\r=1"])
def test_text_cells_that_a_spreadsheet_would_run_are_neutralized(
    title: str, board: BoardModel, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    monkeypatch.setattr(board.suggestions["jt-2024-005"], "title", (title + "长" * 80)[:80])  # at the length limit
    monkeypatch.setattr(board.suggestions["jt-2024-005"], "summary", "- 第一条\n- 第二条")
    files = opendata.open_data_files(board)
    assert opendata.validate_files(files) == []  # maxLength included
    row = next(row for row in read_table(files, "suggestions") if row["id"] == "jt-2024-005")
    assert row["title"] == "'" + (title + "长" * 80)[:80]
    assert row["summary"] == "'- 第一条\n- 第二条"
    item = next(s for s in json.loads(files["c/jintu/data.json"])["suggestions"] if s["id"] == "jt-2024-005")
    assert item["title"] == (title + "长" * 80)[:80]  # JSON keeps the value as written


def test_titles_and_descriptions_are_in_chinese_and_english(files: dict[str, bytes]) -> None:
    received = fields_of(files, "suggestions")["received"]
    assert received["title"] == "收到日期 received"
    assert received["description"] == "收到建议的日期，格式 YYYY-MM-DD。 / The date it was received, YYYY-MM-DD."
    for resource in package(files)["resources"]:
        for item in [resource, *resource["schema"]["fields"]]:
            for key in ("title", "description"):
                where = (resource["name"], item.get("name"), key)
                assert CJK.search(item[key]) and re.search("[A-Za-z]{2}", item[key]), where


def test_english_boards_put_english_first() -> None:
    received = next(f for f in opendata.table_schemas("en")["suggestions"]["fields"] if f["name"] == "received")
    assert received["title"] == "received 收到日期"
    assert received["description"].startswith("The date it was received")


def test_columns_take_types_and_constraints_from_the_schemas(files: dict[str, bytes]) -> None:
    suggestions = fields_of(files, "suggestions")
    assert suggestions["title"]["constraints"] == {"maxLength": 81, "required": True}  # 80 + the quote of a formula
    assert suggestions["received"]["type"] == "date"
    assert suggestions["priority"]["constraints"]["enum"] == list(schema.vocabulary("priority").terms)
    assert "red 红色" in suggestions["priority"]["description"]
    assert suggestions["status"]["constraints"]["enum"] == list(schema.vocabulary("status").terms)
    assert suggestions["overdue"]["type"] == "boolean"
    assert suggestions["days_to_feedback"]["type"] == "integer"
    assert fields_of(files, "funding")["amount"]["type"] == "number"
    assert fields_of(files, "resolutions")["votes_for"]["title"] == "表决票数：赞成 votes: for"
    assert fields_of(files, "communities")["deliberation_day"]["constraints"] == {"minimum": 1, "maximum": 28}


def test_board_vocabularies_extend_the_enums() -> None:
    extended = {"category": schema.vocabulary("category").extended({"culture": "文化活动"})}
    fields = opendata.table_schemas("zh", extended)["suggestions"]["fields"]
    category = next(f for f in fields if f["name"] == "category")
    assert category["constraints"]["enum"][-1] == "culture"
    assert "culture 文化活动" in category["description"]


def _schema_paths(kind: str) -> list[str]:
    """Every leaf field of a record schema, objects and lists of objects opened up."""
    paths = []

    def walk(prefix: str, spec: schema.FieldSpec) -> None:
        inner = spec.items if spec.items is not None and spec.items.fields else spec
        if inner.fields:
            for name, child in inner.fields.items():
                walk(f"{prefix}.{name}", child)
        else:
            paths.append(prefix)

    for name, spec in schema.record_schema(kind).fields.items():
        walk(f"{kind}.{name}", spec)
    return paths


@pytest.mark.parametrize("kind", ["community", "suggestion", "meeting", "project"])
def test_every_schema_field_is_a_column_or_left_out_for_a_reason(kind: str) -> None:
    sources = {column.source for table in opendata.TABLES for column in table.columns}
    for path in _schema_paths(kind):
        left_out = ".privacy_exceptions" in path or any(
            path == key or path.startswith(f"{key}.") for key in opendata.LEFT_OUT
        )
        assert path in sources or left_out, f"{path} is neither a column nor in opendata.LEFT_OUT"
        assert not (path in sources and left_out), f"{path} is a column and in LEFT_OUT"


def test_data_json_holds_the_figures_and_items_of_the_community_page(
    files: dict[str, bytes], board: BoardModel,
) -> None:
    data = json.loads(files["c/jintu/data.json"])
    assert data["format"] == "ailin-community-data" and data["version"] == opendata.DATA_JSON_VERSION
    assert data["as_of"] == "2024-12-20"
    assert data["community"]["id"] == "jintu"
    figures = metrics.compute(board.suggestions_of("jintu"))
    assert data["figures"]["received"] == figures.received == len(data["suggestions"])
    assert data["figures"]["closure"]["percent"] == figures.closure.percent
    assert data["figures"]["overdue"] == [s.id for s in figures.overdue]
    assert [s["id"] for s in data["suggestions"]] == sorted(s.id for s in board.suggestions_of("jintu"))
    first = data["suggestions"][0]
    assert first["status"] == board.suggestions[first["id"]].status.value
    assert first["path"] == f"c/jintu/s/{first['id']}/"
    assert data["labels"]["status"]["closed"] == {"zh": "已办结", "en": "closed"}
    project = next(p for p in data["projects"] if p["id"] == "jt-yibian-xinsheng")
    assert project["suggestions"] == [s.id for s in board.suggestions_for_project(board.projects["jt-yibian-xinsheng"])]


def test_check_data_passes_the_sample_board(capsys: pytest.CaptureFixture) -> None:
    assert main(["check", "--content", str(REPO / "content")]) == 0
    plain = capsys.readouterr().out
    assert main(["check", "--data", "--content", str(REPO / "content")]) == 0
    assert capsys.readouterr().out == plain


def test_check_data_passes_a_synthetic_board(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(REPO / "benchmarks"))
    import synthetic

    synthetic.generate(tmp_path / "content", communities=6, suggestions=600, meetings=60, projects=30, seed=3)
    assert main(["check", "--data", "--content", str(tmp_path / "content")]) == 0


def test_check_data_reports_a_dangling_foreign_key_at_its_row(
    board: BoardModel, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture,
) -> None:
    table_rows = tables.table_rows

    def with_stray_step(board: BoardModel, community: str) -> dict[str, list[list[str]]]:
        rows = table_rows(board, community)
        if community == "jintu":
            rows["steps"].append(["zz-no-such-suggestion", "accept", "2024-03-01", "", "", "false"])  # sorts last
        return rows

    monkeypatch.setattr(tables, "table_rows", with_stray_step)
    assert main(["check", "--data", "--lang", "en", "--content", str(REPO / "content")]) == 1
    row = sum(len(s.steps) for s in board.suggestions.values()) + 2  # after the header and every step
    *problems, summary = capsys.readouterr().out.splitlines()
    assert problems == [
        f"data/steps.csv:{row}:1: error: The open-data package does not pass frictionless validation: "
        'suggestion: [foreign-key] for "suggestion": values "zz-no-such-suggestion" not found in the lookup table '
        '"suggestions" as "id". This is a bug in the generator, not in your content: please report it to the '
        "maintainers. [open-data-invalid]"
    ]
    assert summary.startswith("Check failed")


def open_data_problems(board: BoardModel) -> list[str]:
    problems = Problems()
    opendata.check_open_data(board, problems)
    return [f"{p.location.path.as_posix()}:{p.location.line}: {p.args['problem']}" for p in problems]


def test_a_dangling_resolution_and_a_bad_date_are_both_reported(
    board: BoardModel, monkeypatch: pytest.MonkeyPatch,
) -> None:
    table_rows = tables.table_rows
    received = [column.name for column in opendata.TABLES[opendata.TABLE_NAMES.index("suggestions")].columns].index("received")
    first = min(board.suggestions)

    def with_a_bad_date(board: BoardModel, community: str) -> dict[str, list[list[str]]]:
        rows = table_rows(board, community)
        if community == board.suggestions[first].community:
            rows["suggestions"][0][received] = "2024-13-45"  # what a broken model would hand over
        return rows

    monkeypatch.setattr(tables, "table_rows", with_a_bad_date)
    monkeypatch.setattr(board.projects["jt-yibian-xinsheng"], "resolution", "jt-m-2024-03#r9")
    found = open_data_problems(board)
    assert 'data/suggestions.csv:2: received: [type-error] type is "date/default" (value "2024-13-45")' in found
    assert any('meeting, resolution: [foreign-key] for "meeting, resolution": values "jt-m-2024-03, r9"' in problem
               for problem in found)


def test_a_compound_of_another_community_is_caught(board: BoardModel, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(board.suggestions["jt-2024-001"], "compound", "xinzhuyuan")  # a compound of jinbi
    assert any('values "jintu, xinzhuyuan" not found' in problem for problem in open_data_problems(board))


def test_every_table_and_column_is_in_the_docs() -> None:
    docs = (REPO / "docs" / "opendata.md").read_text(encoding="utf-8")
    for table in opendata.TABLES:
        assert f"`{table.name}`" in docs, f"docs/opendata.md does not describe the table {table.name}"
        for column in table.columns:
            assert f"`{column.name}`" in docs, f"docs/opendata.md does not list {table.name}.{column.name}"
