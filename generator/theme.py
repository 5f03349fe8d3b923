"""Corrections to Material's markup that no template override can reach, and a quicker list
of its files.

Material's base.html writes its two toggles as checkboxes with `autocomplete="off"`, which HTML
allows only on text-like inputs (the Nu HTML Checker reports two errors on every page). They are
not inside any block, so short of copying base.html they are corrected in the finished page.
Each fix replaces one exact string; when Material changes it, nothing is replaced and
tests/test_site.py says so.
"""

from __future__ import annotations

import os

import jinja2

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


class _VisibleFilesLoader(jinja2.FileSystemLoader):
    """The theme's loader, listing its files without going into hidden folders. MkDocs lists
    every file of the theme on each build to copy the static ones, and drops those in a hidden
    folder (its patterns ".*" and "*/.*"); Material keeps 14,500 icons in `.icons`, and listing
    them took 0.09 s of every build. Templates load as before."""

    def list_templates(self) -> list[str]:
        found = set()
        for searchpath in self.searchpath:
            for folder, subfolders, names in os.walk(searchpath, followlinks=self.followlinks):
                subfolders[:] = [name for name in subfolders if not name.startswith(".")]
                relative = os.path.relpath(folder, searchpath).replace(os.sep, "/")
                found.update(names if relative == "." else (f"{relative}/{name}" for name in names))
        return sorted(found)


def list_visible_files(theme) -> None:
    """Give the environments of MkDocs' `theme` the loader above."""
    if getattr(theme.get_env, "lists_visible_files", False):
        return
    make_env = theme.get_env

    def get_env() -> jinja2.Environment:
        env = make_env()
        env.loader = _VisibleFilesLoader(theme.dirs)
        return env

    get_env.lists_visible_files = True
    theme.get_env = get_env
