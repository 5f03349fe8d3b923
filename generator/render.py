"""Pages of the site as ready HTML, from the model, through jinja2 templates.

Each page is written as a Markdown file whose body is one HTML block, with its title and
settings in front matter. The MkDocs plugin hands the HTML to the theme without running
Markdown (fast); any engine that reads such a docs folder renders the same page without it.

Length (about 700 lines): one method per page kind on `Renderer`, and the Jinja machinery they
share. Every word, date and number comes from the board's `Words` (generator/words/), which
templates get as `words` and `t`; a `t('…')` with a fixed key and no fields is compiled into
the template as its text (`_WordsInPlace`).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from types import BuiltinMethodType, FunctionType, MethodType
from typing import Any, Callable, Iterator

import jinja2
from jinja2 import nodes
from jinja2.visitor import NodeTransformer
import markdown as markdown_lib
import nh3
import yaml
from markupsafe import Markup
from markupsafe import escape as markup_escape

from . import charts, metrics, schema, urls
from .search import SearchDoc, plain, snippet
from .qr import qr_svg
from .words import Words
from .model import PRIORITY_ORDER, BoardModel, Community, Meeting, Output, Project, Status, Suggestion, deliberation_dates

TEMPLATES = Path(__file__).with_name("templates")
ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote", "code", "pre", "h3", "h4", "hr"}
PHOTO_WIDTHS = (480, 960)  # phone and double-density copies
SHARE_TITLE_CHARS = 28  # a record's own title in <title>: WeChat's share card shows about two lines
STATUS_ORDER = [Status.IN_PROGRESS, Status.AWAITING_SCORE, Status.NEW, Status.CLOSED, Status.REFERRED, Status.DECLINED, Status.DUPLICATE]


@dataclass
class Page:
    """One generated page: where it lives, its words for the browser tab, its HTML."""

    path: str  # URL path below the site root, "" or ending in "/"
    title: str
    description: str
    body: str
    searchable: bool = False
    template: str | None = None  # a theme template of site_overrides/, e.g. the bare layout
    feed: str | None = None  # the Atom feed announced on the page

    @property
    def src_uri(self) -> str:
        return f"{self.path}index.md"

    @property
    def meta_title(self) -> str:
        return theme_safe(self.title)

    @property
    def meta_description(self) -> str:
        return theme_safe(self.description)

    @property
    def meta(self) -> dict[str, Any]:
        """The page's settings for the theme, as MkDocs reads them from front matter."""
        meta: dict[str, Any] = {
            "title": self.meta_title,
            "description": self.meta_description,
            "hide": ["navigation", "toc"] if self.path else ["toc"],
            "generator": "ailin",
        }
        if not self.searchable:
            meta["search"] = {"exclude": True}
        if self.template:
            meta["template"] = self.template
        if self.feed:
            meta["feed"] = self.feed
        return meta

    def markdown(self) -> str:
        front = yaml.safe_dump(self.meta, allow_unicode=True, sort_keys=False, width=1000)
        return f"---\n{front}---\n\n{self.body}\n"


# The theme writes a page's title and description into HTML without escaping them (its
# authors are trusted; ours are residents' words). In those two places, markup characters
# become their full-width forms, which read the same and can never open a tag or attribute.
_THEME_SAFE = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇"})


def theme_safe(text: str) -> str:
    return text.translate(_THEME_SAFE)


def share_title(*parts: str) -> str:
    """A page title for a share card: what the page is about first, clipped to a length
    WeChat shows whole, then the status and the community (empty parts are left out)."""
    first, *rest = parts
    if len(first) > SHARE_TITLE_CHARS:
        first = first[:SHARE_TITLE_CHARS - 1].rstrip() + "…"
    return " · ".join([first, *(part for part in rest if part)])


@dataclass
class CommunityView:
    """A community's figures, charts and lists, as its page, embed copy and poster show them."""

    community: Community
    figures: metrics.Figures
    groups: dict[Status, list[Suggestion]]  # by status, newest first
    charts: dict[str, Markup]  # SVG by chart
    solved: list[Suggestion]  # newest first: the whitelist, and the poster's first six
    follow_up: list[Suggestion]
    meetings: list[Meeting]  # newest first
    projects: list[Project]
    output_totals: list[Output]
    latest: list[dict[str, Any]]
    resolution_count: int


@dataclass
class Asset:
    path: str
    content: bytes


@dataclass
class Site:
    """The board's pages and files. Each community's pages and photo copies are rendered on
    demand (`community_pages`, `community_assets`): a build writes them as it goes, shares the
    communities among processes, or takes a community from its cache unrendered."""

    renderer: Renderer
    content_root: Path
    pages: list[Page] = field(default_factory=list)  # the board's own: its index and data page
    assets: list[Asset] = field(default_factory=list)  # the board's own files that no community makes

    @property
    def board(self) -> BoardModel:
        return self.renderer.board

    @property
    def communities(self) -> list[str]:
        return list(self.renderer.board.communities)

    def community_pages(self, community: str) -> Iterator[Page]:
        return self.renderer.community_pages(self.renderer.board.communities[community])

    def community_assets(self, community: str) -> list[Asset]:
        return photo_copies(self.renderer.board, self.content_root, community)

    def community_paths(self) -> list[str]:
        """The path of every community's page, in the order the site has always listed them
        (sitemap.xml): each community's own three, then suggestions, meetings, projects."""
        board = self.renderer.board
        paths = []
        for c in board.communities.values():
            paths += [c.url, c.file_url("embed/"), c.file_url("poster/")]
        for records in (board.suggestions, board.meetings, board.projects):
            paths += [record.url for record in records.values()]
        return paths

    def community_size(self, community: str) -> int:
        """How many pages the community has."""
        board = self.renderer.board
        return 3 + len(board.suggestions_of(community)) + len(board.meetings_of(community)) + len(board.projects_of(community))

    @property
    def page_count(self) -> int:
        return len(self.pages) + len(self.community_paths())

    def all_pages(self) -> Iterator[Page]:
        yield from self.pages
        for community in self.communities:
            yield from self.community_pages(community)


# A line break inside a paragraph renders as a space; between Chinese characters that space
# is a visible gap ("产权证， 影响"), so such breaks are joined.
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_CJK_LINE_BREAK = re.compile(f"(?<=[{_CJK}])[ \t]*\n[ \t]*(?=[{_CJK}])")
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")


def _safe_link(element: str, attribute: str, value: str) -> str | None:
    """Browsers drop tabs and newlines from URLs ("jav\tascript:" runs), which Ammonia reads
    as a harmless relative link; judge the link as the browser will."""
    if attribute != "href":
        return value
    squeezed = _URL_NOISE.sub("", value).lower()
    scheme = squeezed.split("/", 1)[0]
    if ":" in scheme and not squeezed.startswith(("http:", "https:")):
        return None
    return value


# Most fields are plain paragraphs and "- " lists, which Markdown and the sanitizer only wrap
# in tags. Plain: lines of letters, digits, CJK and punctuation that no Markdown or HTML rule
# reads (none of \ ` * _ [ ] < > &, no tab, control, invisible or non-breaking space), none
# starting with what may open a block (# + - = or "1.") but the "- " of a list item, none
# starting or ending in a space; blocks apart by blank lines, each a paragraph or a list whose
# every line is an item. tests/test_markdown.py proves such texts give the full path's bytes.
_PLAIN_CHARACTERS = (
    "A-Za-z0-9 !\"#$%'()+,\\-./:;=?@^{|}~"  # ASCII punctuation but \ ` * _ [ ] < > &
    "\u00a1-\u00ac\u00ae-\u00ff"  # Latin-1 but the non-breaking space and the soft hyphen
    "\u2010-\u2027\u2030-\u205e"  # dashes, quotes, ellipsis; not the invisible spaces and marks
    "\u2e80-\u2fff\u3000-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff01-\uffee"  # CJK, full-width forms
)
_PLAIN_LINE = f"(?:- )?(?![#+=\\-\\s]|\\d+\\.)[{_PLAIN_CHARACTERS}]+(?<!\\s)"
_PLAIN_TEXT = re.compile(f"{_PLAIN_LINE}(?:\\n+{_PLAIN_LINE})*\\n*")
_BLANK_LINES = re.compile("\n\n+")


def _plain_html(text: str) -> str | None:
    """The HTML of a plain text (see above), or None when it needs the full Markdown path."""
    if not _PLAIN_TEXT.fullmatch(text):
        return None
    blocks, after_list = [], False
    for block in _BLANK_LINES.split(text.rstrip("\n")):
        if not block.startswith("- "):  # "- " further down does not interrupt a paragraph
            blocks.append(f"<p>{block}</p>")
            after_list = False
            continue
        items = block.split("\n")
        # a list after a list is one loose list to Markdown; a line without "- " continues an item
        if after_list or not all(item.startswith("- ") for item in items):
            return None
        blocks.append("<ul>\n" + "".join(f"<li>{item[2:]}</li>\n" for item in items) + "</ul>")
        after_list = True
    return "\n".join(blocks)


class _Markdown:
    """Markdown for the fields that allow it, sanitized: no scripts, no images, http(s) links only."""

    def __init__(self) -> None:
        self._md = markdown_lib.Markdown(extensions=["sane_lists"])

    def __call__(self, text: str | None) -> Markup:
        if not text:
            return Markup("")
        text = _CJK_LINE_BREAK.sub("", text)
        return Markup(_plain_html(text) or self.full(text))

    def full(self, text: str) -> str:
        """Markdown, then the sanitizer: the path for any text (the CJK line breaks joined)."""
        html = self._md.reset().convert(text)
        return nh3.clean(
            html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}},
            url_schemes={"http", "https"}, link_rel="noopener noreferrer nofollow",
            attribute_filter=_safe_link,
        )


class _CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once per process and language, whatever the Renderer: `ailin serve`
    makes one for each edit, and compiling the templates would cost it a third of a second each
    time. With a `folder` (the build cache), also kept there for the next process, as the
    theme's are (jinja checks each against its template's source; the file's name, against the
    words compiled into it). Those compiled with other words of the language are removed: every
    upgrade would otherwise leave its templates behind."""

    def __init__(self, folder: str | None, words: Words) -> None:
        self.codes: dict[str, Any] = {}
        self.disk = None
        if folder:
            ours = f"__jinja2_{words.language}_{words.digest}_"
            for older in Path(folder).glob(f"__jinja2_{words.language}_*.cache"):
                if not older.name.startswith(ours):
                    older.unlink(missing_ok=True)
            self.disk = jinja2.FileSystemBytecodeCache(folder, ours + "%s.cache")

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.codes.get(bucket.key)
        if code is None and self.disk is not None:
            self.disk.load_bytecode(bucket)
            code = self.codes[bucket.key] = bucket.code
        bucket.code = code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.codes[bucket.key] = bucket.code
        if self.disk is not None:
            self.disk.dump_bytecode(bucket)


@functools.cache
def _compiled(folder: str | None, words: Words) -> _CompiledTemplates:
    return _CompiledTemplates(folder, words)


def _once_per_value(macro: Callable[[Any], Markup]) -> Callable[[Any], Markup]:
    """A macro whose markup depends on its one argument only, rendered once for each value."""
    rendered: dict[Any, Markup] = {}

    def once(value: Any) -> Markup:
        if value not in rendered:
            rendered[value] = macro(value)
        return rendered[value]

    return once


_ASKS_NOTHING = (jinja2.runtime.Macro, BuiltinMethodType)


class _Context(jinja2.runtime.Context):
    """Jinja's context, with cheaper calls. Before each call a template makes, Jinja asks the
    callable (and its `__call__`) whether it takes the context or the environment first; for a
    bound method the two questions raise an exception each inside, and they cost more than the
    call itself, 68 times a suggestion page. A macro, a built-in (`dict.get`: it cannot be marked)
    and a function or method whose function does not ask (pass_context and its kin mark it in
    its __dict__) are called straight away."""

    @jinja2.utils.internalcode
    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's own signature)
        function = __obj.__func__ if type(__obj) is MethodType else __obj
        plain = type(function) is FunctionType and "jinja_pass_arg" not in function.__dict__
        if not (plain or type(__obj) in _ASKS_NOTHING):
            return super().call(__obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined("value was undefined because a callable raised a StopIteration exception")


_MARKUP_CHARACTERS = re.compile("[&<>'\"]")
_ESCAPED = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "'": "&#39;", '"': "&#34;"})


def _escape(value: Any) -> Markup:
    """markupsafe's `escape`, byte for byte, without its two Python calls (itself and
    Markup.__new__) for what a template writes most, text and markup: 80 times a page."""
    kind = type(value)
    if kind is str:
        return str.__new__(Markup, value.translate(_ESCAPED) if _MARKUP_CHARACTERS.search(value) else value)
    if kind is Markup:
        return value
    return markup_escape(value)


class _Template(jinja2.Template):
    """A template whose output is escaped by `_escape`: the compiled code calls the `escape`
    of its module's namespace, which Jinja fills from its runtime."""

    @classmethod
    def from_code(cls, environment: jinja2.Environment, code: Any, globals: Any, uptodate: Any = None) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        template.root_render_func.__globals__["escape"] = _escape
        return template


class _WordsInPlace(NodeTransformer):
    """`t('site.received')` compiled as the text it gives, 收到日期 or "Received": a page
    has some thirty, each a call and an escape on every render."""

    def __init__(self, words: Words) -> None:
        self.words = words

    def visit_Call(self, node: nodes.Call) -> nodes.Node:
        self.generic_visit(node)
        key = node.args[0].value if len(node.args) == 1 and isinstance(node.args[0], nodes.Const) else None
        if (isinstance(node.node, nodes.Name) and node.node.name == "t" and isinstance(key, str) and self.words.has(key)
                and not (node.kwargs or node.dyn_args or node.dyn_kwargs)):
            return nodes.Const(self.words.t(key), lineno=node.lineno)
        return node


def _names_t(tree: nodes.Template) -> bool:
    """Whether the template gives the name `t` a meaning of its own (set, loop, macro
    argument, import): then its `t(...)` calls are not the words' to compile in."""
    return (any(name.name == "t" and name.ctx != "load" for name in tree.find_all(nodes.Name))
            or any(node.target == "t" for node in tree.find_all(nodes.Import))
            or any("t" in (n if isinstance(n, str) else n[-1] for n in node.names) for node in tree.find_all(nodes.FromImport)))


class _Environment(jinja2.Environment):
    """Jinja's environment with the cheaper calls, its words compiled in, its escaping
    `_escape`, giving each template its globals as a plain dict, not a ChainMap over the
    environment's: each render copies them and each import compares their names, a Python
    call per name with a ChainMap. The renderer sets every global a template uses before
    loading it (Jinja asks as much: changes after loading need not reach the template)."""

    context_class = _Context
    template_class = _Template

    def __init__(self, words: Words, **options: Any) -> None:
        self.words = words
        super().__init__(**options)

    def make_globals(self, d: Any) -> dict[str, Any]:
        return {**self.globals, **(d or {})}

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        return tree if _names_t(tree) else _WordsInPlace(self.words).visit(tree)


class Renderer:
    """Renders every page of a board; one instance per build."""

    def __init__(self, board: BoardModel, compiled_in: Path | None = None):
        self.board = board
        self.language = board.language
        self.words = Words.of(board.language)
        self.md = _Markdown()
        self.env = _Environment(
            self.words,
            loader=jinja2.FileSystemLoader(TEMPLATES),
            autoescape=True,
            auto_reload=False,  # the package's templates do not change while it runs: no stat per page
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            bytecode_cache=_compiled(str(compiled_in) if compiled_in else None, self.words),
        )
        self.env.filters.update(date=self.words.date, num=Words.number, md=self.md)
        self.env.globals.update(
            words=self.words, t=self.words.t, label=self.label, priority_label=self.priority_label, board=board,
            lang=self.language, priorities=PRIORITY_ORDER, photo_path=photo_path, href=self.href,
        )
        chips = self.env.get_template("_chips.html").module
        self.env.globals.update(
            {name: _once_per_value(getattr(chips, name)) for name in ("status_chip", "priority_chip", "overdue_chip")}
        )
        self.env.globals["suggestion_item"] = self.suggestion_item
        self._macros = self.env.get_template("_macros.html").module
        self._page_path = ""  # the page being rendered, which `href` links from
        self._links: dict[str, str] = {}  # its links and its suggestions' list items, each made once
        self._items: dict[str, Markup] = {}
        for name in self.env.list_templates(extensions=["html"]):  # before workers fork: not once in each
            self.env.get_template(name)

    # -- words ------------------------------------------------------------------------------

    def label(self, vocabulary: str, key: str | None) -> str:
        if key is None:
            return ""
        if vocabulary == "category":
            return self.board.categories.label(key, self.language)
        if vocabulary == "funding_source":
            return self.board.funding_sources.label(key, self.language)
        return self.words.label(vocabulary, key)

    def priority_label(self, key: str) -> str:
        """The board's own name of a priority (board.yaml `priorities.<key>.label`), else the
        default one; a board that kept the default Chinese name (as the sample writes it out)
        gets the default in its own language."""
        label = self.board.priorities[key].label
        default = f"priorities.{key}"
        return self.words.t(default) if label in (None, Words.of("zh").t(default)) else label

    # -- pages ------------------------------------------------------------------------------

    def absolute(self, path: str) -> str | None:
        """The page's full address, for QR codes and share snippets; None without base_url."""
        base = self.board.base_url
        return base.rstrip("/") + "/" + path if base else None

    def qr(self, path: str, title: str, printed: bool = False) -> Markup | None:
        url = self.absolute(path)
        return qr_svg(url, title, best_mask=printed) if url else None

    def href(self, target: str) -> str:
        """A link from the page being rendered to another site path, relative so the site works
        anywhere. A global, not a name each page is given: the macros need no page's context.
        A community page links to most of its suggestions three times (lists, formulas)."""
        link = self._links.get(target)
        if link is None:
            link = self._links[target] = urls.relative(target, self._page_path)
        return link

    def suggestion_item(self, s: Suggestion) -> Markup:
        """A suggestion's line in a list (the macro), made once a page: a community page lists
        a solved suggestion under its status and again among the solved."""
        item = self._items.get(s.id)
        if item is None:
            item = self._items[s.id] = self._macros.suggestion_item(s)
        return item

    def _page(self, template: str, path: str, title: str, description: str, searchable: bool = False,
              layout: str | None = None, feed: str | None = "feed.xml", **context: Any) -> Page:
        self._page_path, self._links, self._items = path, {}, {}
        html = self.env.get_template(template).render(**context)
        body = "\n".join(filter(str.strip, html.splitlines()))  # one HTML block, no blank lines
        return Page(path=path, title=title, description=description, body=body, searchable=searchable,
                    template=layout, feed=feed)

    def render_index(self) -> Page:
        board = self.board
        figures = metrics.compute(board.suggestions.values())
        per_community = {c: metrics.compute(board.suggestions_of(c)) for c in board.communities}
        description = self.words.t("site.board_figures") + f" · {self.words.t('site.received_count')} {figures.received} · {self.words.t('site.closure')} {figures.closure.percent}"
        return self._page(
            "index.html", "", board.title, description, searchable=True,
            figures=figures, per_community=per_community, latest=self._latest(board.suggestions.values(), board.meetings.values(), board.projects.values()),
        )

    def community_view(self, community: Community) -> CommunityView:
        """What the community page, its embed copy and its poster show: computed once for the three."""
        board = self.board
        suggestions = board.suggestions_of(community.id)
        projects = board.projects_of(community.id)
        meetings = sorted(board.meetings_of(community.id), key=lambda m: (m.date, m.id), reverse=True)
        groups = metrics.by_status(suggestions)
        status_rows = [(s.label(self.language), len(groups[s]), s.value) for s in STATUS_ORDER]
        on_time_rows = [
            (self.label("priority", key), on, late, key) for key, on, late in metrics.on_time_by_priority(suggestions)
        ]
        return CommunityView(
            community=community, figures=metrics.compute(suggestions), groups=groups,
            charts={
                "status": charts.status_breakdown(status_rows, self.words.t("site.chart_status"), self.words),
                "monthly": charts.monthly_received_closed(metrics.monthly(suggestions), self.words.t("site.chart_monthly"), self.words),
                "on_time": charts.on_time_by_priority(on_time_rows, self.words.t("site.chart_on_time"), self.words),
            },
            solved=[s for s in metrics.newest_first(suggestions) if s.is_solved],
            follow_up=sorted((s for s in suggestions if s.needs_follow_up), key=lambda s: s.id),
            meetings=meetings, projects=projects, output_totals=metrics.output_totals(projects),
            latest=self._latest(suggestions, meetings, projects, limit=5),
            resolution_count=sum(len(m.resolutions) for m in meetings),
        )

    def render_community(self, view: CommunityView, embed: bool = False) -> Page:
        board, community, figures = self.board, view.community, view.figures
        title = f"{community.name} · {board.title}"
        description = f"{community.street} {community.name} · {self.words.t('site.received_count')} {figures.received} · {self.words.t('site.closure')} {figures.closure.percent} · {self.words.t('site.satisfaction')} {figures.satisfaction.percent}"
        home = community.url
        return self._page(
            "community.html", community.file_url("embed/") if embed else home, title, description, searchable=not embed,
            layout="bare.html" if embed else None, feed=community.file_url("feed.xml"), embed=embed,
            qr=self.qr(home, community.name), embed_snippet=embed_snippet(self.absolute(community.file_url("embed/")), community.name),
            community=community, figures=figures, groups=view.groups, status_order=STATUS_ORDER, charts=view.charts,
            whitelist=view.solved, follow_up=view.follow_up, meetings=view.meetings, projects=view.projects,
            output_totals=view.output_totals, latest=view.latest, resolution_count=view.resolution_count,
        )

    def render_suggestion(self, s: Suggestion) -> Page:
        community = self.board.communities[s.community]
        status = s.status.label(self.language)
        title = share_title(s.title, status, community.name)
        description = f"{s.title} · {status}"
        steps = {step.step: step for step in s.steps}
        return self._page(
            "suggestion.html", s.url, title, description, feed=community.file_url("feed.xml"), qr=self.qr(s.url, s.title),
            s=s, community=community, steps=steps, step_order=list(schema.vocabulary("step").terms),
            meetings=self.board.meetings_for(s), resolutions=self.board.resolutions_for(s),
            projects=self.board.projects_for(s), duplicates=self.board.duplicates_of(s),
        )

    def render_meeting(self, m: Meeting) -> Page:
        community = self.board.communities[m.community]
        title = share_title(m.display_title(self.language), community.name)
        return self._page(
            "meeting.html", m.url, title, f"{self.words.date(m.date)} · {m.place}",
            m=m, community=community, agenda=self.board.suggestions_for_meeting(m),
        )

    def render_project(self, p: Project) -> Page:
        community = self.board.communities[p.community]
        status = self.label("project_status", p.status)
        title = share_title(p.title, status, community.name)
        outputs = self.words.quantities(p.outputs)
        return self._page(
            "project.html", p.url, title, outputs or p.title,
            p=p, community=community, suggestions=self.board.suggestions_for_project(p),
            resolution=self.board.resolution(p.resolution),
        )

    def render_poster(self, view: CommunityView) -> Page:
        """An A4 notice for the 公示栏: figures, solved items, the next 议事日, the QR code."""
        community = view.community
        home = community.url
        return self._page(
            "poster.html", community.file_url("poster/"), f"{community.name} · {self.words.t('site.poster')}", self.words.t("site.poster_note"),
            layout="bare.html", feed=None, community=community, figures=view.figures, solved=view.solved[:6],
            next_day=next_deliberation_day(community, self.board.as_of), qr=self.qr(home, community.name, printed=True),
            url=self.absolute(home),
        )

    def render_data(self, package: dict, rows: dict[str, int]) -> Page:
        """数据下载: what each open-data table holds, with its columns and a download link."""
        return self._page(
            "data.html", "data/", self.words.t("site.data_title"), self.words.t("site.data_note"), searchable=True,
            package=package, rows=rows,
        )

    def _latest(self, suggestions, meetings, projects, limit: int = 10) -> list[dict[str, Any]]:
        """The newest events: a step reached, a meeting held, a project started or completed."""
        events = []
        for s in suggestions:
            if s.steps:
                last = s.steps[-1]
                events.append({"date": last.date, "kind": "suggestion", "record": s, "what": self.label("step", last.step)})
            else:
                events.append({"date": s.received, "kind": "suggestion", "record": s, "what": self.words.t("site.received_short")})
        for m in meetings:
            events.append({"date": m.date, "kind": "meeting", "record": m, "what": self.label("meeting_kind", m.kind)})
        for p in projects:
            date = p.completed or p.started
            if date:
                events.append({"date": date, "kind": "project", "record": p, "what": self.label("project_status", p.status)})
        events.sort(key=lambda e: (e["date"], e["record"].id), reverse=True)
        return events[:limit]

    # -- search ---------------------------------------------------------------------------

    def search_docs(self, community: Community) -> list[SearchDoc]:
        """The community and its records as search finds them (title, summary, compound, outputs,
        place, resolutions) and shows them (status, community and kind)."""
        board, c = self.board, community
        summary = plain(c.summary)
        docs = [SearchDoc(
            c.url, c.name, f"{c.street} · {self.words.t('site.community')}",
            " ".join([c.street, c.district or "", summary, *c.compounds.values()]), snippet=snippet(summary),
            order=(0, c.id))]
        for s in board.suggestions_of(c.id):
            summary = plain(s.summary)
            compound = c.compounds.get(s.compound, "") if s.compound else ""
            docs.append(SearchDoc(
                s.url, s.title, f"{c.name} · {self.words.t('site.suggestion')}",
                f"{compound} {summary}", status=s.status.label(self.language), chip=f"ab-status-{s.status.value}",
                snippet=snippet(" ".join(filter(None, [compound, summary]))), order=(1, s.id)))
        for m in board.meetings_of(c.id):
            resolutions = " ".join(plain(r.text) for r in m.resolutions)
            docs.append(SearchDoc(
                m.url, m.display_title(self.language),
                f"{c.name} · {self.label('meeting_kind', m.kind)} · {self.words.date(m.date)}",
                f"{m.place} {resolutions}", snippet=snippet(resolutions or m.place), order=(2, m.id)))
        for p in board.projects_of(c.id):
            outputs = self.words.quantities(p.outputs)
            docs.append(SearchDoc(
                p.url, p.title, f"{c.name} · {self.words.t('site.project')}",
                f"{plain(p.summary)} {outputs}", status=self.label("project_status", p.status),
                chip=f"ab-project-{p.status}", snippet=snippet(outputs or plain(p.summary)), order=(3, p.id)))
        return docs

    def community_pages(self, community: Community) -> Iterator[Page]:
        """The community's page, its embed and poster versions, and a page per record."""
        board = self.board
        view = self.community_view(community)
        yield self.render_community(view)
        yield self.render_community(view, embed=True)
        yield self.render_poster(view)
        for s in board.suggestions_of(community.id):
            yield self.render_suggestion(s)
        for m in board.meetings_of(community.id):
            yield self.render_meeting(m)
        for p in board.projects_of(community.id):
            yield self.render_project(p)


def embed_snippet(url: str | None, title: str) -> str | None:
    """The iframe a site pastes to show a community: HTML source, its attributes escaped here
    for the page it is pasted into (the template escapes it once more, to be shown as text)."""
    if url is None:
        return None
    return (f'<iframe src="{escape(url)}" title="{escape(title)}" '
            'style="width:100%;height:1600px;border:0" loading="lazy"></iframe>')


def next_deliberation_day(community: Community, after: dt.date) -> dt.date | None:
    """The first monthly 议事日 after `after`."""
    if not community.deliberation_day:
        return None
    return deliberation_dates(community.deliberation_day, after + dt.timedelta(days=1), 1)[0]


def photo_copies(board: BoardModel, content_root: Path, community: str) -> list[Asset]:
    """Resized JPEG copies of a community's project photos: phones never download the camera original."""
    from PIL import Image, ImageOps

    assets = []
    for project in board.projects_of(community):
        for photo in project.photos:
            source = content_root / "communities" / project.community / "media" / photo["file"]
            with Image.open(source) as image:
                image = ImageOps.exif_transpose(image).convert("RGB")
                for width in PHOTO_WIDTHS:
                    copy = image.copy()
                    copy.thumbnail((width, width * 4))
                    buffer = io.BytesIO()
                    copy.save(buffer, "JPEG", quality=78, optimize=True, progressive=True)
                    assets.append(Asset(photo_path(project, photo["file"], width), buffer.getvalue()))
    return assets


def photo_path(project: Project, file: str, width: int) -> str:
    stem = Path(file).with_suffix("").as_posix()
    return urls.community_file(project.community, f"media/{stem}-{width}.jpg")


def render_site(board: BoardModel, content_root: Path, package: dict | None = None, rows: dict[str, int] | None = None,
                compiled_in: Path | None = None) -> Site:
    """The board's pages (each community's on demand); with the open-data `package`
    descriptor, also the 数据下载 page. `compiled_in`: a folder that keeps the compiled templates."""
    renderer = Renderer(board, compiled_in)
    site = Site(renderer, content_root, pages=[renderer.render_index()])
    if package is not None:
        site.pages.append(renderer.render_data(package, rows or {}))
    return site
