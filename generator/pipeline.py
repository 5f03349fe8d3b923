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
    from collections.abc import Callable, Iterator

    from .parts import Part
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
SHARE = 4  # community folders a worker of `ailin check` takes at a time


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
    """One community folder (or a worker's share of them) after the check of each record on
    its own."""

    records: list[Record]
    problems: Problems
    unreadable: set[str]

    @functools.cached_property
    def keys(self) -> KeyTables:
        """Its keys for the relational checks: worked out once, where the community was checked
        (a worker, in parallel), then sent and remembered with the check (`ailin serve` checks a
        district again after every edit)."""
        return key_tables(self.records, self.unreadable)


def _checked_communities(content: Content, folders: list[Path], settings: Settings,
                         cache: CheckCache | None, digests: dict[str, str] | None) -> list[CheckedCommunity]:
    if cache is not None and digests is None:
        digests = content_digests(content.root)
    common = digest(settings.as_of.isoformat(), settings.language)
    keys = {f.name: cache.key(content.root, digests, f.name, common) for f in folders} if cache else {}
    checked = {f.name: cache.load(f.name, keys[f.name]) for f in folders} if cache else {}
    stale = [f for f in folders if checked.get(f.name) is None]
    jobs = _workers_for(stale)
    _worker.update(content=content, settings=settings, cache=cache, keys=keys)
    try:
        if jobs:
            with _pool(jobs) as pool:
                # imap: each community is unpickled here while the workers check the next ones
                for folder, pickled in zip(stale, pool.imap(_check_community, stale, chunksize=2)):
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
        cache.forget_all_but(keys)
    return [checked[f.name] for f in folders]


def _check_folders(root: Path, folders: list[Path], settings: Settings) -> CheckedCommunity:
    """Community folders (one, or a worker's share) loaded and checked record by record.

    The records leave without their marks (`Record.marks`): once the keys are worked out, every
    problem in them has been found and placed, and the marks were a third of what the main
    process (and a warm build, from the check cache) unpickles: 2.5 of 8.5 ms a community."""
    problems = Problems()
    content = Content(root=root)
    records = check_records(iter_documents(content, folders, problems), settings, root, problems)
    checked = CheckedCommunity(records, problems, content.unreadable)
    checked.keys  # the marks' last use: where each key was written
    for record in records:
        record.marks = {}
    return checked


def _checked_community(folder: Path) -> CheckedCommunity:
    return _check_folders(_worker["content"].root, [folder], _worker["settings"])


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
    """`ailin check`: the communities checked in workers, a few at a time, each sending back
    only their problems and keys (or all in this process on a small board). Small shares, not
    one per worker: the workers end together (one half of a district had ended 0.5 s before the
    other), and each share is merged while the next are checked. In folder order, as a build
    merges them: where the order counts (the first of two records with one id), the messages
    are the same."""
    jobs = _workers_for(folders)
    if not jobs:
        checked = _check_folders(content.root, folders, settings)
        problems.extend(checked.problems)
        return checked.keys, len(checked.records)
    _worker.update(content=content, settings=settings)
    tables, count = KeyTables(), 0
    try:
        with _pool(jobs) as pool:
            shares = [folders[i:i + SHARE] for i in range(0, len(folders), SHARE)]
            for share_problems, share_tables, share_count in pool.imap(_check_share, shares):
                problems.extend(share_problems)
                tables.merge(share_tables)
                count += share_count
    finally:
        _worker.clear()
    return tables, count


def _workers_for(folders: list[Path]) -> int:
    """How many worker processes check these community folders; 0: this process does."""
    jobs = min(_cpus(), len(folders) // PARALLEL_FROM)
    return jobs if jobs >= 2 and "fork" in multiprocessing.get_all_start_methods() else 0


_worker: dict = {}  # what forked workers inherit: set just before the pool starts


def _check_share(folders: list[Path]) -> tuple[Problems, KeyTables, int]:
    """One worker's communities: their problems and keys, for the main process."""
    checked = _check_folders(_worker["content"].root, folders, _worker["settings"])
    return checked.problems, checked.keys, len(checked.records)


def report(result: CheckResult, style: str = "text") -> str:
    """What `ailin check` prints: one line per problem, then the summary."""
    return format_report(result.problems.sorted(), result.record_count, result.language, style)


def model_of(result: CheckResult) -> BoardModel:
    """The typed model of a board that passed the check."""
    assert result.ok and result.board is not None, "build a model from a checked board that kept its records"
    with paused_gc():  # 100,000 new objects without cycles: the collector would triple the time
        return build_model(result.board)


def render(board: BoardModel, content_dir: Path, compiled_in: Path | None = None) -> Site:
    """The pages, and the files of the board that no community makes: with board.yaml's
    `editor:`, the form editor at admin/. Each community's pages and files come on demand
    (`write_communities`), and the board-wide files assembled from them after (`board_files`):
    open data (frictionless validates it in the tests and `ailin check --data`), feeds and search."""
    # Imported here: `ailin check` never renders, and these imports are a third of its start-up.
    # The parts too, before `write_communities` forks its workers: not again in each of them
    # (icalendar alone takes 0.2 s).
    from . import parts  # noqa: F401
    from .formeditor import admin_files
    from .opendata import package, row_counts
    from .render import Asset, render_site

    site = render_site(board, Path(content_dir).resolve(), package(board), row_counts(board), compiled_in)
    site.assets.extend(Asset(path, content) for path, content in sorted(admin_files(board, Path(content_dir)).items()))
    return site


def write_communities(site: Site, frame: Callable[[Page], bytes], folder: Path,
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
    if any(project.photos for community in stale for project in site.board.projects_of(community)):
        from PIL import Image, ImageOps  # noqa: F401 - the photos' copies: loaded before the workers
        Image.preinit()  # fork, with its file formats, not in each of them
    _job.update(site=site, frame=frame, folder=folder, cache=cache, fingerprints=fingerprints)
    try:
        parts.update(_share(_render_community, stale, site))
    finally:
        _job.clear()
    if cache is not None:  # the rendered ones were linked as they were kept, in the workers
        for community in communities:
            if community not in stale:
                cache.link_into(community, folder)
        cache.forget_all_but(set(site.communities))  # all of them: a shard keeps the other shards' too
        cache.empty_trash()
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
_job: dict = {}  # what forked workers inherit: set just before the pool starts


def _share(job: Callable[[str], tuple[str, Part]], communities: list[str], site: Site) -> dict[str, Part]:
    """`job` for each community, shared among worker processes when there are pages enough to
    pay for starting them; the largest first, so that the workers end together."""
    communities = sorted(communities, key=site.community_size, reverse=True)
    jobs = min(_cpus(), len(communities))
    if jobs < 2 or sum(map(site.community_size, communities)) < PARALLEL_PAGES or "fork" not in multiprocessing.get_all_start_methods():
        return dict(map(job, communities))
    with _pool(jobs) as pool, paused_gc():
        return dict(pool.imap_unordered(job, communities))  # the parts come back pickled: no collector


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
        cache.link_into(community, _job["folder"])
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
