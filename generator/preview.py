"""`ailin serve`: the live preview. Built on MkDocs' live-reload server, with three differences
that matter to a volunteer:

- the content is checked before every build; while it has errors, every page answers at once
  with an error page (the same lines as `ailin check`) that turns back into the site by itself
  as soon as the files are fixed. MkDocs alone would keep each request waiting for a build
  that never comes, and show the error only in the terminal;
- the site settings are read afresh on every rebuild, so an edit to mkdocs.yml shows too;
- a saved record shows on its page in a second or two, even on a district board (`Preview`).
"""

from __future__ import annotations

import html
import logging
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from . import pipeline
from .memory import paused_gc
from .cache import CheckCache, default_folder
from .words import Words

if TYPE_CHECKING:
    from .shells import Shells

log = logging.getLogger("mkdocs.ailin")

# The page asks for itself every second: while the content has errors every address answers
# 404 with this page; the first answer that is not 404 is the rebuilt site.
RELOAD_SCRIPT = """<script>
setInterval(function () {
  fetch(location.href, {cache: "no-store"}).then(function (r) { if (r.status !== 404) location.reload(); });
}, 1000);
</script>"""


def error_page(report: str, language: str) -> str:
    """A small self-contained page with `ailin check`'s lines."""
    words = Words.of(language)
    title = html.escape(words.t("preview.title"))
    return (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title>"
        "<style>body{font:16px/1.6 system-ui,sans-serif;margin:1rem;max-width:60rem}"
        "h1{font-size:1.3rem;color:#b00020}pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f6f6;padding:.8rem}</style>"
        f"</head><body><h1>{title}</h1><p>{html.escape(words.t('preview.lead'))}</p>"
        f"<pre>{html.escape(report)}</pre>{RELOAD_SCRIPT}</body></html>"
    )


def serve(
    load_config: Callable[..., object],
    content: Path,
    language: str | None,
    dev_addr: str,
    config_file: Path | None,
) -> None:
    """Serve the board on `dev_addr` until interrupted; rebuild when content or settings change.

    `load_config(site_dir=...)` returns a validated MkDocsConfig, or raises an exception with a
    `problems` attribute (siteconfig.ConfigError) that is shown like content errors.
    """
    from mkdocs.livereload import LiveReloadServer, _serve_url

    site_dir = Path(tempfile.mkdtemp(prefix="ailin-serve-"))
    host, _, port = dev_addr.rpartition(":")
    serve_url = _serve_url(host, int(port), "/")
    preview = Preview(load_config, content, language, site_dir, dev_addr, serve_url)
    server = LiveReloadServer(builder=preview.build, host=host, port=int(port), root=str(site_dir), mount_path="/")
    preview.server = server
    server.observer = _change_observer(preview.note)
    server.error_handler = lambda code: _read(site_dir / "404.html") if code == 404 else None
    try:
        preview.start()
        server.watch(str(content.resolve()))
        for path in (config_file or Path("mkdocs.yml"), Path("pages")):
            if path.exists():
                server.watch(str(path.resolve()))
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info(Words.of(language).t("preview.stopped"))
        finally:
            server.shutdown()
            preview.stop()
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)


FOLLOW_AFTER_S = 10.0  # the whole build after updates waits for the volunteer to pause this long


class Preview:
    """One `ailin serve`: its builds, and what it keeps between them.

    A whole build goes through MkDocs, as `ailin build` does. But when the files saved since the
    last good build all lie inside community folders, only those communities' pages are made
    again, from the theme frames of the last build (shells.py), and swapped into the served
    folder: the saved page shows in a second or two, even on a district board. Once nothing has
    been saved for FOLLOW_AFTER_S, a whole build follows in a thread, into a folder of its own
    that replaces the served one when done, so the board's index, search and feeds catch up
    without keeping any request waiting (nor the next update: it would share the cores).
    """

    def __init__(self, load_config: Callable[..., object], content: Path, language: str | None,
                 site_dir: Path, dev_addr: str, serve_url: str) -> None:
        self.load_config, self.content, self.language = load_config, content, language
        self.site_dir, self.dev_addr, self.serve_url = site_dir, dev_addr, serve_url
        self.server = None
        self.cache = default_folder(content, "serve")
        self.checks = CheckCache(default_folder(content), remember=True)  # shared with `ailin build`
        self.changed: set[str] = set()  # paths the observer saw change since the last build
        self.last: Built | None = None  # the last good whole build's, while only communities changed since
        self.lock = threading.Lock()  # held to change the served folder or `generation`
        self.generation = 0  # one more each time the served folder changes in place
        self.wanted = threading.Event()  # a whole build should follow
        self.stopping = False

    def start(self) -> None:
        """The first whole build, then the thread of the whole builds that follow updates."""
        self.build()
        threading.Thread(target=self._follow, daemon=True).start()

    def build(self) -> None:
        # Never raise: MkDocs' server would keep every request waiting for a good build.
        try:
            with self.lock:
                changed = set(self.changed)
                self.changed.clear()
            communities = self._communities_of(changed)
            with paused_gc():  # the collector would walk the whole board's records, repeatedly
                if communities and self._update(communities):
                    return
            with self.lock:
                self.generation += 1  # a whole build of the served folder: no follower replaces it
            self.last = self._whole_build(self.site_dir)
        except Exception as error:  # noqa: BLE001 - a bug; still answer, and say so
            self.last = None
            self._show_errors(f"{type(error).__name__}: {error}", self.language or "zh")

    def note(self, path: str) -> None:
        """A path changed (the observer's thread)."""
        with self.lock:
            self.changed.add(path)

    def stop(self) -> None:
        self.stopping = True
        self.wanted.set()

    def _communities_of(self, changed: set[str]) -> set[str] | None:
        """The communities whose folders hold every changed path; None when a path lies
        anywhere else or the last build was not good."""
        if self.last is None or not changed:
            return None
        folder = self.content.resolve() / "communities"
        communities = set()
        for path in changed:
            parts = Path(path).relative_to(folder).parts if Path(path).is_relative_to(folder) else ()
            if len(parts) < 2 or parts[0] not in self.last.fingerprints:
                return None
            communities.add(parts[0])
        return communities

    def _update(self, communities: set[str]) -> bool:
        """The pages of `communities` and those their records link to, made again and swapped
        into the served folder; False when a whole build is needed instead."""
        from .cache import CommunityCache, fingerprints as community_fingerprints, tree_digest
        from .render import Renderer, Site

        last = self.last
        folder = self.content.resolve() / "communities"
        if not all((folder / c).is_dir() for c in communities):
            return False
        digests = {**last.digests, **{c: tree_digest(folder / c) for c in communities}}
        result = pipeline.check(self.content, self.language, cache=self.checks, digests=digests)
        if not result.ok:
            self.last = None
            self._show_errors(pipeline.report(result), result.language)
            return True
        board = pipeline.model_of(result)
        if list(board.communities) != last.communities:
            return False
        fingerprints = community_fingerprints(digests, result.board, last.shells.digest())
        stale = [c for c in board.communities if fingerprints[c] != last.fingerprints[c]]
        site = Site(Renderer(board), self.content.resolve())
        staging = Path(tempfile.mkdtemp(prefix=".update-", dir=self.site_dir.parent))
        try:
            pipeline.write_communities(site, last.shells.fill, staging, CommunityCache(self.cache), fingerprints, stale)
            with self.lock:
                self.generation += 1
                for community in stale:
                    _swap(staging / "c" / community, self.site_dir / "c" / community, self.site_dir.parent)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        self.last = Built(last.communities, last.shells, fingerprints, digests)
        self.wanted.set()
        return True

    def _whole_build(self, site_dir: Path, show_errors: bool = True) -> Built | None:
        """A whole build into `site_dir`; what it leaves for updates after a good one, else
        None (and the errors shown, unless not `show_errors`)."""
        from mkdocs.commands.build import build

        result = pipeline.check(self.content, self.language, cache=self.checks)
        if not result.ok:
            if show_errors:
                self._show_errors(pipeline.report(result), result.language)
            return None
        try:
            config = self.load_config(site_dir=str(site_dir), dev_addr=self.dev_addr)
        except Exception as error:  # a settings mistake: shown like a content one
            problems = getattr(error, "problems", None)
            if problems is None:
                raise
            from .messages import format_report

            if show_errors:
                self._show_errors(format_report(problems.sorted(), 0, result.language), result.language)
            return None
        config.site_url = self.serve_url
        plugin = config.plugins["ailin"]
        plugin.config.content = str(self.content)
        plugin.config.lang = self.language
        plugin.preloaded, plugin.shard = result, None  # MkDocs keeps one plugin object per process
        config.plugins.on_startup(command="serve", dirty=False)
        try:
            build(config, serve_url=self.serve_url)
        finally:
            config.plugins.on_shutdown()
        if plugin.fingerprints is None:  # the board's settings turned the cache off: no updates
            return None
        return Built(plugin.site.communities, plugin.shells, plugin.fingerprints, plugin.content_digests)

    def _follow(self) -> None:
        while True:
            self.wanted.wait()
            while True:  # until nothing was saved for a while: the next update needs the cores
                self.wanted.clear()
                if self.stopping:
                    return
                if not self.wanted.wait(FOLLOW_AFTER_S):
                    break
            try:
                self.follow()
            except Exception:  # noqa: BLE001 - a bug: say so; the next edit builds again
                log.exception("")

    def follow(self) -> bool:
        """The whole build after an update: into a folder of its own, which replaces the served
        one unless the served one changed meanwhile (the next update asks again). True when
        it replaced it."""
        generation = self.generation
        folder = Path(tempfile.mkdtemp(prefix=".whole-", dir=self.site_dir.parent))
        try:
            built = self._whole_build(folder, show_errors=False)
            with self.lock:
                if built is None or generation != self.generation:
                    return False
                _swap(folder, self.site_dir, self.site_dir.parent)
                self.generation += 1
                self.last = built
                self._reload_browsers()
                return True
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _reload_browsers(self) -> None:
        """Tell open pages that the site changed, as MkDocs' server does after a build of its
        own (its epochs are the only way in); not while one of its builds runs."""
        from mkdocs.livereload import _timestamp

        server = self.server
        if server is None:
            return
        with server._epoch_cond:
            if server._visible_epoch == server._wanted_epoch:
                server._visible_epoch = server._wanted_epoch = _timestamp()
                server._epoch_cond.notify_all()

    def _show_errors(self, report: str, language: str) -> None:
        with self.lock:
            self.generation += 1
            _show_errors(self.site_dir, report, language)


@dataclass(frozen=True)
class Built:
    """What a good whole build leaves for the updates after it: MkDocs keeps one plugin object
    per process and the next build changes it, so these are taken from it at once."""

    communities: list[str]
    shells: Shells
    fingerprints: dict[str, str]
    digests: dict[str, str]


def _swap(new: Path, old: Path, trash: Path) -> None:
    """`new` takes the place of `old` (two renames: a request in between may miss a page);
    the old files are deleted in a thread, not while the volunteer waits."""
    gone = Path(tempfile.mkdtemp(prefix=".gone-", dir=trash))
    if old.exists():
        os.rename(old, gone / old.name)
    os.rename(new, old)
    threading.Thread(target=shutil.rmtree, args=(gone, True), daemon=True).start()


def _change_observer(note: Callable[[str], None]):
    """MkDocs polls every watched file twice a second: a third of a core, idle, on a district's
    23,500 files. The platform's own notifications (inotify, FSEvents, ReadDirectoryChangesW)
    cost nothing until a file changes; they are asked for changes only, as inotify also reports
    every file opened and closed, and a build reads every content file."""
    from watchdog import events
    from watchdog.observers import Observer

    changes = [events.FileCreatedEvent, events.FileModifiedEvent, events.FileDeletedEvent,
               events.FileMovedEvent, events.FileClosedEvent]

    class Recorder(events.FileSystemEventHandler):
        """Notes which paths changed (Preview._communities_of), then lets MkDocs' handler on."""

        def __init__(self, handler: events.FileSystemEventHandler):
            self.handler = handler

        def on_any_event(self, event: events.FileSystemEvent) -> None:
            if not event.is_directory:
                for path in (event.src_path, getattr(event, "dest_path", "")):
                    if path:
                        note(os.fsdecode(path))
            self.handler.on_any_event(event)

    class ChangeObserver(Observer):
        def schedule(self, event_handler, path, *, recursive=False, event_filter=None, **options):
            return super().schedule(Recorder(event_handler), path, recursive=recursive, event_filter=changes, **options)

    return ChangeObserver()


def _show_errors(site_dir: Path, report: str, language: str) -> None:
    """Every address answers 404 with the error page until the next good build."""
    print(report, flush=True)
    shutil.rmtree(site_dir, ignore_errors=True)
    site_dir.mkdir(parents=True)
    (site_dir / "404.html").write_text(error_page(report, language), encoding="utf-8")


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None
