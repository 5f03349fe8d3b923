"""`ailin sheet`: the board as a 台账 workbook and back, as an office would use it."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any, Callable

import openpyxl
import pytest
from frictionless import Resource
from frictionless.formats import ExcelControl

from conftest import REPO, tree_digest
from ailin import messages
from ailin.cli import main
from ailin.sheet.layout import sheets


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the sample board in ./content; the working directory is its parent."""
    shutil.copytree(REPO / "content", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "content"


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def exported(capsys, name: str = "board.xlsx", content: str = ".") -> Path:
    code, out = run(capsys, "sheet", "export", name, "--content", content)
    assert code == 0, out
    return Path(name)


def edit(book: Path, sheet: str, changes: dict[str, Any]) -> None:
    workbook = openpyxl.load_workbook(book)
    for cell, value in changes.items():
        workbook[sheet][cell] = value
    workbook.save(book)


def headers(book: Path, sheet: str) -> list[str]:
    return [cell.value for cell in openpyxl.load_workbook(book)[sheet][1]]


# -- round trip ---------------------------------------------------------------------------


def test_export_then_import_without_edits_changes_no_file(sample: Path, capsys) -> None:
    before = tree_digest(sample)
    code, out = run(capsys, "sheet", "export", "board.xlsx")
    assert (code, out) == (0, "已导出 65 条记录到 board.xlsx。可用 Excel 或 WPS 打开编辑，改好后运行 ailin sheet import board.xlsx。\n")
    code, out = run(capsys, "sheet", "import", "board.xlsx")
    assert (code, out) == (0, "导入完成：新建 0 个文件，修改 0 个文件，65 条记录没有变化。\n")
    assert tree_digest(sample) == before


def test_editing_one_cell_changes_one_field_of_one_file(sample: Path, capsys) -> None:
    book = exported(capsys, content="content")
    rows = [r[1].value for r in openpyxl.load_workbook(book)["建议"].iter_rows()]
    row = rows.index("jt-2024-005") + 1
    edit(book, "建议", {f"C{row}": "书香云亭艺术架锈蚀，存在安全隐患"})
    file = sample / "communities/jintu/suggestions/jt-2024-005.yaml"
    before, digest = file.read_text(encoding="utf-8").splitlines(), tree_digest(sample)
    code, out = run(capsys, "sheet", "import", "board.xlsx")
    assert (code, out) == (0, "修改 content/communities/jintu/suggestions/jt-2024-005.yaml\n"
                              "导入完成：新建 0 个文件，修改 1 个文件，64 条记录没有变化。\n")
    after = file.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(before) == len(after) and changed == [(before[2], "title: 书香云亭艺术架锈蚀，存在安全隐患")]
    assert before[0].startswith("# ")  # the file's comment stays
    digest.pop("communities/jintu/suggestions/jt-2024-005.yaml")
    assert {k: v for k, v in tree_digest(sample).items() if k in digest} == digest


def test_a_new_step_is_added_in_order_in_the_file_style(board: Path, capsys) -> None:
    exported(capsys)
    edit(board / "board.xlsx", "建议", {"M3": dt.date(2024, 4, 2), "N3": "网格员登记"})
    assert run(capsys, "sheet", "import", "board.xlsx", "--content", ".")[0] == 0
    text = (board / "communities/demo/suggestions/demo-002.yaml").read_text(encoding="utf-8")
    assert text.endswith("priority: blue\nsteps:\n  - {step: accept, date: 2024-04-02, note: 网格员登记}\n")
    assert run(capsys, "check", "--content", ".")[0] == 0


def test_an_emptied_cell_removes_that_field_only(board: Path, capsys) -> None:
    exported(capsys)
    edit(board / "board.xlsx", "建议", {"G2": None})
    assert run(capsys, "sheet", "import", "board.xlsx", "--content", ".")[0] == 0
    text = (board / "communities/demo/suggestions/demo-001.yaml").read_text(encoding="utf-8")
    assert "compound" not in text and text.startswith("id: demo-001\ntitle: 一号院楼道灯损坏\nreceived: 2024-03-01\n")


def test_chinese_labels_and_english_keys_are_both_accepted(board: Path, capsys) -> None:
    exported(capsys)
    edit(board / "board.xlsx", "建议", {"H2": "橙色", "H3": "red"})
    code, out = run(capsys, "sheet", "import", "board.xlsx", "--content", ".")
    assert out.splitlines() == ["修改 communities/demo/suggestions/demo-002.yaml",
                                "导入完成：新建 0 个文件，修改 1 个文件，4 条记录没有变化。"]
    assert "priority: red\n" in (board / "communities/demo/suggestions/demo-002.yaml").read_text(encoding="utf-8")


def test_items_on_their_own_sheet_update_the_list(board: Path, capsys) -> None:
    exported(capsys)
    edit(board / "board.xlsx", "成果", {"A3": "demo-lights", "B3": "安装感应开关", "C3": 6, "D3": "个"})
    assert run(capsys, "sheet", "import", "board.xlsx", "--content", ".")[0] == 0
    text = (board / "communities/demo/projects/demo-lights.yaml").read_text(encoding="utf-8")
    assert "outputs:\n  - {label: 更换楼道灯, quantity: 6, unit: 盏}\n  - {label: 安装感应开关, quantity: 6, unit: 个}\n" in text


# -- the workbook as other programs read it -----------------------------------------------


def test_exported_workbook_reads_back_with_openpyxl(sample: Path, capsys) -> None:
    book = openpyxl.load_workbook(exported(capsys, content="content"))
    assert book.sheetnames == [*(s.name for s in sheets()), "说明", "选项"]
    suggestions = book["建议"]
    assert suggestions.freeze_panes == "A2"
    assert [c.value for c in suggestions[1]][:5] == ["社区", "编号", "标题", "收到日期", "征集渠道"]
    assert suggestions.max_row == 38  # 37 suggestions under the header
    assert isinstance(suggestions["D2"].value, dt.datetime) and suggestions["D2"].number_format == "yyyy-mm-dd"
    dropdowns = {str(v.sqref).split(":")[0]: v.formula1 for v in suggestions.data_validations.dataValidation}
    assert dropdowns["H2"] == "'选项'!$H$2:$H$5"  # 紧急程度: 红色 橙色 黄色 蓝色
    assert [book["选项"].cell(row=r, column=8).value for r in range(1, 6)] == ["priority", "红色", "橙色", "黄色", "蓝色"]
    assert book["选项"].sheet_state == "hidden"
    assert ["决议", "会议编号"] == [book["决议"].title, book["决议"]["A1"].value]


def test_exported_workbook_reads_back_with_frictionless(sample: Path, capsys) -> None:
    book = exported(capsys, content="content")
    with Resource(str(book), format="xlsx", control=ExcelControl(sheet="项目")) as resource:
        rows = resource.read_rows()
        assert resource.header[:4] == ["社区", "编号", "名称", "项目类型"]
    assert len(rows) == 13 and rows[0]["编号"] == "jb-huati-dimian" and rows[0]["项目类型"] == "微创投"
    with Resource(str(book), format="xlsx", control=ExcelControl(sheet="资金来源")) as resource:
        funding = resource.read_rows()
    assert (funding[0]["项目编号"], funding[0]["来源"], funding[0]["金额（元）"]) == ("jb-huati-dimian", "社区保障资金", 30000)


def test_template_is_the_workbook_without_rows(tmp_path: Path, capsys) -> None:
    code, out = run(capsys, "sheet", "template", str(tmp_path / "空白台账.xlsx"), "--content", str(REPO / "content"))
    assert code == 0 and out.startswith("已生成空白台账模板 ")
    book = openpyxl.load_workbook(tmp_path / "空白台账.xlsx")
    for sheet in sheets():
        ws = book[sheet.name]
        assert [c.value for c in ws[1]] == [c.header for c in sheet.columns]
        assert all(c.value is None for row in ws.iter_rows(min_row=2) for c in row)
    dropdowns = [v.formula1 for v in book["建议"].data_validations.dataValidation]
    assert len(dropdowns) == 5  # channel, category, priority, level, decision
    help_rows = list(book["说明"].values)
    assert ("建议", "紧急程度", "priority", "是", "按紧急与重要程度分为红、橙、黄、蓝四类。",
            "Urgency and importance: red, orange, yellow or blue.",
            "红色（red）、橙色（orange）、黄色（yellow）、蓝色（blue）") in help_rows


def test_export_of_one_community(sample: Path, capsys) -> None:
    code, out = run(capsys, "sheet", "export", "jintu.xlsx", "--content", "content", "--community", "jintu")
    assert (code, out) == (0, "已导出 21 条记录到 jintu.xlsx。可用 Excel 或 WPS 打开编辑，改好后运行 ailin sheet import jintu.xlsx。\n")
    assert run(capsys, "sheet", "import", "jintu.xlsx", "--content", "content")[1].endswith("21 条记录没有变化。\n")
    code, out = run(capsys, "sheet", "export", "x.xlsx", "--content", "content", "--community", "nowhere")
    assert (code, out) == (1, "没有社区 nowhere。可用的社区编号：jinbi、jintu、shiniuyan。\n")


# -- a workbook written by another tool ----------------------------------------------------


def test_workbook_built_from_scratch_with_columns_in_another_order(board: Path, capsys) -> None:
    """An office's own workbook: English keys as some headers, columns shuffled, a new record,
    labels and keys mixed, numbers stored as text, a date typed as ISO text."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "建议"
    ws.append(["priority", "标题", "编号", "社区", "分类", "channel", "received", "受理·日期", "满意度·满意"])
    ws.append(["黄", "小区门口路灯不亮", "demo-003", "demo", "safety", "12345热线", "2024-05-01", dt.date(2024, 5, 2), "7"])
    book.save(board / "office.xlsx")
    before = tree_digest(board)
    code, out = run(capsys, "sheet", "import", "office.xlsx", "--content", ".")
    assert (code, out) == (0, "新建 communities/demo/suggestions/demo-003.yaml\n"
                              "导入完成：新建 1 个文件，修改 0 个文件，0 条记录没有变化。\n")
    assert (board / "communities/demo/suggestions/demo-003.yaml").read_text(encoding="utf-8") == (
        "# 建议：小区门口路灯不亮（由台账工作簿导入）\n"
        "id: demo-003\ntitle: 小区门口路灯不亮\nreceived: 2024-05-01\nchannel: hotline_12345\ncategory: safety\n"
        "priority: yellow\nsteps:\n  - {step: accept, date: 2024-05-02}\nsatisfaction: {satisfied: 7}\n"
    )
    assert {k: v for k, v in tree_digest(board).items() if k in before} == before
    assert run(capsys, "check", "--content", ".")[0] == 0


# -- errors by sheet and cell ---------------------------------------------------------------


def _delete_sheet(name: str) -> Callable[[Path], None]:
    def change(book: Path) -> None:
        workbook = openpyxl.load_workbook(book)
        del workbook[name]
        workbook.save(book)
    return change


def _cells(sheet: str, **cells: Any) -> Callable[[Path], None]:
    return lambda book: edit(book, sheet, cells)


def _blank_row(book: Path) -> None:
    workbook = openpyxl.load_workbook(book)
    workbook["建议"].insert_rows(2)
    workbook.save(book)


BAD_EDITS = {
    "date typed as text": (_cells("建议", D2="2024/3/1"),
        "board.xlsx:建议!D2: error: “收到日期”中的 “2024/3/1” 是文字，不是日期。请输入 2024-03-05 这样的日期（或把单元格格式设为“日期”后重新输入）。 [sheet-date-text]"),
    "full-width digits": (_cells("成果", C2="６"),
        "board.xlsx:成果!C2: error: “数量”中的 “６” 用了全角数字。请切换到半角（英文）输入后重新输入，写成 6。 [sheet-full-width-digits]"),
    "words in a number": (_cells("资金来源", C2="800元"),
        "board.xlsx:资金来源!C2: error: “金额（元）” 应当是数字，这里写的是 “800元”。请只写数字，不带单位和逗号，如 12000。 [expected-number]"),
    "blank row in the middle": (_blank_row,
        "board.xlsx:建议!A2: error: 第 2 行是空行，下面却还有数据。表格中间不能留空行：请删除这一行（右键行号 → 删除）。要删除一条记录，请直接删除它的 YAML 文件。 [sheet-blank-row]"),
    "renamed header": (_cells("建议", C1="建议标题"),
        "board.xlsx:建议!C1: error: “建议”表第 1 行的列名“建议标题”无法识别，这一列不会导入。请把列名改回原样（各列名见“说明”表），或删除这一列。你是不是想写 标题？ [sheet-unknown-column]"),
    "unknown column": (_cells("建议", AL1="备注", AL2="已电话回访"),
        "board.xlsx:建议!AL1: error: “建议”表第 1 行的列名“备注”无法识别，这一列不会导入。请把列名改回原样（各列名见“说明”表），或删除这一列。 [sheet-unknown-column]"),
    "renamed sheet": (lambda book: _rename(book, "会议", "会议记录"),
        "board.xlsx:会议记录!A1: error: 工作表“会议记录”的名字无法识别，其中的内容不会导入。工作表须叫：社区、小区（院落）、建议、会议、决议、项目、资金来源、成果、照片。请把它改回原来的名字，或删除这张表。你是不是想写 会议？ [sheet-unknown-sheet]"),
    "missing sheet": (_delete_sheet("项目"),
        "board.xlsx:资金来源!A1: error: 有“资金来源”表却没有“项目”表。“资金来源”表的每一行按“项目编号”归到“项目”表的一行，请把“项目”表一起放进工作簿。 [sheet-missing-parent]"),
    "missing id column": (lambda book: _delete_column(book, "建议", 2),
        "board.xlsx:建议!AK1: error: “建议”表缺少必需的列“编号”。请在第 1 行加上这一列，并在每一行填写。 [sheet-missing-column]"),
    "repeated header": (_cells("建议", AL1="标题"),
        "board.xlsx:建议!AL1: error: 列名“标题”出现了两次（另一列在 C1）。请删除或改正其中一列。 [sheet-duplicate-column]"),
    "attendance in words": (_cells("会议", G2="居民二十人"),
        "board.xlsx:会议!G2: error: “参会人数”中的 “居民二十人” 看不懂。请写成“组别 人数”，多项用顿号分开，如 居民 23、党员 6。 [sheet-bad-groups]"),
    "unknown community": (_cells("建议", A2="nowhere"),
        "board.xlsx:建议!A2: error: 社区 nowhere 不存在：content/communities/ 下没有这个文件夹，“社区”表中也没有这一行。请核对社区编号。 [sheet-unknown-community]"),
    "record moved to another community": (
        lambda book: (_cells("社区", A3="other", B3="其他社区", C3="东湖街道")(book), _cells("建议", A2="other")(book)),
        "board.xlsx:建议!A2: error: demo-001 属于社区 demo，这里却写的是 other。表格不能把记录移到另一个社区：请改回 demo；确需移动，请直接移动它的 YAML 文件。 [sheet-moved-record]"),
    "no sheet to import": (lambda book: _only_help(book),
        "board.xlsx: error: 工作簿里没有可以导入的工作表。工作表须叫：社区、建议、会议、项目。可用 ailin sheet template 生成一份空白模板。 [sheet-no-records]"),
    "empty required cell": (_cells("建议", C3=None),
        "board.xlsx:建议!C3: error: “标题”必须填写，这一格却是空的。请填上内容。 [sheet-empty-cell]"),
    "unknown label": (_cells("建议", H2="紫色"),
        "board.xlsx:建议!H2: error: “紧急程度” 不能是 “紫色”。可用的值：red（红色）、orange（橙色）、yellow（黄色）、blue（蓝色）。 [unknown-value]"),
    "phone number in a note": (_cells("建议", N2="居民电话 13812345678"),
        "board.xlsx:建议!N2: error: “受理·说明” 中有手机号 138****5678（这里已隐去中间四位）。未经本人单独同意，不能公开居民的手机号。请删除，或改成打码后的 138****5678；若是公开的办公电话，请在 privacy_exceptions 中写明字段和理由（见 docs/privacy.md）。 [privacy-mobile]"),
    "unknown reference": (_cells("建议", AJ2="demo-m-9"),
        "board.xlsx:建议!AJ2: error: 找不到会议 demo-m-9。请核对编号是否写错，或先建立这条记录。你是不是想写 demo-m-1？ [unknown-reference]"),
    "item of no record": (_cells("成果", A2="demo-light"),
        "board.xlsx:成果!A2: error: “项目编号”是 demo-light，但“项目”表中没有这个编号的行。请核对编号，或先在“项目”表中加上这一行。 [sheet-orphan-row]"),
    "step dates going back": (_cells("建议", M3="2024-04-05", Y3="2024-04-02"),
        "board.xlsx:建议!Y3: error: 步骤“反馈（feedback）”的日期 2024-04-02 早于前一步的 2024-04-05。日期不能倒退，请核对。 [step-date-decreasing]"),
}


def _only_help(book: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "说明"
    workbook.save(book)


def _delete_column(book: Path, sheet: str, column: int) -> None:
    workbook = openpyxl.load_workbook(book)
    workbook[sheet].delete_cols(column)
    workbook.save(book)


def _rename(book: Path, old: str, new: str) -> None:
    workbook = openpyxl.load_workbook(book)
    workbook[old].title = new
    workbook.save(book)


@pytest.mark.parametrize("change, expected", BAD_EDITS.values(), ids=BAD_EDITS.keys())
def test_bad_cells_are_reported_by_sheet_and_cell_and_nothing_is_written(board: Path, capsys, change, expected: str) -> None:
    book = exported(capsys)
    change(book)
    before = tree_digest(board)
    code, out = run(capsys, "sheet", "import", "board.xlsx", "--content", ".")
    lines = out.splitlines()
    assert code == 1 and lines[0] == expected, out
    assert lines[-1] == f"没有导入：{len(lines) - 1} 个错误，0 个警告。内容文件没有任何改动；请在表格中逐条修改后再导入。"
    assert tree_digest(board) == before


def test_errors_in_english(board: Path, capsys) -> None:
    book = exported(capsys)
    edit(book, "建议", {"D2": "2024/3/1"})
    assert run(capsys, "sheet", "import", "board.xlsx", "--content", ".", "--lang", "en")[1].splitlines() == [
        "board.xlsx:建议!D2: error: '2024/3/1' in '收到日期' is text, not a date. Type a date such as 2024-03-05 "
        "(or set the cell's format to Date and type it again). [sheet-date-text]",
        "Nothing was imported: 1 error, 0 warnings. No content file was changed; fix each one in the workbook and import again.",
    ]


def test_duplicate_id_names_the_other_cell(board: Path, capsys) -> None:
    book = exported(capsys)
    edit(book, "建议", {"B3": "demo-001"})
    assert run(capsys, "sheet", "import", "board.xlsx", "--content", ".")[1].splitlines()[:1] == [
        "board.xlsx:建议!B3: error: 编号 demo-001 已被 board.xlsx:建议!B2 使用。整个公示板内编号不能重复，请换一个编号（并同时修改文件名）。 [duplicate-id]",
    ]


@pytest.mark.parametrize("content, expected", [
    (b"id,title\n1,2\n", "board.xlsx: error: board.xlsx 不是 Excel 工作簿（.xlsx），无法读取。请在 Excel 或 WPS 中用“另存为”保存成“Excel 工作簿 (*.xlsx)”后再导入。 [sheet-not-xlsx]"),
    (b"PK\x03\x04 not really a zip", "board.xlsx: error: board.xlsx 不是 Excel 工作簿（.xlsx），无法读取。请在 Excel 或 WPS 中用“另存为”保存成“Excel 工作簿 (*.xlsx)”后再导入。 [sheet-not-xlsx]"),
], ids=["csv renamed", "broken zip"])
def test_a_file_that_is_not_a_workbook(board: Path, capsys, content: bytes, expected: str) -> None:
    (board / "board.xlsx").write_bytes(content)
    code, out = run(capsys, "sheet", "import", "board.xlsx", "--content", ".")
    assert (code, out.splitlines()[0]) == (1, expected)


def test_a_missing_workbook(board: Path, capsys) -> None:
    code, out = run(capsys, "sheet", "import", "nowhere.xlsx", "--content", ".")
    assert (code, out.splitlines()[0]) == (1, "nowhere.xlsx: error: 找不到工作簿 nowhere.xlsx。请检查文件名和所在的文件夹。 [sheet-missing-file]")


def test_export_refuses_a_board_with_errors(board: Path, capsys) -> None:
    (board / "communities/demo/suggestions/demo-002.yaml").write_text("id: demo-002\n", encoding="utf-8")
    code, out = run(capsys, "sheet", "export", "board.xlsx", "--content", ".")
    assert code == 1 and out.endswith("没有导出：请先修改上面 ailin check 报告的错误。\n")
    assert not (board / "board.xlsx").exists()


def test_an_empty_extra_sheet_is_ignored_but_one_with_data_is_not(board: Path, capsys) -> None:
    book = exported(capsys, content=".")
    workbook = openpyxl.load_workbook(book)
    workbook.create_sheet("Sheet1")
    workbook.save(book)
    assert run(capsys, "sheet", "import", "board.xlsx", "--content", ".")[0] == 0
    edit(book, "Sheet1", {"A1": "备忘"})
    assert run(capsys, "sheet", "import", "board.xlsx", "--content", ".")[1].splitlines()[0] == (
        "board.xlsx:Sheet1!A1: error: 工作表“Sheet1”的名字无法识别，其中的内容不会导入。工作表须叫：社区、小区（院落）、建议、会议、"
        "决议、项目、资金来源、成果、照片。请把它改回原来的名字，或删除这张表。 [sheet-unknown-sheet]"
    )


def test_every_workbook_message_has_a_case() -> None:
    catalogue = {code for code in messages.codes() if code.startswith("sheet-")}
    shown = set(re.findall(r"\[(sheet-[a-z-]+)\]", Path(__file__).read_text(encoding="utf-8")))
    assert catalogue - shown == set()


def test_an_office_starting_from_paper_fills_the_template(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    (tmp_path / "content/board.yaml").write_text("title: 新河公示板\nas_of: 2024-12-20\n", encoding="utf-8")
    assert run(capsys, "sheet", "template", "台账.xlsx")[0] == 0
    workbook = openpyxl.load_workbook("台账.xlsx")
    workbook["社区"].append(["xinhe", "新河社区", "东湖街道"])
    workbook["建议"].append(["xinhe", "xh-2024-001", "路灯不亮", dt.date(2024, 5, 1), "建议征集箱", "安全隐患", None, "黄色"])
    workbook.save("台账.xlsx")
    code, out = run(capsys, "sheet", "import", "台账.xlsx")
    assert (code, out) == (0, "新建 content/communities/xinhe/community.yaml\n"
                              "新建 content/communities/xinhe/suggestions/xh-2024-001.yaml\n"
                              "导入完成：新建 2 个文件，修改 0 个文件，0 条记录没有变化。\n")
    assert run(capsys, "check")[1] == "检查通过：3 条记录，没有发现错误。\n"


@pytest.mark.parametrize("target, expected", [
    ("board.csv", "工作簿的文件名须以 .xlsx 结尾，如 台账.xlsx（这里是 board.csv）。"),
    ("nowhere/board.xlsx", "文件夹 nowhere 不存在。请先建好文件夹，或换一个保存位置。"),
])
def test_a_workbook_that_cannot_be_written_there_is_a_usage_error(board: Path, capsys, target: str, expected: str) -> None:
    assert run(capsys, "sheet", "export", target, "--content", ".") == (2, expected + "\n")
    assert run(capsys, "sheet", "template", target, "--content", ".") == (2, expected + "\n")
