"""Where every page and file of the site lives: the one place that builds site paths.

Like MkDocs' `File.url` and `File.url_relative_to`: records ask here for their path
(`model.Suggestion.url` is `suggestion_url(...)`), and every link between two site paths is
made relative by `relative`, so the site works from any folder and any host. Paths are
relative to the site root, without a leading "/"; a page's path ends in "/" ("" is the home
page), a file's does not (`c/jintu/feed.xml`).

This module imports nothing of the package: every stage may use it.
"""

from __future__ import annotations

import posixpath

HOME = ""
KIND_SEGMENTS = {"suggestion": "s", "meeting": "m", "project": "p"}


def community_url(community: str) -> str:
    """The community page: `c/<community>/`."""
    return f"c/{community}/"


def record_url(kind: str, community: str, record: str) -> str:
    """A suggestion, meeting or project page: `c/<community>/s|m|p/<id>/`."""
    return f"{community_url(community)}{KIND_SEGMENTS[kind]}/{record}/"


def community_file(community: str, name: str) -> str:
    """A file or page below the community's folder: `c/<community>/feed.xml`, `.../embed/`."""
    return community_url(community) + name


def relative(target: str, from_page: str) -> str:
    """A link from the page `from_page` (a folder path, "" for home) to the site path `target`.

    Segment by segment, as `posixpath.relpath` would give it for such clean paths (none with
    "." or ".." or "//" in them): pages make tens of links each, and relpath's absolute paths
    cost a district build seconds."""
    to, start = target.split("/"), from_page.split("/")
    if "" in to[:-1] or "" in start[:-1] or {".", ".."} & {*to, *start}:
        link = posixpath.relpath(target or ".", from_page or ".")
    else:
        to, start = [s for s in to if s], [s for s in start if s]
        common = 0
        for a, b in zip(to, start):
            if a != b:
                break
            common += 1
        link = "/".join([".."] * (len(start) - common) + to[common:])
    if link in ("", "."):
        return "./"
    return link + ("/" if target.endswith("/") or not target else "")


def relative_from_file(target: str, from_file: str) -> str:
    """A link from the file `from_file` (`c/jintu/feed.xml`) to the page `target`."""
    return relative(target, posixpath.dirname(from_file))
