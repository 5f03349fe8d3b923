"""QR codes as inline SVG (segno): scanned from printed notices to open a page on the phone."""

from __future__ import annotations

import segno
from markupsafe import Markup


def qr_svg(url: str, title: str) -> Markup:
    """A scalable QR code for `url`; medium error correction survives a creased paper notice."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(scale=1, border=2, omitsize=True, title=title, svgclass="ab-qr", lineclass=None)
    return Markup(svg)
