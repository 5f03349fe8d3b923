"""The build-time SVG charts: well-formed, escaped, deterministic, readable and accessible."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from ailin import charts
from ailin.charts import contrast_ratio, monthly_received_closed, on_time_by_priority, status_breakdown
from ailin.words import Words

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert(1)</script>" onload="alert(2)'

STATUS = [("待受理", 3, "new"), ("办理中", 12, "in_progress"), ("已办结", 27, "closed"), ("重复建议", 0, "duplicate")]
MONTHS = [("2024-11", 3, 2), ("2024-12", 5, 4), ("2025-01", 8, 6), ("2025-02", 12, 9)]
PRIORITIES = [("紧急重要", 4, 1, "red"), ("紧急", 7, 3, "orange"), ("重要", 9, 0, "yellow"), ("一般", 0, 0, "blue")]
ZH, EN = Words.of("zh"), Words.of("en")


def all_charts(label: str = "标签") -> list[Markup]:
    return [
        status_breakdown([(label, 3, "new"), ("x", 0, "unknown-key")], label, ZH),
        monthly_received_closed([("2025-01", 3, 1)], label, ZH),
        on_time_by_priority([(label, 2, 1, "red")], label, ZH),
    ]


def parse(svg: Markup) -> ET.Element:
    assert isinstance(svg, Markup)
    return ET.fromstring(str(svg))


def texts(svg: Markup) -> list[str]:
    return [element.text or "" for element in parse(svg).iter(f"{SVG}text")]


def test_status_breakdown_shows_every_count_including_zero() -> None:
    shown = texts(status_breakdown(STATUS, "处理状态", ZH))
    for label, count, _ in STATUS:
        assert label in shown and str(count) in shown
    assert shown.count("0") == 1


def test_status_colours_by_key_and_unknown_keys_are_neutral() -> None:
    root = parse(status_breakdown([("a", 1, "closed"), ("b", 2, "made-up")], "t", ZH))
    fills = [rect.get("fill") for rect in root.iter(f"{SVG}rect")][1:]  # the first rect is the background
    assert fills == [charts.STATUS_COLOURS["closed"], charts.NEUTRAL]


def test_on_time_by_priority_shows_counts_and_percentages() -> None:
    shown = texts(on_time_by_priority(PRIORITIES, "按时办结", ZH))
    assert "按时 4/5 · 80%" in shown
    assert "按时 7/10 · 70%" in shown
    assert "按时 9/9 · 100%" in shown
    assert "暂无" in shown  # the row without items has no bar


def test_chart_words_follow_the_board_language() -> None:
    svg = on_time_by_priority([("Urgent", 1, 2, "red"), ("Low", 0, 0, "blue")], "On time", EN)
    shown = texts(svg)
    assert "On time 1/3 · 33%" in shown and "Late" in shown and "None" in shown
    assert parse(svg).get("aria-label") == "On time: Urgent On time 1/3 · 33% Late 2; Low None"


@pytest.mark.parametrize(
    "on_time, late, percent", [(4, 1, 80), (1, 2, 33), (2, 1, 67), (1, 7, 13), (199, 1, 99), (1, 999, 1), (0, 3, 0), (3, 0, 100)]
)
def test_percentages_round_half_up_and_never_hide_a_late_or_on_time_item(on_time: int, late: int, percent: int) -> None:
    assert f"{on_time}/{on_time + late} · {percent}%" in " ".join(texts(on_time_by_priority([("x", on_time, late, "blue")], "t", ZH)))


def test_monthly_shows_both_counts_for_each_month_and_a_legend() -> None:
    svg = monthly_received_closed(MONTHS, "每月", ZH)
    shown = texts(svg)
    for _, received, closed in MONTHS:
        assert str(received) in shown and str(closed) in shown
    assert shown.count("收到") == 2 and shown.count("办结") == 2  # legend and the row of numbers
    assert "2月" in shown and "2024" in shown and "2025" in shown
    assert "2025-02 收到 12 办结 9" in parse(svg).get("aria-label")


def test_monthly_keeps_at_most_the_last_twelve_months() -> None:
    months = [(f"2024-{m:02d}", 30 + m, 1) for m in range(1, 13)] + [("2025-01", 7, 8), ("2025-02", 9, 10)]
    shown = texts(monthly_received_closed(months, "t", EN))
    assert "31" not in shown and "32" not in shown and "33" in shown and "9" in shown
    assert "25-02" in shown  # the newest month is always labelled


def test_monthly_drops_old_months_rather_than_overlap_wide_numbers() -> None:
    months = [(f"2025-{m:02d}", 900 + m, 1000 + m) for m in range(1, 13)]
    root = parse(monthly_received_closed(months, "t", ZH))
    row_y = next(t.get("y") for t in root.iter(f"{SVG}text") if t.text == "1012")
    numbers = [t for t in root.iter(f"{SVG}text") if t.get("y") == row_y and t.get("text-anchor") == "middle"]
    assert 6 <= len(numbers) < 12 and numbers[-1].text == "1012"
    xs = [float(t.get("x")) for t in numbers]
    assert min(b - a for a, b in zip(xs, xs[1:])) >= charts._estimate_width("1000", 13) + 4


def test_monthly_axis_top_is_a_nice_number_with_two_to_four_gridlines() -> None:
    for peak in [1, 3, 7, 9, 12, 41, 99, 100, 1234]:
        top, step = charts._nice_axis(peak)
        assert top >= peak and 2 <= top // step <= 4 and top % step == 0
        assert str(step)[0] in "125" and set(str(step)[1:]) <= {"0", "5"}
    assert charts._nice_axis(41) == (50, 25)
    assert charts._nice_axis(12) == (15, 5)
    shown = texts(monthly_received_closed([("2025-01", 12, 3)], "t", ZH))
    assert {"0", "5", "10", "15"} <= set(shown)


def test_monthly_rejects_malformed_months_and_negative_counts() -> None:
    with pytest.raises(ValueError):
        monthly_received_closed([("2025-13", 1, 1)], "t", ZH)
    with pytest.raises(ValueError):
        status_breakdown([("a", -1, "new")], "t", ZH)


@pytest.mark.parametrize(
    "svg",
    [
        status_breakdown([], "状态", ZH),
        status_breakdown([("a", 0, "new")], "状态", ZH),
        monthly_received_closed([], "每月", ZH),
        monthly_received_closed([("2025-01", 0, 0)], "每月", ZH),
        on_time_by_priority([], "按时", ZH),
    ],
)
def test_empty_input_says_no_data(svg: Markup) -> None:
    assert texts(svg) == ["暂无数据"]
    assert parse(svg).get("aria-label").endswith("暂无数据")


def test_empty_text_is_in_the_board_language() -> None:
    assert texts(status_breakdown([], "Status", EN)) == ["No data yet"]


@pytest.mark.parametrize("index", range(3))
def test_hostile_labels_are_escaped(index: int) -> None:
    svg = all_charts(HOSTILE)[index]
    raw = str(svg)
    assert "<script" not in raw and "alert(1)</script>" not in raw
    assert '"onload=' not in raw and '" onload' not in raw
    root = parse(svg)
    assert HOSTILE in root.get("aria-label") and root.find(f"{SVG}title").text == HOSTILE
    if index != 1:  # the monthly chart writes no label of the caller's as text, only its title
        assert any(HOSTILE in text or text.startswith("<script>") for text in texts(svg))


@pytest.mark.parametrize("index", range(3))
def test_no_scripting_surface(index: int) -> None:
    for element in parse(all_charts(HOSTILE)[index]).iter():
        assert element.tag.removeprefix(SVG).lower() not in ("script", "foreignobject", "a", "image", "use")
        assert not [name for name in element.attrib if name.lower().startswith("on")]


@pytest.mark.parametrize("index", range(3))
def test_svg_root_is_accessible_and_scales(index: int) -> None:
    root = parse(all_charts()[index])
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img" and root.get("aria-label")
    assert root.find(f"{SVG}title").text == "标签"
    assert root.get("viewBox").split()[:3] == ["0", "0", "360"]
    assert root.get("width") == "100%" and root.get("height") is None
    assert root.get("font-family") == "inherit"
    assert root.get("class").split()[0] == "chart" and len(root.get("class").split()) == 2
    assert "@font-face" not in str(all_charts()[index])


def test_each_chart_has_its_own_class() -> None:
    classes = {parse(svg).get("class") for svg in all_charts()}
    assert classes == {"chart chart-status", "chart chart-monthly", "chart chart-on-time"}


def test_text_is_at_least_13_units_and_stays_inside_the_viewbox() -> None:
    svgs = [
        status_breakdown(STATUS + [("Awaiting the resident's rating of the work " * 3, 1234, "x")], "t", EN),
        monthly_received_closed([(f"2025-{m:02d}", 999, 999) for m in range(1, 13)], "t", EN),
        on_time_by_priority(PRIORITIES + [("A very long priority label " * 4, 99999, 1, "blue")], "t", EN),
    ]
    for svg in svgs:
        root = parse(svg)
        width, height = (float(v) for v in root.get("viewBox").split()[2:])
        for element in root.iter():
            if element.get("font-size"):
                assert float(element.get("font-size")) >= 13
            if element.tag == f"{SVG}rect" and element.get("x") is not None:
                x, w = float(element.get("x")), float(element.get("width"))
                y, h = float(element.get("y")), float(element.get("height"))
                assert 0 <= x and x + w <= width and 0 <= y and y + h <= height and w >= 0
            if element.tag == f"{SVG}text":
                assert 0 <= float(element.get("x")) <= width and 0 < float(element.get("y")) <= height


def test_output_is_the_same_in_every_process() -> None:
    """Set and dict order may follow the hash seed; two processes with different seeds agree."""
    script = (
        "from test_charts import *; "
        "print(status_breakdown(STATUS, '状态', ZH), monthly_received_closed(MONTHS, '每月', ZH), on_time_by_priority(PRIORITIES, '按时', ZH))"
    )
    outputs = {
        subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).parent, capture_output=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1 and b"<svg" in next(iter(outputs))


def test_contrast_ratio_matches_wcag() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#ffffff", "#767676") == contrast_ratio("#767676", "#ffffff")


def test_palette_contrast_against_the_white_page() -> None:
    fills = [*charts.STATUS_COLOURS.values(), *charts.PRIORITY_COLOURS.values(), charts.NEUTRAL]
    for colour in fills:
        assert contrast_ratio(colour, charts.WHITE) >= 3, colour
    # text colours, including the series colours used for the monthly row labels
    for colour in (charts.TEXT, charts.MUTED, charts.RECEIVED_COLOUR, charts.CLOSED_COLOUR, *fills):
        assert contrast_ratio(colour, charts.WHITE) >= 4.5, colour


@settings(max_examples=150, deadline=None)
@given(label=st.text(max_size=40), count=st.integers(0, 10**6), late=st.integers(0, 10**6))
def test_any_text_gives_well_formed_svg(label: str, count: int, late: int) -> None:
    for svg in (
        status_breakdown([(label, count, label)], label, ZH),
        monthly_received_closed([("2025-01", count, late)], label, EN),
        on_time_by_priority([(label, count, late, label)], label, ZH),
    ):
        parse(svg)
