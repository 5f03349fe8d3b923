"""Structurally valid boards with random words: the check never raises, and every board that
passes it renders pages in which no value becomes markup."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import yaml
from markupsafe import escape
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from ailin import opendata, pipeline

sys.path.insert(0, str(Path(__file__).parent))
from test_hostile import _Dangerous  # noqa: E402 - the same judge of dangerous markup

words = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cf", "Zl", "Zp")),
    min_size=1, max_size=40,
).map(str.strip).filter(bool)
markup_words = st.one_of(words, st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\" onmouseover=\"alert(1)",
    "[x](javascript:alert(1))", "{{ 7*7 }}", "</title><b>", "&lt;script&gt;", "<!-- x -->",
]))


@st.composite
def boards(draw):
    """Changes to the minimal board: random words in every free-text field."""
    return {
        "title": draw(markup_words).replace("\n", " ")[:80],
        "summary": draw(markup_words),
        "note": draw(markup_words),
        "place": draw(markup_words).replace("\n", " ")[:60],
        "minutes": draw(markup_words),
        "label": draw(markup_words).replace("\n", " ")[:60],
        "community": draw(markup_words).replace("\n", " ")[:40],
        "resolution": draw(markup_words),
        "unit": draw(st.sampled_from(["平方米", "㎡", "m2", "个", "棵", "<b>"])),
    }


def _write(root: Path, change: dict) -> None:
    def edit(relative: str, apply) -> None:
        file = root / relative
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        apply(data)
        file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    edit("communities/demo/suggestions/demo-001.yaml", lambda d: d.update(
        title=change["title"], summary=change["summary"],
        steps=[{**d["steps"][0], "note": change["note"]}, *d["steps"][1:]]))
    edit("communities/demo/meetings/demo-m-1.yaml", lambda d: d.update(
        place=change["place"], minutes=change["minutes"],
        resolutions=[{**d["resolutions"][0], "text": change["resolution"]}]))
    edit("communities/demo/projects/demo-lights.yaml", lambda d: d.update(
        outputs=[{"label": change["label"], "quantity": 3, "unit": change["unit"]}]))
    edit("communities/demo/community.yaml", lambda d: d.update(name=change["community"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(change=boards())
def test_valid_boards_with_random_words_render_as_text(tmp_path: Path, change: dict) -> None:
    root = tmp_path / "content"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(FIXTURES / "minimal", root)
    _write(root, change)
    result = pipeline.check(root)  # must not raise, whatever the words
    event("published" if result.ok else "refused by the check")
    if not result.ok:
        return  # e.g. a control character or a phone-like number: reported, not published
    site = pipeline.render(pipeline.model_of(result), root)
    assert opendata.validate_files(pipeline.board_files(site)) == []  # as `check --data`
    pages = list(site.all_pages())
    for page in pages:
        judge = _Dangerous()
        judge.feed(page.body)
        assert judge.found == [], (page.path, judge.found)
        front = yaml.safe_load(page.markdown().split("---\n")[1])  # what the theme writes unescaped
        assert not set("<>&\"'") & set(front["title"] + front["description"]), page.path
    suggestion = next(p for p in pages if p.path == "c/demo/s/demo-001/")
    assert str(escape(change["title"])) in suggestion.body
