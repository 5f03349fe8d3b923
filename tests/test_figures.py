"""The sample board's published figures against values worked out by hand from content/.

Each number below was counted by reading the YAML files of content/communities/*/suggestions/,
not by running the generator. The board's date (as_of) is 2024-12-20; close_days are red 7,
orange 15, yellow 30, blue 60 (content/board.yaml). A suggestion is "decided" once it has a
step or a declined/duplicate/referred decision; "answered" once it has feedback or that
decision (pages/about.md, 统计口径).
"""

from pathlib import Path

import pytest

from ailin import metrics
from ailin.pipeline import check, model_of

CONTENT = Path(__file__).resolve().parent.parent / "content"


@pytest.fixture(scope="module")
def board():
    result = check(CONTENT)
    assert result.ok
    return model_of(result)


# jinbi, 13 suggestions:
#   closed (scored): 001 002 003 004 005 008 · duplicate 006 · declined 007 · referred 009
#   feedback, not scored: 010 · acting: 011 (act 12-02) · evaluated: 013 · nothing yet: 012
#   办结率 = answered / decided = (001-010 = 10) / (all but 012 = 12) = 83.3%
#   按时办结率, accept -> feedback in days against close_days:
#     001 blue 01-15 -> 03-13 = 16+29+13 = 58 ≤ 60 · 002 blue 03-28 -> 05-24 = 3+30+24 = 57
#     003 blue 04-01 -> 05-30 = 29+30 = 59 · 004 blue 04-03 -> 05-30 = 27+30 = 57
#     005 yellow 04-08 -> 05-29 = 22+29 = 51 > 30 LATE · 006 blue 2 · 007 blue 13
#     008 yellow 06-14 -> 07-13 = 16+13 = 29 ≤ 30 · 009 blue 14 · 010 blue 10-21 -> 12-10 = 10+30+10 = 50
#     = 9 / 10 = 90%
#   overdue: 011 orange, accepted 10-21, close by 11-05, open on 12-20 (45 days late);
#     013 red, accepted 12-17, close by 12-24, first response 12-18: not overdue
#   满意率 = (33+5 + 29+6 + 35+4 + 26+3 + 38+6 + 22+3) / (38 + 36 + 39 + 29 + 44 + 25) = 210 / 211 = 99.5%
# jintu, 12 suggestions:
#   closed: 001 005 006 007 008 · referred 002 · duplicate 003 · declined 004 · feedback only: 009
#   acting: 010 · investigating: 011 · nothing yet: 012
#   办结率 = 9 / 11 = 81.8%
#   按时: 001 yellow 27 · 002 yellow 12 · 003 yellow 3 · 004 blue 17 · 005 orange 03-12 -> 03-26 = 14 ≤ 15
#     006 blue 04-16 -> 06-14 = 14+31+14 = 59 · 007 blue 04-26 -> 06-24 = 4+31+24 = 59
#     008 red 08-12 -> 08-19 = 7 ≤ 7 · 009 blue 10-18 -> 12-13 = 13+30+13 = 56 = 9 / 9 = 100%
#   overdue: 010 red, accepted 11-22, close by 11-29 (21 days late); 011 blue, answered in time
# shiniuyan, 12 suggestions:
#   closed: 001 002 004 005 007 · duplicate 003 · declined 006 · referred 008 · feedback only: 009
#   planned: 010 011 · nothing yet: 012
#   办结率 = 9 / 11 = 81.8%
#   按时: 001 orange 01-08 -> 01-23 = 15 ≤ 15 · 002 yellow 01-10 -> 02-07 = 21+7 = 28 · 003 orange 1
#     004 orange 14 · 005 blue 05-06 -> 07-03 = 25+30+3 = 58 · 006 blue 05-14 -> 06-24 = 17+24 = 41
#     007 orange 06-20 -> 07-04 = 10+4 = 14 · 008 orange 4 · 009 blue 10-14 -> 12-06 = 17+30+6 = 53 = 9 / 9 = 100%
#   overdue: 010 orange, accepted 11-05, close by 11-20 (30 days late); 011 yellow, first response 12-11
# the board: received 13+12+12 = 37; 办结率 (10+9+9) / (12+11+11) = 28 / 34 = 82.4%;
#   按时 (9+9+9) / (10+9+9) = 27 / 28 = 96.4%; overdue 1+1+1 = 3
GOLDEN = {
    # community: (received, closure n/d and text, on-time n/d and text, overdue ids)
    "jinbi": (13, (10, 12, "83.3%"), (9, 10, "90%"), ["jb-2024-011"]),
    "jintu": (12, (9, 11, "81.8%"), (9, 9, "100%"), ["jt-2024-010"]),
    "shiniuyan": (12, (9, 11, "81.8%"), (9, 9, "100%"), ["syy-2024-010"]),
    None: (37, (28, 34, "82.4%"), (27, 28, "96.4%"), ["jb-2024-011", "jt-2024-010", "syy-2024-010"]),
}


@pytest.mark.parametrize("community", list(GOLDEN), ids=lambda c: c or "board")
def test_published_figures_match_the_hand_count(board, community: str | None) -> None:
    received, closure, on_time, overdue = GOLDEN[community]
    figures = metrics.compute(board.suggestions_of(community) if community else board.suggestions.values())
    assert figures.received == received
    assert (figures.closure.numerator, figures.closure.denominator, figures.closure.percent) == closure
    assert (figures.on_time.numerator, figures.on_time.denominator, figures.on_time.percent) == on_time
    assert sorted(s.id for s in figures.overdue) == overdue


def test_overdue_days_match_the_hand_count(board) -> None:
    days = {s.id: s.overdue_by for s in board.suggestions.values() if s.overdue}
    assert days == {"jb-2024-011": ("close", 45), "jt-2024-010": ("close", 21), "syy-2024-010": ("close", 30)}


def test_jinbi_satisfaction_matches_the_hand_count(board) -> None:
    figure = metrics.compute(board.suggestions_of("jinbi")).satisfaction
    assert (figure.numerator, figure.denominator, figure.percent) == (210, 211, "99.5%")


def test_solved_and_follow_up_lists_match_the_hand_count(board) -> None:
    """问题解决白名单: scored and not declined, duplicate or referred; 回访追踪: acted on, no
    score yet (jb-2024-010 awaiting its score, jb-2024-011 acting)."""
    jinbi = board.suggestions_of("jinbi")
    assert sorted(s.id for s in jinbi if s.is_solved) == [f"jb-2024-00{n}" for n in (1, 2, 3, 4, 5, 8)]
    assert sorted(s.id for s in jinbi if s.needs_follow_up) == ["jb-2024-010", "jb-2024-011"]
