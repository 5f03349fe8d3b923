"""Publishing never leaves a half-written site, and the same content gives the same bytes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import CONFIG, REPO, tree_digest
from ailin.publish import StagedOutput




def ailin(*args: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "ailin.cli", *args, "--config", CONFIG],
        cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"},
    )


def test_two_builds_of_the_same_content_are_byte_identical(tmp_path: Path) -> None:
    for name in ("one", "two"):
        assert ailin("build", "--content", str(REPO / "content"), "--output", str(tmp_path / name), cwd=tmp_path).wait() == 0
        time.sleep(1.1)  # a clock-dependent byte would now differ
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")
    for page in (tmp_path / "one").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert str(REPO) not in text and str(tmp_path) not in text, page


def test_a_build_killed_midway_leaves_the_previous_site(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    import synthetic

    content = tmp_path / "content"
    synthetic.generate(content, communities=6, suggestions=600, meetings=60, projects=30, seed=3)
    site = tmp_path / "site"
    assert ailin("build", "--content", str(content), "--output", str(site), cwd=tmp_path).wait() == 0
    before = tree_digest(site)
    build = ailin("build", "--content", str(content), "--output", str(site), "--no-cache", cwd=tmp_path)  # not skipped
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(".site.building-") for p in tmp_path.iterdir()):
        assert time.monotonic() < deadline and build.poll() is None, "the build never started staging"
        time.sleep(0.05)
    time.sleep(0.5)  # well inside the build: pages are being written
    build.send_signal(signal.SIGKILL)
    build.wait()
    assert tree_digest(site) == before
    # the next build clears what the killed one left, and publishes
    assert ailin("build", "--content", str(content), "--output", str(site), cwd=tmp_path).wait() == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cache", "content", "site"]  # the build cache stays


def test_a_swap_cut_between_its_two_renames_is_undone(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old", encoding="utf-8")
    staged = StagedOutput(site)
    (staged.staging / "index.html").write_text("new", encoding="utf-8")
    os.rename(site, tmp_path / ".site.previous")  # the first rename of commit(), then a crash
    StagedOutput(site).discard()  # the next build starts by recovering
    assert (site / "index.html").read_text(encoding="utf-8") == "old"
    shutil.rmtree(staged.staging)


def test_the_replaced_site_goes_after_the_build_has_returned(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    site = tmp_path / "site"
    trash = tmp_path / ".cache/ailin/content/trash"
    for edit in ("", "·试行"):  # an edit, so the second build is not skipped
        board = content / "board.yaml"
        text = board.read_text(encoding="utf-8")
        assert "\ntitle: " in text
        board.write_text(text.replace("\ntitle: ", f"\ntitle: {edit}", 1), encoding="utf-8")
        assert ailin("build", "--content", str(content), "--output", str(site), cwd=tmp_path).wait() == 0
    assert trash.is_dir()  # the second build moved the first one's site there
    deadline = time.monotonic() + 30
    while any(trash.iterdir()):  # the first build's site, removed by a process of its own
        assert time.monotonic() < deadline, list(trash.iterdir())
        time.sleep(0.1)
    assert (site / "index.html").is_file() and not list(tmp_path.glob(".site*"))
