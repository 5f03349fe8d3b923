"""Atom feeds and meeting calendars: well-formed, stable across rebuilds, links under base_url."""

from __future__ import annotations

import dataclasses
import datetime as dt
import xml.etree.ElementTree as ET
from urllib.parse import urljoin

import icalendar
import pytest

from conftest import REPO
from ailin import feeds, model, pipeline
from ailin.model import BoardModel

A = "{http://www.w3.org/2005/Atom}"
BASE = "https://ailin.example.org/board/"
COMMUNITIES = ["jinbi", "jintu", "shiniuyan"]
FEEDS = ["feed.xml"] + [f"c/{c}/feed.xml" for c in COMMUNITIES]
HOSTILE = "<script>alert('x')</script> & \"引号\" \\, ; 逗号,分号;\n第二行"


def build_board(base_url: str | None = None) -> BoardModel:
    board = pipeline.model_of(pipeline.check(REPO / "content"))
    board.base_url = base_url
    return board


@pytest.fixture(scope="module")
def sample() -> BoardModel:
    """The sample board as published without base_url. Tests must not change it."""
    return build_board()


@pytest.fixture(scope="module")
def hosted() -> BoardModel:
    """The sample board with base_url set. Tests must not change it."""
    return build_board(BASE)


def parse(content: bytes) -> ET.Element:
    return ET.fromstring(content)


def entries(feed: ET.Element) -> list[ET.Element]:
    return feed.findall(f"{A}entry")


def by_id(feed: ET.Element) -> dict[str, ET.Element]:
    return {e.findtext(f"{A}id"): e for e in entries(feed)}


def events(calendar: bytes) -> dict[str, icalendar.Event]:
    return {str(e["uid"]): e for e in icalendar.Calendar.from_ical(calendar).walk("VEVENT")}


# -- Atom -------------------------------------------------------------------------------------


def test_feeds_are_one_for_the_board_and_one_per_community(sample: BoardModel) -> None:
    assert sorted(feeds.feed_files(sample)) == sorted(FEEDS)


@pytest.mark.parametrize("base_url", [None, BASE])
@pytest.mark.parametrize("path", FEEDS)
def test_every_feed_has_the_elements_atom_requires(path: str, base_url: str | None, sample, hosted) -> None:
    feed = parse(feeds.feed_files(hosted if base_url else sample)[path])
    assert feed.tag == f"{A}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{A}{name}")) == 1 and feed.findtext(f"{A}{name}").strip(), name
    assert feed.findtext(f"{A}author/{A}name").strip()
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-CN"
    assert entries(feed)
    for entry in entries(feed):
        for name in ("id", "title", "updated", "summary"):
            assert len(entry.findall(f"{A}{name}")) == 1 and entry.findtext(f"{A}{name}").strip(), name
        assert entry.findtext(f"{A}author/{A}name").strip()
        assert [link.get("rel") for link in entry.findall(f"{A}link")] == ["alternate"]
        dt.datetime.fromisoformat(entry.findtext(f"{A}updated"))  # RFC 3339


@pytest.mark.parametrize("path", FEEDS)
def test_entries_are_newest_first_and_at_most_50(path: str, sample: BoardModel) -> None:
    feed = parse(feeds.feed_files(sample)[path])
    dates = [dt.datetime.fromisoformat(e.findtext(f"{A}updated")) for e in entries(feed)]
    assert dates == sorted(dates, reverse=True)
    assert len(dates) == feeds.MAX_ENTRIES == 50  # the sample has 86 to 101 events per community


@pytest.mark.parametrize("community", COMMUNITIES)
def test_events_are_made_with_the_keys_they_were_chosen_by(community: str, sample: BoardModel) -> None:
    """community_events sorts keys and makes only the newest events: each made event must sort
    by the key it was chosen by, or a feed would show the wrong ones."""
    language = sample.language
    pending = [p for s in sample.suggestions_of(community) for p in feeds._suggestion_events(s)]
    pending += [p for project in sample.projects_of(community) for p in feeds._project_events(project)]
    pending += [((m.date, m.id, 0), m) for m in sample.meetings_of(community)]
    assert len(pending) > feeds.MAX_ENTRIES
    for shown in pending:
        assert feeds._event(sample, shown, language).sort_key == shown[0]


@pytest.mark.parametrize("path", FEEDS)
def test_feed_updated_is_its_newest_entry_at_midnight_in_chengdu(path: str, sample: BoardModel) -> None:
    feed = parse(feeds.feed_files(sample)[path])
    newest = entries(feed)[0].findtext(f"{A}updated")
    assert feed.findtext(f"{A}updated") == newest
    assert newest.endswith("T00:00:00+08:00")
    assert newest <= f"{sample.as_of}T00:00:00+08:00"


def test_a_community_feed_holds_only_its_own_events(sample: BoardModel) -> None:
    for community in COMMUNITIES:
        feed = parse(feeds.feed_files(sample)[f"c/{community}/feed.xml"])
        assert all(i.startswith(f"tag:ailin-board,2024:{community}/") for i in by_id(feed))


def test_links_are_absolute_under_base_url(hosted: BoardModel) -> None:
    for path, content in feeds.feed_files(hosted).items():
        feed = parse(content)
        links = {link.get("rel"): link.get("href") for link in feed.findall(f"{A}link")}
        assert links["self"] == BASE + path
        assert links["alternate"] == (BASE if path == "feed.xml" else BASE + path.removesuffix("feed.xml"))
        for entry in entries(feed):
            href = entry.find(f"{A}link").get("href")
            assert href.startswith(BASE + "c/") and href.endswith("/"), href


def test_links_without_base_url_resolve_against_the_feed_address(sample: BoardModel, hosted: BoardModel) -> None:
    """A reader resolves a relative link against the feed's own URL: it must reach the same page."""
    relative, absolute = feeds.feed_files(sample), feeds.feed_files(hosted)
    for path in FEEDS:
        mine, theirs = parse(relative[path]), parse(absolute[path])
        assert not mine.findall(f"{A}link[@rel='self']")
        got = [urljoin(BASE + path, e.find(f"{A}link").get("href")) for e in entries(mine)]
        assert got == [e.find(f"{A}link").get("href") for e in entries(theirs)]


def test_entry_ids_are_tag_uris_on_base_urls_host(sample: BoardModel, hosted: BoardModel) -> None:
    assert "tag:ailin-board,2024:jintu/s/jt-2024-011/accept" in by_id(parse(feeds.feed_files(sample)["c/jintu/feed.xml"]))
    hosted_feed = parse(feeds.feed_files(hosted)["c/jintu/feed.xml"])
    assert "tag:ailin.example.org,2024:board/jintu/s/jt-2024-011/accept" in by_id(hosted_feed)
    assert hosted_feed.findtext(f"{A}id") == "tag:ailin.example.org,2024:board/jintu/feed"


def test_one_entry_per_step_reached(sample: BoardModel, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feeds, "MAX_ENTRIES", 1000)
    ids = by_id(parse(feeds.feed_files(sample)["c/jintu/feed.xml"]))
    mine = sorted(i.rsplit("/", 1)[1] for i in ids if "/s/jt-2024-007/" in i)
    assert mine == sorted(["received", "accept", "investigate", "evaluate", "plan", "act", "supervise", "feedback", "score"])


def test_a_step_entry_reads_like_the_page_title(sample: BoardModel, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feeds, "MAX_ENTRIES", 1000)
    entry = by_id(parse(feeds.feed_files(sample)["feed.xml"]))["tag:ailin-board,2024:jintu/s/jt-2024-007/accept"]
    assert entry.findtext(f"{A}title") == "金土社区 · 建议 jt-2024-007 · 受理：双职工家庭孩子放学后无人照看，建议开设托育班"
    assert entry.findtext(f"{A}updated") == "2024-04-26T00:00:00+08:00"
    assert entry.findtext(f"{A}summary") == "双职工家庭孩子放学后无人照看，建议开设托育班 · 一老一小。2024年4月26日 受理：专栏留言登记。"
    assert entry.find(f"{A}link").get("href") == "c/jintu/s/jt-2024-007/"


def test_meetings_held_and_project_changes_are_entries(sample: BoardModel, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feeds, "MAX_ENTRIES", 1000)
    ids = by_id(parse(feeds.feed_files(sample)["c/jintu/feed.xml"]))
    meeting = ids["tag:ailin-board,2024:jintu/m/jt-m-2024-03"]
    assert meeting.findtext(f"{A}title") == "金土社区 · 会议 · 爱邻(20)协商议事会（3 月议事日）"
    assert "决议 2 项" in meeting.findtext(f"{A}summary")
    started = ids["tag:ailin-board,2024:jintu/p/jt-yibian-xinsheng/started"]
    completed = ids["tag:ailin-board,2024:jintu/p/jt-yibian-xinsheng/completed"]
    assert started.findtext(f"{A}title") == "金土社区 · 项目 椅变新生 · 实施中"
    assert started.findtext(f"{A}updated") == "2024-03-22T00:00:00+08:00"
    assert completed.findtext(f"{A}title") == "金土社区 · 项目 椅变新生 · 已完成"
    assert completed.findtext(f"{A}updated") == "2024-04-30T00:00:00+08:00"
    in_progress = [i for i in ids if "/p/jt-tongsen-chanquan/" in i]
    assert in_progress == ["tag:ailin-board,2024:jintu/p/jt-tongsen-chanquan/started"]


def test_rebuilding_gives_byte_identical_feeds_and_calendars() -> None:
    first, second = build_board(BASE), build_board(BASE)
    assert feeds.feed_files(first) == feeds.feed_files(second)
    assert feeds.calendar_files(first) == feeds.calendar_files(second)


def test_ids_and_dates_come_from_the_records_not_the_build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """A later as_of (or build day) changes no entry: readers never see an old event as new."""
    monkeypatch.setattr(feeds, "MAX_ENTRIES", 1000)
    before = build_board(BASE)
    later = dataclasses.replace(before, as_of=before.as_of + dt.timedelta(days=40))
    old, new = (by_id(parse(feeds.feed_files(b)["feed.xml"])) for b in (before, later))
    assert old.keys() == new.keys()
    for entry_id, entry in old.items():
        assert ET.tostring(entry) == ET.tostring(new[entry_id])
    first, second = (parse(feeds.feed_files(b)["feed.xml"]).findtext(f"{A}updated") for b in (before, later))
    assert first == second


def test_a_meeting_not_yet_held_is_in_the_calendar_not_the_feed() -> None:
    board = build_board()
    meeting = board.meetings["jt-m-2024-11"]
    board.meetings["jt-m-2024-11"] = dataclasses.replace(meeting, date=dt.date(2025, 1, 20), resolutions=[])
    ids = by_id(parse(feeds.feed_files(board)["c/jintu/feed.xml"]))
    assert "tag:ailin-board,2024:jintu/m/jt-m-2024-11" not in ids
    calendar = events(feeds.calendar_files(board)["c/jintu/meetings.ics"])
    assert calendar["jt-m-2024-11@ailin-board"].decoded("dtstart") == dt.date(2025, 1, 20)
    assert "jintu-deliberation-2025-01@ailin-board" not in calendar  # the meeting stands for that 议事日


def test_a_community_without_events_has_a_valid_feed_dated_as_of() -> None:
    board = build_board()
    board.suggestions = {k: s for k, s in board.suggestions.items() if s.community != "jintu"}
    board.meetings = {k: m for k, m in board.meetings.items() if m.community != "jintu"}
    board.projects = {k: p for k, p in board.projects.items() if p.community != "jintu"}
    feed = parse(feeds.feed_files(board)["c/jintu/feed.xml"])
    assert entries(feed) == []
    assert feed.findtext(f"{A}updated") == "2024-12-20T00:00:00+08:00"


def test_hostile_text_survives_the_feed_round_trip() -> None:
    board = build_board()
    board.suggestions["jt-2024-012"].title = HOSTILE
    board.communities["jintu"].name = "金土&<社区>"
    content = feeds.feed_files(board)["c/jintu/feed.xml"]
    assert b"<script>" not in content
    entry = by_id(parse(content))["tag:ailin-board,2024:jintu/s/jt-2024-012/received"]
    assert entry.findtext(f"{A}title") == f"金土&<社区> · 建议 jt-2024-012 · 收到：{HOSTILE}"
    assert entry.findtext(f"{A}author/{A}name") == "金土&<社区>"


def test_characters_xml_cannot_carry_are_dropped_not_fatal() -> None:
    board = build_board()
    board.suggestions["jt-2024-012"].title = "异味\x00大\x1b"
    entry = by_id(parse(feeds.feed_files(board)["c/jintu/feed.xml"]))["tag:ailin-board,2024:jintu/s/jt-2024-012/received"]
    assert entry.findtext(f"{A}title").endswith("收到：异味大")


def test_an_english_board_speaks_english() -> None:
    board = dataclasses.replace(build_board(), language="en")
    feed = parse(feeds.feed_files(board)["c/jintu/feed.xml"])
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert entries(feed)[0].findtext(f"{A}title") == "金土社区 · Suggestion jt-2024-012 · Received: 垃圾分类投放点异味大"


# -- iCalendar --------------------------------------------------------------------------------


def test_calendars_are_one_per_community(sample: BoardModel) -> None:
    assert sorted(feeds.calendar_files(sample)) == [f"c/{c}/meetings.ics" for c in COMMUNITIES]


@pytest.mark.parametrize("community", COMMUNITIES)
def test_calendar_holds_every_meeting_as_an_all_day_event(community: str, hosted: BoardModel) -> None:
    calendar = icalendar.Calendar.from_ical(feeds.calendar_files(hosted)[f"c/{community}/meetings.ics"])
    name = hosted.communities[community].name
    assert str(calendar["x-wr-calname"]) == f"{name} 议事会议"
    assert str(calendar["prodid"]).startswith("-//Ailin Board//")
    assert not calendar.walk("VTIMEZONE")  # all-day dates are floating: no zone to get wrong
    found = events(calendar.to_ical())
    for meeting in hosted.meetings_of(community):
        event = found[f"{meeting.id}@ailin.example.org"]
        assert event.decoded("dtstart") == meeting.date and type(event.decoded("dtstart")) is dt.date
        assert event.decoded("dtend") == meeting.date + dt.timedelta(days=1)
        assert str(event["summary"]) == meeting.display_title()
        assert str(event["location"]) == meeting.place
        page = f"{BASE}c/{community}/m/{meeting.id}/"
        assert str(event["description"]) == f"{meeting_kind(meeting.kind)} · 决议 {len(meeting.resolutions)} 项\n详情：{page}"
        assert str(event["url"]) == page
        assert event.decoded("dtstamp") == dt.datetime(2024, 12, 19, 16, tzinfo=dt.timezone.utc)  # as_of 00:00 +08:00


def meeting_kind(key: str) -> str:
    return {"deliberation": "协商议事会", "courtyard": "坝坝会", "five_party": "五方会议", "review_panel": "创投评审会"}[key]


def test_calendar_holds_the_next_six_deliberation_days_from_as_of(sample: BoardModel) -> None:
    found = events(feeds.calendar_files(sample)["c/jintu/meetings.ics"])
    days = {uid: e for uid, e in found.items() if "-deliberation-" in uid}
    assert [e.decoded("dtstart") for e in days.values()] == [
        dt.date(2024, 12, 20), dt.date(2025, 1, 20), dt.date(2025, 2, 20),
        dt.date(2025, 3, 20), dt.date(2025, 4, 20), dt.date(2025, 5, 20),
    ]
    assert list(days)[1] == "jintu-deliberation-2025-01@ailin-board"
    first = days["jintu-deliberation-2024-12@ailin-board"]
    assert str(first["summary"]) == "金土社区 爱邻议事日"
    assert str(first["location"]) == "金土社区党群服务中心"
    assert str(first["status"]) == "TENTATIVE"
    assert "url" not in first and "http" not in str(first["description"])  # no base_url: no link


def test_months_ahead_sets_how_many_deliberation_days(sample: BoardModel) -> None:
    found = events(feeds.calendar_files(sample, months_ahead=12)["c/jinbi/meetings.ics"])
    assert sum("-deliberation-" in uid for uid in found) == 12
    found = events(feeds.calendar_files(sample, months_ahead=0)["c/jinbi/meetings.ics"])
    assert sum("-deliberation-" in uid for uid in found) == 0


@pytest.mark.parametrize(
    "day, as_of, expected",
    [
        (20, dt.date(2024, 12, 20), [dt.date(2024, 12, 20), dt.date(2025, 1, 20)]),  # today still counts
        (20, dt.date(2024, 12, 21), [dt.date(2025, 1, 20), dt.date(2025, 2, 20)]),
        (1, dt.date(2024, 11, 30), [dt.date(2024, 12, 1), dt.date(2025, 1, 1)]),
        (28, dt.date(2024, 1, 29), [dt.date(2024, 2, 28), dt.date(2024, 3, 28)]),
    ],
)
def test_deliberation_dates_count_from_as_of(day: int, as_of: dt.date, expected: list[dt.date]) -> None:
    assert model.deliberation_dates(day, as_of, 2) == expected


def test_calendar_uids_are_stable_across_rebuilds_and_as_of() -> None:
    before = build_board(BASE)
    later = dataclasses.replace(before, as_of=before.as_of + dt.timedelta(days=31))
    old, new = (events(feeds.calendar_files(b)["c/jintu/meetings.ics"]) for b in (before, later))
    meetings = {uid for uid in old if "-deliberation-" not in uid}
    assert meetings == {uid for uid in new if "-deliberation-" not in uid} == {
        "jt-m-2024-01@ailin.example.org", "jt-m-2024-03@ailin.example.org",
        "jt-m-2024-05@ailin.example.org", "jt-m-2024-11@ailin.example.org",
    }
    shared = {uid for uid in old if "-deliberation-" in uid} & set(new)
    assert shared == {f"jintu-deliberation-2025-0{m}@ailin.example.org" for m in range(1, 6)}


def test_hostile_text_survives_the_calendar_round_trip() -> None:
    board = build_board()
    board.meetings["jt-m-2024-03"].title = HOSTILE
    board.meetings["jt-m-2024-03"].place = "党群服务中心, 二楼; 会议室\\A"
    content = feeds.calendar_files(board)["c/jintu/meetings.ics"]
    assert max(len(line) for line in content.split(b"\r\n")) <= 75  # folded in octets
    event = events(content)["jt-m-2024-03@ailin-board"]
    assert str(event["summary"]) == HOSTILE
    assert str(event["location"]) == "党群服务中心, 二楼; 会议室\\A"


@pytest.mark.parametrize("text", [
    "x" * n for n in (60, 61, 62, 63, 64, 65, 70)  # "SUMMARY:" + text just below, at and above the fold
] + ["议" * n for n in (21, 22, 23, 40)] + ["a" * 65 + "\\,", "a" * 64 + ";\\", "议事" * 10 + "\n" + "b" * 50 + "，" * 9])
def test_a_calendar_is_written_as_icalendar_writes_it(text: str) -> None:
    """Lines shorter than ICAL_FOLD_AT octets skip icalendar's folding: the bytes stay its own."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//test//")
    event = icalendar.Event()
    event.add("summary", text)
    event.add("description", text)
    event.add("status", feeds.CONFIRMED)
    calendar.add_component(event)
    assert feeds._to_ical(calendar) == calendar.to_ical()
