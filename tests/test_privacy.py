"""The privacy guard: personal information is caught, look-alikes are not, boards stay clean."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from ailin import pipeline
from ailin.privacy import scan_field, scan_text, unmasked_display

CORPUS = yaml.safe_load(Path(__file__).with_name("privacy_cases.yaml").read_text(encoding="utf-8"))
POSITIVES = [case for case in CORPUS if case["expect"] != "clean"]
CLEAN = [case for case in CORPUS if case["expect"] == "clean"]


def outcome(case: dict) -> tuple[str, list[str]]:
    """(error | warning | clean, the codes found) of one corpus case."""
    display = "display" in case
    findings = scan_field(case["display"] if display else case["text"], is_display=display)
    severity = "error" if any(f.certain for f in findings) else "warning" if findings else "clean"
    return severity, [f.code for f in findings]


def case_id(case: dict) -> str:
    return (case.get("text") or case["display"])[:40]


@pytest.mark.parametrize("case", CORPUS, ids=[case_id(c) for c in CORPUS])
def test_each_case_gives_its_expected_outcome(case: dict) -> None:
    severity, codes = outcome(case)
    expected = [case["rule"]] if case["expect"] != "clean" else []
    assert (severity, codes) == (case["expect"], expected)


def test_corpus_covers_every_rule() -> None:
    assert {case["rule"] for case in POSITIVES} == {
        "privacy-mobile", "privacy-landline", "privacy-id-number", "privacy-bank-card", "privacy-email",
        "privacy-im-account", "privacy-plate", "privacy-person-name", "privacy-address", "privacy-unmasked-submitter",
    }


@pytest.mark.parametrize("case", [c for c in POSITIVES if "text" in c], ids=[case_id(c) for c in POSITIVES if "text" in c])
def test_findings_are_quoted_masked(case: dict) -> None:
    text = case["text"]
    normal = text.translate({c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)})
    runs = {re.sub(r"\D", "", m) for m in re.findall(r"\d[\d\s-]{5,}\d", normal)}
    for finding in scan_text(text):
        assert "*" in finding.found
        for shown in (finding.found, finding.masked):
            assert not any(run in re.sub(r"\D", "", shown) for run in runs), shown


def test_findings_suggest_a_masked_form() -> None:
    assert [(f.found, f.masked) for f in scan_text("张建国先生住3栋2单元501室，电话 13812345678")] == [
        ("张**先生", "张先生"), ("3栋2单元***室", "3栋2单元"), ("138****5678", "138****5678"),
    ]


def test_the_community_phone_may_be_repeated() -> None:
    public = frozenset({"02887654321"})
    assert scan_text("请拨打社区电话 028-8765 4321", public) == []
    assert scan_text("社区电话 8765 4321", public) == []
    assert [f.code for f in scan_text("物业电话 028-8765 4322", public)] == ["privacy-landline"]


@pytest.mark.parametrize("display", ["李**", "李*华", "王某", "王某某", "李先生", "王阿姨", "热心居民", "居民代表", "张XX"])
def test_masked_display_names_pass(display: str) -> None:
    assert unmasked_display(display) is None


@pytest.mark.parametrize(("display", "masked"), [("李华", "李*"), ("李建华", "李**"), ("欧阳娜娜", "欧阳**"), ("李华先生", "李*先生")])
def test_unmasked_display_names_are_caught(display: str, masked: str) -> None:
    finding = unmasked_display(display)
    assert finding is not None and finding.masked == masked


def _privacy_problems(content: Path) -> list[str]:
    result = pipeline.check(content)
    return [f"{p.location}: {p.code}" for p in result.problems if p.code.startswith("privacy-")]


def test_the_sample_board_has_no_personal_information() -> None:
    assert _privacy_problems(REPO / "content") == []


def test_a_synthetic_district_has_no_personal_information(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(REPO / "benchmarks"))
    synthetic = pytest.importorskip("synthetic")
    synthetic.generate(tmp_path / "content", communities=20, suggestions=2000, meetings=200, projects=100, seed=7)
    assert _privacy_problems(tmp_path / "content") == []


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_any_text_gives_well_formed_findings(text: str) -> None:
    for finding in scan_text(text):
        assert 0 <= finding.start < finding.end <= len(text)
        assert "*" in finding.found


def test_an_exception_for_a_whole_step_covers_its_note(board: Path) -> None:
    file = board / "communities/demo/suggestions/demo-001.yaml"
    text = file.read_text(encoding="utf-8").replace(
        "{step: accept, date: 2024-03-02}", "{step: accept, date: 2024-03-02, note: 物业客服 028-8765 4321 登记}",
    )
    file.write_text(text + "privacy_exceptions:\n  - field: steps[1]\n    reason: 物业公司公开的客服电话\n", encoding="utf-8")
    result = pipeline.check(board)
    assert [(p.severity.value, p.code, p.args.get("count")) for p in result.problems] == [
        ("warning", "privacy-exception", 1),
    ]
    assert result.ok


def test_board_titles_and_photo_file_names_are_scanned(board: Path) -> None:
    (board / "board.yaml").write_text("title: 公示板 咨询 13912345678\nlanguage: zh\nas_of: 2024-12-20\n", encoding="utf-8")
    project = board / "communities/demo/projects/demo-lights.yaml"
    (board / "communities/demo/media/张建国先生.jpg").write_bytes((board / "communities/demo/media/lights-after.jpg").read_bytes())
    project.write_text(project.read_text(encoding="utf-8").replace("file: lights-after.jpg", "file: 张建国先生.jpg"), encoding="utf-8")
    assert _privacy_problems(board) == [
        "board.yaml:1:8: privacy-mobile",
        "communities/demo/projects/demo-lights.yaml:" + next(
            f"{i}:{line.index('张') + 1}" for i, line in enumerate(project.read_text(encoding="utf-8").splitlines(), 1) if "张建国" in line
        ) + ": privacy-person-name",
    ]
