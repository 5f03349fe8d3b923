"""load -> validate -> model -> render -> publish; the faces (CLI, MkDocs plugin) call this."""

from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
import sys
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
    from collections.abc import Callable, Iterator

    from .cache import CommunityCache
    from .parts import Part
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
    """The pages, and the files of the board that no community makes: with board.yaml's
    `editor:`, the form editor at admin/. Each community's pages and files come on demand
    (`write_communities`), and the board-wide files assembled from them after (`board_files`):
    open data (frictionless validates it in the tests and `ailin check --data`), feeds and search."""
    # Imported here: `ailin check` never renders, and these imports are a third of its start-up.
    from .formeditor import admin_files
    from .opendata import package, row_counts
    from .render import Asset, render_site

    site = render_site(board, Path(content_dir).resolve(), package(board), row_counts(board))
    site.assets.extend(Asset(path, content) for path, content in sorted(admin_files(board, Path(content_dir)).items()))
    return site


def write_communities(site: Site, frame: Callable[[Page], str], folder: Path,
                      cache: CommunityCache | None = None, fingerprints: dict[str, str] | None = None,
                      communities: list[str] | None = None) -> dict[str, Part]:
    """Write every community's pages, each in its `frame` (the theme's HTML around it), and its
    files (photo copies, feed, calendar, data.json) below `folder`; return each community's part
    of the board-wide files (parts.py).

    With a `cache` and the communities' `fingerprints` (cache.py), a community whose files are
    in the cache under the same fingerprint is linked from there instead and its part read from
    there, and a rendered one is kept there for the next build. Large jobs are shared among
    worker processes by community. `communities` limits the writing to those (a shard of the
    board, `shard_of`).
    """
    communities = site.communities if communities is None else communities
    parts: dict[str, Part] = {}
    if cache is not None:
        with paused_gc():  # parts are many small objects (memory.py)
            parts = {c: part for c in communities if (part := cache.part(c, fingerprints[c])) is not None}
    stale = [c for c in communities if c not in parts]
    _job.update(site=site, frame=frame, folder=folder, cache=cache, fingerprints=fingerprints)
    try:
        parts.update(_share(_render_community, stale, site))
    finally:
        _job.clear()
    if cache is not None:
        for community in communities:
            cache.link_into(community, folder)
    return parts


def board_files(site: Site, parts: dict[str, Part] | None = None) -> dict[str, bytes]:
    """The board's feed, open-data tables and search index, assembled from the parts of all
    communities; those not in `parts` (all, or the other shards' communities) are made here."""
    from .parts import board_files as assemble

    parts = dict(parts or {})
    _job.update(site=site)
    try:
        parts.update(_share(_part_of, [c for c in site.communities if c not in parts], site))
    finally:
        _job.clear()
    with paused_gc():
        return assemble(site, parts.values())


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
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a Linux process gets when its parent ends
_job: dict = {}  # what forked workers inherit: set just before the pool starts


def _share(job: Callable[[str], tuple[str, Part]], communities: list[str], site: Site) -> dict[str, Part]:
    """`job` for each community, shared among worker processes when there are pages enough to
    pay for starting them; the largest first, so that the workers end together."""
    communities = sorted(communities, key=site.community_size, reverse=True)
    jobs = min(_cpus(), len(communities))
    if jobs < 2 or sum(map(site.community_size, communities)) < PARALLEL_PAGES or "fork" not in multiprocessing.get_all_start_methods():
        return dict(map(job, communities))
    with multiprocessing.get_context("fork").Pool(jobs, _die_with_parent, (os.getpid(),)) as pool, paused_gc():
        return dict(pool.imap_unordered(job, communities))  # the parts come back pickled: no collector


def _die_with_parent(parent: int) -> None:
    """A worker ends when the build that started it is killed: left running, it would go on
    writing into a staging folder that the next build removes (publish.py)."""
    if sys.platform == "linux":
        import ctypes

        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # killed before that
        os._exit(1)


def _render_community(community: str) -> tuple[str, Part]:
    from .parts import part_of
    from .publish import write_files

    site, frame, cache = _job["site"], _job["frame"], _job["cache"]
    target = cache.new_folder(community) if cache is not None else _job["folder"]
    part = part_of(site, community)
    pages = ((page.path, frame(page)) for page in site.community_pages(community))
    write_files(target, itertools.chain(pages, _community_files(site, community, part)))
    if cache is not None:
        cache.keep(community, target, _job["fingerprints"][community], part)
    return community, part


def _part_of(community: str) -> tuple[str, Part]:
    from .parts import part_of

    return community, part_of(_job["site"], community)


def _community_files(site: Site, community: str, part: Part) -> Iterator[tuple[str, bytes]]:
    """The community's files beside its pages: photo copies, feed, calendar, data.json."""
    from .parts import community_files

    yield from ((asset.path, asset.content) for asset in site.community_assets(community))
    yield from community_files(site, community, part).items()


def write_board_files(site: Site, folder: Path, parts: dict[str, Part] | None = None) -> None:
    """The `board_files` below `folder`, after the communities."""
    from .publish import write_files

    write_files(folder, sorted(board_files(site, parts).items()))


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def write_docs(site: Site, folder: Path) -> None:
    """The pages as a plain docs folder (Markdown files holding HTML), for any other engine."""
    from .parts import part_of
    from .publish import write_files

    for page in site.all_pages():
        target = folder / page.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown(), encoding="utf-8")
    parts = {community: part_of(site, community) for community in site.communities}
    write_files(folder, ((asset.path, asset.content) for asset in site.assets))
    for community, part in parts.items():
        write_files(folder, _community_files(site, community, part))
    write_board_files(site, folder, parts)


def _board_language(board: Document | None) -> str:
    """The board's `language`, read before validation so its messages speak it."""
    if board is None:
        return "zh"
    for key, value in board.root.value:
        if key.value == "language" and value.value in ("zh", "en"):
            return value.value
    return "zh"
