"""The site as MkDocs builds it: every page at its URL, safe text, photos, atomic output."""

from __future__ import annotations

import html
import html.parser
import itertools
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import CONFIG, FIXTURES, tree_digest
from ailin.cli import main
from ailin.search import shard_of, tokens

HOSTILE_SUMMARY = (
    "正常文字 <script>alert(1)</script> <img src=x onerror=alert(2)>\n\n"
    "[点我](javascript:alert(3)) [数据](data:text/html;base64,PHNjcmlwdD4=) "
    "<a href=\"https://example.org/\" onclick=\"alert(4)\">链接</a> <!-- --><script>alert(5)</script> -->\n"
)


def build(content: Path, output: Path, *extra: str) -> int:
    return main(["build", "--content", str(content), "--output", str(output), "--config", CONFIG, *extra])



@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal board, with hostile Markdown in a summary, built once for this module."""
    content = tmp_path_factory.mktemp("board") / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    suggestion = content / "communities/demo/suggestions/demo-002.yaml"
    suggestion.write_text(
        suggestion.read_text(encoding="utf-8") + "summary: |\n" + "".join(f"  {line}\n" for line in HOSTILE_SUMMARY.splitlines()),
        encoding="utf-8",
    )
    site = tmp_path_factory.mktemp("site") / "site"
    assert build(content, site) == 0
    return site


def test_every_record_has_a_page_at_its_url(demo_site: Path) -> None:
    for path in ("index.html", "c/demo/index.html", "c/demo/s/demo-001/index.html", "c/demo/s/demo-002/index.html",
                 "c/demo/m/demo-m-1/index.html", "c/demo/p/demo-lights/index.html", "about/index.html"):
        assert (demo_site / path).is_file(), path


def test_titles_explain_themselves_in_wechat(demo_site: Path) -> None:
    """WeChat's share card shows <title>: the record's own title first, then status, community."""
    html = (demo_site / "c/demo/s/demo-001/index.html").read_text(encoding="utf-8")
    assert "<title>一号院楼道灯损坏 · 待评分 · 示范社区</title>" in html
    assert '<meta property="og:title" content="一号院楼道灯损坏 · 待评分 · 示范社区">' in html
    assert '<meta name="description" content="一号院楼道灯损坏 · 待评分">' in html
    project = (demo_site / "c/demo/p/demo-lights/index.html").read_text(encoding="utf-8")
    assert "<title>楼道灯更换 · 已完成 · 示范社区</title>" in project
    meeting = (demo_site / "c/demo/m/demo-m-1/index.html").read_text(encoding="utf-8")
    title = meeting[meeting.index("<title>") + 7:meeting.index("</title>")]
    assert title.endswith(" · 示范社区") and not title.startswith("示范社区")


def test_long_record_titles_are_clipped_for_the_share_card() -> None:
    from ailin.render import SHARE_TITLE_CHARS, share_title

    long = "楼" * 40
    title = share_title(long, "办理中", "示范社区")
    assert title == "楼" * (SHARE_TITLE_CHARS - 1) + "… · 办理中 · 示范社区"
    assert share_title("短标题", "", "示范社区") == "短标题 · 示范社区"


def test_markdown_fields_are_sanitized(demo_site: Path) -> None:
    html = (demo_site / "c/demo/s/demo-002/index.html").read_text(encoding="utf-8")
    body = html[html.index('<div class="ab-page'):]
    assert "正常文字" in body
    for forbidden in ("<script>alert", "onerror", "javascript:", "data:text/html", "onclick", "<img"):
        assert forbidden not in body, forbidden
    assert '<a href="https://example.org/" rel="noopener noreferrer nofollow">链接</a>' in body


def test_photos_get_resized_copies_loaded_lazily(demo_site: Path) -> None:
    for width in (480, 960):
        assert (demo_site / f"c/demo/media/lights-after-{width}.jpg").is_file()
    html = (demo_site / "c/demo/p/demo-lights/index.html").read_text(encoding="utf-8")
    assert 'src="../../media/lights-after-480.jpg"' in html and 'loading="lazy"' in html


def _search(site: Path, words: str) -> list[list[str]]:
    """What the site's search script finds for `words`: the stored rows of the records holding
    every word, read from the files in find/ as a phone reads them."""
    folder = site / "find"
    info = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    hits = None
    for token in tokens(words, query=True):
        table = json.loads((folder / f"i/{shard_of(token, info['shards'])}.json").read_text(encoding="utf-8"))
        ids = set(itertools.accumulate(table.get(token, [[], []])[0]))
        hits = ids if hits is None else hits & ids
    rows = []
    for number in sorted(hits or ()):
        batch = json.loads((folder / f"d/{number // info['per_file']}.json").read_text(encoding="utf-8"))
        rows.append(batch[number % info["per_file"]])
    return rows


def test_records_are_searchable_but_stay_out_of_navigation(demo_site: Path) -> None:
    found = {row[0]: row for row in _search(demo_site, "楼道灯")}
    assert set(found) == {"c/demo/s/demo-001/", "c/demo/m/demo-m-1/", "c/demo/p/demo-lights/"}
    url, title, status, chip, where, _ = found["c/demo/s/demo-001/"]
    assert (title, status, chip, where) == ("一号院楼道灯损坏", "待评分", "ab-status-awaiting_score", "示范社区 · 建议")
    assert [row[0] for row in _search(demo_site, "示范社区")][0] == "c/demo/"
    assert _search(demo_site, "数据来源文件") == []  # what a page shows around the record is not searched
    assert not (demo_site / "search/search_index.json").exists()  # no whole-site index for every page load
    page = (demo_site / "c/demo/s/demo-001/index.html").read_text(encoding="utf-8")
    assert page.count('class="md-nav__link') < 10


def test_search_words_match_any_characters_typed() -> None:
    assert tokens("电动车", query=True) == ["电动", "动车"]
    assert tokens("灯", query=True) == ["灯"]
    assert set(tokens("楼道飞线给电动车充电")) >= {"飞线", "电动", "动车", "飞", "车"}  # wherever a splitter cuts
    assert tokens("Street LIGHTS, 2 trees; glass", query=True) == ["street", "light", "2", "tree", "glass"]
    assert tokens("ＡＢＣ充电") == ["充", "电", "充电", "abc"]  # full-width letters read as ASCII


def test_no_page_refers_to_another_host(demo_site: Path) -> None:
    for page in demo_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for marker in ('src="http', "src='http", 'href="//', "fonts.googleapis", "unpkg.com", "api.github.com"):
            assert marker not in html, f"{page}: {marker}"


def test_failed_check_writes_nothing_and_keeps_the_previous_site(board: Path, tmp_path: Path, capsys) -> None:
    site = tmp_path / "site"
    assert build(board, site) == 0
    before = tree_digest(site)
    (board / "communities/demo/suggestions/demo-002.yaml").write_text("id: demo-002\ntitle: x\n", encoding="utf-8")
    capsys.readouterr()
    assert build(board, site) == 1
    out = capsys.readouterr().out
    assert "communities/demo/suggestions/demo-002.yaml:1:1: error: 缺少必填字段 received" in out
    assert out.rstrip().endswith("网站未生成：上次生成的网站保持不变。")
    assert tree_digest(site) == before
    assert sorted(p.name for p in site.parent.iterdir()) == [".cache", "content", "site"]  # no staging folder left


def test_a_build_leaves_no_temporary_folder(board: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    assert build(board, tmp_path / "site") == 0
    assert list(temporary.iterdir()) == []
    assert "c/demo/" in [row[0] for row in _search(tmp_path / "site", "东湖街道")]  # place names are found whole


def test_the_embed_snippet_is_safe_to_paste(board: Path, tmp_path: Path) -> None:
    name = '示范" onload="window.__pwned=1'
    community = board / "communities/demo/community.yaml"
    community.write_text(community.read_text(encoding="utf-8").replace("name: 示范社区", f"name: '{name}'"), encoding="utf-8")
    (board / "board.yaml").write_text((board / "board.yaml").read_text(encoding="utf-8") + "base_url: https://example.org/board/\n", encoding="utf-8")
    assert build(board, tmp_path / "site") == 0
    page = (tmp_path / "site/c/demo/index.html").read_text(encoding="utf-8")
    shown = re.search(r'<pre class="ab-snippet"><code>(.*?)</code></pre>', page).group(1)
    pasted = html.unescape(shown)  # what a person copies from the page

    tags: list[tuple[str, dict]] = []
    parser = html.parser.HTMLParser()
    parser.handle_starttag = lambda tag, attrs: tags.append((tag, dict(attrs)))
    parser.feed(pasted)
    assert [(tag, sorted(attrs)) for tag, attrs in tags] == [("iframe", ["loading", "src", "style", "title"])]
    assert tags[0][1]["title"] == name
    assert tags[0][1]["src"] == "https://example.org/board/c/demo/embed/"


def test_mkdocs_build_strict_works_through_the_plugin(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    _edit(content / "board.yaml", "language: zh", "language: zh\nbase_url: https://example.org/ailin/")
    env = {**os.environ, "AILIN_CONTENT": str(content)}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", CONFIG, "-d", str(tmp_path / "out")],
        capture_output=True, text=True, env=env,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out/c/demo/s/demo-001/index.html").is_file()


def test_mkdocs_build_with_broken_content_stops_with_file_and_line(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    (content / "communities/demo/meetings/demo-m-1.yaml").write_text("id: demo-m-1\nkind: 党员大会\ndate: 2024-03-04\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", CONFIG, "-d", str(tmp_path / "out")],
        capture_output=True, text=True, env={**os.environ, "AILIN_CONTENT": str(content)}, cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "content/communities/demo/meetings/demo-m-1.yaml:2:7: error: kind 不能是 “党员大会”" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_export_writes_pages_any_engine_can_render(board: Path, tmp_path: Path, capsys) -> None:
    assert main(["export", "--content", ".", str(tmp_path / "docs")]) == 0
    page = (tmp_path / "docs/c/demo/s/demo-001/index.md").read_text(encoding="utf-8")
    assert page.startswith("---\ntitle: 一号院楼道灯损坏 · 待评分 · 示范社区\n")
    assert '<div class="ab-page ab-suggestion"' in page and "\n\n<div" in page
    assert (tmp_path / "docs/c/demo/media/lights-after-480.jpg").is_file()


def test_built_open_data_validates_with_the_frictionless_command(demo_site: Path) -> None:
    result = subprocess.run(
        [str(Path(sys.executable).with_name("frictionless")), "validate", str(demo_site / "data/datapackage.json")],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    page = (demo_site / "data/index.html").read_text(encoding="utf-8")
    assert 'href="../data/suggestions.csv"' in page or 'href="suggestions.csv"' in page
    assert "2 行" in page  # demo-001 and demo-002


def test_feeds_and_calendars_are_published_and_announced(demo_site: Path) -> None:
    assert (demo_site / "feed.xml").is_file() and (demo_site / "c/demo/feed.xml").is_file()
    assert (demo_site / "c/demo/meetings.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    page = (demo_site / "c/demo/index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate feed" type="application/atom+xml"' in page and 'href="feed.xml"' in page


def test_material_toggles_carry_no_invalid_autocomplete(demo_site: Path) -> None:
    """HTML allows autocomplete only on text-like inputs; Material puts it on two checkboxes."""
    for page in ("index.html", "c/demo/s/demo-001/index.html", "about/index.html", "404.html"):
        html = (demo_site / page).read_text(encoding="utf-8")
        assert 'id="__drawer">' in html and 'id="__search">' in html, page
        assert 'type="checkbox" id="__drawer" autocomplete' not in html and 'id="__search" autocomplete' not in html


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path} has no {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_board_without_base_url_builds_and_says_what_is_missing(board: Path, tmp_path: Path, caplog) -> None:
    def warned() -> list[str]:
        return [r.getMessage() for r in caplog.records if r.levelname == "WARNING" and "base_url" in r.getMessage()]

    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        assert build(board, tmp_path / "site") == 0
        assert len(warned()) == 1 and warned()[0].startswith("board.yaml 没有设置 base_url：") and "二维码" in warned()[0]
        caplog.clear()
        _edit(board / "board.yaml", "language: zh", "language: zh\nbase_url: https://example.org/ailin/")
        assert build(board, tmp_path / "site") == 0
        assert warned() == []


def test_board_priority_labels_are_shown(board: Path, tmp_path: Path) -> None:
    _edit(board / "board.yaml", "language: zh", "language: zh\npriorities:\n  orange: {label: 两周内办结}")
    assert build(board, tmp_path / "site") == 0
    html = (tmp_path / "site/c/demo/s/demo-001/index.html").read_text(encoding="utf-8")
    assert "<dt>紧急程度</dt><dd>" in html and "橙色</span> 两周内办结</dd>" in html


def test_an_english_board_is_english_everywhere(board: Path, tmp_path: Path) -> None:
    _edit(board / "board.yaml", "language: zh", "language: en")
    _edit(board / "communities/demo/community.yaml", "deliberation_day: 20", "deliberation_day: 20\nchannels: [suggestion_box, door_visit]")
    assert build(board, tmp_path / "site") == 0
    site = tmp_path / "site"
    for page in ("index.html", "c/demo/index.html", "c/demo/s/demo-001/index.html", "about/index.html", "404.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert '<html lang="en"' in html, page
        assert 'placeholder="Words to look for' in html and 'aria-label="Search suggestions, meetings and projects"' in html, page
        assert "输入关键词" not in html and "搜索" not in html, page
    for page in ("c/demo/index.html", "c/demo/s/demo-001/index.html"):
        assert '<meta property="og:locale" content="en_GB">' in (site / page).read_text(encoding="utf-8")
    community = (site / "c/demo/index.html").read_text(encoding="utf-8")
    assert "<dd>suggestion box, door-to-door visit day</dd>" in community
    suggestion = (site / "c/demo/s/demo-001/index.html").read_text(encoding="utf-8")
    assert "orange</span> urgent</dd>" in suggestion  # the default label, in English
    assert "Source file: <code>" in suggestion and "：" not in suggestion.split('<div class="ab-page', 1)[1].split("<code>")[0]
    assert json.loads((site / "find/index.json").read_text(encoding="utf-8"))["language"] == "en"
