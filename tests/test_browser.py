"""The built site in a real browser: Debian's Chromium, driven by Playwright, as a phone in WeChat.

The sample board (`content/`) is built once into a temporary folder and served on 127.0.0.1 by
a threaded `http.server` that answers unknown paths with the site's own 404.html (as the hosts
a board is published on do). One browser context plays an Android phone in WeChat's in-app
browser: a 390×844 viewport, touch, and a MicroMessenger/XWEB user agent.

Screenshots of each page type land in `test-artifacts/screenshots/` (git-ignored) for a person
to look at.

Needs `/usr/bin/chromium` (Debian's `chromium` package; `.ci/run` installs it). Without it the
module is skipped, except under CI=true, where a missing browser is a failure. Playwright never
downloads a browser of its own here. The accessibility tests run axe-core 4, which `.ci/run`
installs from npm into `.ci/node/`; without it they skip, and under CI=true they fail.
"""

from __future__ import annotations

import contextlib
import html.parser
import http.server
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from support import CHROMIUM, IN_CI, served, unavailable

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
AXE = REPO / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"
if not CHROMIUM.exists():
    unavailable(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium fonts-noto-cjk)")
try:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
except ImportError:  # pragma: no cover - the test extra installs it
    unavailable("playwright is not installed: pip install -e '.[test]'")

VIEWPORT = {"width": 390, "height": 844}
# WeChat 8.0 on Android: the XWEB webview (a Chromium) inside MicroMessenger.
WECHAT_ANDROID_UA = (
    "Mozilla/5.0 (Linux; Android 12; V2055A Build/SP1A.210812.003; wv) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5169 "
    "MMWEBSDK/20230701 MMWEBID/2420 MicroMessenger/8.0.40.2420(0x28002855) WeChat/arm64 Weixin "
    "NetType/4G Language/zh_CN ABI/arm64"
)
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
TIMEOUT_MS = 15_000
CRAWL_LIMIT = 2_000  # URLs; the sample board has well under 200

# One page of each type: name -> path below the site root.
PAGES = {
    "board": "",
    "community": "c/jintu/",
    "suggestion-overdue": "c/jintu/s/jt-2024-010/",   # in progress, past its deadline
    "suggestion-closed": "c/jintu/s/jt-2024-001/",    # closed, with residents' ratings
    "meeting": "c/jintu/m/jt-m-2024-01/",
    "project": "c/jintu/p/jt-tongsen-chanquan/",
    "about": "about/",
    "data": "data/",
    "embed": "c/jintu/embed/",                        # the bare layout, for an iframe
    "poster": "c/jintu/poster/",                      # the bare layout, an A4 notice
    "404": "c/jintu/s/no-such-suggestion/",          # the host answers with the site's 404.html
}
EXPECTED_STATUS = {name: 404 if name == "404" else 200 for name in PAGES}
SUGGESTIONS = {"suggestion-overdue": ("jt-2024-010", "办理中"), "suggestion-closed": ("jt-2024-001", "已办结")}
STEP_COUNT = 8  # 受理 → 调研 → 评估 → 计划 → 行动 → 督查 → 反馈 → 评分

all_pages = pytest.mark.parametrize("name", list(PAGES))
suggestion_pages = pytest.mark.parametrize("name", list(SUGGESTIONS))


# -- the site, its server, the browser ------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample board, built once with `ailin build`."""
    from ailin.cli import main

    output = tmp_path_factory.mktemp("browser") / "site"
    code = main(["build", "--content", str(CONTENT), "--output", str(output), "--config", str(REPO / "mkdocs.yml")])
    assert code == 0, f"ailin build exited {code}"
    assert (output / "index.html").is_file() and (output / "404.html").is_file()
    return output


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; an unknown path gets the site's 404.html with status 404, like a real host."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="module")
def base_url(site: Path):
    with served(site, _SiteHandler) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    playwright: Playwright = sync_playwright().start()
    try:
        launched: Browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield launched
        finally:
            launched.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="module")
def phone(browser: Browser, base_url: str):
    """One browser context: a phone in WeChat. Requests to any other host are recorded and refused."""
    context: BrowserContext = browser.new_context(
        viewport=VIEWPORT, screen=VIEWPORT, user_agent=WECHAT_ANDROID_UA, device_scale_factor=2,
        is_mobile=True, has_touch=True, locale="zh-CN", timezone_id="Asia/Shanghai",
        service_workers="block",
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    # A safety net: nothing leaves this machine even if a page asks; the page-level request
    # log (see visit) still records such a request, and the test for it fails.
    context.route("**/*", lambda route: route.continue_() if _is_local(route.request.url) else route.abort())
    yield context
    context.close()


def _is_local(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname == "127.0.0.1"


@dataclass
class Visit:
    """A page opened in the phone context, with everything it did while loading."""

    page: Page
    url: str
    status: int | None
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


@contextlib.contextmanager
def visit(phone: BrowserContext, base_url: str, name: str, settle: bool = False):
    """Open one of PAGES; with settle, also scroll to the end and wait until the network is idle."""
    page = phone.new_page()
    url = base_url + PAGES[name]
    record = Visit(page, url, None)
    page.on("request", lambda request: record.requests.append(request.url))
    page.on("requestfailed", lambda request: record.failed.append(f"{request.url}: {request.failure}"))
    page.on("response", lambda r: r.status >= 400 and r.url != url and record.failed.append(f"{r.url}: HTTP {r.status}"))
    page.on("pageerror", lambda error: record.page_errors.append(str(error)))

    def on_console(message) -> None:
        if message.type != "error":
            return
        where = message.location.get("url", "")
        if name == "404" and where == url and "404" in message.text:
            return  # Chromium logs the 404 status of the 404 page itself: that status is the point
        record.console_errors.append(f"{message.text} ({where})")

    page.on("console", on_console)
    try:
        response = page.goto(url, wait_until="load")
        record.status = response.status if response else None
        if settle:
            page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
            page.wait_for_load_state("networkidle")
            page.evaluate("window.scrollTo(0, 0)")
        yield record
    finally:
        page.close()


# -- every page ----------------------------------------------------------------------------------

@dataclass
class Load:
    """What one settled load of a page showed; shared by the tests of every page."""

    visit: Visit
    scroll_width: int
    wide: list[str]
    heading_visible: bool
    screenshot: Path


@pytest.fixture(scope="module")
def loaded(phone, base_url):
    """load(name): open the page once (scrolled to the end, network idle), measure, screenshot."""
    cache: dict[str, Load] = {}

    def load(name: str) -> Load:
        if name not in cache:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            target = SCREENSHOTS / f"{name}.png"
            with visit(phone, base_url, name, settle=True) as v:
                page = v.page
                scroll_width = page.evaluate("document.documentElement.scrollWidth")
                wide = page.evaluate(
                    """limit => [...document.querySelectorAll('body *')]
                         .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > limit + 0.5)
                         .slice(0, 5).map(e => e.tagName.toLowerCase() + [...e.classList].map(c => '.' + c).join(''))""",
                    VIEWPORT["width"],
                )
                heading = page.locator("h1").first.is_visible()
                page.evaluate("document.fonts.ready.then(() => true)")
                page.screenshot(path=str(target), full_page=True, animations="disabled")
            cache[name] = Load(v, scroll_width, wide, heading, target)
        return cache[name]

    return load


@all_pages
def test_page_loads_without_console_or_page_errors(loaded, name):
    v = loaded(name).visit
    assert v.status == EXPECTED_STATUS[name], f"{v.url} answered {v.status}"
    assert loaded(name).heading_visible
    assert v.console_errors == [], f"console errors on {v.url}"
    assert v.page_errors == [], f"uncaught errors on {v.url}"
    assert v.failed == [], f"failed requests from {v.url}"


@all_pages
def test_page_requests_nothing_from_other_hosts(loaded, name):
    v = loaded(name).visit
    assert v.requests, "no request was recorded at all"
    assert [u for u in v.requests if not _is_local(u)] == [], f"{v.url} requested other hosts"


@all_pages
def test_page_does_not_scroll_sideways(loaded, name):
    load = loaded(name)
    assert load.scroll_width <= VIEWPORT["width"], f"{load.visit.url} is {load.scroll_width}px wide; too wide: {load.wide}"


@all_pages
def test_screenshot_of_each_page_type_shows_text(loaded, name):
    """The page painted its words: dark text on the light page, not one flat colour."""
    from PIL import Image

    with Image.open(loaded(name).screenshot) as image:
        darkest, lightest = image.convert("L").getextrema()
    assert lightest - darkest > 100, f"{loaded(name).screenshot} is one flat colour"


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _suggestion_record(name: str) -> dict:
    community, _, suggestion_id = PAGES[name].strip("/").split("/")[1:]
    return _yaml(CONTENT / "communities" / community / "suggestions" / f"{suggestion_id}.yaml")


# -- page types ----------------------------------------------------------------------------------

@suggestion_pages
def test_suggestion_page_shows_the_eight_step_timeline(phone, base_url, name):
    with visit(phone, base_url, name) as v:
        timeline = v.page.locator(".ab-timeline")
        assert timeline.is_visible()
        steps = timeline.locator("> li.ab-step")
        assert steps.count() == STEP_COUNT
        for i in range(STEP_COUNT):
            assert steps.nth(i).is_visible(), f"step {i + 1} of {STEP_COUNT} is hidden"
        record = _suggestion_record(name)
        assert timeline.locator("> li.ab-step-done").count() == len(record["steps"])
        assert timeline.locator("> li.ab-step-todo").count() == STEP_COUNT - len(record["steps"])
        if name == "suggestion-overdue":  # 受理 … 行动 done; 督查, 反馈, 评分 to come, past the deadline
            assert v.page.locator(".ab-overdue").first.is_visible()
        else:
            assert record.get("satisfaction") and v.page.locator(".ab-satisfaction").is_visible()


def test_community_page_shows_three_charts_and_the_figures_grid(phone, base_url):
    with visit(phone, base_url, "community") as v:
        charts = v.page.locator("figure.ab-chart svg")
        assert charts.count() == 3
        for i in range(3):
            chart = charts.nth(i)
            chart.scroll_into_view_if_needed()
            assert chart.is_visible()
            box = chart.bounding_box()
            assert box and box["height"] > 50 and box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORT["width"]
        figures = v.page.locator(".ab-figures")
        assert figures.is_visible()
        assert figures.evaluate("e => getComputedStyle(e).display") == "grid"
        columns = figures.evaluate("e => getComputedStyle(e).gridTemplateColumns.split(' ').length")
        assert columns == 2, f"the figures grid has {columns} columns on a 390px phone"
        cards = figures.locator("> .ab-figure")
        assert cards.count() >= 4 and all(cards.nth(i).is_visible() for i in range(cards.count()))


def test_board_index_community_cards_link_to_pages_that_load(phone, base_url):
    communities = sorted(p.name for p in (CONTENT / "communities").iterdir() if (p / "community.yaml").is_file())
    with visit(phone, base_url, "board") as v:
        links = v.page.locator(".ab-card a.ab-card-title")
        hrefs = [links.nth(i).evaluate("a => a.href") for i in range(links.count())]
        page = v.page
        assert sorted(urllib.parse.urlsplit(h).path.strip("/").split("/")[-1] for h in hrefs) == communities
        for i, href in enumerate(hrefs):
            page.goto(base_url)
            with page.expect_navigation() as navigation:
                page.locator(".ab-card a.ab-card-title").nth(i).click()
            assert navigation.value.status == 200, f"{href} answered {navigation.value.status}"
            assert page.url == href
            assert page.locator("h1").first.is_visible()


@suggestion_pages
def test_suggestion_title_leads_with_its_own_title_then_status_and_community(phone, base_url, name):
    """WeChat's share card shows <title>: the resident must recognise the suggestion from it."""
    _, status = SUGGESTIONS[name]
    record = _suggestion_record(name)
    community = _yaml(CONTENT / "communities" / "jintu" / "community.yaml")
    with visit(phone, base_url, name) as v:
        title = v.page.evaluate("document.title")
        assert title.startswith(record["title"][:20]) and title.endswith(f" · {status} · {community['name']}")
        assert record["id"] not in title
        assert v.page.locator('meta[property="og:title"]').get_attribute("content") == title
        assert v.page.locator('meta[property="og:locale"]').get_attribute("content") == "zh_CN"


def test_print_stylesheet_hides_the_header(phone, base_url):
    with visit(phone, base_url, "community") as v:
        header = v.page.locator(".md-header")
        assert header.is_visible()
        v.page.emulate_media(media="print")
        assert header.is_hidden()
        assert v.page.locator(".md-footer").is_hidden()
        v.page.emulate_media(media="screen")
        assert header.is_visible()


def test_print_shows_the_folded_status_groups(phone, base_url):
    with visit(phone, base_url, "community") as v:
        folded = v.page.locator("details.ab-group:not([open])")
        assert folded.count() > 0, "the sample community has no folded status group"
        v.page.emulate_media(media="print")
        for i in range(folded.count()):
            assert folded.nth(i).locator(".ab-list").is_visible()


def test_printed_poster_without_base_url_shows_no_volunteer_hint(phone, base_url):
    """The sample board has no base_url: the screen tells the volunteer how to get a QR code,
    the printed notice leaves that spot empty rather than print the hint for residents."""
    with visit(phone, base_url, "poster") as v:
        hint = v.page.locator(".ab-poster-qr .ab-note")
        assert hint.is_visible() and "base_url" in hint.text_content()
        v.page.emulate_media(media="print")
        assert hint.is_hidden()
        assert v.page.locator(".ab-poster h1").is_visible()


# -- links ---------------------------------------------------------------------------------------

class _Links(html.parser.HTMLParser):
    """Every URL a page points at (links, stylesheets, scripts, images) and every id it has."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if tag in ("a", "link") and attributes.get("href"):
            self.urls.append(attributes["href"])
        if tag in ("script", "img", "source", "iframe") and attributes.get("src"):
            self.urls.append(attributes["src"])
        if attributes.get("srcset"):
            self.urls.extend(part.strip().split(" ")[0] for part in attributes["srcset"].split(",") if part.strip())


def _fetch(url: str, method: str) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, "", b""


def _crawl(base_url: str, entries: list[str]) -> tuple[dict[str, int], list[str], set[str]]:
    """Follow every same-host URL from the index and the other entry pages, bounded by CRAWL_LIMIT.

    Returns each URL's status, the broken links as "page -> url" (statuses other than 200 and
    #fragments missing on their target page), and the HTML pages visited.
    """
    statuses: dict[str, int] = {}
    ids: dict[str, set[str]] = {}
    fragments: list[tuple[str, str, str]] = []  # (from page, to page, fragment)
    linked_from: dict[str, str] = {}
    pages: set[str] = set()
    queue = deque([base_url, *(base_url + entry for entry in entries)])
    while queue and len(statuses) < CRAWL_LIMIT:
        url = queue.popleft()
        if url in statuses:
            continue
        is_page = url.endswith("/") or url.endswith(".html")
        status, kind, body = _fetch(url, "GET" if is_page else "HEAD")
        statuses[url] = status
        if status != 200 or kind != "text/html":
            continue
        pages.add(url)
        parser = _Links()
        parser.feed(body.decode("utf-8"))
        ids[url] = parser.ids
        for raw in parser.urls:
            target, fragment = urllib.parse.urldefrag(urllib.parse.urljoin(url, raw))
            if not target.startswith(base_url):
                continue  # another host: never fetched here (see test_page_requests_nothing_from_other_hosts)
            if fragment:
                fragments.append((url, target, urllib.parse.unquote(fragment)))
            linked_from.setdefault(target, url)
            if target not in statuses:
                queue.append(target)
    assert not queue, f"crawl stopped at {CRAWL_LIMIT} URLs: raise CRAWL_LIMIT"
    broken = [f"{linked_from.get(u, '(start)')} -> {u}: {s}" for u, s in statuses.items() if s != 200]
    broken += [f"{page} -> {target}#{fragment}: no such id" for page, target, fragment in fragments
               if target in ids and fragment not in ids[target]]
    return statuses, broken, pages


def _entry_pages(site: Path) -> list[str]:
    """Pages no link needs to lead to: the 404 page, and the bare embed pages meant for iframes."""
    embeds = sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.glob("c/*/embed/index.html"))
    return ["404.html", *embeds]


@pytest.fixture(scope="module")
def crawl(base_url, site):
    return _crawl(base_url, _entry_pages(site))


def test_every_internal_link_resolves(crawl, base_url):
    statuses, broken, pages = crawl
    assert len(pages) > len(PAGES), f"the crawl found only {len(pages)} pages"
    assert not broken, f"{len(broken)} broken links:\n" + "\n".join(broken)


def test_every_built_page_is_reachable_from_the_index(crawl, base_url, site):
    _, _, pages = crawl
    built = {base_url + path.parent.relative_to(site).as_posix() + "/" for path in site.rglob("index.html")}
    built = {url.replace("/./", "/") for url in built} - {base_url + entry for entry in _entry_pages(site)}
    orphans = sorted(built - pages)
    assert not orphans, "pages no link leads to:\n" + "\n".join(orphans)


# -- search --------------------------------------------------------------------------------------

# words a resident types -> a record that must be among the results, with the status it shows
SEARCHES = {
    "充电": ("c/shiniuyan/s/syy-2024-007/", "已办结"),
    "飞线": ("c/jinbi/s/jb-2024-013/", "办理中"),
    "坑洼": ("c/jinbi/s/jb-2024-005/", "已办结"),
    "绿化": ("c/jinbi/s/jb-2024-002/", "已办结"),
    "电动车": ("c/jintu/s/jt-2024-008/", "已办结"),
    "顶棚": ("c/jinbi/s/jb-2024-011/", "办理中"),
    "产权登记": ("c/jintu/p/jt-tongsen-chanquan/", "实施中"),   # a project, by its outputs
    "同森锦熙": ("c/jintu/s/jt-2024-001/", "已办结"),          # a suggestion, by its compound
}


def _type_with_an_input_method(page: Page, pinyin: str, word: str) -> None:
    """As a phone's Chinese input method types: the pinyin is composed in the box (input events
    while composing), then the word is committed; WeChat's webview also sends keyup."""
    cdp = page.context.new_cdp_session(page)
    for i in range(1, len(pinyin) + 1):
        cdp.send("Input.imeSetComposition", {"text": pinyin[:i], "selectionStart": i, "selectionEnd": i})
    page.wait_for_timeout(400)  # longer than the search's pause: letters being composed are not searched
    assert page.locator(".ab-search__results > li").count() == 0
    cdp.send("Input.insertText", {"text": word})
    page.locator(".ab-search__input").dispatch_event("keyup", {"key": "Unidentified"})
    cdp.detach()


@pytest.mark.parametrize("words", list(SEARCHES))
def test_search_finds_records_by_their_words_with_their_status(phone, base_url, words):
    target, status = SEARCHES[words]
    with visit(phone, base_url, "suggestion-overdue") as v:
        page = v.page
        page.wait_for_load_state("networkidle")
        assert [u for u in v.requests if "/find/" in u] == [], "the index was fetched before search was opened"
        page.locator(".ab-search-open").click()
        dialog = page.locator("#ab-search")
        assert dialog.is_visible() and page.evaluate("document.activeElement.classList.contains('ab-search__input')")
        _type_with_an_input_method(page, "abc", words)
        href = f'a[href$="/{target}"]'
        link = dialog.locator(f".ab-search__result > {href}")
        link.wait_for()
        result = dialog.locator(".ab-search__result", has=page.locator(href))
        assert result.locator(".ab-search__meta .ab-chip").text_content() == status
        assert result.locator("mark").count() > 0, "the words found are not marked"
        with page.expect_navigation():
            link.click()
        assert page.url == base_url + target
    assert v.console_errors == [] and v.page_errors == []


def test_search_dialog_closes_with_escape_and_returns_focus(phone, base_url):
    with visit(phone, base_url, "community") as v:
        page = v.page
        opener = page.locator(".ab-search-open")
        opener.click()
        assert opener.get_attribute("aria-expanded") == "true"
        page.keyboard.insert_text("zqxjv")
        page.locator(".ab-search__input").dispatch_event("keyup")
        expect_none = page.locator(".ab-search__status")
        expect_none.filter(has_text="没有找到").wait_for()
        page.keyboard.press("Escape")
        assert page.locator("#ab-search").is_hidden()
        assert opener.get_attribute("aria-expanded") == "false"
        assert page.evaluate("document.activeElement.classList.contains('ab-search-open')")


# -- accessibility -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def axe() -> str:
    if not AXE.is_file():
        message = f"{AXE} is missing: npm install --prefix .ci/node axe-core@4"
        if IN_CI:
            pytest.fail(f"{message} (CI=true: .ci/run must install it)", pytrace=False)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def _axe_violations(page: Page, axe: str) -> list[str]:
    page.add_script_tag(content=axe)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]


@all_pages
def test_page_has_no_axe_violations(phone, base_url, axe, name):
    with visit(phone, base_url, name) as v:
        assert _axe_violations(v.page, axe) == []


def test_open_search_with_results_has_no_axe_violations(phone, base_url, axe):
    with visit(phone, base_url, "community") as v:
        v.page.locator(".ab-search-open").click()
        v.page.keyboard.insert_text("充电")
        v.page.locator(".ab-search__result").first.wait_for()
        assert _axe_violations(v.page, axe) == []
