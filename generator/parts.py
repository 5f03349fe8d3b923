"""Each community's part of the board-wide files, and those files assembled from the parts.

The board's feed, the open-data tables and the search index show every community, but a build
renders only the communities whose fingerprint changed (cache.py). So what those files need of
one community, its `Part`, is made where the community's pages are rendered and kept in the
cache with them; a build reads the parts of the communities that did not change and assembles
the board-wide files from all parts (`board_files`), which costs little. Without a cache, a
shard or `ailin export`, the board-wide files are the same parts put together the same way, so
every build of the same content writes the same bytes.

A community's feed, calendar and data.json show only what its pages show (their fingerprint):
they are written and cached with its pages (`community_files`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .feeds import Event, board_feed, community_calendar, community_events, community_feed
from .opendata import community_data, community_rows, table_files
from .render import Site
from .search import IndexEntry, index_entry, index_files


@dataclass
class Part:
    """What one community adds to the board-wide files: small, and picklable for the cache and
    the worker processes."""

    events: list[Event]  # its newest feed events (feeds.MAX_ENTRIES at most), newest first
    rows: dict[str, list[tuple[str, str]]]  # open-data table -> its rows as (first cell, CSV line)
    search: list[IndexEntry]  # the community and its records as the search index takes them


def part_of(site: Site, community: str) -> Part:
    """The community's part, made from the model as its pages are."""
    board = site.board
    docs = site.renderer.search_docs(board.communities[community])
    return Part(community_events(board, community), community_rows(board, community), [index_entry(d) for d in docs])


def community_files(site: Site, community: str, part: Part) -> dict[str, bytes]:
    """`c/<id>/feed.xml` (from the part's events), `meetings.ics` and `data.json`."""
    board = site.board
    folder = board.communities[community]
    return {
        folder.file_url("feed.xml"): community_feed(board, community, part.events),
        folder.file_url("meetings.ics"): community_calendar(board, community),
        folder.file_url("data.json"): community_data(board, community),
    }


def board_files(site: Site, parts: Iterable[Part]) -> dict[str, bytes]:
    """`feed.xml`, `data/*.csv` with `data/datapackage.json`, and the search index below
    `find/`, from the parts of all communities (in any order)."""
    parts = list(parts)
    board = site.board
    return {
        "feed.xml": board_feed(board, [part.events for part in parts]),
        **table_files(board, [part.rows for part in parts]),
        **index_files([entry for part in parts for entry in part.search], board.language),
    }
