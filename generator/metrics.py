"""The board's figures, each with its formula and the records it counts.

Definitions (also on the site's 统计口径 page, pages/about.md):
- 办结率 closure rate: suggestions answered (feedback given, or declined, duplicate, referred)
  / suggestions accepted or decided.
- 按时办结率 on-time rate: suggestions whose feedback came within their priority's close_days
  of acceptance / suggestions with feedback.
- 满意率 satisfaction: (satisfied + basically satisfied) / all follow-up ratings.
- 办理天数中位数 median days from 受理 to 反馈, over suggestions with both steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from .model import PRIORITY_ORDER, Output, Project, Status, Suggestion, median


@dataclass
class Figure:
    """One published number, how it is computed and which records it counts."""

    key: str
    numerator: float
    denominator: float
    counted: list[Suggestion] = field(default_factory=list)  # the denominator's records
    hits: set[str] = field(default_factory=set)  # ids counted in the numerator

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def percent(self) -> str:
        if self.value is None:
            return "—"
        percent = self.value * 100
        # one decimal unless exact, so 210 of 211 reads 99.5%, never a rounded-up 100%
        return f"{percent:.0f}%" if percent == round(percent) else f"{percent:.1f}%"


@dataclass
class Figures:
    received: int
    closure: Figure
    on_time: Figure
    satisfaction: Figure
    median_days: float | None
    median_counted: list[Suggestion]
    overdue: list[Suggestion]

    @property
    def median_text(self) -> str:
        return "—" if self.median_days is None else f"{self.median_days:g}"


def compute(suggestions: Iterable[Suggestion]) -> Figures:
    suggestions = list(suggestions)
    decided = [s for s in suggestions if s.status is not Status.NEW]
    answered = {s.id for s in decided if s.status.is_resolved()}
    with_feedback = [s for s in suggestions if s.days_to_feedback is not None]
    on_time = {s.id for s in with_feedback if s.on_time}
    rated = [s for s in suggestions if s.satisfaction and s.satisfaction.total]
    content = sum(s.satisfaction.content for s in rated)
    total_ratings = sum(s.satisfaction.total for s in rated)
    return Figures(
        received=len(suggestions),
        closure=Figure("closure", len(answered), len(decided), decided, answered),
        on_time=Figure("on_time", len(on_time), len(with_feedback), with_feedback, on_time),
        satisfaction=Figure("satisfaction", content, total_ratings, rated, {s.id for s in rated}),
        median_days=median(s.days_to_feedback for s in with_feedback),
        median_counted=with_feedback,
        overdue=[s for s in suggestions if s.overdue],
    )


def newest_first(suggestions: Iterable[Suggestion]) -> list[Suggestion]:
    """By date received, newest first; ties by id, the later first."""
    return sorted(suggestions, key=lambda s: (s.received, s.id), reverse=True)


def by_status(suggestions: Iterable[Suggestion]) -> dict[Status, list[Suggestion]]:
    """Every status in display order, each with its suggestions (newest first)."""
    groups: dict[Status, list[Suggestion]] = {status: [] for status in Status}
    for s in newest_first(suggestions):
        groups[s.status].append(s)
    return groups


def monthly(suggestions: Iterable[Suggestion]) -> list[tuple[str, int, int]]:
    """(YYYY-MM, received, answered) for every month from the first to the last."""
    received: dict[str, int] = {}
    closed: dict[str, int] = {}
    for s in suggestions:
        received[f"{s.received:%Y-%m}"] = received.get(f"{s.received:%Y-%m}", 0) + 1
        if s.feedback:
            closed[f"{s.feedback:%Y-%m}"] = closed.get(f"{s.feedback:%Y-%m}", 0) + 1
    months = sorted(set(received) | set(closed))
    if not months:
        return []
    year, month = map(int, months[0].split("-"))
    last = months[-1]
    rows = []
    while True:
        key = f"{year:04d}-{month:02d}"
        rows.append((key, received.get(key, 0), closed.get(key, 0)))
        if key >= last:
            return rows
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def on_time_by_priority(suggestions: Iterable[Suggestion]) -> list[tuple[str, int, int]]:
    """(priority, on time, late) over suggestions with feedback, in priority order."""
    counts = {key: [0, 0] for key in PRIORITY_ORDER}
    for s in suggestions:
        if s.on_time is not None:
            counts[s.priority][0 if s.on_time else 1] += 1
    return [(key, on, late) for key, (on, late) in counts.items()]


def output_totals(projects: Iterable[Project]) -> list[Output]:
    """Outputs added up by label and normalized unit (平方米 = m²), in first-seen order."""
    totals: dict[tuple[str, str], float] = {}
    for project in projects:
        for output in project.outputs:
            key = (output.label, output.unit)
            totals[key] = totals.get(key, 0) + output.quantity
    return [Output(label, quantity, unit) for (label, unit), quantity in totals.items()]
