"""Corrections to Material's markup that no template override can reach, a quicker list of
its files, and its privacy plugin's `requests` loaded only if used.

Material's base.html writes its two toggles as checkboxes with `autocomplete="off"`, which HTML
allows only on text-like inputs (the Nu HTML Checker reports two errors on every page). They are
not inside any block, so short of copying base.html they are corrected in the finished page.
Each fix replaces one exact string; when Material changes it, nothing is replaced and
tests/test_site.py says so.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import types

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


class _ImportedOnUse(types.ModuleType):
    """A stand-in for a module not imported yet: the first attribute asked of it imports the
    module (in its place in sys.modules), and every attribute comes from there."""

    def __getattr__(self, name: str):
        module = self.__dict__.get("_module")
        if module is None:
            if sys.modules.get(self.__name__) is self:
                del sys.modules[self.__name__]
            module = self._module = importlib.import_module(self.__name__)  # the import lock: thread-safe
        return getattr(module, name)


def defer_requests() -> None:
    """Let `import requests` import the package on its first use.

    Material's privacy plugin, every board's guard against assets from other hosts, imports
    requests to download such assets; a board never does (`assets_fetch: false`), and the
    import was 0.08-0.14 s of every build's start. Called when MkDocs imports our plugin, which
    the default settings list before the privacy plugin. (importlib's LazyLoader would not do:
    on Python 3.11 an `import` statement already loads the module.)"""
    if "requests" not in sys.modules and importlib.util.find_spec("requests") is not None:
        sys.modules["requests"] = _ImportedOnUse("requests")
