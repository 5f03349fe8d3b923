"""The privacy guard: personal information is caught, look-alikes are not, boards stay clean."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from ailin import pipeline
from ailin.privacy import scan_text, unmasked_display

# Each text holds one piece of personal information; the detector must report it by this code.
POSITIVES = [
    # mobile numbers, however they are written
    ("联系人手机 13812345678", "privacy-mobile"),
    ("电话：138 1234 5678", "privacy-mobile"),
    ("138-1234-5678 王先生", "privacy-mobile"),
    ("+86 139 1234 5678", "privacy-mobile"),
    ("0086-15912345678", "privacy-mobile"),
    ("手机号为１３８１２３４５６７８", "privacy-mobile"),
    ("请拨打 18628001234 咨询", "privacy-mobile"),
    ("编号 2024 13912345678", "privacy-mobile"),
    ("微信同号 13912345678", "privacy-mobile"),
    # landlines
    ("物业电话 028-8765 4321", "privacy-landline"),
    ("(028)87654321", "privacy-landline"),
    ("（028）８７６５４３２１", "privacy-landline"),
    ("02887654321", "privacy-landline"),
    ("010-62345678", "privacy-landline"),
    ("0833-2123456", "privacy-landline"),
    ("联系电话：8765 4321", "privacy-landline"),
    ("座机号码是 87654321", "privacy-landline"),
    # resident ID numbers (valid GB 11643 check digits) and an old 15-digit one
    ("身份证 11010519491231002X", "privacy-id-number"),
    ("身份证号 510104198001011236", "privacy-id-number"),
    ("11010519491231002x", "privacy-id-number"),
    ("510107 19650312 0045", "privacy-id-number"),
    ("身份证号码：440304198511207717。", "privacy-id-number"),
    ("老身份证 510104800101123", "privacy-id-number"),
    # bank cards (Luhn-valid)
    ("卡号 6222 0212 3456 7890 128", "privacy-bank-card"),
    ("补贴打入 6217001234567893", "privacy-bank-card"),
    ("退款至 4367 4212 3456 7896", "privacy-bank-card"),
    ("9558801234567890128", "privacy-bank-card"),
    # e-mail addresses
    ("邮箱 zhangjg@163.com", "privacy-email"),
    ("发至 li.hua_1980@qq.com", "privacy-email"),
    ("Email: wang+board@example.org.cn", "privacy-email"),
    ("ｚｈａｎｇ＠１６３．ｃｏｍ", "privacy-email"),
    # WeChat and QQ accounts given as contacts
    ("微信号 zhangjg1980", "privacy-im-account"),
    ("微信：wxid_abc123", "privacy-im-account"),
    ("加微信 abc_123456", "privacy-im-account"),
    ("QQ 12345678", "privacy-im-account"),
    ("QQ号：987654321", "privacy-im-account"),
    ("vx: zhang_san88", "privacy-im-account"),
    ("WeChat ID: lihua2020", "privacy-im-account"),
    # licence plates, also new-energy ones
    ("川A12345 长期占用消防通道", "privacy-plate"),
    ("川A·12345", "privacy-plate"),
    ("川AD12345 新能源车", "privacy-plate"),
    ("川A12345D", "privacy-plate"),
    ("渝B 3G567", "privacy-plate"),
    # full names before a form of address or a role
    ("张建国先生反映", "privacy-person-name"),
    ("刘桂芳阿姨", "privacy-person-name"),
    ("王建国经理", "privacy-person-name"),
    ("李秀英女士", "privacy-person-name"),
    ("陈志强书记", "privacy-person-name"),
    ("王芳老师", "privacy-person-name"),
    ("欧阳娜娜女士", "privacy-person-name"),
    ("向林建国书记反映", "privacy-person-name"),
    ("网格员联系了周明大爷", "privacy-person-name"),
    ("杨小明老师", "privacy-person-name"),
    ("孙丽娟医生", "privacy-person-name"),
    # door-level addresses
    ("3栋2单元501室", "privacy-address"),
    ("3幢2单元501", "privacy-address"),
    ("5号楼1单元302", "privacy-address"),
    ("住在 2-1-302 的居民", "privacy-address"),
    ("2栋1-302漏水", "privacy-address"),
    ("三栋二单元502室", "privacy-address"),
    ("幸福路12号302室", "privacy-address"),
    ("10栋 1202", "privacy-address"),
]

# Look-alikes that are not personal information: none may be reported.
NEGATIVES = [
    # a surname with a form of address is how a board names people politely
    "赵大爷", "王经理", "李阿姨", "张师傅", "邻居张大妈", "热心的李阿姨", "老党员王大爷", "向王师傅反映",
    "王家大爷", "李老师傅", "王总经理", "李副主任", "陈老书记",
    # roles after ordinary words
    "王家坝", "金土社区书记", "社区书记", "社区党委书记", "党支部书记", "东湖街道党工委书记", "纪委书记",
    "物业经理", "物业项目经理", "万科物业经理", "项目经理", "楼栋长", "请楼栋长通知各户", "单元楼长",
    "居民代表", "党员代表", "楼栋代表", "金牛区人大代表", "文明家庭代表", "业委会主任", "高新区管委会主任",
    "高龄老人", "关爱老人", "关心老人", "许多老人", "周边老人", "3000余名老人", "网格员上门走访了独居老人",
    "保洁阿姨", "维修师傅", "施工师傅", "安装师傅", "司机师傅", "房东阿姨", "楼下阿姨", "小区保安大叔帮忙搬运",
    "高中老师", "舞蹈老师", "四川大学老师", "家庭医生", "社区卫生服务中心医生", "居民小组组长", "黄色", "高楼",
    "华西医生", "温江老人", "白天老人们在院坝乘凉",
    # numbers that are not personal
    "2024-03-05", "2024年3月5日", "编号 jt-2024-001", "jt-m-2024-03#r1", "12345 热线", "拨打 12345",
    "1+10+11+83", "同森锦熙小区已办理产权登记 1272 户、完成办证 535 户", "金额 12000 元", "预算 3000-5000 元",
    "2023-2024 年度", "资金 1,380,000 元", "第 2 期 2000000 元", "联系物业落实 2300000 元资金",
    "受益 320 户，共 1200 人", "9:00-17:00", "电话回访 35 户", "订单号 123456789012345678",
    "510104198001011234",  # 18 digits with a wrong check digit
    "6222021234567890",  # 16 digits, not Luhn-valid
    # addresses that stop at the building or the unit, and counts after a building
    "3栋", "3栋2单元", "5号楼1单元", "3栋 150 户", "6栋 300 余户", "18栋200户", "2栋 100 平方米",
    "3号楼2024年改造", "单元门口",
    # channels and groups, not a person's account
    "微信公众号“人民建议征集专栏”", "关注社区微信公众号 jintu_sq", "QQ群 12345678", "在微信群里通知",
    "邮箱暂未开通", "川A级景区", "面积 1500 m2",
]


@pytest.mark.parametrize(("text", "code"), POSITIVES, ids=[t for t, _ in POSITIVES])
def test_personal_information_is_caught(text: str, code: str) -> None:
    assert [f.code for f in scan_text(text)] == [code]


@pytest.mark.parametrize("text", NEGATIVES)
def test_look_alikes_are_not_reported(text: str) -> None:
    assert scan_text(text) == []


def test_corpus_is_large_enough() -> None:
    assert len(POSITIVES) >= 40 and len(NEGATIVES) >= 40
    assert len({code for _, code in POSITIVES}) == 9


@pytest.mark.parametrize(("text", "code"), POSITIVES, ids=[t for t, _ in POSITIVES])
def test_findings_are_quoted_masked(text: str, code: str) -> None:
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
