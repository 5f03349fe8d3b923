"""The form editor (/admin/) in a real browser, as a volunteer uses it: Debian's Chromium,
Decap CMS served from the built site, and Decap's local backend (`decap-server` in git mode),
which commits each saved record to a branch of its own, as a pull request would on GitHub.

A board repository is made with `ailin init`, given an `editor:` section and committed; its site
is built and served on 127.0.0.1. One test creates a suggestion through the form and checks the
saved file with `ailin check`; another edits an existing record and reads the diff. Every
request the browser makes is routed through a check: none may leave for another host.

Screenshots for docs/editor.md land in `test-artifacts/editor/`.

Needs /usr/bin/chromium and decap-server (`npm ci --prefix tests/editor`, which `.ci/run` does).
Without them the module is skipped, except under CI=true, where that is a failure.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from support import CHROMIUM, free_port, served, stop, unavailable

REPO = Path(__file__).resolve().parent.parent
DECAP_SERVER = REPO / "tests/editor/node_modules/decap-server/dist/index.js"
SCREENSHOTS = REPO / "test-artifacts" / "editor"
LOCAL_HOSTS = {"127.0.0.1"}
TIMEOUT_MS = 30_000
VIEWPORT = {"width": 1000, "height": 720}
DOWNLOAD_BUDGET_GZIP = 2_500_000  # bytes: Decap is big (about 1.5 MB gzipped); more would be a mistake
COLLECTION = "example-suggestions"  # the starter board's community `example`
SUGGESTIONS = "content/communities/example/suggestions"
# Commits made by decap-server carry this name, whatever the machine's git configuration.
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "志愿者", "GIT_AUTHOR_EMAIL": "volunteer@example.org",
    "GIT_COMMITTER_NAME": "志愿者", "GIT_COMMITTER_EMAIL": "volunteer@example.org",
}


if not CHROMIUM.exists():
    unavailable(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium fonts-noto-cjk)")
if shutil.which("node") is None or not DECAP_SERVER.is_file():
    unavailable("decap-server is missing: npm ci --prefix tests/editor (needs node)")
try:
    from playwright.sync_api import Page, sync_playwright
except ImportError:  # pragma: no cover - the test extra installs it
    unavailable("playwright is not installed: pip install -e '.[test]'")


def git(board: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(board), *args], capture_output=True, text=True, check=True,
                          env={**os.environ, **GIT_IDENTITY})
    return done.stdout


def ailin(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).with_name("ailin")), *args], cwd=cwd, capture_output=True, text=True)


# -- a board repository, its site, decap-server, the browser --------------------------------------

@pytest.fixture()
def board(tmp_path: Path) -> Path:
    """`ailin init` with an editor section, committed on main: what a community pushes."""
    root = tmp_path / "board"
    assert ailin("init", str(root), cwd=tmp_path).returncode == 0
    with (root / "content/board.yaml").open("a", encoding="utf-8") as settings:
        settings.write("editor:\n  backend: github\n  repo: example/board\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "board")
    return root


@pytest.fixture()
def decap_server(board: Path):
    """Decap's local backend in git mode: a saved record becomes a branch, as a pull request."""
    port = free_port()
    env = {**os.environ, **GIT_IDENTITY, "MODE": "git", "GIT_REPO_DIRECTORY": str(board),
           "PORT": str(port), "BIND_HOST": "127.0.0.1", "LOG_LEVEL": "warn"}
    server = subprocess.Popen(["node", str(DECAP_SERVER)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/api/v1"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(url, data=b'{"action":"info","params":{}}', headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=2):
                break
        except OSError:
            time.sleep(0.2)
    else:
        server.kill()
        pytest.fail(f"decap-server did not answer: {server.communicate()[0][-2000:]!r}")
    try:
        yield url
    finally:
        stop(server, 10)


@pytest.fixture()
def site_url(board: Path, decap_server: str, tmp_path: Path):
    """The board built with `ailin build` and served on 127.0.0.1."""
    site = tmp_path / "site"
    built = ailin("build", "--output", str(site), cwd=board)
    assert built.returncode == 0, built.stdout + built.stderr
    # The published configuration asks for decap-server on its usual port, 8081; this run's
    # server has a free port of its own, so that parallel runs never meet.
    config_file = site / "admin/config.json"
    config = json.loads(config_file.read_text(encoding="utf-8"))
    assert config["local_backend"] is True
    config["local_backend"] = {"url": decap_server}
    config_file.write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    with served(site, _QuietHandler) as url:
        yield url


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        pass


class Editor:
    """The browser on /admin/: every request checked, what it downloads counted."""

    def __init__(self, page: Page, site_url: str):
        self.page = page
        self.site_url = site_url
        self.foreign: list[str] = []
        self.downloaded: dict[str, int] = {}  # URL -> bytes, what the site served to the editor
        page.context.route("**/*", self._route)
        page.on("requestfinished", self._count)

    def _route(self, route) -> None:
        url = route.request.url
        if urllib.parse.urlsplit(url).hostname in LOCAL_HOSTS or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def _count(self, request) -> None:
        if request.url.startswith(self.site_url):
            response = request.response()
            if response is not None and response.status == 200:
                self.downloaded[request.url] = len(response.body())

    def log_in(self, screenshots: bool = False) -> None:
        self.page.goto(self.site_url + "admin/")
        login = self.page.get_by_role("button", name="登录")
        login.wait_for()
        if screenshots:
            self.shoot("0-login")
        login.click()
        self.page.get_by_text("示例社区 · 建议").first.click()
        self.page.get_by_text("一号院楼道灯损坏").wait_for()  # the collection's records are listed
        if screenshots:
            self.shoot("1-collections")

    def open(self, route: str) -> None:
        self.page.goto(f"{self.site_url}admin/#/collections/{route}")
        self.page.locator("label").first.wait_for()

    def field(self, label: str, last: bool = False):
        """The input of the form field with this label (the last one: in the newest list item)."""
        field_id = self.page.evaluate(
            """([label, last]) => {
                const labels = [...document.querySelectorAll('label')]
                    .filter(l => l.textContent.replace(/ \\(可选\\)$/, '') === label);
                return (last ? labels.at(-1) : labels[0]).htmlFor;
            }""", [label, last])
        return self.page.locator(f"#{field_id}")

    def choose(self, label: str, option: str, last: bool = False) -> None:
        self.field(label, last).fill(option)
        self.page.get_by_text(option, exact=True).last.click()

    def save(self) -> None:
        self.page.get_by_role("button", name="保存").click()
        self.page.get_by_text("状态: 草稿").wait_for()

    def shoot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


@pytest.fixture()
def editor(site_url: str):
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
    try:
        page = browser.new_page(viewport=VIEWPORT, locale="zh-CN")
        page.set_default_timeout(TIMEOUT_MS)
        yield Editor(page, site_url)
    finally:
        browser.close()
        playwright.stop()


# -- the tests -------------------------------------------------------------------------------------

def test_a_suggestion_made_in_the_form_passes_the_check(editor: Editor, board: Path, tmp_path: Path) -> None:
    editor.log_in(screenshots=True)
    editor.open(f"{COLLECTION}/new")
    assert editor.field("编号").input_value() == "example-2025-002"  # the next id, as `ailin new` gives
    editor.field("标题").fill("二号院门口路灯不亮，晚上出入不安全")
    editor.field("收到日期").fill("2025-03-10")
    editor.choose("征集渠道", "建议征集箱")
    editor.choose("分类", "安全隐患")
    editor.choose("紧急程度", "橙色")
    editor.field("内容").fill("居民反映二号院门口的路灯坏了，\n晚上进出看不清路。")
    editor.field("标题").scroll_into_view_if_needed()
    editor.shoot("2-new-suggestion")
    editor.page.get_by_role("button", name="新增办理步骤").click()
    editor.choose("步骤", "受理", last=True)
    editor.field("日期", last=True).fill("2025-03-11")
    editor.field("说明", last=True).fill("网格员当天上门查看")
    editor.field("说明", last=True).scroll_into_view_if_needed()
    editor.shoot("3-step")
    editor.save()
    editor.page.get_by_text("状态: 草稿").click()
    editor.page.get_by_text("审核中", exact=True).last.click()  # submit for review
    editor.page.get_by_text("状态: 审核中").wait_for()
    editor.page.get_by_text("内容状态已更新").wait_for(state="hidden")  # the toast would hide the bar
    editor.shoot("4-in-review")

    # Saving opened a branch for this record alone, with this record alone: a pull request.
    branch = f"cms/{COLLECTION}/example-2025-002"
    assert branch in git(board, "branch", "--list", "cms/*")
    changed = git(board, "diff", "--name-status", "main", branch).splitlines()
    assert changed == [f"A\t{SUGGESTIONS}/example-2025-002.yaml"]
    # Submitted for review: the pull request's label on a git host, the branch's note here.
    assert git(board, "config", f"branch.{branch}.description").strip() == "decap-cms/pending_review"
    text = git(board, "show", f"{branch}:{SUGGESTIONS}/example-2025-002.yaml")
    assert text == (
        "id: example-2025-002\n"
        "title: 二号院门口路灯不亮，晚上出入不安全\n"
        "received: 2025-03-10\n"
        "channel: suggestion_box\n"
        "category: safety\n"
        "priority: orange\n"
        "summary: |-\n"
        "  居民反映二号院门口的路灯坏了，\n"
        "  晚上进出看不清路。\n"
        "steps:\n"
        "  - {step: accept, date: 2025-03-11, note: 网格员当天上门查看}\n"
    )
    # What the pull request's check runs, on the branch as it would be merged.
    checkout = tmp_path / "pull-request"
    git(board, "worktree", "add", "-q", str(checkout), branch)
    check = ailin("check", cwd=checkout)
    assert check.returncode == 0, check.stdout + check.stderr
    assert editor.foreign == []
    _report_download(editor)


def test_editing_a_record_changes_only_the_edited_field(editor: Editor, board: Path) -> None:
    record = f"{SUGGESTIONS}/example-2025-001.yaml"
    before = (board / record).read_text(encoding="utf-8")
    assert "steps:\n  - {step: accept" in before and before.startswith("#")  # flow style, a comment
    editor.log_in()
    editor.open(f"{COLLECTION}/entries/example-2025-001")
    title = editor.field("标题")
    assert title.input_value() == "一号院楼道灯损坏，晚上看不清台阶"
    title.fill("一号院楼道灯损坏，晚上看不清台阶（已换新灯）")
    editor.save()

    branch = f"cms/{COLLECTION}/example-2025-001"
    diff = git(board, "diff", "--unified=0", "main", branch, "--", record)
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == ["-title: 一号院楼道灯损坏，晚上看不清台阶", "+title: 一号院楼道灯损坏，晚上看不清台阶（已换新灯）"]
    assert git(board, "diff", "--name-only", "main", branch).splitlines() == [record]
    assert editor.foreign == []


def test_a_step_added_to_a_record_is_the_only_new_line(editor: Editor, board: Path) -> None:
    record = f"{SUGGESTIONS}/example-2025-001.yaml"
    editor.log_in()
    editor.open(f"{COLLECTION}/entries/example-2025-001")
    editor.page.get_by_role("button", name="新增办理步骤").click()
    editor.choose("步骤", "评分", last=True)
    editor.field("日期", last=True).fill("2025-03-20")
    editor.field("说明", last=True).fill("回访 12 户，均表示满意")
    editor.save()

    diff = git(board, "diff", "--unified=0", "main", f"cms/{COLLECTION}/example-2025-001", "--", record)
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == ["+  - {step: score, date: 2025-03-20, note: 回访 12 户，均表示满意}"]
    assert editor.foreign == []


def _report_download(editor: Editor) -> None:
    """What /admin/ downloads, raw and gzipped (as a host that compresses would send it)."""
    import gzip

    raw = sum(editor.downloaded.values())
    zipped = 0
    for url in editor.downloaded:
        with urllib.request.urlopen(url, timeout=10) as response:
            zipped += len(gzip.compress(response.read(), 6))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "download.txt").write_text(
        "".join(f"{size:>10} {url}\n" for url, size in sorted(editor.downloaded.items()))
        + f"{raw:>10} total raw\n{zipped:>10} total gzip -6\n", encoding="utf-8")
    assert any(url.endswith("/decap-cms.js") for url in editor.downloaded)
    assert zipped < DOWNLOAD_BUDGET_GZIP, f"/admin/ sends {zipped} bytes gzipped"
