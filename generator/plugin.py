"""The MkDocs plugin: thin glue that hands the pipeline's pages to MkDocs.

`mkdocs build`, `mkdocs serve`, `ailin build` and `ailin serve` all come through here. The
pipeline knows nothing of MkDocs; this module only translates between the two.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.utils import CountHandler

from . import packaged, pipeline, theme
from .cache import CheckCache, CommunityCache, content_digests, default_folder, digest, generator_digest
from .cache import fingerprints as community_fingerprints
from .publish import StagedOutput, write_shard_manifest
from .render import Site, theme_safe
from .shells import Shells, add_to_sitemap
from .words import Words


log = logging.getLogger("mkdocs.plugins.ailin")
THEME_OVERRIDES = packaged("site_overrides")  # layouts, CSS and the 404 page of every board
PAGES = packaged("pages")  # hand-written pages every board publishes (about, definitions)
theme.defer_requests()  # before MkDocs imports the privacy plugin, listed after ours


class AilinConfig(base.Config):
    content = c.Type(str, default="content")
    cache = c.Type(bool, default=True)  # keep finished communities in .cache/ailin/ (cache.py)
    lang = c.Optional(c.Choice(("zh", "en")))


class AilinPlugin(BasePlugin[AilinConfig]):
    """Checks the content, renders the board's pages and publishes them atomically."""

    def __init__(self) -> None:
        self.command = "build"
        self.preloaded: pipeline.CheckResult | None = None  # set by `ailin build` to skip a second check
        self.digests: dict[str, str] | None = None  # set by `ailin build`, which read the content already
        self.site: Site | None = None
        self.nav = None
        self.checked = None  # the checked records, whose relations say what a community's pages show
        self.shard: tuple[int, int] | None = None  # (i, n): write only shard i of n (`ailin build --shard`)
        self.page_count = 0  # the pages the last build wrote
        # what `ailin serve` needs to update a community without a whole build (preview.py)
        self.shells: Shells | None = None
        self.fingerprints: dict[str, str] | None = None
        self.content_digests: dict[str, str] | None = None
        self.pages: dict[str, str] = {}
        self.staged: StagedOutput | None = None
        self.warnings = CountHandler()
        self.warnings.setLevel(logging.WARNING)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    @property
    def _purpose(self) -> str:
        """Which cache: `serve` keeps its own (cache.default_folder)."""
        return "" if self.command == "build" else self.command

    @property
    def _compiled_templates(self) -> Path | None:
        """Where the cache keeps compiled templates, ours and the theme's (none without it)."""
        if not self.config.cache:
            return None
        folder = default_folder(Path(self.config.content)) / "templates"
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def on_config(self, config):
        content = Path(self.config.content)
        checks = CheckCache(default_folder(content)) if self.config.cache else None  # the same for serve
        result = self.preloaded or pipeline.check(content, self.config.lang, cache=checks)
        self.preloaded = None  # `mkdocs serve` reloads: check again after every edit
        if not result.ok:
            raise PluginError("\n" + pipeline.report(result))
        board = pipeline.model_of(result)
        self.checked = result.board
        self.site = pipeline.render(board, content, self._compiled_templates)
        self.pages = {page.src_uri: page.body for page in self.site.pages}
        self._add_theme_overrides(config)
        theme.list_visible_files(config.theme)
        config.site_name = theme_safe(board.title)  # board.yaml is where volunteers name the board
        if board.base_url and not config.site_url:
            config.site_url = board.base_url
        if not board.base_url:  # a published site would carry no QR codes and relative feed links
            log.warning(Words.of(board.language).t("build.no_base_url"))
        config.theme["language"] = board.language  # Material's own words and <html lang>
        config.extra["words"] = Words.of(board.language)  # the words of our theme overrides
        if self.command == "build":  # `serve` builds into a temporary folder of its own
            trash = CommunityCache(default_folder(content)).trash if self.config.cache else None  # one trash for both
            self.staged = StagedOutput(Path(config.site_dir), trash)
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
        for page in self.site.pages:  # the board's index and data page; communities come in on_env
            files.append(File.generated(config, page.src_uri, content=page.markdown()))
        for asset in self.site.assets:  # the board's own files; the board-wide ones come in on_env
            files.append(File.generated(config, asset.path, content=asset.content))
        return files

    def on_nav(self, nav, *, config, files):
        self.nav = nav

    def on_env(self, env, *, config, files):
        # Every community's pages, written in their theme frame (shells.py) now that MkDocs
        # has cleaned the output folder and knows its own pages; then the board-wide files,
        # assembled from the communities' parts (parts.py).
        content = Path(self.config.content)
        if self.config.cache:  # the theme's templates, compiled once for every build to come
            env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(self._compiled_templates))
        shells = Shells(config, env, files, self.nav)
        # The frame's digest renders a shell of each layout: the theme's templates are compiled
        # here, once, for the workers to inherit and MkDocs' own pages to reuse (without a
        # cache, each worker compiled them again, and MkDocs a third time: 0.5 s each).
        frame = shells.digest()
        digests, self.digests = self.digests or content_digests(content), None
        cache = CommunityCache(default_folder(content, self._purpose)) if self.config.cache else None
        fingerprints = community_fingerprints(digests, self.checked, frame) if cache else None
        communities = pipeline.shard_of(self.site, *self.shard) if self.shard else self.site.communities
        self.page_count = len(self.site.pages) + sum(map(self.site.community_size, communities))
        site_dir = Path(config.site_dir)
        parts = pipeline.write_communities(self.site, shells.fill, site_dir, cache, fingerprints, communities)
        pipeline.write_board_files(self.site, site_dir, parts)  # a shard makes the other shards' parts
        self.shells, self.fingerprints, self.content_digests = shells, fingerprints, digests
        if self.shard:  # what `ailin combine` checks: the shards of one build, each once
            build = digest(generator_digest(), frame, json.dumps(digests, sort_keys=True))
            write_shard_manifest(site_dir, *self.shard, build=build, communities=communities)
        return env

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        # Generated pages are ready HTML: give Markdown nothing to do, then hand the HTML over.
        return "" if page.file.src_uri in self.pages else markdown

    def on_page_content(self, html: str, *, page, config, files) -> str:
        return self.pages.get(page.file.src_uri, html)

    def on_post_page(self, output: str, *, page, config) -> str:
        return theme.valid_html(output)

    def on_post_template(self, output_content: str, *, template_name: str, config) -> str:
        if template_name == "sitemap.xml":  # MkDocs lists the pages it built; add the communities'
            return add_to_sitemap(output_content, config.site_url, self.site.community_paths())
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
