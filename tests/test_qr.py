"""The fixed-mask QR fast path writes exactly segno's bytes, or steps aside for segno."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import segno
from segno import encoder
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ailin import qr, render
from ailin.cli import main
from conftest import CONFIG, REPO

BASE = "https://example.org/ailin/"
SVG = re.compile(r'<svg viewBox="[^"]*" class="ab-qr">.*?</svg>')
LEVELS = {"M": qr._M, "Q": qr._Q, "H": qr._H}


def assert_same_as_segno(url: str, title: str | None) -> None:
    fast = qr.fixed_mask_svg(url, title)
    assert fast is not None, url
    assert fast == qr.segno_svg(url, title, qr.FAST_MASK), url


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[tuple[str, str, bool]], list[str]]:
    """The sample board built with a base_url: every (url, title, best_mask) the build asked
    qr_svg for, and the address of every page."""
    content = tmp_path_factory.mktemp("board") / "content"
    shutil.copytree(REPO / "content", content)
    with (content / "board.yaml").open("a", encoding="utf-8") as board:
        board.write(f"base_url: {BASE}\n")
    asked: list[tuple[str, str, bool]] = []

    def recording(url: str, title: str, best_mask: bool = False):
        asked.append((url, title, best_mask))
        return qr.qr_svg(url, title, best_mask)

    site = tmp_path_factory.mktemp("site") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render, "qr_svg", recording)
        assert main(["build", "--content", str(content), "--output", str(site), "--config", CONFIG]) == 0
    drawn = {svg for page in site.rglob("*.html") for svg in SVG.findall(page.read_text(encoding="utf-8"))}
    assert drawn == {str(qr.qr_svg(*call)) for call in asked}  # none drawn out of sight (in a worker)
    pages = sorted(BASE + "".join(f"{part}/" for part in page.parent.relative_to(site).parts)
                   for page in site.rglob("index.html"))
    return asked, pages


def test_every_code_the_sample_board_draws_is_segnos(sample_site) -> None:
    asked, _ = sample_site
    for url, title, best_mask in asked:
        assert qr.qr_svg(url, title, best_mask) == qr.segno_svg(url, title, None if best_mask else qr.FAST_MASK)
        if not best_mask:
            assert_same_as_segno(url, title)
    assert {best_mask for *_, best_mask in asked} == {False, True}  # the printed notices' too


def test_every_page_address_of_the_sample_board_gives_segnos_bytes(sample_site) -> None:
    _, pages = sample_site
    records = [re.fullmatch(f"{BASE}c/[^/]+/([smp])/[^/]+/", url) for url in pages]
    assert {record[1] for record in records if record} == {"s", "m", "p"}
    for url in pages:
        assert_same_as_segno(url, "爱邻 <&\">")


ids = st.text("abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=24)
hosts = st.sampled_from(["https://example.org/", "https://example.org/ailin/", "http://例子.中国/board/",
                         "https://xn--fsqu00a.xn--fiqs8s/", "https://例え.jp/", "https://a.b/"])
segments = st.one_of(ids, st.text("%0123456789ABCDEF", min_size=1, max_size=30),  # percent-encoded
                     st.text("社区建议路灯ü-é", min_size=1, max_size=8))
record_urls = st.builds(lambda host, c, kind, r: f"{host}c/{c}/{kind}/{r}/", hosts, ids, st.sampled_from("smp"), ids)
free_urls = st.builds(lambda host, parts: host + "/".join(parts) + "/", hosts, st.lists(segments, max_size=12))
titles = st.one_of(st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
                   st.text('爱邻协商议事路灯维修<&">\' abc', max_size=60))


@settings(max_examples=300, deadline=None)
@given(url=st.one_of(record_urls, free_urls), title=titles)
@example(url=f"{BASE}c/jinbi/s/jb-2024-001/", title='<script>"&amp;"</script>')
def test_generated_urls_and_titles_give_segnos_bytes(url: str, title: str) -> None:
    assert_same_as_segno(url, title)


@settings(max_examples=200, deadline=None)
@given(url=st.one_of(record_urls, free_urls), title=titles)
@example(url=BASE, title="社区")
def test_the_best_mask_is_segnos(url: str, title: str) -> None:
    """The printed notices' codes: the mask segno picks, scored the way segno scores them."""
    assert qr.qr_svg.__wrapped__(url, title, True) == qr.segno_svg(url, title, None), url


@settings(max_examples=60, deadline=None)
@given(length=st.integers(1, qr._BYTES_AT_M[-1] + 40), title=titles)
def test_every_length_gives_segnos_bytes_or_steps_aside(length: int, title: str) -> None:
    url = (BASE + "c/x/s/" + "a1b2-c3d4_" * 300)[:length]
    if length > qr._BYTES_AT_M[-1]:  # fits no QR code: segno says so
        assert qr.fixed_mask_svg(url, title) is None
        with pytest.raises(segno.DataOverflowError):
            qr.qr_svg(url, title)
    else:
        assert_same_as_segno(url, title)


def boundary_lengths() -> list[int]:
    """Around the largest byte count of each version at each level: every version, every level."""
    limits = {qr._max_bytes(version, level) for version in range(1, 41) for level in LEVELS.values()}
    return sorted(n for limit in limits for n in (limit, limit + 1) if 3 <= n <= qr._BYTES_AT_M[-1])


@pytest.mark.parametrize("length", boundary_lengths())
def test_each_version_and_level_gives_segnos_bytes(length: int) -> None:
    assert_same_as_segno(("https://example.org/" + "c/jinbi/s/jb-2024-001/" * 140)[:length], "边界")


@pytest.mark.parametrize("length", boundary_lengths()[::7])
def test_the_best_mask_is_segnos_across_versions(length: int) -> None:
    url = ("https://example.org/" + "c/jinbi/s/jb-2024-001/" * 140)[:length]
    assert qr.qr_svg.__wrapped__(url, "边界", True) == qr.segno_svg(url, "边界", None), length


def test_boundaries_reach_every_version_and_every_level_segno_picks() -> None:
    def picked(length: int) -> tuple[int, int]:
        segments = encoder.prepare_data("h" * length, None, None)
        version = encoder.find_version(segments, qr._M, eci=False, micro=False)
        return version, encoder.boost_error_level(version, qr._M, segments, eci=False)

    choices = set(map(picked, boundary_lengths()))
    assert {version for version, _ in choices} == set(range(1, 41))
    assert {error for _, error in choices} == set(LEVELS.values())


@pytest.mark.parametrize("url, title", [
    (BASE, None),                              # no <title> at all
    (BASE, ""),
    ("h", "one byte: version 1, level H"),
    ("https://example.org/\x81\x40/", "latin-1 bytes that are not all kanji"),
    ("https://例え.jp/c/1/", "Shift JIS bytes"),
    ("https://例子.中国/c/1/", "UTF-8 bytes"),
    (BASE + "c/%E7%A4%BE/s/1/", "ok\u2028\u0085\ufeff\t\n\r"),
])
def test_hand_picked_cases_give_segnos_bytes(url: str, title: str | None) -> None:
    assert_same_as_segno(url, title)


@pytest.mark.parametrize("url", [
    "HTTPS://EXAMPLE.ORG/C/1/",               # alphanumeric
    "20241220",                               # numeric
    "点灯",                                    # kanji (Shift JIS)
])
def test_other_modes_are_left_to_segno(url: str) -> None:
    assert qr.fixed_mask_svg(url, "t") is None
    assert qr.qr_svg(url, "t") == qr.segno_svg(url, "t", qr.FAST_MASK)
