"""QR codes as inline SVG (segno): scanned from printed notices to open a page on the phone."""

from __future__ import annotations

import functools

import segno
from markupsafe import Markup

# segno scores all eight mask patterns to pick the most readable one, in pure Python: 5 ms a
# code, minutes for a district's 20,000 suggestion pages. Every mask is valid for every reader;
# record pages take a fixed one (1 ms), the printed notices keep the best.
FAST_MASK = 4


@functools.lru_cache(maxsize=4096)  # `ailin serve` renders a community again after each edit
def qr_svg(url: str, title: str, best_mask: bool = False) -> Markup:
    """A scalable QR code for `url`; medium error correction survives a creased paper notice."""
    code = segno.make(url, error="m", micro=False, mask=None if best_mask else FAST_MASK)
    svg = code.svg_inline(scale=1, border=2, omitsize=True, title=title, svgclass="ab-qr", lineclass=None)
    return Markup(svg)
