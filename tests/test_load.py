"""The loader refuses what a safe publisher must refuse, and says where."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ailin import pipeline
from ailin.cli import main

SUGGESTION = Path("communities/demo/suggestions/demo-002.yaml")


def run_check(capsys, *extra: str) -> tuple[int, list[str]]:
    code = main(["check", "--content", ".", *extra])
    return code, capsys.readouterr().out.splitlines()


def test_clean_minimal_board_passes(board: Path, capsys) -> None:
    code, lines = run_check(capsys)
    assert (code, lines) == (0, ["检查通过：6 条记录，没有发现错误。"])


def test_gbk_file_is_refused_with_the_line_of_the_bad_byte(board: Path, capsys) -> None:
    (board / SUGGESTION).write_bytes("id: demo-002\ntitle: 建议增设充电桩\n".encode("gbk"))
    code, lines = run_check(capsys)
    assert code == 1
    assert lines[0] == (
        "communities/demo/suggestions/demo-002.yaml:2:8: error: 文件不是 UTF-8 编码（此处有无法识别的字节）。"
        "请在编辑器里“另存为 UTF-8”。 [not-utf8]"
    )


def test_utf8_byte_order_mark_is_accepted(board: Path, capsys) -> None:
    file = board / SUGGESTION
    file.write_bytes(b"\xef\xbb\xbf" + file.read_bytes())
    assert run_check(capsys)[0] == 0


def test_file_over_one_mebibyte_is_refused(board: Path, capsys) -> None:
    file = board / SUGGESTION
    file.write_text(file.read_text(encoding="utf-8") + "summary: " + "很" * 400_000 + "\n", encoding="utf-8")
    code, lines = run_check(capsys, "--lang", "en")
    assert code == 1
    assert lines[0] == (
        "communities/demo/suggestions/demo-002.yaml:1:1: error: The file is 1172 KiB, over the 1024 KiB limit. "
        "A record is never that large: remove pasted material or split the file. [file-too-large]"
    )


def test_symlink_out_of_the_content_folder_is_not_read(board: Path, tmp_path: Path, capsys) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: demo-009\ntitle: 秘密\n", encoding="utf-8")
    os.symlink(secret, board / "communities/demo/suggestions/demo-009.yaml")
    code, lines = run_check(capsys)
    assert code == 1
    assert lines[0] == (
        "communities/demo/suggestions/demo-009.yaml:1:1: error: 这个文件是指向内容文件夹之外的链接，出于安全不会读取。"
        "请把真实文件放进内容文件夹。 [link-outside-content]"
    )


def test_photo_symlink_out_of_the_content_folder_is_refused(board: Path, tmp_path: Path, capsys) -> None:
    outside = tmp_path / "outside.jpg"
    outside.write_bytes(b"\xff\xd8\xff")
    media = board / "communities/demo/media"
    (media / "lights-after.jpg").unlink()
    os.symlink(outside, media / "lights-after.jpg")
    code, lines = run_check(capsys)
    assert code == 1
    assert lines[0].endswith("[link-outside-content]")
    assert lines[0].startswith("communities/demo/projects/demo-lights.yaml:14:12:")


def test_all_problems_come_in_one_run(board: Path, capsys) -> None:
    (board / SUGGESTION).write_text("id: demo-002\ntitle: x\nreceived: 2024-4-1\npriority: 紫\n", encoding="utf-8")
    (board / "communities/demo/meetings/demo-m-1.yaml").write_text("id: demo-m-1\nkind: party\n", encoding="utf-8")
    code, lines = run_check(capsys)
    codes = [line.rsplit("[", 1)[-1].rstrip("]") for line in lines[:-1]]
    assert code == 1
    assert codes.count("missing-field") == 3  # meeting date, suggestion channel and category
    assert {"bad-date", "unknown-value"} <= set(codes)
    assert lines[-1].startswith(f"检查未通过：{len(codes)} 个错误")


def test_every_format_character_is_refused_or_reported() -> None:
    import sys
    import unicodedata

    from ailin.validate import BIDI, FORMAT_CHARACTER

    format_characters = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert [f"U+{ord(c):04X}" for c in format_characters if not (BIDI.match(c) or FORMAT_CHARACTER.match(c))
            and c not in "\ufff9\ufffa\ufffb"] == []  # U+FFF9–FFFB: control-character


def test_photo_written_with_media_prefix_is_the_photo_in_media(board: Path, capsys) -> None:
    project = board / "communities/demo/projects/demo-lights.yaml"
    project.write_text(project.read_text(encoding="utf-8").replace("file: lights-after.jpg", "file: media/lights-after.jpg"), encoding="utf-8")
    assert run_check(capsys) == (0, ["检查通过：6 条记录，没有发现错误。"])
    [record] = [r for r in pipeline.check(Path(".")).board.records if r.kind == "project"]
    assert record.data["photos"][0]["file"] == "lights-after.jpg"


@pytest.mark.parametrize("size", [0, 1, 4095, 1024 * 1024, 1024 * 1024 + 1, 3 * 1024 * 1024])
def test_read_bytes_reads_what_open_reads(tmp_path: Path, size: int) -> None:
    """ailin.read_bytes (the check and the content digests): the whole file, or with a limit its
    first limit + 1 bytes, as `open().read()` gives them."""
    from ailin import read_bytes

    file = tmp_path / "f.bin"
    file.write_bytes(os.urandom(size))
    whole = file.read_bytes()
    assert read_bytes(file) == whole
    assert read_bytes(file, 1024 * 1024) == whole[:1024 * 1024 + 1]
