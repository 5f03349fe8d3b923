"""The MkDocs plugin: thin glue that hands the pipeline's pages to MkDocs.

`mkdocs build`, `mkdocs serve`, `ailin build` and `ailin serve` all come through here. The
pipeline knows nothing of MkDocs; this module only translates between the two.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import CountHandler

from . import packaged, pipeline, theme
from .opendata import OpenDataError
from .publish import StagedOutput
from .render import Site, theme_safe
from .words import Words


log = logging.getLogger("mkdocs.plugins.ailin")
NAV_PAGES = ("", "data/")  # the board and its open data; records are reached from pages
THEME_OVERRIDES = packaged("site_overrides")  # layouts, CSS and the 404 page of every board
PAGES = packaged("pages")  # hand-written pages every board publishes (about, definitions)


class AilinConfig(base.Config):
    content = c.Type(str, default="content")
    lang = c.Optional(c.Choice(("zh", "en")))


class AilinPlugin(BasePlugin[AilinConfig]):
    """Checks the content, renders the board's pages and publishes them atomically."""

    def __init__(self) -> None:
        self.command = "build"
        self.preloaded: pipeline.CheckResult | None = None  # set by `ailin build` to skip a second check
        self.site: Site | None = None
        self.pages: dict[str, str] = {}
        self.staged: StagedOutput | None = None
        self.warnings = CountHandler()
        self.warnings.setLevel(logging.WARNING)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_config(self, config):
        content = Path(self.config.content)
        result = self.preloaded or pipeline.check(content, self.config.lang)
        self.preloaded = None  # `mkdocs serve` reloads: check again after every edit
        if not result.ok:
            raise PluginError("\n" + pipeline.report(result))
        board = pipeline.model_of(result)
        try:
            self.site = pipeline.render(board, content)
        except OpenDataError as error:  # a bug or a schema change, never a volunteer's mistake
            raise PluginError(f"open data does not validate:\n{error}") from None
        self.pages = {page.src_uri: page.body for page in self.site.pages}
        self._add_theme_overrides(config)
        config.site_name = theme_safe(board.title)  # board.yaml is where volunteers name the board
        if board.base_url and not config.site_url:
            config.site_url = board.base_url
        if not board.base_url:  # a published site would carry no QR codes and relative feed links
            log.warning(Words.of(board.language).t("build.no_base_url"))
        config.theme["language"] = board.language  # Material's own words and <html lang>
        config.extra["words"] = Words.of(board.language)  # the words of our theme overrides
        if self.command == "build":  # `serve` builds into a temporary folder of its own
            self.staged = StagedOutput(Path(config.site_dir))
            config.site_dir = str(self.staged.staging)
            self.warnings.counts.clear()
            logging.getLogger("mkdocs").addHandler(self.warnings)
        return config

    def _add_theme_overrides(self, config) -> None:
        """Our overrides sit right above Material, below a board's own custom_dir: no board
        has to copy them, and a board may still override any of them."""
        dirs = config.theme.dirs
        if str(THEME_OVERRIDES) not in dirs:
            dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_OVERRIDES))

    def on_files(self, files: Files, *, config) -> Files:
        for page in sorted(PAGES.glob("*.md")):  # a board's own page of the same name wins
            if files.get_file_from_path(page.name) is None:
                files.append(File(page.name, str(PAGES), config.site_dir, config.use_directory_urls))
        for page in self.site.pages:
            # Records stay out of the navigation, so a page's bytes do not grow with the board.
            inclusion = InclusionLevel.INCLUDED if page.path in NAV_PAGES else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, page.src_uri, content=page.markdown(), inclusion=inclusion))
        for asset in self.site.assets:
            files.append(File.generated(config, asset.path, content=asset.content))
        return files

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        # Generated pages are ready HTML: give Markdown nothing to do, then hand the HTML over.
        return "" if page.file.src_uri in self.pages else markdown

    def on_page_content(self, html: str, *, page, config, files) -> str:
        return self.pages.get(page.file.src_uri, html)

    def on_post_page(self, output: str, *, page, config) -> str:
        return theme.valid_html(output)

    def on_post_template(self, output_content: str, *, template_name: str, config) -> str:
        return theme.valid_html(output_content)  # 404.html

    def on_serve(self, server, *, config, builder):
        server.watch(str(Path(self.config.content).resolve()))  # live reload on YAML edits
        return server

    @event_priority(-100)  # last: search and privacy still write into the site in this event
    def on_post_build(self, *, config) -> None:
        # Runs before MkDocs' strict-mode check, so count warnings ourselves: a strict build
        # with warnings is aborted right after this, and must not replace the published site.
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        if self.staged is None:
            return
        if config.strict and self.warnings.get_counts():
            self.staged.discard()
        else:
            self.staged.commit()
        self.staged = None

    def on_build_error(self, *, error: Exception) -> None:
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        if self.staged is not None:
            self.staged.discard()
            self.staged = None
