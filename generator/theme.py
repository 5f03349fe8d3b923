"""Corrections to Material's markup that no template override can reach.

Material's base.html writes its two toggles as checkboxes with `autocomplete="off"`, which HTML
allows only on text-like inputs (the Nu HTML Checker reports two errors on every page). They are
not inside any block, so short of copying base.html they are corrected in the finished page.
Each fix replaces one exact string; when Material changes it, nothing is replaced and
tests/test_site.py says so.
"""

from __future__ import annotations

FIXES = {
    '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">':
        '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer">',
    '<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">':
        '<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search">',
}


def valid_html(page: str) -> str:
    for wrong, right in FIXES.items():
        page = page.replace(wrong, right, 1)
    return page
