"""Atom feeds and iCalendar files of a board: what publish writes beside the pages.

One Atom 1.0 feed for the board and one per community: an entry whenever a suggestion is
received or reaches a step, a meeting is held, or a project starts or is completed; one
iCalendar file per community: its meetings and the coming monthly 议事日. A build makes a
community's feed and calendar with its pages (`community_feed`, `community_calendar`), and the
board's feed from the newest events of each community (`board_feed`, generator/parts.py);
`feed_files` and `calendar_files` make them all at once. They give bytes and nothing else; the
caller decides where to write them.

Everything is derived from the records alone, never from the clock: entry ids, dates, UIDs and
DTSTAMPs come from the content and `board.as_of`, so rebuilding the same content gives the same
bytes and feed readers never see an old event as new. docs/feeds.md explains the id scheme.

Atom and iCalendar share the event list and `Address`; every word, date and number comes from
the board's `Words` (generator/words/).

Length (about 430 lines): two formats, each with its events and its writing, kept together for
what they share; forty of them make a build's many small calendars cheaper with icalendar still
writing every byte (`_property`, `_to_ical`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import icalendar

from . import urls
from .model import BoardModel, Community, Meeting, Project, Suggestion, deliberation_dates
from .words import Words

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# A reader polls a feed and keeps what it has seen, so a feed only needs the events since the
# last poll. 50 covers seven to eight months of a sample community (about 90 events a year) and
# two days of a district board of a hundred communities, read by readers that poll hourly or
# daily; a feed of 50 stays near 30 KB for phones on slow networks. The pages and the open
# data keep the whole history.
MAX_ENTRIES = 50

# tag: URIs (RFC 4151) need a date on which the authority was held. It is fixed, never the
# build date, so ids never change; the authority is base_url's host, or FALLBACK_AUTHORITY.
TAG_DATE = "2024"
FALLBACK_AUTHORITY = "ailin-board"

# Records carry dates without a time: an event happens at midnight, Chengdu time. A fixed
# offset rather than zoneinfo: China has kept +08:00 without daylight saving since 1991.
CHINA = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")

# icalendar folds a content line of this many UTF-8 octets or more (RFC 5545 asks for at most 75).
ICAL_FOLD_AT = 75

# XML 1.0 cannot carry these at all, escaped or not. Validation already rejects control
# characters; this keeps a feed well-formed whatever a model built by hand holds.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Event:
    """One feed entry: something that happened to a record on a date."""

    date: dt.date
    community: str
    key: str  # the id's tail, from the content only: "jintu/s/jt-2024-007/accept"
    page: str  # the record's page below the site root: "c/jintu/s/jt-2024-007/"
    record: str  # the record's id
    kind: str  # suggestion | meeting | project
    title: str
    summary: str
    order: int = 0  # among one record's events on one date: later steps sort first

    @property
    def sort_key(self) -> tuple[dt.date, str, int]:
        return (self.date, self.record, self.order)


@dataclass(frozen=True)
class Address:
    """Where the site lives, for links, tag: ids and UIDs."""

    base_url: str | None  # ends in "/" when set
    authority: str  # base_url's host, or FALLBACK_AUTHORITY
    prefix: str  # base_url's path without its leading "/": "ailin/" or ""

    def link(self, page: str, from_file: str) -> str:
        """An absolute URL under base_url; else relative to the file that holds the link."""
        if self.base_url:
            return self.url(page)
        return urls.relative_from_file(page, from_file)

    def url(self, page: str) -> str:
        """An absolute URL; only when base_url is set."""
        assert self.base_url, "absolute URLs need base_url"
        return self.base_url + page

    def tag(self, key: str) -> str:
        return f"tag:{self.authority},{TAG_DATE}:{self.prefix}{key}"

    def uid(self, name: str) -> str:
        return f"{name}@{self.authority}"


def address_of(board: BoardModel) -> Address:
    if not board.base_url:
        return Address(None, FALLBACK_AUTHORITY, "")
    base = board.base_url if board.base_url.endswith("/") else board.base_url + "/"
    parts = urlsplit(base)
    host = (parts.hostname or "").lower()
    if not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)*", host):  # an IPv6 literal is no tag authority
        host = FALLBACK_AUTHORITY
    return Address(base, host, parts.path.lstrip("/"))


def _heading(community: Community, what: str, status: str, language: str, subject: str = "") -> str:
    """The pages' title pattern: 金土社区 · 建议 jt-2024-007 · 受理：subject (a status starts
    with a capital letter where the language has them)."""
    title = f"{community.name} · {what} · {status[:1].upper() + status[1:]}"
    return Words.of(language).colon(title, subject) if subject else title


# -- events -----------------------------------------------------------------------------------


# An event's place among the others (`Event.sort_key`), and the record it happened to.
Pending = tuple[tuple[dt.date, str, int], Suggestion | Meeting | Project]


def community_events(board: BoardModel, community: str) -> list[Event]:
    """The community's newest MAX_ENTRIES events, newest first; ties broken by record id, then
    later step first (no two events share all three). Its own feed shows them, and the board's
    feed the newest among those of all communities."""
    language = Words.of(board.language).language
    # A community has hundreds of events and its feed shows MAX_ENTRIES: they are sorted by
    # their keys and only those shown are made (writing the words of all was most of the cost).
    pending: list[Pending] = []
    for suggestion in board.suggestions_of(community):
        pending += _suggestion_events(suggestion)
    for meeting in board.meetings_of(community):
        if meeting.date <= board.as_of:  # announced, not yet held: the calendar shows it
            pending.append(((meeting.date, meeting.id, 0), meeting))
    for project in board.projects_of(community):
        pending += _project_events(project)
    pending.sort(key=operator.itemgetter(0), reverse=True)
    return [_event(board, shown, language) for shown in pending[:MAX_ENTRIES]]


def _newest(events: Iterable[Event]) -> list[Event]:
    return sorted(events, key=lambda e: e.sort_key, reverse=True)[:MAX_ENTRIES]


def _suggestion_events(s: Suggestion) -> list[Pending]:
    """收到 on `received` (order 0), then one event per step reached, on the step's date."""
    return [((date, s.id, order), s) for order, date in enumerate([s.received, *(step.date for step in s.steps)])]


def _suggestion_event(board: BoardModel, s: Suggestion, language: str, order: int) -> Event:
    words = Words.of(language)
    community = board.communities[s.community]
    about = [s.title, board.categories.label(s.category, language)]
    if s.compound and s.compound in community.compounds:
        about.append(community.compounds[s.compound])
    if order == 0:
        name, date, status = "received", s.received, words.t("site.received_short")
        line = f"{words.date(date)} {status} · {words.label('channel', s.channel)}"
    else:
        step = s.steps[order - 1]
        name, date, status = step.step, step.date, words.label("step", step.step)
        line = f"{words.date(date)} {status}"
        if step.note:
            line = words.colon(line, step.note.strip())
        if step.late:
            line += words.parens(words.t("feeds.late"))
    what = f"{words.t('site.suggestion')} {s.id}"
    return Event(
        date=date, community=s.community, key=f"{s.community}/s/{s.id}/{name}", page=s.url,
        record=s.id, kind="suggestion", title=_heading(community, what, status, language, s.title),
        summary=words.sentences([" · ".join(about), line]), order=order,
    )


def _meeting_event(board: BoardModel, m: Meeting, language: str, order: int = 0) -> Event:
    """The meeting, held (a meeting has one event: `order` is always 0)."""
    words = Words.of(language)
    community = board.communities[m.community]
    facts = [words.date(m.date), m.place]
    if m.attendance:
        facts.append(words.t("feeds.attendance", n=m.attendees))
    facts.append(words.t("feeds.resolutions", n=len(m.resolutions)))
    summary = " · ".join(f for f in facts if f)
    if m.resolutions:
        decided = [r.text.strip() + words.parens(words.label("resolution_decision", r.decision)) for r in m.resolutions]
        summary = words.colon(summary, words.clauses(decided))
    return Event(
        date=m.date, community=m.community, key=f"{m.community}/m/{m.id}", page=m.url,
        record=m.id, kind="meeting", summary=words.sentences([summary]),
        title=f"{community.name} · {words.t('site.meeting')} · {m.display_title(language)}",
    )


def _project_events(p: Project) -> list[Pending]:
    """实施中 on `started` (order 0), 已完成 on `completed` (order 1): the dates are the only
    record of a change."""
    return [((date, p.id, order), p) for date, order in [(p.started, 0), (p.completed, 1)] if date]


def _project_event(board: BoardModel, p: Project, language: str, order: int) -> Event:
    words = Words.of(language)
    community = board.communities[p.community]
    if order == 0:
        name, date, status = "started", p.started, "in_progress"
        lines = [words.colon(p.title, words.t("feeds.started", date=words.date(date)))]
    else:
        name, date, status = "completed", p.completed, "completed"
        days = p.duration_days
        shown = words.date(date)
        done = words.t("feeds.completed", date=shown, days=days) if days is not None else words.t("feeds.completed_on", date=shown)
        outputs = words.quantities(p.outputs)
        lines = [words.colon(p.title, done), words.t("feeds.outputs", items=outputs) if outputs else ""]
    what = f"{words.t('site.project')} {p.title}"
    return Event(
        date=date, community=p.community, key=f"{p.community}/p/{p.id}/{name}", page=p.url,
        record=p.id, kind="project", title=_heading(community, what, words.label("project_status", status), language),
        summary=words.sentences(lines), order=order,
    )


# How an event of each kind of record is made: (board, record, language, order) -> Event
_EVENT_OF: dict[type, Callable[[BoardModel, Any, str, int], Event]] = {
    Suggestion: _suggestion_event, Meeting: _meeting_event, Project: _project_event,
}


def _event(board: BoardModel, pending: Pending, language: str) -> Event:
    """A pending event, made to be shown."""
    (_, _, order), record = pending
    return _EVENT_OF[type(record)](board, record, language, order)


# -- Atom -------------------------------------------------------------------------------------


def feed_files(board: BoardModel) -> dict[str, bytes]:
    """`feed.xml` for the board and `c/<id>/feed.xml` per community, newest first, ≤ MAX_ENTRIES."""
    events = {community: community_events(board, community) for community in board.communities}
    files = {"feed.xml": board_feed(board, events.values())}
    for community, newest in events.items():
        files[board.communities[community].file_url("feed.xml")] = community_feed(board, community, newest)
    return files


def community_feed(board: BoardModel, community: str, events: list[Event]) -> bytes:
    """`c/<id>/feed.xml`, from the community's `community_events`."""
    return _render_feed(board, events, board.communities[community], address_of(board))


def board_feed(board: BoardModel, newest: Iterable[list[Event]]) -> bytes:
    """`feed.xml`, from the `community_events` of every community."""
    return _render_feed(board, _newest(itertools.chain.from_iterable(newest)), None, address_of(board))


def _render_feed(board: BoardModel, entries: list[Event], community: Community | None, where: Address) -> bytes:
    words = Words.of(board.language)
    path = community.file_url("feed.xml") if community else "feed.xml"
    board_title = board.title or words.t("product.name")
    # An empty feed still needs a date: the board's as_of, never the build time.
    newest = entries[0].date if entries else board.as_of

    feed = ET.Element("feed", {"xmlns": ATOM, XML_LANG: words.t("format.xml_lang")})
    _text(feed, "id", where.tag(f"{community.id}/feed" if community else "feed"))
    _text(feed, "title", f"{community.name} · {board_title}" if community else board_title)
    _text(feed, "subtitle", words.t("feeds.feed_subtitle"))
    _text(feed, "updated", _timestamp(newest))
    _author(feed, community.name if community else board_title)
    page = community.url if community else urls.HOME
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": where.link(page, path)})
    if where.base_url:  # a relative self link would say nothing a reader does not know
        ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": where.base_url + path})
    _text(feed, "generator", "Ailin Board")
    for event in entries:
        entry = ET.SubElement(feed, "entry")
        _text(entry, "id", where.tag(event.key))
        _text(entry, "title", event.title)
        _text(entry, "updated", _timestamp(event.date))
        _author(entry, board.communities[event.community].name)
        ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": where.link(event.page, path)})
        ET.SubElement(entry, "category", {"term": event.kind, "label": words.t(f"site.{event.kind}")})
        _text(entry, "summary", event.summary)
    ET.indent(feed, space="  ")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode").encode("utf-8") + b"\n"


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return element


def _author(parent: ET.Element, name: str) -> None:
    _text(ET.SubElement(parent, "author"), "name", name)


def _timestamp(date: dt.date) -> str:
    """RFC 3339 at midnight Chengdu time: 2024-03-05T00:00:00+08:00."""
    return dt.datetime.combine(date, dt.time(0), tzinfo=CHINA).isoformat()


# -- iCalendar --------------------------------------------------------------------------------


def calendar_files(board: BoardModel, months_ahead: int = 6) -> dict[str, bytes]:
    """`c/<id>/meetings.ics` per community: its meetings and its next `months_ahead` 议事日.

    Every event is all-day (VALUE=DATE, no time zone): a record has a date and no time, and a
    date shows on the same day in every phone's time zone. The 议事日 are counted from
    `board.as_of`, so the same content always gives the same file.
    """
    return {board.communities[c].file_url("meetings.ics"): community_calendar(board, c, months_ahead) for c in board.communities}


def community_calendar(board: BoardModel, community: str, months_ahead: int = 6) -> bytes:
    """`c/<id>/meetings.ics` (see `calendar_files`)."""
    return _render_calendar(board, board.communities[community], months_ahead, address_of(board))


def _render_calendar(board: BoardModel, community: Community, months_ahead: int, where: Address) -> bytes:
    words = Words.of(board.language)
    language = words.language
    # DTSTAMP says when the data was current: the board's as_of (RFC 5545 wants it in UTC).
    as_of = dt.datetime.combine(board.as_of, dt.time(0), tzinfo=CHINA)
    stamp = _property("dtstamp", as_of.astimezone(dt.timezone.utc))
    name = words.t("feeds.calendar_name", community=community.name)
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//Ailin Board//{board.title or words.t('product.name')}//{language.upper()}")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)  # RFC 7986
    cal.add("x-wr-calname", name)  # the name iOS, Google and Outlook show
    cal.add("x-wr-caldesc", words.t("feeds.calendar_description", community=community.name))
    cal.add("refresh-interval", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})  # RFC 7986
    cal.add("x-published-ttl", "P1D")  # the same hint for Apple and Outlook subscriptions
    meetings = sorted(board.meetings_of(community.id), key=lambda m: (m.date, m.id))
    for meeting in meetings:
        cal.add_component(_meeting_vevent(board, meeting, stamp, where, language))
    if community.deliberation_day:
        held = {m.date for m in meetings}
        for date in deliberation_dates(community.deliberation_day, board.as_of, months_ahead):
            if date not in held:  # a recorded meeting on the day already stands for it
                cal.add_component(_deliberation_vevent(community, date, stamp, where, language))
    return _to_ical(cal)


def _to_ical(calendar: icalendar.Calendar) -> bytes:
    """`calendar.to_ical()`, with icalendar's folding kept for the lines it folds: it walks
    a line character by character, which took a third of a calendar's time, and all lines but
    the longest descriptions are shorter than ICAL_FOLD_AT and come out as they are."""
    lines = []
    for line in calendar.content_lines():
        if line:  # the empty last one stands for the final line break
            octets = line.encode("utf-8")
            lines.append(octets if len(octets) < ICAL_FOLD_AT else line.to_ical())
    return b"\r\n".join(lines) + b"\r\n"


def _property(name: str, value: object) -> Any:
    """`value` as icalendar encodes it for `name`: a value that many events share is encoded
    once (encoding a value was a fifth of a calendar's time), then added as it is."""
    holder = icalendar.Event()
    holder.add(name, value)
    return holder[name]


TRANSPARENT = _property("transp", "TRANSPARENT")  # an all-day notice must not mark the whole day busy
CONFIRMED = _property("status", "CONFIRMED")
TENTATIVE = _property("status", "TENTATIVE")  # the regular day, not a recorded meeting: it may move


def _all_day(event: icalendar.Event, date: dt.date) -> None:
    event.add("dtstart", date)  # VALUE=DATE: floating, the same day everywhere
    event.add("dtend", date + dt.timedelta(days=1))  # exclusive end: a one-day event
    event.add("transp", TRANSPARENT)


def _meeting_vevent(
    board: BoardModel, m: Meeting, stamp: icalendar.vDDDTypes, where: Address, language: str,
) -> icalendar.Event:
    words = Words.of(language)
    event = icalendar.Event()
    event.add("uid", where.uid(m.id))
    event.add("dtstamp", stamp)
    _all_day(event, m.date)
    event.add("summary", m.display_title(language))
    if m.place:
        event.add("location", m.place)
    facts = [words.label("meeting_kind", m.kind), words.t("feeds.resolutions", n=len(m.resolutions))]
    if m.agenda and not m.resolutions:
        facts.append(words.t("feeds.agenda", n=len(m.agenda)))
    lines = [" · ".join(facts)]
    if where.base_url:
        url = where.url(m.url)
        lines.append(words.t("feeds.details", url=url))
        event.add("url", url)
    event.add("description", "\n".join(lines))
    event.add("status", CONFIRMED)
    return event


def _deliberation_vevent(
    community: Community, date: dt.date, stamp: icalendar.vDDDTypes, where: Address, language: str,
) -> icalendar.Event:
    words = Words.of(language)
    event = icalendar.Event()
    event.add("uid", where.uid(f"{community.id}-deliberation-{date:%Y-%m}"))
    event.add("dtstamp", stamp)
    _all_day(event, date)
    event.add("summary", words.t("feeds.deliberation_day", community=community.name))
    address = community.contact.get("address")
    if address:
        event.add("location", address)
    lines = [words.t("feeds.deliberation_note", day=community.deliberation_day, community=community.name)]
    if community.contact.get("hours"):
        lines.append(words.t("feeds.contact_hours", hours=community.contact["hours"]))
    if where.base_url:
        url = where.url(community.url)
        lines.append(words.t("feeds.details", url=url))
        event.add("url", url)
    event.add("description", "\n".join(lines))
    event.add("status", TENTATIVE)
    return event
