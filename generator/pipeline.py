"""load -> validate -> model -> render -> publish; the faces (CLI, MkDocs plugin) call this."""

from __future__ import annotations

import functools
import itertools
import multiprocessing
import multiprocessing.pool
import os
import pickle
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .load import community_folders, iter_documents, load_board
from .memory import paused_gc
from .records import CheckedBoard, Content, Document, Record
from .cache import CheckCache, CommunityCache, content_digests, digest
from .messages import format_report
from .model import BoardModel, build_model
from .problems import Problems

if TYPE_CHECKING:
    from collections.abc import Callable

    from .render import Page, Site
from .validate import KeyTables, Settings, check_records, check_references, key_tables, read_settings


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


def check(content_dir: Path, language: str | None = None, keep_records: bool = True,
          cache: CheckCache | None = None, digests: dict[str, str] | None = None) -> CheckResult:
    """Load and validate a content folder; every problem is collected, none raised.

    Community folders are checked one by one, in worker processes on a large board. Without
    `keep_records` (`ailin check`), the workers send back only their problems and keys. With a
    `cache` (builds and the preview), a community whose folder and settings are as when it was
    last checked (`digests`, cache.py) is taken from there. The relational checks run once on
    all the records' keys.
    """
    problems = Problems()
    with paused_gc():  # a district board is a million small objects without cycles (memory.py)
        root = Path(content_dir).resolve()
        board_document = load_board(root, problems)
        language = language or _board_language(board_document)
        settings = read_settings(board_document, problems, language)
        folders = community_folders(root, problems)
        content = Content(root=root, board=board_document)
        if not keep_records:
            tables, count = _check_keys(content, folders, settings, problems)
            check_references(tables, problems)
            return CheckResult(problems, language, count + (board_document is not None), None)
        records, tables = [], KeyTables()
        for checked in _checked_communities(content, folders, settings, cache, digests):
            problems.extend(checked.problems)
            content.unreadable |= checked.unreadable
            records += checked.records
            tables.merge(checked.keys)
        check_references(tables, problems)
        board = CheckedBoard(settings=settings.record, records=records, as_of=settings.as_of, content=content)
        return CheckResult(problems, language, len(records) + (board_document is not None), board)


@dataclass
class CheckedCommunity:
    """One community folder after the check of each record on its own."""

    records: list[Record]
    problems: Problems
    unreadable: set[str]

    @functools.cached_property
    def keys(self) -> KeyTables:
        """Its keys for the relational checks: worked out once, then remembered with the
        check (`ailin serve` checks a district again after every edit)."""
        return key_tables(self.records, self.unreadable)


def _checked_communities(content: Content, folders: list[Path], settings: Settings,
                         cache: CheckCache | None, digests: dict[str, str] | None) -> list[CheckedCommunity]:
    if cache is not None and digests is None:
        digests = content_digests(content.root)
    common = digest(settings.as_of.isoformat(), settings.language)
    keys = {f.name: cache.key(content.root, digests, f.name, common) for f in folders} if cache else {}
    checked = {f.name: cache.load(f.name, keys[f.name]) for f in folders} if cache else {}
    stale = [f for f in folders if checked.get(f.name) is None]
    jobs = min(_cpus(), len(stale) // PARALLEL_FROM)
    _worker.update(content=content, settings=settings, cache=cache, keys=keys)
    try:
        if jobs >= 2 and "fork" in multiprocessing.get_all_start_methods():
            with _pool(jobs) as pool:
                for folder, pickled in zip(stale, pool.map(_check_community, stale, chunksize=4)):
                    checked[folder.name] = pickle.loads(pickled)
        else:
            for folder in stale:
                checked[folder.name] = _checked_community(folder)
                _keep(folder, checked[folder.name])
    finally:
        _worker.clear()
    if cache is not None:
        for folder in stale:
            if not checked[folder.name].problems.errors:
                cache.remember(folder.name, keys[folder.name], checked[folder.name])
    return [checked[f.name] for f in folders]


def _checked_community(folder: Path) -> CheckedCommunity:
    problems = Problems()
    content = Content(root=_worker["content"].root)
    records = check_records(iter_documents(content, [folder], problems), _worker["settings"], content.root, problems)
    return CheckedCommunity(records, problems, content.unreadable)


def _check_community(folder: Path) -> bytes:
    """In a worker: one community's check, pickled once for the main process and the cache."""
    with paused_gc():
        checked = _checked_community(folder)
        pickled = pickle.dumps(checked, pickle.HIGHEST_PROTOCOL)
        _keep(folder, checked, pickled)
        return pickled


def _keep(folder: Path, checked: CheckedCommunity, pickled: bytes | None = None) -> None:
    """A community without errors goes into the check cache, if there is one."""
    cache = _worker["cache"]
    if cache is not None and not checked.problems.errors:
        cache.keep(folder.name, _worker["keys"][folder.name], pickled or pickle.dumps(checked, pickle.HIGHEST_PROTOCOL))


def _check_keys(content: Content, folders: list[Path], settings: Settings, problems: Problems) -> tuple[KeyTables, int]:
    """`ailin check`: each share of the communities checked in a worker, which sends back only
    its problems and keys (or all in this process on a small board)."""
    jobs = min(_cpus(), len(folders) // PARALLEL_FROM)
    if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
        records = check_records(iter_documents(content, folders, problems), settings, content.root, problems)
        return key_tables(records, content.unreadable), len(records)
    _worker.update(content=content, settings=settings)
    try:
        with _pool(jobs) as pool:
            results = pool.map(_check_share, [folders[i::jobs] for i in range(jobs)])
    finally:
        _worker.clear()
    tables, count = KeyTables(), 0
    for share_problems, share_tables, share_count in results:
        problems.extend(share_problems)
        tables.merge(share_tables)
        count += share_count
    return tables, count


_worker: dict = {}  # what forked workers inherit: set just before the pool starts


def _check_share(folders: list[Path]) -> tuple[Problems, KeyTables, int]:
    """One worker's communities: loaded, checked record by record, their keys collected."""
    problems = Problems()
    content = Content(root=_worker["content"].root)
    records = check_records(iter_documents(content, folders, problems), _worker["settings"], content.root, problems)
    return problems, key_tables(records, content.unreadable), len(records)


def report(result: CheckResult, style: str = "text") -> str:
    """What `ailin check` prints: one line per problem, then the summary."""
    return format_report(result.problems.sorted(), result.record_count, result.language, style)


def model_of(result: CheckResult) -> BoardModel:
    """The typed model of a board that passed the check."""
    assert result.ok and result.board is not None, "build a model from a checked board that kept its records"
    with paused_gc():  # 100,000 new objects without cycles: the collector would triple the time
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
            with _pool(jobs) as pool:
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


def _pool(jobs: int) -> multiprocessing.pool.Pool:
    """Forked workers (they inherit `_worker` or `_job`) that end with the main process: a
    killed build must not leave workers writing into its folders."""
    return multiprocessing.get_context("fork").Pool(jobs, _end_with, (os.getpid(),))


def _end_with(main: int) -> None:
    def watch() -> None:
        while os.getppid() == main:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


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
