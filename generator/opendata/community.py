"""c/<community>/data.json: the figures and items of one community page, for other apps."""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from .. import metrics
from ..model import BoardModel, Community, Meeting, Project, Status, Suggestion
from ..schema import Vocabulary
from .tables import DATA_JSON_VERSION, DEFAULT_LICENSE, _satisfaction
from .tableschema import _board_vocabularies, _json, _vocabulary

# ---------------------------------------------------------------------------------------------
# c/<community>/data.json: the figures and items of one community page, for other apps
# ---------------------------------------------------------------------------------------------

class _Labels:
    """Collects the vocabulary keys a document uses, to ship their labels with it."""

    def __init__(self, vocabularies: Mapping[str, Vocabulary]):
        self.vocabularies = vocabularies
        self.used: dict[str, set[str]] = {}

    def __call__(self, vocabulary: str, key: str | None) -> str | None:
        if key is not None:
            self.used.setdefault(vocabulary, set()).add(key)
        return key

    def table(self) -> dict[str, dict[str, dict[str, str]]]:
        result = {}
        for name in sorted(self.used):
            vocabulary = _vocabulary(name, self.vocabularies)
            result[name] = {
                key: {"zh": vocabulary.label(key, "zh"), "en": vocabulary.label(key, "en")}
                for key in sorted(self.used[name])
            }
        return result


def _figure(figure: metrics.Figure) -> dict[str, Any]:
    value = figure.value
    return {
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "value": None if value is None else round(value, 4),
        "percent": figure.percent,
    }


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _suggestion_item(board: BoardModel, s: Suggestion, label: _Labels) -> dict[str, Any]:
    return {
        "id": s.id,
        "path": s.url,
        "title": s.title,
        "received": _date(s.received),
        "channel": label("channel", s.channel),
        "category": label("category", s.category),
        "compound": s.compound,
        "priority": label("priority", s.priority),
        "level": label("level", s.level),
        "submitter": s.submitter,
        "status": label("status", s.status.value),
        "decision": label("decision", s.decision),
        "duplicate_of": s.duplicate_of,
        "referred_to": s.referred_to,
        "accepted": _date(s.accepted),
        "first_response": _date(s.first_response),
        "feedback": _date(s.feedback),
        "days_to_feedback": s.days_to_feedback,
        "on_time": s.on_time,
        "overdue": s.overdue,
        "steps": [{"step": label("step", x.step), "date": _date(x.date), "late": x.late} for x in s.steps],
        "satisfaction": _satisfaction(s),
        "meetings": sorted(m.id for m in board.meetings_for(s)),
        "resolutions": sorted(r.ref for r in board.resolutions_for(s)),
        "projects": [p.id for p in board.projects_for(s)],
    }


def _meeting_item(board: BoardModel, m: Meeting, label: _Labels) -> dict[str, Any]:
    for group in m.attendance:
        label("group", group)
    return {
        "id": m.id,
        "path": m.url,
        "title": m.display_title(board.language),
        "kind": label("meeting_kind", m.kind),
        "date": _date(m.date),
        "place": m.place or None,
        "attendees": m.attendees,
        "attendance": dict(m.attendance),
        "suggestions": sorted(s.id for s in board.suggestions_for_meeting(m)),
        "resolutions": [
            {
                "id": r.id,
                "ref": r.ref,
                "decision": label("resolution_decision", r.decision),
                "votes": dict(r.votes),
                "suggestions": sorted(set(r.suggestion_ids)),
                "projects": [p.id for p in board.projects_for_resolution(r)],
            }
            for r in sorted(m.resolutions, key=lambda r: r.id)
        ],
    }


def _project_item(board: BoardModel, p: Project, label: _Labels) -> dict[str, Any]:
    for group in p.beneficiaries:
        label("group", group)
    return {
        "id": p.id,
        "path": p.url,
        "title": p.title,
        "kind": label("project_kind", p.kind),
        "status": label("project_status", p.status),
        "started": _date(p.started),
        "completed": _date(p.completed),
        "duration_days": p.duration_days,
        "resolution": p.resolution,
        "suggestions": [s.id for s in board.suggestions_for_project(p)],
        "funding": [
            {"source": label("funding_source", source), "amount": _number(amount)} for source, amount in p.funding
        ],
        "funding_total": _number(p.total_funding),
        "outputs": [{"label": o.label, "quantity": _number(o.quantity), "unit": o.unit} for o in p.outputs],
        "beneficiaries": dict(p.beneficiaries),
    }


def community_data(board: BoardModel, community: str, license: Mapping[str, str] = DEFAULT_LICENSE) -> bytes:
    """c/<community>/data.json: it shows what the community's pages show, so a build writes
    and caches it with them."""
    return _json(_community_data(board, board.communities[community], license))


def _community_data(
    board: BoardModel, community: Community, license: Mapping[str, str],
) -> dict[str, Any]:
    """The figures and items of a community page as plain JSON (shape in docs/opendata.md)."""
    label = _Labels(_board_vocabularies(board))
    suggestions = board.suggestions_of(community.id)
    meetings = board.meetings_of(community.id)
    projects = board.projects_of(community.id)
    figures = metrics.compute(suggestions)
    by_status = {status.value: 0 for status in Status}
    for s in suggestions:
        by_status[s.status.value] += 1
    for status in by_status:
        label("status", status)
    items = {  # before the labels, which collect the keys the items use
        "suggestions": [_suggestion_item(board, s, label) for s in suggestions],
        "meetings": [_meeting_item(board, m, label) for m in meetings],
        "projects": [_project_item(board, p, label) for p in projects],
    }
    return {
        "format": "ailin-community-data",
        "version": DATA_JSON_VERSION,
        "as_of": board.as_of.isoformat(),
        "language": board.language,
        "board": board.title,
        "base_url": board.base_url,
        "license": dict(license),
        "community": {
            "id": community.id,
            "path": community.url,
            "name": community.name,
            "street": community.street,
            "district": community.district or None,
            "compounds": [{"id": key, "name": community.compounds[key]} for key in sorted(community.compounds)],
            "channels": [label("channel", c) for c in community.channels],
            "deliberation_day": community.deliberation_day,
            "teams": dict(community.teams),
        },
        "figures": {
            "received": figures.received,
            "by_status": by_status,
            "closure": _figure(figures.closure),
            "on_time": _figure(figures.on_time),
            "satisfaction": _figure(figures.satisfaction),
            "median_days_to_feedback": None if figures.median_days is None else _number(figures.median_days),
            "overdue": [s.id for s in figures.overdue],
            "meetings": len(meetings),
            "projects": len(projects),
            "output_totals": [
                {"label": o.label, "quantity": _number(o.quantity), "unit": o.unit}
                for o in metrics.output_totals(projects)
            ],
        },
        **items,
        "labels": label.table(),
    }
