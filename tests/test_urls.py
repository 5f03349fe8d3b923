"""Site paths: records know their URL; every link between two paths is made in generator/urls.py."""

import posixpath
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ailin import urls
from ailin.model import Community, Meeting, Project, Suggestion

GENERATOR = Path(__file__).resolve().parent.parent / "generator"


def test_records_know_their_url(tmp_path: Path) -> None:
    import datetime as dt

    community = Community(id="jintu", name="锦途", street="s", source=tmp_path)
    suggestion = Suggestion.__new__(Suggestion)
    suggestion.id, suggestion.community = "jt-2024-007", "jintu"
    meeting = Meeting(id="jt-m-01", community="jintu", kind="deliberation", date=dt.date(2024, 1, 1), source=tmp_path)
    project = Project(id="jt-p-01", community="jintu", title="t", kind="other", status="planned", source=tmp_path)
    assert community.url == "c/jintu/"
    assert community.file_url("feed.xml") == "c/jintu/feed.xml"
    assert suggestion.url == "c/jintu/s/jt-2024-007/"
    assert meeting.url == "c/jintu/m/jt-m-01/"
    assert project.url == "c/jintu/p/jt-p-01/"


@pytest.mark.parametrize("target, page, link", [
    ("c/jintu/s/a/", "c/jintu/", "s/a/"),
    ("c/jintu/", "c/jintu/s/a/", "../../"),
    ("", "c/jintu/s/a/", "../../../../"),
    ("c/jintu/", "c/jintu/", "./"),
    ("", "", "./"),
    ("c/jintu/feed.xml", "c/jintu/s/a/", "../../feed.xml"),
    ("data/datapackage.json", "", "data/datapackage.json"),
    ("c/other/m/b/", "c/jintu/p/a/", "../../../other/m/b/"),
])
def test_relative_links(target: str, page: str, link: str) -> None:
    assert urls.relative(target, page) == link


_SEGMENTS = st.sampled_from(["c", "jintu", "s", "a", "feed.xml", "embed", ".", "..", ""])
_PATHS = st.builds(lambda parts, folder: "/".join(parts) + ("/" if folder and parts else ""),
                   st.lists(_SEGMENTS, max_size=5), st.booleans())


@settings(max_examples=2000, deadline=None)
@given(_PATHS, _PATHS)
def test_relative_links_agree_with_relpath(target: str, page: str) -> None:
    """The segment-by-segment link is relpath's, clean paths or not."""
    try:
        link = posixpath.relpath(target or ".", page or ".")
    except ValueError:
        return
    expected = "./" if link == "." else link + ("/" if target.endswith("/") or not target else "")
    assert urls.relative(target, page) == expected


@pytest.mark.parametrize("target, file, link", [
    ("c/jintu/s/a/", "c/jintu/feed.xml", "s/a/"),
    ("c/jintu/s/a/", "feed.xml", "c/jintu/s/a/"),
    ("", "c/jintu/feed.xml", "../../"),
    ("c/jintu/", "c/jintu/feed.xml", "./"),
])
def test_relative_links_from_files(target: str, file: str, link: str) -> None:
    assert urls.relative_from_file(target, file) == link


def test_no_module_or_template_builds_a_site_path_by_hand() -> None:
    """`c/<community>/...` and relative links are made only in urls.py."""
    by_hand = re.compile(r"""f?["']c/[{'"]|\bc/\{|'c/' ~|posixpath\.relpath""")
    offenders = [
        f"{path.relative_to(GENERATOR)}:{number}: {line.strip()}"
        for path in sorted(GENERATOR.rglob("*")) if path.suffix in (".py", ".html", ".xml") and path.name != "urls.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if by_hand.search(line)
    ]
    assert offenders == []
