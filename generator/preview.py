"""`ailin serve`: the live preview. Built on MkDocs' live-reload server, with two differences
that matter to a volunteer:

- the content is checked before every build; while it has errors, every page answers at once
  with an error page (the same lines as `ailin check`) that turns back into the site by itself
  as soon as the files are fixed. MkDocs alone would keep each request waiting for a build
  that never comes, and show the error only in the terminal;
- the site settings are read afresh on every rebuild, so an edit to mkdocs.yml shows too.
"""

from __future__ import annotations

import html
import logging
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from . import pipeline
from .words import Words

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
    from mkdocs.commands.build import build
    from mkdocs.livereload import LiveReloadServer, _serve_url

    site_dir = Path(tempfile.mkdtemp(prefix="ailin-serve-"))
    host, _, port = dev_addr.rpartition(":")
    mount_path = "/"

    def builder() -> None:
        # Never raise: MkDocs' server would keep every request waiting for a good build.
        try:
            _build()
        except Exception as error:  # noqa: BLE001 - a bug; still answer, and say so
            _show_errors(site_dir, f"{type(error).__name__}: {error}", language or "zh")

    def _build() -> None:
        result = pipeline.check(content, language)
        if not result.ok:
            _show_errors(site_dir, pipeline.report(result), result.language)
            return
        try:
            config = load_config(site_dir=str(site_dir), dev_addr=dev_addr)
        except Exception as error:  # a settings mistake: shown like a content one
            problems = getattr(error, "problems", None)
            if problems is None:
                raise
            from .messages import format_report

            _show_errors(site_dir, format_report(problems.sorted(), 0, result.language), result.language)
            return
        config.site_url = serve_url
        plugin = config.plugins["ailin"]
        plugin.config.content = str(content)
        plugin.config.lang = language
        plugin.preloaded = result
        config.plugins.on_startup(command="serve", dirty=False)
        try:
            build(config, serve_url=serve_url)
        finally:
            config.plugins.on_shutdown()

    serve_url = _serve_url(host, int(port), mount_path)
    server = LiveReloadServer(builder=builder, host=host, port=int(port), root=str(site_dir), mount_path=mount_path)
    server.observer = _change_observer()
    server.error_handler = lambda code: _read(site_dir / "404.html") if code == 404 else None
    try:
        builder()
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
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)


def _change_observer():
    """MkDocs polls every watched file twice a second: a third of a core, idle, on a district's
    23,500 files. The platform's own notifications (inotify, FSEvents, ReadDirectoryChangesW)
    cost nothing until a file changes; they are asked for changes only, as inotify also reports
    every file opened and closed, and a build reads every content file."""
    from watchdog import events
    from watchdog.observers import Observer

    changes = [events.FileCreatedEvent, events.FileModifiedEvent, events.FileDeletedEvent,
               events.FileMovedEvent, events.FileClosedEvent]

    class ChangeObserver(Observer):
        def schedule(self, event_handler, path, *, recursive=False, event_filter=None, **options):
            return super().schedule(event_handler, path, recursive=recursive, event_filter=changes, **options)

    return ChangeObserver()


def _show_errors(site_dir: Path, report: str, language: str) -> None:
    """Every address answers 404 with the error page until the next good build."""
    print(report, flush=True)
    shutil.rmtree(site_dir, ignore_errors=True)
    site_dir.mkdir(parents=True)
    (site_dir / "404.html").write_text(error_page(report, language), encoding="utf-8")


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None
