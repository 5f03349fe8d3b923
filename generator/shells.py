"""Material's page around our HTML: rendered by MkDocs once per kind of page, then filled.

MkDocs spends about 1.5 ms on a page (a Markdown instance, Material's templates, every plugin's
pass over the HTML), which on a district board of 23,600 pages is most of the build. Yet two
record pages of the same layout and depth differ, around their body, only in their title,
description, address and feed link. So MkDocs renders one stand-in page per kind, with markers
in those places (`Shells.shell`), and every record page is its shell with the markers replaced
(`Shells.fill`): the same bytes MkDocs would write, at the cost of a few string replacements.

Pages whose body links to another host take one more pass of the plugins' `on_post_page` (the
privacy plugin rewrites such links), as MkDocs would give them.
"""

from __future__ import annotations

import posixpath
from html import escape
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from .cache import digest

if TYPE_CHECKING:
    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation

    from .render import Page

# Markers: plain ASCII words that no filter of the theme changes. They are replaced in one pass,
# so a title that happens to contain one is never replaced again.
TITLE = "ailinshelltitle"
DESCRIPTION = "ailinshelldescription"
FEED = "ailinshellfeed.xml"
SLOT = "ailinshellslot{}/"
MARKERS = re.compile(r"(?P<feed>(?:\.\./)*ailinshellfeed\.xml)|(?P<path>(?:ailinshellslot\d+/)+)|ailinshell(?P<text>title|description)")
BODY = "<h1 ailinshellbody>"  # "<h1" in it: Material adds no heading of its own
# A tag that may load or link to another host: the privacy plugin rewrites these.
EXTERNAL_REFERENCE = re.compile(r"<(?:a|link|image|script|img)\b[^>]*?(?:href|src)=['\"]?(?:https?:)?//", re.I)


@dataclass(frozen=True)
class ShellKind:
    """What decides a record page's frame: its layout, the depth of its path, and whether it
    has a feed link and a description (the theme leaves out the tags of a missing one)."""

    layout: str | None
    depth: int
    feed: bool
    description: bool

    @classmethod
    def of(cls, page: Page) -> ShellKind:
        return cls(page.template, page.path.count("/"), page.feed is not None, bool(page.description))

    @property
    def stand_in_path(self) -> str:
        return "".join(SLOT.format(level) for level in range(self.depth))


class Shells:
    """Renders record pages as MkDocs would, without MkDocs' per-page pass."""

    def __init__(self, config: MkDocsConfig, env: jinja2.Environment, files: Files, nav: Navigation):
        self.config, self.env, self.files, self.nav = config, env, files, nav
        self._shells: dict[ShellKind, str] = {}
        self._pieces_of: dict[ShellKind, list[bytes | str]] = {}

    def fill(self, page: Page) -> bytes:
        """The finished HTML of `page`, in UTF-8 as it is written.

        Bytes: the shell's pieces are encoded once per kind, and only the page's own words on
        every page. A text joined, then encoded, was copied twice over, the shell's ASCII widened
        for the page's Chinese and narrowed again: 42 against 13 µs a page."""
        if "<h1" not in page.body:  # every template of ours has one; Material would add its own
            return self.render(page).encode("utf-8")
        values = {"title": page.meta_title, "description": page.meta_description, "path": page.path, "body": page.body}
        if page.feed is not None:
            values["feed"] = get_relative_url(page.feed, page.path)
        html = b"".join([piece if index % 2 == 0 else values[piece].encode("utf-8")
                         for index, piece in enumerate(self._pieces(ShellKind.of(page)))])
        if "//" in page.body and EXTERNAL_REFERENCE.search(page.body):  # the regex alone: 0.1 ms a page
            html = self._post_page(html.decode("utf-8"), self._stand_in(page.path, page.meta)).encode("utf-8")
        return html

    def digest(self, layouts: tuple[str | None, ...] = (None, "bare.html")) -> str:
        """What every frame is made of: the theme, its overrides and the site's settings, as
        seen in a shell of each layout (the other kinds differ from these only mechanically)."""
        return digest(*(self._get(ShellKind(layout, 1, True, True)) for layout in layouts))

    def _get(self, kind: ShellKind) -> str:
        shell = self._shells.get(kind)
        if shell is None:
            shell = self._shells[kind] = self.shell(kind)
        return shell

    def _pieces(self, kind: ShellKind) -> list[bytes | str]:
        """The shell cut at its markers, once per kind: its text in UTF-8 at even places and, at
        odd ones, what goes between (`title`, `description`, `path`, `feed` or `body`). Searching
        a 40 KB shell for its markers on every page cost a millisecond a page."""
        pieces = self._pieces_of.get(kind)
        if pieces is None:
            head, _, tail = self._get(kind).partition(BODY)
            cut = [*_cut(head), "body", *_cut(tail)]
            pieces = self._pieces_of[kind] = [piece.encode("utf-8") if index % 2 == 0 else piece
                                              for index, piece in enumerate(cut)]
        return pieces

    def render(self, page: Page) -> str:
        """`page` rendered the way MkDocs' build renders a page: what `fill` must equal (the
        tests compare them), and the way for a page that no shell fits."""
        return self._render(page.path, page.meta, page.body)

    def shell(self, kind: ShellKind) -> str:
        """One stand-in page of this kind, with markers where its own words go."""
        meta = {"title": TITLE, "description": DESCRIPTION if kind.description else "",
                "hide": ["navigation", "toc"], "generator": "ailin", "search": {"exclude": True}}
        if kind.layout:
            meta["template"] = kind.layout
        if kind.feed:
            meta["feed"] = FEED
        return self._render(kind.stand_in_path, meta, BODY)

    def _render(self, path: str, meta: dict, content: str) -> str:
        """As mkdocs.commands.build._build_page does, for a page MkDocs never read."""
        page = self._stand_in(path, meta)
        page.markdown, page.content, page.toc = "", content, get_toc([])
        config = self.config
        config._current_page = page  # the theme's `url` filter makes links relative to it
        try:
            page.active = True
            context = _context(self.nav, self.files, config, page)
            template = self.env.get_template(page.meta.get("template", "main.html"))
            context = config.plugins.on_page_context(context, page=page, config=config, nav=self.nav)
            return self._post_page(template.render(context), page)
        finally:
            config._current_page = None
            page.active = False

    def _stand_in(self, path: str, meta: dict) -> MkDocsPage:
        file = File.generated(self.config, posixpath.join(path, "index.md"), content="",
                              inclusion=InclusionLevel.NOT_IN_NAV)
        page = MkDocsPage(None, file, self.config)
        page.meta = meta  # its title, too: MkDocs takes a page's title from its meta
        return page

    def _post_page(self, html: str, page: MkDocsPage) -> str:
        self.config._current_page = page
        try:
            return self.config.plugins.on_post_page(html, page=page, config=self.config)
        finally:
            self.config._current_page = None


def _cut(text: str) -> list[str]:
    """`text` split at the markers: text, marker name, text, ..., text."""
    pieces, start = [], 0
    for marker in MARKERS.finditer(text):
        name = "feed" if marker["feed"] else "path" if marker["path"] else marker["text"]
        pieces += [text[start:marker.start()], name]
        start = marker.end()
    return [*pieces, text[start:]]


def _context(nav, files, config, page):
    from mkdocs.commands.build import get_context  # the context MkDocs gives every page

    return get_context(nav, files, config, page)


def add_to_sitemap(sitemap: str, site_url: str | None, paths: list[str]) -> str:
    """MkDocs' sitemap.xml with an entry for each of `paths`, right after the home page's and in
    its form (MkDocs lists only the pages it built; without `site_url` it lists none)."""
    if not site_url:
        return sitemap
    home = re.search(rf"\n[ \t]*<url>\s*<loc>{re.escape(escape(site_url))}</loc>.*?</url>", sitemap, re.S)
    if home is None:
        return sitemap
    entry = home.group()
    loc = f"<loc>{escape(site_url)}</loc>"
    entries = "".join(entry.replace(loc, f"<loc>{escape(site_url + path)}</loc>") for path in paths)
    return sitemap[:home.end()] + entries + sitemap[home.end():]
