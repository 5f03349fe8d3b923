"""Build-time charts as inline SVG: the board's pages never load chart JavaScript.

Residents read the board on phones inside WeChat's browser, often on slow networks, so
each chart is a single ``<svg>`` string that a jinja2 template drops into the page.

Design choices:

* ``viewBox`` is 360 units wide, the narrowest common phone width in CSS pixels, and the
  element has ``width="100%"`` and no height, so it scales with the column while text
  stays near its nominal size (15, never below 13) on the phones that matter.
* No fonts are named (``font-family="inherit"``): the page's system fonts, including
  the phone's CJK font, are used and nothing is downloaded.
* Colour is never the only carrier of meaning: every bar has its label and value as text,
  and the ``aria-label`` repeats the data because ``role="img"`` hides the inner text
  from screen readers. Every colour reaches 4.5:1 against white, so it can also be used
  for text; a white background is drawn so that this holds on any page.
* Output is deterministic (no ids, no randomness, numbers formatted to one decimal), and
  every piece of text is escaped and stripped of characters XML forbids.
* Every word (legend, empty chart, month ticks) and the punctuation of the ``aria-label`` come
  from the board's ``Words``.
* Text widths cannot be measured at build time; ``_estimate_width`` over-estimates them
  (CJK characters 1 em, others 0.6 em) to lay labels out without overlaps.

Monthly chart: only the most recent months that fit are shown, at most 12, so that each
month's two counts fit as numbers under its bars; month ticks are thinned (every 2nd,
counted back from the newest month) when they would not fit side by side, and a year is
written under the first tick and wherever the year changes.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Iterable

from markupsafe import Markup, escape

from .words import Words

WIDTH = 360
PAD = 8
FONT = 15  # labels and values
SMALL = 13  # axis ticks and the monthly numbers; the smallest text used
BAR = 18

WHITE = "#ffffff"
TEXT = "#1a1a1a"
MUTED = "#555555"
GRID = "#d6d6d6"  # decorative gridlines; values are labelled as text
NEUTRAL = "#757575"

STATUS_COLOURS = {
    "new": "#1565c0",
    "in_progress": "#b35c00",
    "awaiting_score": "#6a1b9a",
    "closed": "#2e7d32",
    "declined": "#c62828",
    "duplicate": "#546e7a",
    "referred": "#00695c",
}
PRIORITY_COLOURS = {"red": "#c62828", "orange": "#b35c00", "yellow": "#8a6a00", "blue": "#1565c0"}
RECEIVED_COLOUR = STATUS_COLOURS["new"]
CLOSED_COLOUR = STATUS_COLOURS["closed"]
MAX_MONTHS = 12

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def contrast_ratio(hex1: str, hex2: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours, from 1 to 21."""
    lighter, darker = sorted((_relative_luminance(hex1), _relative_luminance(hex2)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def status_breakdown(items: list[tuple[str, int, str]], title: str, words: Words) -> Markup:
    """Horizontal bars, one row per (label, count, status key): label, bar, count."""
    _check_counts(count for _, count, _ in items)
    summary = [f"{label} {count}" for label, count, _ in items]
    peak = max((count for _, count, _ in items), default=0)
    if not peak:
        return _render_empty("chart-status", title, words)
    label_w = max(_estimate_width(label, FONT) for label, _, _ in items)
    stacked = label_w > WIDTH * 0.38  # long labels go on their own line above the bar
    bar_x = PAD if stacked else PAD + label_w + 8
    span = WIDTH - PAD - bar_x - _estimate_width(str(peak), FONT) - 6
    row_h = FONT + 6 + BAR + 12 if stacked else BAR + 14
    body = []
    for i, (label, count, key) in enumerate(items):
        y = PAD + i * row_h
        bar_y = y + FONT + 6 if stacked else y + 7
        label_y = y + FONT if stacked else _baseline(bar_y + BAR / 2, FONT)
        width = max(2.0, span * count / peak) if count else 0.0
        body.append(_render_text(PAD, label_y, _format_fit(label, FONT, WIDTH - 2 * PAD)))
        if width:
            body.append(_render_rect(bar_x, bar_y, width, BAR, STATUS_COLOURS.get(key, NEUTRAL)))
        body.append(_render_text(bar_x + width + 6, _baseline(bar_y + BAR / 2, FONT), str(count), weight="bold"))
    return _render_svg("chart-status", title, summary, 2 * PAD + len(items) * row_h, body, words)


def monthly_received_closed(months: list[tuple[str, int, int]], title: str, words: Words) -> Markup:
    """Grouped vertical bars per ("YYYY-MM", received, closed), with counts written below; each
    month's tick is the catalogue's ``site.chart_month`` ("3月", "24-03")."""
    _check_counts(n for _, r, c in months for n in (r, c))
    recent = [(*_parse_month(month), r, c) for month, r, c in months][-MAX_MONTHS:]
    if not any(r or c for *_, r, c in recent):
        return _render_empty("chart-monthly", title, words)
    received_label, closed_label = words.t("site.received_short"), words.t("site.closed_short")
    top, _ = _nice_axis(max(max(r, c) for *_, r, c in recent))
    label_w = min(WIDTH * 0.3, max(_estimate_width(t, SMALL) for t in (received_label, closed_label, str(top))))
    ticks = [words.t("site.chart_month", date=dt.date(y, m, 1)) for y, m, _, _ in recent]
    tick_w = max(_estimate_width(t, SMALL) for t in [*ticks, "2000"])
    left = PAD + 6 + label_w
    plot_w = WIDTH - left - PAD - max(0.0, tick_w / 2 - 10)  # room for the newest tick to overhang its slot
    cell = max(_estimate_width(str(n), SMALL) for *_, r, c in recent for n in (r, c)) + 6
    count = max(1, int(plot_w // cell))
    shown, ticks = recent[-count:], ticks[-count:]
    top, step = _nice_axis(max(max(r, c) for *_, r, c in shown))
    slot = plot_w / len(shown)
    every = math.ceil((tick_w + 6) / slot)
    plot_top, plot_h = 40, 150
    base = plot_top + plot_h
    body = _render_legend(PAD, PAD, [(received_label, RECEIVED_COLOUR), (closed_label, CLOSED_COLOUR)])
    for value in range(0, top + 1, step):
        y = base - plot_h * value / top
        body.append(_render_rect(left, y - 0.5, plot_w, 1, MUTED if value == 0 else GRID))
        body.append(_render_text(left - 6, _baseline(y, SMALL), str(value), size=SMALL, anchor="end", fill=MUTED))
    group = min(slot * 0.76, 48)
    last_year = None
    for i, (year, _, received, closed) in enumerate(shown):
        centre = left + (i + 0.5) * slot
        for j, (value, colour) in enumerate(((received, RECEIVED_COLOUR), (closed, CLOSED_COLOUR))):
            height = max(2.0, plot_h * value / top) if value else 0.0
            x = centre - group / 2 + j * (group / 2 + 1)
            if height:
                body.append(_render_rect(x, base - height, group / 2 - 1, height, colour))
            body.append(_render_text(centre, base + 56 + 20 * j, str(value), size=SMALL, anchor="middle"))
        if (len(shown) - 1 - i) % every == 0:
            body.append(_render_text(centre, base + 18, ticks[i], size=SMALL, anchor="middle"))
            if year != last_year:
                body.append(_render_text(centre, base + 34, str(year), size=SMALL, anchor="middle", fill=MUTED))
            last_year = year
    for j, (label, colour) in enumerate(((received_label, RECEIVED_COLOUR), (closed_label, CLOSED_COLOUR))):
        label = _format_fit(label, SMALL, label_w)
        body.append(_render_text(left - 6, base + 56 + 20 * j, label, size=SMALL, anchor="end", fill=colour, weight="bold"))
    summary = [f"{y}-{m:02d} {received_label} {r} {closed_label} {c}" for y, m, r, c in shown]
    return _render_svg("chart-monthly", title, summary, base + 76 + PAD + 4, body, words)


def on_time_by_priority(rows: list[tuple[str, int, int, str]], title: str, words: Words) -> Markup:
    """One 100 % bar per (label, on_time, late, priority key): the filled part is on time."""
    _check_counts(n for _, on, late, _ in rows for n in (on, late))
    if not rows:
        return _render_empty("chart-on-time", title, words)
    on_time_label, late_label, none_text = words.t("site.on_time_short"), words.t("site.late_short"), words.t("site.none")
    body = _render_legend(PAD, PAD, [(on_time_label, MUTED), (late_label, None)])
    summary, y = [], PAD + 30
    for label, on_time, late, key in rows:
        total = on_time + late
        value = f"{on_time_label} {on_time}/{total} · {_format_percent(on_time, total)}%" if total else none_text
        summary.append(f"{label} {value} {late_label} {late}" if total else f"{label} {none_text}")
        value_w = _estimate_width(value, FONT)
        body.append(_render_text(PAD, y + FONT, _format_fit(label, FONT, WIDTH - 2 * PAD - value_w - 12)))
        body.append(_render_text(WIDTH - PAD, y + FONT, value, anchor="end", weight="bold" if total else None,
                                 fill=TEXT if total else MUTED))
        if total:
            colour = PRIORITY_COLOURS.get(key, NEUTRAL)
            body.append(_render_rect(PAD, y + FONT + 6, WIDTH - 2 * PAD, BAR, WHITE, stroke=colour))
            if on_time:
                body.append(_render_rect(PAD, y + FONT + 6, (WIDTH - 2 * PAD) * on_time / total, BAR, colour))
        y += FONT + 6 + (BAR + 14 if total else 8)
    return _render_svg("chart-on-time", title, summary, y + PAD, body, words)


# --- formatting -------------------------------------------------------------------------


def _format_text(text: object) -> str:
    """Escape for XML text and attributes, dropping characters XML cannot hold."""
    return str(escape(_NOT_XML.sub("", str(text))))


def _format_number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _format_percent(part: int, total: int) -> int:
    """Rounded half up, but never 100 while something is late, nor 0 while something is on time."""
    percent = (200 * part + total) // (2 * total)
    return min(max(percent, 1 if part else 0), 99 if part < total else 100)


def _format_fit(text: str, size: float, width: float) -> str:
    """Shorten text with an ellipsis so that it fits in width; the full text is in the aria-label."""
    if _estimate_width(text, size) <= width:
        return text
    while text and _estimate_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def _format_summary(title: str, parts: Iterable[str], words: Words) -> str:
    """The aria-label: the title, then the data."""
    parts = list(parts)
    return words.colon(title, words.clauses(parts)) if parts else title


# --- rendering --------------------------------------------------------------------------


def _render_svg(kind: str, title: str, summary: Iterable[str], height: float, body: list[str], words: Words) -> Markup:
    height = _format_number(height)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {kind}" viewBox="0 0 {WIDTH} {height}"'
        f' width="100%" role="img" aria-label="{_format_text(_format_summary(title, summary, words))}"'
        f' font-family="inherit" font-size="{FONT}">'
        f"<title>{_format_text(title)}</title>"
        f'<rect width="{WIDTH}" height="{height}" fill="{WHITE}"/>'
        + "".join(body)
        + "</svg>"
    )


def _render_empty(kind: str, title: str, words: Words) -> Markup:
    empty_text = words.t("site.no_data")
    text = _render_text(WIDTH / 2, 30, empty_text, size=FONT, anchor="middle", fill=MUTED)
    return _render_svg(kind, title, [empty_text], 48, [text], words)


def _render_text(
    x: float, y: float, text: str, *, size: int = FONT, anchor: str = "start",
    fill: str = TEXT, weight: str | None = None,
) -> str:
    attributes = f'x="{_format_number(x)}" y="{_format_number(y)}" fill="{fill}"'
    if size != FONT:
        attributes += f' font-size="{size}"'
    if anchor != "start":
        attributes += f' text-anchor="{anchor}"'
    if weight:
        attributes += f' font-weight="{weight}"'
    return f"<text {attributes}>{_format_text(text)}</text>"


def _render_rect(x: float, y: float, width: float, height: float, fill: str, stroke: str | None = None) -> str:
    box = " ".join(f'{name}="{_format_number(v)}"' for name, v in {"x": x, "y": y, "width": width, "height": height}.items())
    outline = f' stroke="{stroke}" stroke-width="1.5"' if stroke else ""
    return f'<rect {box} fill="{fill}"{outline}/>'


def _render_legend(x: float, y: float, entries: list[tuple[str, str | None]]) -> list[str]:
    """Swatch and label per entry; a None colour draws an outlined (unfilled) swatch."""
    parts, room = [], (WIDTH - 2 * PAD) / len(entries) - 38
    for label, colour in entries:
        label = _format_fit(label, FONT, room)
        swatch = _render_rect(x, y + 1, 14, 14, colour or WHITE, stroke=None if colour else MUTED)
        parts += [swatch, _render_text(x + 20, _baseline(y + 8, FONT), label)]
        x += 20 + _estimate_width(label, FONT) + 18
    return parts


# --- geometry and checks ----------------------------------------------------------------


def _baseline(centre: float, size: int) -> float:
    """The y of a text baseline that centres the text's capitals on centre."""
    return centre + size * 0.35


def _estimate_width(text: str, size: float) -> float:
    return sum(size if _is_wide(ch) else size * 0.6 for ch in text)


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _nice_axis(peak: int) -> tuple[int, int]:
    """(top, step) for 2 to 4 gridlines: steps of 1, 2, 2.5 or 5 × 10ⁿ, the lowest top wins."""
    digits = len(str(peak))
    steps = [m * 10**e for e in range(digits + 1) for m in (1, 2, 5)] + [25 * 10**e for e in range(digits)]
    return min((max(2, -(-peak // s)) * s, s) for s in steps if -(-peak // s) <= 4)


def _parse_month(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if not match or not 1 <= int(match[2]) <= 12:
        raise ValueError(f"month must be YYYY-MM, got {text!r}")
    return int(match[1]), int(match[2])


def _check_counts(counts: Iterable[int]) -> None:
    for count in counts:
        if not isinstance(count, int) or count < 0:
            raise ValueError(f"counts must be whole numbers ≥ 0, got {count!r}")


def _relative_luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
