"""A build that reuses the cache publishes exactly what a build from nothing publishes.

Each edit below is made to a copy of the sample board; after it, `ailin build` (with its
cache in .cache/ailin/) and `ailin build --no-cache` into another folder must write
byte-identical sites, and the communities the edit cannot have touched must be the very
files of the previous build (hard links from the cache keep their inode). The board-wide files
(feed, open data, search index) are assembled from each community's part, kept in the cache
with its files: a stale or wrong part shows as a difference from the build from nothing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import CONFIG, REPO, tree_digest
from ailin.cli import main


def build(content: Path, output: Path, *extra: str) -> int:
    return main(["build", "--content", str(content), "--output", str(output), "--config", CONFIG, *extra])


def inodes(site: Path, community: str) -> dict[str, int]:
    """The community's files: pages, photo copies, feed, calendar and data.json."""
    folder = site / "c" / community
    return {str(p.relative_to(site)): p.stat().st_ino for p in sorted(folder.rglob("*")) if p.is_file()}


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def board(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    content = tmp_path / "board" / "content"
    shutil.copytree(REPO / "content", content)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # the sitemap's date, the same in every build
    return content


def first_title(path: Path) -> str:
    return next(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("title: "))


EDITS = {
    # (what the edit is, the communities it may change)
    "a suggestion's title": ("jintu",),
    "a meeting's place": ("jinbi",),
    "a community's name": ("shiniuyan",),
    "the board's title": ("jinbi", "jintu", "shiniuyan"),
    "a suggestion removed": ("jinbi",),
    "a link across communities": ("jinbi", "jintu"),  # both pages show the other's record
}


def edit(content: Path, what: str) -> Path:
    """Make the edit; returns the file it changed."""
    communities = content / "communities"
    if what == "a suggestion's title":
        path = sorted((communities / "jintu" / "suggestions").glob("*.yaml"))[0]
        title = first_title(path)
        replace_in(path, title, title + "（已更新）")
    elif what == "a meeting's place":
        path = sorted((communities / "jinbi" / "meetings").glob("*.yaml"))[0]
        place = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("place: "))
        replace_in(path, place, place + "二楼")
    elif what == "a community's name":
        path = communities / "shiniuyan" / "community.yaml"
        name = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("name: "))
        replace_in(path, name, name + "（新）")
    elif what == "the board's title":
        path = content / "board.yaml"
        replace_in(path, first_title(path), first_title(path) + "·试行")
    elif what == "a link across communities":
        path = communities / "jinbi" / "meetings" / "jb-m-2024-02.yaml"
        replace_in(path, "agenda: [jb-2024-001]", "agenda: [jb-2024-001, jt-2024-001]")
    elif what == "a suggestion removed":
        path = communities / "jinbi" / "suggestions" / "jb-2024-012.yaml"
        path.unlink()
    return path


@pytest.mark.parametrize("what", EDITS)
def test_a_cached_build_after_an_edit_equals_a_build_from_nothing(board: Path, tmp_path: Path, what: str) -> None:
    site, fresh = tmp_path / "site", tmp_path / "fresh"
    assert build(board, site) == 0
    before = {c: inodes(site, c) for c in ("jinbi", "jintu", "shiniuyan")}
    edit(board, what)
    assert build(board, site) == 0
    assert build(board, fresh, "--no-cache") == 0
    assert tree_digest(site) == tree_digest(fresh)
    for community, files in before.items():
        kept = inodes(site, community) == files
        assert kept == (community not in EDITS[what]), (community, "kept" if kept else "rendered again")


def test_an_edit_reaches_the_board_wide_files_of_a_cached_build(board: Path, tmp_path: Path) -> None:
    site, fresh = tmp_path / "site", tmp_path / "fresh"
    assert build(board, site) == 0
    before = tree_digest(site)
    path = board / "communities" / "jintu" / "suggestions" / "jt-2024-011.yaml"  # among the board feed's newest
    replace_in(path, first_title(path), first_title(path) + "（已更新）")
    assert build(board, site) == 0
    assert build(board, fresh, "--no-cache") == 0
    after = tree_digest(site)
    assert after == tree_digest(fresh)
    changed = {name for name, digest in after.items() if before.get(name) != digest}
    board_wide = {"feed.xml", "data/suggestions.csv", "data/datapackage.json", "find/index.json"}
    assert board_wide | {"c/jintu/feed.xml", "c/jintu/data.json"} <= changed
    assert not any(name.startswith(("c/jinbi/", "c/shiniuyan/")) for name in changed)


def test_cached_shards_combine_into_the_site_a_build_from_nothing_makes(board: Path, tmp_path: Path) -> None:
    """Each shard writes the board-wide files from its own communities' parts and the others'."""
    for shard in (1, 2):
        assert build(board, tmp_path / f"s{shard}", "--shard", f"{shard}/2") == 0
    edit(board, "a link across communities")
    for shard in (1, 2):
        assert build(board, tmp_path / f"s{shard}", "--shard", f"{shard}/2") == 0
    assert main(["combine", str(tmp_path / "s1"), str(tmp_path / "s2"), "--output", str(tmp_path / "site")]) == 0
    assert build(board, tmp_path / "fresh", "--no-cache") == 0
    assert tree_digest(tmp_path / "site") == tree_digest(tmp_path / "fresh")


def test_a_build_that_would_change_nothing_is_skipped(board: Path, tmp_path: Path, capsys) -> None:
    site = tmp_path / "site"
    assert build(board, site) == 0
    index = (site / "index.html").stat()
    capsys.readouterr()
    assert build(board, site) == 0
    assert "网站已是最新" in capsys.readouterr().out
    assert (site / "index.html").stat().st_ino == index.st_ino  # not even the swap happened
    os.utime(board / "board.yaml")  # touched, not changed: still nothing to do
    assert build(board, site) == 0
    assert "网站已是最新" in capsys.readouterr().out
    (site / "index.html").write_text("edited by hand", encoding="utf-8")
    assert build(board, site) == 0  # a site changed by hand is built again
    assert "网站已生成" in capsys.readouterr().out
    assert "edited by hand" not in (site / "index.html").read_text(encoding="utf-8")


def test_the_cache_is_safe_to_delete(board: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert build(board, site) == 0
    first = tree_digest(site)
    shutil.rmtree(board.parent / ".cache")
    edit(board, "a suggestion's title")
    assert build(board, site) == 0
    assert build(board, tmp_path / "fresh", "--no-cache") == 0
    assert tree_digest(site) == tree_digest(tmp_path / "fresh") != first


def test_a_community_gone_from_the_board_is_gone_from_the_cache(board: Path, tmp_path: Path) -> None:
    cache = board.parent / ".cache" / "ailin" / "content"
    assert build(board, tmp_path / "site") == 0
    assert sorted(p.name for p in (cache / "communities").iterdir()) == ["jinbi", "jintu", "shiniuyan"]
    assert sorted(p.name for p in (cache / "checked").iterdir()) == ["jinbi.pickle", "jintu.pickle", "shiniuyan.pickle"]
    shutil.rmtree(board / "communities" / "shiniuyan")
    assert build(board, tmp_path / "site", "--shard", "1/2") == 0  # a shard too forgets it
    assert sorted(p.name for p in (cache / "communities").iterdir()) == ["jinbi", "jintu"]
    assert sorted(p.name for p in (cache / "checked").iterdir()) == ["jinbi.pickle", "jintu.pickle"]
    assert not list((tmp_path / "site").rglob("shiniuyan*"))
    assert build(board, tmp_path / "site") == 0
    assert sorted(p.name for p in (cache / "communities").iterdir()) == ["jinbi", "jintu"]


def test_combine_refuses_shards_that_do_not_make_one_site(board: Path, tmp_path: Path, capsys) -> None:
    for shard in (1, 2):
        assert build(board, tmp_path / f"s{shard}", "--shard", f"{shard}/3") == 0
    capsys.readouterr()
    assert main(["combine", str(tmp_path / "s1"), str(tmp_path / "s2"), "--output", str(tmp_path / "site")]) == 2
    assert "缺少或重复的分片：3/3" in capsys.readouterr().err
    edit(board, "a suggestion's title")  # the third shard is built from other content
    assert build(board, tmp_path / "s3", "--shard", "3/3") == 0
    capsys.readouterr()
    assert main(["combine", *(str(tmp_path / f"s{i}") for i in (1, 2, 3)), "--output", str(tmp_path / "site")]) == 2
    assert "这些分片不是同一次生成的" in capsys.readouterr().err
    assert main(["combine", str(board), "--output", str(tmp_path / "site")]) == 2
    assert "不是 ailin build --shard 的输出" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()  # nothing half-joined is left


def preview_of(content: Path, site_dir: Path):
    from ailin import siteconfig
    from ailin.preview import Preview

    site_dir.mkdir()
    return Preview(lambda **overrides: siteconfig.load(Path(CONFIG), **overrides), content, None, site_dir,
                   "127.0.0.1:8000", "http://127.0.0.1:8000/")


def community_files(digests: dict[str, str]) -> dict[str, str]:
    """The communities' pages and files: what an update makes again (the board's follow)."""
    return {path: d for path, d in digests.items() if path.startswith("c/")}


@pytest.mark.parametrize("what", EDITS)
def test_the_preview_updates_the_communities_an_edit_reaches_then_the_whole_site(board: Path, tmp_path: Path, what: str) -> None:
    preview = preview_of(board, tmp_path / "served")
    preview.build()
    shutil.copytree(preview.site_dir, tmp_path / "before")
    before = {c: inodes(preview.site_dir, c) for c in ("jinbi", "jintu", "shiniuyan")}
    generation = preview.generation
    preview.note(str(edit(board, what)))
    preview.build()
    expected = preview_of(board, tmp_path / "whole")
    expected.build()
    served, whole = tree_digest(preview.site_dir), tree_digest(expected.site_dir)
    if what == "the board's title":  # outside the community folders: a whole build at once
        assert served == whole and preview.generation == generation + 1
        return
    assert community_files(served) == community_files(whole) != community_files(tree_digest(tmp_path / "before"))
    for community, files in before.items():
        kept = inodes(preview.site_dir, community) == files
        assert kept == (community not in EDITS[what]), (community, "kept" if kept else "made again")
    assert preview.follow()
    assert tree_digest(preview.site_dir) == whole
