"""Every rule of content format v1, as a volunteer meets it: file, line, column and words."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from cases import apply_case, case_id, load_cases
from ailin import messages
from ailin.cli import main
from ailin.validate import build_date

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_check_reports_each_rule_with_file_line_and_fix(case: dict, board: Path, capsys) -> None:
    apply_case(board, case)
    argv = ["check", "--content", "."] + (["--lang", case["lang"]] if "lang" in case else [])
    exit_code = main(argv)
    lines = capsys.readouterr().out.splitlines()
    assert lines[:-1] == [line.replace("TODAY", str(build_date())) for line in case["expect"]]
    assert exit_code == 1
    if "summary" in case:
        assert lines[-1] == case["summary"]
    else:
        assert lines[-1].startswith("检查未通过" if case.get("lang", "zh") == "zh" else "Check failed")


def test_every_problem_code_has_a_case() -> None:
    covered = {case["rule"] for case in CASES}
    untested_here = {"file-too-large", "not-utf8", "link-outside-content"}  # see test_load.py
    untested_here |= {c for c in messages.codes() if c.startswith("site-config-")}  # test_board_repo.py
    untested_here |= {code for code in messages.codes() if code.startswith("sheet-")}  # see test_sheet.py
    untested_here |= {"open-data-invalid"}  # `ailin check --data`, see test_opendata.py
    assert set(messages.codes()) - covered - untested_here == set()


def test_every_case_names_a_known_code() -> None:
    assert {case["rule"] for case in CASES} <= set(messages.codes())


def commit_board_and_add_a_meeting_reusing_an_id(board: Path) -> None:
    git = ["git", "-c", "user.name=Volunteer", "-c", "user.email=v@example.org"]
    subprocess.run([*git, "init", "-q", "."], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "board"], check=True)
    meeting = board / "communities/demo/meetings/demo-002.yaml"  # sorts before suggestions/
    meeting.write_text("id: demo-002\nkind: courtyard\ndate: 2024-05-01\n", encoding="utf-8")


def test_duplicate_id_blames_the_file_that_is_new_to_git(board: Path, capsys) -> None:
    commit_board_and_add_a_meeting_reusing_an_id(board)
    assert main(["check", "--content", "."]) == 1
    assert capsys.readouterr().out.splitlines()[:-1] == [
        "communities/demo/meetings/demo-002.yaml:1:5: error: 编号 demo-002 已被 communities/demo/suggestions/demo-002.yaml:1:5 使用。"
        "整个公示板内编号不能重复，请换一个编号（并同时修改文件名）。 [duplicate-id]"
    ]


def test_duplicate_id_blames_the_later_path_when_git_cannot_be_asked(board: Path, capsys, monkeypatch) -> None:
    commit_board_and_add_a_meeting_reusing_an_id(board)
    monkeypatch.setenv("PATH", "")
    assert main(["check", "--content", "."]) == 1
    assert capsys.readouterr().out.splitlines()[:-1] == [
        "communities/demo/suggestions/demo-002.yaml:1:5: error: 编号 demo-002 已被 communities/demo/meetings/demo-002.yaml:1:5 使用。"
        "整个公示板内编号不能重复，请换一个编号（并同时修改文件名）。 [duplicate-id]"
    ]
