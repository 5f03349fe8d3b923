"""load -> validate -> model -> render -> publish; the faces (CLI, MkDocs plugin) call this."""

from __future__ import annotations

import itertools
import multiprocessing
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .load import community_folders, iter_documents, load_board
from .memory import paused_gc
from .records import CheckedBoard, Content, Document
from .messages import format_report
from .model import BoardModel, build_model
from .problems import Problems

if TYPE_CHECKING:
    from collections.abc import Callable

    from .cache import CommunityCache
    from .render import Page, Site
from .validate import KeyTables, Settings, check_records, check_references, key_tables, read_settings, validate_content


@dataclass
class CheckResult:
    problems: Problems
    language: str
    record_count: int
    board: CheckedBoard | None  # None when the check ran without keeping records (`ailin check`)

    @property
    def ok(self) -> bool:
        return not self.problems.errors


PARALLEL_FROM = 8  # community folders: below this, starting workers costs more than it saves


def check(content_dir: Path, language: str | None = None, keep_records: bool = True) -> CheckResult:
    """Load and validate a content folder; every problem is collected, none raised.

    Without `keep_records` (`ailin check`), community folders are checked in worker processes,
    which send back only their problems and keys: the relational checks run once on all keys.
    """
    problems = Problems()
    with paused_gc():  # a district board is a million small objects without cycles (memory.py)
        root = Path(content_dir)
        board_document = load_board(root, problems)
        language = language or _board_language(board_document)
        settings = read_settings(board_document, problems, language)
        folders = community_folders(root, problems)
        jobs = min(_cpus(), len(folders) // PARALLEL_FROM)
        if keep_records or jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
            content = Content(root=root.resolve(), board=board_document)
            board = validate_content(content, iter_documents(content, folders, problems), settings, problems)
            count = len(board.records) + (board_document is not None)
            return CheckResult(problems, language, count, board if keep_records else None)
        shares = [folders[i::jobs] for i in range(jobs)]
        with multiprocessing.get_context("fork").Pool(jobs, _start_worker, (root, settings)) as pool:
            results = pool.map(_check_share, shares)
        tables = KeyTables()
        count = board_document is not None
        for share_problems, share_tables, share_count in results:
            problems.extend(share_problems)
            tables.merge(share_tables)
            count += share_count
        check_references(tables, problems)
        return CheckResult(problems, language, count, None)


_worker: dict = {}


def _start_worker(root: Path, settings: Settings) -> None:
    _worker.update(root=root, settings=settings)


def _check_share(folders: list[Path]) -> tuple[Problems, KeyTables, int]:
    """One worker's communities: loaded, checked record by record, their keys collected."""
    problems = Problems()
    content = Content(root=_worker["root"].resolve())
    records = check_records(iter_documents(content, folders, problems), _worker["settings"], content.root, problems)
    return problems, key_tables(records, content.unreadable), len(records)


def report(result: CheckResult, style: str = "text") -> str:
    """What `ailin check` prints: one line per problem, then the summary."""
    return format_report(result.problems.sorted(), result.record_count, result.language, style)


def model_of(result: CheckResult) -> BoardModel:
    """The typed model of a board that passed the check."""
    assert result.ok and result.board is not None, "build a model from a checked board that kept its records"
    return build_model(result.board)


def render(board: BoardModel, content_dir: Path) -> Site:
    """The pages, and the files published beside them: open data (frictionless validates it in
    the tests and `ailin check --data`), feeds, meeting calendars and, with board.yaml's
    `editor:`, the form editor at admin/."""
    # Imported here: `ailin check` never renders, and these imports are a third of its start-up.
    from .feeds import calendar_files, feed_files
    from .formeditor import admin_files
    from .opendata import open_data
    from .render import Asset, render_site
    from .search import index_files

    data = open_data(board)
    site = render_site(board, Path(content_dir).resolve(), data.package, data.rows)
    files = {**data.files, **feed_files(board), **calendar_files(board), **admin_files(board, Path(content_dir)),
             **index_files(site.search, board.language)}
    site.assets.extend(Asset(path, content) for path, content in sorted(files.items()))
    return site


def write_communities(site: Site, frame: Callable[[Page], str], folder: Path,
                      cache: CommunityCache | None = None, fingerprints: dict[str, str] | None = None,
                      communities: list[str] | None = None) -> None:
    """Write every community's pages, each in its `frame` (the theme's HTML around it), and its
    photo copies below `folder`.

    With a `cache` and the communities' `fingerprints` (cache.py), a community whose files are
    in the cache under the same fingerprint is linked from there instead, and a rendered one is
    kept there for the next build. Large jobs are shared among worker processes by community.
    `communities` limits the writing to those (a shard of the board, `shard_of`).
    """
    communities = site.communities if communities is None else communities
    stale = [c for c in communities if cache is None or not cache.is_fresh(c, fingerprints[c])]
    stale.sort(key=site.community_size, reverse=True)  # the largest first: workers end together
    _job.update(site=site, frame=frame, folder=folder, cache=cache, fingerprints=fingerprints)
    try:
        jobs = min(_cpus(), len(stale))
        if jobs < 2 or sum(map(site.community_size, stale)) < PARALLEL_PAGES or "fork" not in multiprocessing.get_all_start_methods():
            for community in stale:
                _render_community(community)
        else:
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                for _ in pool.imap_unordered(_render_community, stale):
                    pass
    finally:
        _job.clear()
    if cache is not None:
        for community in communities:
            cache.link_into(community, folder)


def shard_of(site: Site, index: int, count: int) -> list[str]:
    """The communities of shard `index` (1-based) of `count`: the largest first, each to the
    shard with the fewest pages so far, so that the shards take about the same time. The same
    content always gives the same shards."""
    totals = [0] * count
    shards: list[list[str]] = [[] for _ in range(count)]
    for community in sorted(site.communities, key=lambda c: (-site.community_size(c), c)):
        lightest = totals.index(min(totals))
        shards[lightest].append(community)
        totals[lightest] += site.community_size(community)
    return sorted(shards[index - 1])


PARALLEL_PAGES = 400  # below this many pages, starting worker processes costs more than it saves
_job: dict = {}  # what forked workers inherit: set just before the pool starts


def _render_community(community: str) -> None:
    from .publish import write_files

    site, frame, cache = _job["site"], _job["frame"], _job["cache"]
    target = cache.new_folder(community) if cache is not None else _job["folder"]
    pages = ((page.path, frame(page)) for page in site.community_pages(community))
    assets = ((asset.path, asset.content) for asset in site.community_assets(community))
    write_files(target, itertools.chain(pages, assets))
    if cache is not None:
        cache.keep(community, target, _job["fingerprints"][community])


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def write_docs(site: Site, folder: Path) -> None:
    """The pages as a plain docs folder (Markdown files holding HTML), for any other engine."""
    for page in site.all_pages():
        target = folder / page.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown(), encoding="utf-8")
    assets = [asset for community in site.communities for asset in site.community_assets(community)]
    for asset in [*site.assets, *assets]:
        target = folder / asset.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(asset.content)


def _board_language(board: Document | None) -> str:
    """The board's `language`, read before validation so its messages speak it."""
    if board is None:
        return "zh"
    for key, value in board.root.value:
        if key.value == "language" and value.value in ("zh", "en"):
            return value.value
    return "zh"
