"""Typed records of a validated board: derived status, durations, overdue flags, links.

The model knows nothing of the site. Build it with `build_model` from a board that passed the
check; every query a page needs is a method here, not a loop in a template.

Length (about 560 lines): the record classes, their derived values (status, deadlines,
overdue, is_solved) and BoardModel's queries belong together; `build_model` (about 70 lines)
could become a module of its own if this grows.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import os
import statistics
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterable

from . import schema, urls
from .records import CheckedBoard, Record

# The 四早四快 time limits a board.yaml need not repeat; the default names of the priorities are
# words (`priorities.<key>` in generator/words/).
DEFAULT_PRIORITIES = {
    "red": {"respond_days": 1, "close_days": 7},
    "orange": {"respond_days": 3, "close_days": 15},
    "yellow": {"respond_days": 7, "close_days": 30},
    "blue": {"respond_days": 15, "close_days": 60},
}
PRIORITY_ORDER = list(DEFAULT_PRIORITIES)


class Status(enum.Enum):
    """Where a suggestion stands, derived from its steps and decision."""

    NEW = "new"
    IN_PROGRESS = "in_progress"
    AWAITING_SCORE = "awaiting_score"
    CLOSED = "closed"
    DECLINED = "declined"
    DUPLICATE = "duplicate"
    REFERRED = "referred"

    def is_final(self) -> bool:
        """No more handling is expected from the community (the community page folds these away)."""
        return self in (Status.CLOSED, Status.DECLINED, Status.DUPLICATE, Status.REFERRED)

    def is_resolved(self) -> bool:
        """The resident has been answered: feedback given, or the case closed another way."""
        return self is not Status.NEW and self is not Status.IN_PROGRESS

    def label(self, language: str = "zh") -> str:
        return schema.vocabulary("status").label(self.value, language)


@dataclass(frozen=True)
class PriorityRule:
    key: str
    label: str | None  # the board's own name (board.yaml); None: the default name, a word
    respond_days: int
    close_days: int


@dataclass(frozen=True)
class Step:
    step: str
    date: dt.date
    note: str = ""
    days_since_previous: int | None = None
    late: bool = False  # past the priority's deadline for this step


@dataclass(frozen=True)
class Satisfaction:
    satisfied: int = 0
    basically_satisfied: int = 0
    dissatisfied: int = 0

    @property
    def total(self) -> int:
        return self.satisfied + self.basically_satisfied + self.dissatisfied

    @property
    def content(self) -> int:
        """Satisfied plus basically satisfied: the numerator of 满意率."""
        return self.satisfied + self.basically_satisfied


@dataclass
class Suggestion:
    id: str
    community: str
    title: str
    received: dt.date
    channel: str
    category: str
    priority: str
    rule: PriorityRule
    as_of: dt.date
    source: str  # the record's file, relative to the content folder
    compound: str | None = None
    summary: str = ""
    submitter: str | None = None  # a masked display name, present only with consent
    level: str | None = None
    steps: list[Step] = field(default_factory=list)
    decision: str | None = None
    reason: str = ""
    duplicate_of: str | None = None
    referred_to: str | None = None
    satisfaction: Satisfaction | None = None
    meeting_ids: list[str] = field(default_factory=list)
    project_ids: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"Suggestion(id={self.id!r}, status={self.status.name})"

    @property
    def url(self) -> str:
        """The page's site path: `c/<community>/s/<id>/`."""
        return urls.record_url("suggestion", self.community, self.id)

    def step_date(self, name: str) -> dt.date | None:
        return next((s.date for s in self.steps if s.step == name), None)

    @cached_property  # read by every figure of every page that counts the suggestion
    def accepted(self) -> dt.date | None:
        return self.step_date("accept")

    @cached_property
    def first_response(self) -> dt.date | None:
        """The first handling step after acceptance (早响应)."""
        return next((s.date for s in self.steps if s.step != "accept"), None)

    @cached_property
    def feedback(self) -> dt.date | None:
        return self.step_date("feedback")

    @cached_property
    def status(self) -> Status:
        if self.decision in ("declined", "duplicate", "referred"):
            return Status(self.decision)
        names = {s.step for s in self.steps}
        if "score" in names:
            return Status.CLOSED
        if "feedback" in names:
            return Status.AWAITING_SCORE
        return Status.IN_PROGRESS if names else Status.NEW

    @property
    def is_solved(self) -> bool:
        """问题解决白名单 and the poster's solved list: handled to the end and scored. A declined,
        duplicate or referred suggestion has a status of its own, so it is never solved."""
        return self.status is Status.CLOSED

    @property
    def needs_follow_up(self) -> bool:
        """回访追踪: acted on but not yet answered, or answered and awaiting the residents' rating."""
        return self.status is Status.AWAITING_SCORE or (self.status is Status.IN_PROGRESS and self.step_date("act") is not None)

    @cached_property
    def respond_deadline(self) -> dt.date | None:
        return self.accepted + dt.timedelta(days=self.rule.respond_days) if self.accepted else None

    @cached_property
    def close_deadline(self) -> dt.date | None:
        return self.accepted + dt.timedelta(days=self.rule.close_days) if self.accepted else None

    @cached_property
    def days_to_feedback(self) -> int | None:
        """受理 to 反馈, in days."""
        if self.accepted and self.feedback:
            return (self.feedback - self.accepted).days
        return None

    @property
    def days_open(self) -> int:
        """Days since it was received, as of the board's date, for items still open."""
        return (self.as_of - self.received).days

    @property
    def on_time(self) -> bool | None:
        """Feedback within close_days of acceptance; None while there is no feedback."""
        days = self.days_to_feedback
        return None if days is None else days <= self.rule.close_days

    @property
    def overdue(self) -> bool:
        """Still being handled and past a deadline of its priority, as of the board's date."""
        return self.overdue_by is not None

    @cached_property
    def overdue_by(self) -> tuple[str, int] | None:
        """("close" or "respond", days past that deadline), or None when not overdue."""
        if self.status.is_resolved() or not self.accepted:
            return None
        if self.as_of > self.close_deadline:
            return "close", (self.as_of - self.close_deadline).days
        if self.first_response is None and self.as_of > self.respond_deadline:
            return "respond", (self.as_of - self.respond_deadline).days
        return None


@dataclass
class Resolution:
    id: str
    meeting: str
    text: str
    decision: str
    votes: dict[str, int]
    suggestion_ids: list[str]

    @property
    def ref(self) -> str:
        return f"{self.meeting}#{self.id}"


@dataclass
class Meeting:
    id: str
    community: str
    kind: str
    date: dt.date
    source: str  # the record's file, relative to the content folder
    title: str = ""
    place: str = ""
    attendance: dict[str, int] = field(default_factory=dict)
    agenda: list[str] = field(default_factory=list)
    resolutions: list[Resolution] = field(default_factory=list)
    minutes: str = ""

    def __repr__(self) -> str:
        return f"Meeting(id={self.id!r}, date={self.date})"

    @property
    def url(self) -> str:
        """The page's site path: `c/<community>/m/<id>/`."""
        return urls.record_url("meeting", self.community, self.id)

    @property
    def attendees(self) -> int:
        return sum(self.attendance.values())

    def display_title(self, language: str = "zh") -> str:
        if self.title:
            return self.title
        kind = schema.vocabulary("meeting_kind").label(self.kind, language)
        return f"{self.date:%Y-%m-%d} {kind}"


@dataclass(frozen=True)
class Output:
    label: str
    quantity: float
    unit: str  # normalized: 平方米 and ㎡ are both m²


@dataclass
class Project:
    id: str
    community: str
    title: str
    kind: str
    status: str
    source: str  # the record's file, relative to the content folder
    started: dt.date | None = None
    completed: dt.date | None = None
    suggestion_ids: list[str] = field(default_factory=list)
    resolution: str | None = None
    funding: list[tuple[str, float]] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    beneficiaries: dict[str, int] = field(default_factory=dict)
    photos: list[dict[str, str]] = field(default_factory=list)
    summary: str = ""

    def __repr__(self) -> str:
        return f"Project(id={self.id!r}, status={self.status})"

    @property
    def url(self) -> str:
        """The page's site path: `c/<community>/p/<id>/`."""
        return urls.record_url("project", self.community, self.id)

    @property
    def total_funding(self) -> float:
        return sum(amount for _, amount in self.funding)

    @property
    def duration_days(self) -> int | None:
        if self.started and self.completed:
            return (self.completed - self.started).days
        return None


@dataclass
class Community:
    id: str
    name: str
    street: str
    source: str  # the record's file, relative to the content folder
    district: str = ""
    summary: str = ""
    compounds: dict[str, str] = field(default_factory=dict)  # id -> name
    teams: dict[str, int] = field(default_factory=dict)
    channels: list[str] = field(default_factory=list)
    deliberation_day: int | None = None
    contact: dict[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"Community(id={self.id!r}, name={self.name!r})"

    @property
    def url(self) -> str:
        """The community page's site path: `c/<id>/`."""
        return urls.community_url(self.id)

    def file_url(self, name: str) -> str:
        """A file or page in the community's folder: `feed.xml` -> `c/<id>/feed.xml`."""
        return urls.community_file(self.id, name)


@dataclass
class BoardModel:
    """The whole board with the queries pages need. Collections are sorted deterministically."""

    title: str
    language: str
    as_of: dt.date
    base_url: str | None
    region: str
    priorities: dict[str, PriorityRule]
    communities: dict[str, Community]
    suggestions: dict[str, Suggestion]
    meetings: dict[str, Meeting]
    projects: dict[str, Project]
    categories: schema.Vocabulary
    funding_sources: schema.Vocabulary
    editor: dict[str, str] | None = None  # board.yaml `editor`: the /admin/ form editor's git host

    @cached_property
    def _by_community(self) -> dict[str, tuple[list[Suggestion], list[Meeting], list[Project]]]:
        groups: dict[str, tuple[list, list, list]] = {c: ([], [], []) for c in self.communities}
        for index, records in enumerate((self.suggestions, self.meetings, self.projects)):
            for record in records.values():
                groups.setdefault(record.community, ([], [], []))[index].append(record)
        return groups

    def suggestions_of(self, community: str) -> list[Suggestion]:
        return list(self._by_community.get(community, ([], [], []))[0])

    def meetings_of(self, community: str) -> list[Meeting]:
        return list(self._by_community.get(community, ([], [], []))[1])

    def projects_of(self, community: str) -> list[Project]:
        return list(self._by_community.get(community, ([], [], []))[2])

    def streets(self) -> dict[str, list[Community]]:
        """Street name -> its communities, both in a stable order."""
        streets: dict[str, list[Community]] = {}
        for community in sorted(self.communities.values(), key=lambda c: (c.street, c.id)):
            streets.setdefault(community.street, []).append(community)
        return streets

    @cached_property
    def _linked_back(self) -> tuple[dict[str, set[str]], dict[str, set[str]], dict[str, list[Project]]]:
        """Meeting -> suggestions, project -> suggestions, resolution ref -> projects."""
        to_meeting: dict[str, set[str]] = {}
        to_project: dict[str, set[str]] = {}
        for sid, meetings in self._links[0].items():
            for mid in meetings:
                to_meeting.setdefault(mid, set()).add(sid)
        for sid, projects in self._links[1].items():
            for pid in projects:
                to_project.setdefault(pid, set()).add(sid)
        by_resolution: dict[str, list[Project]] = {}
        for project in self.projects.values():
            if project.resolution:
                by_resolution.setdefault(project.resolution, []).append(project)
        return to_meeting, to_project, by_resolution

    @cached_property
    def _links(self) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        """Suggestion -> meetings and suggestion -> projects, from both sides of each link."""
        meetings: dict[str, set[str]] = {s: set(x.meeting_ids) for s, x in self.suggestions.items()}
        projects: dict[str, set[str]] = {s: set(x.project_ids) for s, x in self.suggestions.items()}
        for meeting in self.meetings.values():
            linked = set(meeting.agenda)
            for resolution in meeting.resolutions:
                linked.update(resolution.suggestion_ids)
            for sid in linked:
                meetings.setdefault(sid, set()).add(meeting.id)
        for project in self.projects.values():
            for sid in project.suggestion_ids:
                projects.setdefault(sid, set()).add(project.id)
        return meetings, projects

    def meetings_for(self, suggestion: Suggestion) -> list[Meeting]:
        return list(self._related_to(suggestion)[0])

    def resolutions_for(self, suggestion: Suggestion) -> list[Resolution]:
        return list(self._related_to(suggestion)[1])

    def projects_for(self, suggestion: Suggestion) -> list[Project]:
        return list(self._related_to(suggestion)[2])

    @cached_property
    def _related(self) -> dict[str, tuple]:
        return {}  # filled one suggestion at a time: a worker, only for its own communities

    def _related_to(self, suggestion: Suggestion) -> tuple[tuple[Meeting, ...], tuple[Resolution, ...], tuple[Project, ...]]:
        """Its meetings (by date), the resolutions among them that name it, and its projects:
        sorted once a suggestion, since its page, its table rows and data.json all ask."""
        related = self._related.get(suggestion.id)
        if related is None:
            meetings = tuple(sorted((self.meetings[i] for i in self._links[0].get(suggestion.id, ())), key=lambda m: (m.date, m.id)))
            resolutions = tuple(r for m in meetings for r in m.resolutions if suggestion.id in r.suggestion_ids)
            projects = tuple(sorted((self.projects[i] for i in self._links[1].get(suggestion.id, ())), key=lambda p: p.id))
            related = self._related[suggestion.id] = (meetings, resolutions, projects)
        return related

    def suggestions_for_project(self, project: Project) -> list[Suggestion]:
        ids = self._linked_back[1].get(project.id, set())
        return sorted((self.suggestions[i] for i in ids if i in self.suggestions), key=lambda s: s.id)

    def suggestions_for_meeting(self, meeting: Meeting) -> list[Suggestion]:
        ids = self._linked_back[0].get(meeting.id, set())
        return sorted((self.suggestions[i] for i in ids if i in self.suggestions), key=lambda s: (s.received, s.id))

    def resolution(self, ref: str | None) -> Resolution | None:
        if not ref:
            return None
        meeting_id, _, resolution_id = ref.partition("#")
        meeting = self.meetings.get(meeting_id)
        return next((r for r in meeting.resolutions if r.id == resolution_id), None) if meeting else None

    def projects_for_resolution(self, resolution: Resolution) -> list[Project]:
        return list(self._linked_back[2].get(resolution.ref, []))

    @cached_property
    def _duplicates(self) -> dict[str, list[Suggestion]]:
        found: dict[str, list[Suggestion]] = {}
        for s in self.suggestions.values():
            if s.duplicate_of:
                found.setdefault(s.duplicate_of, []).append(s)
        return found

    def duplicates_of(self, suggestion: Suggestion) -> list[Suggestion]:
        return list(self._duplicates.get(suggestion.id, []))


def _priorities(settings: dict[str, Any]) -> dict[str, PriorityRule]:
    configured = settings.get("priorities", {})
    rules = {}
    for key, defaults in DEFAULT_PRIORITIES.items():
        merged = {"label": None, **defaults, **configured.get(key, {})}
        rules[key] = PriorityRule(key, merged["label"], merged["respond_days"], merged["close_days"])
    return rules


def _steps(raw: list[dict], rule: PriorityRule) -> list[Step]:
    steps: list[Step] = []
    accepted = next((s["date"] for s in raw if s["step"] == "accept"), None)
    previous: dt.date | None = None
    first_response_seen = False
    for item in raw:
        date = item["date"]
        late = False
        if accepted is not None and item["step"] != "accept":
            days = (date - accepted).days
            if not first_response_seen and days > rule.respond_days:
                late = True
            if item["step"] == "feedback" and days > rule.close_days:
                late = True
            first_response_seen = True
        steps.append(Step(
            step=item["step"], date=date, note=item.get("note", ""),
            days_since_previous=(date - previous).days if previous else None, late=late,
        ))
        previous = date
    return steps


def _source(record: Record, root: str) -> str:
    """The record's file relative to the content folder, with "/": no build machine's paths in
    the site. Text, not Path.relative_to: that took a third of a district's model (23,200 files)."""
    file = record.document.path_text("file")
    if not file.startswith(root):  # the loader reads only below the root; to be safe
        return record.document.file.relative_to(root).as_posix()
    return file[len(root):].replace(os.sep, "/")


def _by_id(records: Iterable[Record], kind: str) -> list[Record]:
    return sorted((r for r in records if r.kind == kind), key=lambda r: r.id)


def build_model(board: CheckedBoard) -> BoardModel:
    """Typed records from a board that passed the check."""
    settings = board.settings.data if board.settings else {}
    priorities = _priorities(settings)
    records = board.records
    root = os.path.join(os.fspath(board.content.root), "")  # with its separator at the end
    communities = {}
    for r in _by_id(records, "community"):
        d = r.data
        communities[r.id] = Community(
            id=r.id, name=d["name"], street=d["street"], source=_source(r, root),
            district=d.get("district", ""), summary=d.get("summary", ""),
            compounds={c["id"]: c["name"] for c in d.get("compounds", [])},
            teams=d.get("teams", {}), channels=d.get("channels", []),
            deliberation_day=d.get("deliberation_day"), contact=d.get("contact", {}),
        )
    suggestions = {}
    for r in _by_id(records, "suggestion"):
        d = r.data
        rule = priorities[d["priority"]]
        submitter = d.get("submitter") or {}
        satisfaction = d.get("satisfaction")
        suggestions[r.id] = Suggestion(
            id=r.id, community=r.community, title=d["title"], received=d["received"],
            channel=d["channel"], category=d["category"], priority=d["priority"], rule=rule,
            as_of=board.as_of, source=_source(r, root), compound=d.get("compound"),
            summary=d.get("summary", ""),
            submitter=submitter.get("display") if submitter.get("consent") else None,
            level=d.get("level"), steps=_steps(d.get("steps", []), rule), decision=d.get("decision"),
            reason=d.get("reason", ""), duplicate_of=d.get("duplicate_of"), referred_to=d.get("referred_to"),
            satisfaction=Satisfaction(**satisfaction) if satisfaction else None,
            meeting_ids=d.get("meetings", []), project_ids=d.get("projects", []),
        )
    meetings = {}
    for r in _by_id(records, "meeting"):
        d = r.data
        meetings[r.id] = Meeting(
            id=r.id, community=r.community, kind=d["kind"], date=d["date"], source=_source(r, root),
            title=d.get("title", ""), place=d.get("place", ""), attendance=d.get("attendance", {}),
            agenda=d.get("agenda", []), minutes=d.get("minutes", ""),
            resolutions=[
                Resolution(
                    id=x["id"], meeting=r.id, text=x["text"], decision=x["decision"],
                    votes=x.get("votes", {}), suggestion_ids=x.get("suggestions", []),
                )
                for x in d.get("resolutions", [])
            ],
        )
    projects = {}
    for r in _by_id(records, "project"):
        d = r.data
        projects[r.id] = Project(
            id=r.id, community=r.community, title=d["title"], kind=d["kind"], status=d["status"],
            source=_source(r, root), started=d.get("started"), completed=d.get("completed"),
            suggestion_ids=d.get("suggestions", []), resolution=d.get("resolution"),
            funding=[(f["source"], f["amount"]) for f in d.get("funding", [])],
            outputs=[Output(o["label"], o["quantity"], schema.normalize_unit(o["unit"])) for o in d.get("outputs", [])],
            beneficiaries=d.get("beneficiaries", {}), photos=d.get("photos", []), summary=d.get("summary", ""),
        )
    extended = {name: schema.vocabulary(name).extended(settings.get(key, {})) for key, name in schema.vocabulary_extensions().items()}
    return BoardModel(
        title=settings.get("title", ""), language=settings.get("language", "zh"), as_of=board.as_of,
        base_url=settings.get("base_url"), region=settings.get("region", ""), priorities=priorities,
        communities=communities, suggestions=suggestions, meetings=meetings, projects=projects,
        categories=extended["category"], funding_sources=extended["funding_source"], editor=settings.get("editor"),
    )


def deliberation_dates(day: int, start: dt.date, count: int) -> list[dt.date]:
    """The next `count` monthly 议事日 on or after `start`."""
    year, month = start.year, start.month
    if start.day > day:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    dates = []
    for _ in range(max(count, 0)):
        last = calendar.monthrange(year, month)[1]  # the schema allows 1..28; stay safe anyway
        dates.append(dt.date(year, month, min(day, last)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dates


def median(values: Iterable[float]) -> float | None:
    values = list(values)
    return statistics.median(values) if values else None
