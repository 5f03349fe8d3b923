"""The command line as a volunteer and as CI use it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from ailin.cli import main


def test_sample_board_passes_the_check(capsys) -> None:
    assert main(["check", "--content", str(REPO / "content")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("检查通过：") and "没有发现错误" in out


def test_english_summary_with_lang_en(board: Path, capsys) -> None:
    assert main(["check", "--content", ".", "--lang", "en"]) == 0
    assert capsys.readouterr().out == "Check passed: 6 records, no errors.\n"


def test_github_format_prints_annotations(board: Path, capsys) -> None:
    (board / "board.yaml").write_text("title: 测试公示板\nlanguage: fr\n", encoding="utf-8")
    assert main(["check", "--content", ".", "--format", "github", "--lang", "en"]) == 1
    first = capsys.readouterr().out.splitlines()[0]
    assert first == (
        "::error file=board.yaml,line=2,col=11,title=unknown-value::language cannot be 'fr'. Allowed values: zh, en."
    )


def test_json_format_is_one_object_per_line(board: Path, capsys) -> None:
    (board / "communities/demo/suggestions/demo-002.yaml").write_text("id: demo-002\n", encoding="utf-8")
    assert main(["check", "--content", ".", "--format", "json"]) == 1
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records[-1] == {"summary": {"errors": 5, "warnings": 0, "records": 6}}
    assert records[0]["code"] == "missing-field" and records[0]["path"] == "communities/demo/suggestions/demo-002.yaml"


def test_board_language_en_gives_english_messages(board: Path, capsys) -> None:
    (board / "board.yaml").write_text("title: Demo\nlanguage: en\nas_of: 2024-12-20\n", encoding="utf-8")
    assert main(["check", "--content", "."]) == 0
    assert capsys.readouterr().out.startswith("Check passed")


@pytest.mark.parametrize("argv", [[], ["check", "--format", "xml"], ["publish"], ["check", "--lang", "fr"]])
def test_usage_errors_exit_2(argv: list[str], capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert "usage: ailin" in capsys.readouterr().err


def test_missing_content_folder_is_a_content_error_not_a_crash(tmp_path: Path, capsys) -> None:
    assert main(["check", "--content", str(tmp_path / "nowhere")]) == 1
    assert "[missing-file]" in capsys.readouterr().out


def test_console_script_runs_without_traceback(board: Path) -> None:
    (board / "board.yaml").write_text("- not a mapping\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "ailin.cli", "check", "--content", "."],
        capture_output=True, text=True, cwd=board,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.startswith("board.yaml:1:1: error: 文件的最外层必须是")


def test_new_writes_a_commented_template_that_check_then_explains(board: Path, capsys) -> None:
    assert main(["new", "suggestion", "demo", "--content", "."]) == 0
    assert capsys.readouterr().out == "已新建 communities/demo/suggestions/demo-003.yaml。请填写其中的内容，然后运行 ailin check。\n"
    template = (board / "communities/demo/suggestions/demo-003.yaml").read_text(encoding="utf-8")
    assert "id: demo-003\n" in template and "# 一句话说明建议的内容。\ntitle:\n" in template
    assert main(["check", "--content", "."]) == 1
    out = capsys.readouterr().out
    assert "communities/demo/suggestions/demo-003.yaml:7:7: error: 字段 title 没有填写值。请在冒号后面填上内容。 [missing-value]" in out


def test_new_never_overwrites(board: Path, capsys) -> None:
    assert main(["new", "suggestion", "demo", "--id", "demo-001", "--content", "."]) == 2
    assert "communities/demo/suggestions/demo-001.yaml 已经存在，没有覆盖" in capsys.readouterr().err


def test_new_board_and_community_start_a_board_from_nothing(tmp_path: Path, capsys) -> None:
    assert main(["new", "board", "--content", str(tmp_path)]) == 0
    assert main(["new", "community", "jintu", "--content", str(tmp_path)]) == 0
    assert main(["new", "suggestion", "--content", str(tmp_path)]) == 2
    assert "请写出社区编号，例如：ailin new suggestion jintu" in capsys.readouterr().err
    assert main(["check", "--content", str(tmp_path)]) == 1
    assert "board.yaml:4:7: error: 字段 title 没有填写值。请在冒号后面填上内容。 [missing-value]" in capsys.readouterr().out


def test_new_record_for_a_community_without_community_yaml_is_refused(board: Path, capsys) -> None:
    assert main(["new", "suggestion", "jintu", "--content", "."]) == 2
    assert capsys.readouterr().err == (
        "ailin: 社区 jintu 还没有 community.yaml。请先运行 ailin new community jintu 建立这个社区，再新建建议；"
        "如果社区已经建好，请核对社区编号（即 communities/ 下的文件夹名）。\n"
    )
    assert not (board / "communities/jintu").exists()


def test_new_project_template_names_its_reference_and_lists_the_funding_sources(board: Path, capsys) -> None:
    assert main(["new", "project", "demo", "--id", "demo-benches", "--content", "."]) == 0
    template = (board / "communities/demo/projects/demo-benches.yaml").read_text(encoding="utf-8")
    assert template.startswith("# 项目 · project。字段说明：ailin 文档 fields.md。写完运行 ailin check。\n")
    assert (
        "# source 可选：community_fund（社区基金）、guarantee_fund（社区保障资金）、maintenance_fund（专项维修资金）、"
        "property（物业）、co_builders（共建单位）、residents（居民自筹）、government（财政资金）、other（其他）\n"
        "# funding:\n#   - {source: , amount: }\n"
    ) in template
