"""What a search costs a phone, on a built board (the district: `benchmarks/synthetic.py`).

Prints figures; it asserts nothing. Two sections:

(a) The site's search as it ships (generator/search.py): a phone (Debian's Chromium, 390×844)
    opens a community page, which must fetch nothing of the index; then it opens search, types
    each word as an input method does, and waits for the results. Every file fetched is counted
    at its gzip size (level 6; files already compressed count as they are), against the 150 KB
    budget. The same measure applies to a site indexed with Pagefind (docs/site.md has both).
(b) Material's search, estimated for the same records: one entry per suggestion, meeting and
    project holding only its title, status, summary, compound and outputs (trimmed as far as
    search can be), plus the board and community pages; serialized as Material's
    search_index.json, gzip-compressed. Material's worker fetches this whole file on every page
    load. jieba's zero-width separators are left out, so the figure is a lower bound.

Usage::

    python benchmarks/synthetic.py /tmp/district
    ailin build --content /tmp/district --output /tmp/district-site
    python benchmarks/bench_search.py --site /tmp/district-site --content /tmp/district 充电 绿化 停车
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import sys
import threading
import urllib.parse
from pathlib import Path

BUDGET_KB = 150
KB = 1024
GZIP_LEVEL = 6
CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}


def _gzip_size(data: bytes) -> int:
    packed = len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))
    return min(packed, len(data))  # already-compressed files are served as they are


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def pagefind_downloads(site: Path, words: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    community = sorted(p.parent.name for p in (site / "c").glob("*/index.html"))[0]
    print(f"(a) search: files fetched by one search from c/{community}/, gzip -{GZIP_LEVEL} (budget <= {BUDGET_KB} KB)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for word in words:
            context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
            page = context.new_page()
            fetched: list[str] = []
            page.on("request", lambda request: fetched.append(request.url))
            page.goto(base + f"c/{community}/", wait_until="networkidle")
            on_load = [u for u in fetched if "/find/" in u or "/pagefind/" in u]
            fetched.clear()
            page.click(".ab-search-open")
            page.keyboard.insert_text(word)
            page.dispatch_event("#ab-search .ab-search__input", "keyup")
            page.wait_for_function("document.querySelector('#ab-search .ab-search__results').children.length > 0 "
                                   "|| /0|没有|Nothing/.test(document.querySelector('#ab-search .ab-search__status').textContent)",
                                   timeout=60_000)
            page.wait_for_load_state("networkidle")
            found = page.locator("#ab-search .ab-search__status").text_content()
            total = 0
            rows = []
            for url in fetched:
                path = site / urllib.parse.unquote(urllib.parse.urlsplit(url).path.lstrip("/"))
                if path.is_file():
                    size = _gzip_size(path.read_bytes())
                    total += size
                    rows.append((path.relative_to(site).as_posix(), size))
            verdict = "PASS" if total <= BUDGET_KB * KB and not on_load else "OVER"
            print(f"  {word}: {found}; {len(rows)} files, {total / KB:.1f} KB   {verdict}"
                  f"{'  (index fetched on page load!)' if on_load else ''}")
            for name, size in sorted(rows, key=lambda r: -r[1])[:6]:
                print(f"      {size / KB:7.1f} KB  {name}")
            context.close()
        browser.close()
    server.shutdown()


def material_estimate(content: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from ailin import pipeline, schema

    result = pipeline.check(content)
    board = pipeline.model_of(result)
    docs = [{"location": "", "title": board.title, "text": board.region}]
    for c in board.communities.values():
        docs.append({"location": f"c/{c.id}/", "title": c.name, "text": f"{c.street} {c.summary or ''}"})
    for s in board.suggestions.values():
        compound = board.communities[s.community].compounds.get(s.compound, "") if s.compound else ""
        docs.append({"location": f"c/{s.community}/s/{s.id}/", "title": s.title,
                     "text": f"{s.status.label()} {compound} {s.summary or ''}"})
    for m in board.meetings.values():
        docs.append({"location": f"c/{m.community}/m/{m.id}/", "title": m.display_title(),
                     "text": " ".join(r.text for r in m.resolutions)})
    for p in board.projects.values():
        outputs = " ".join(f"{o.label} {o.quantity}{o.unit}" for o in p.outputs)
        docs.append({"location": f"c/{p.community}/p/{p.id}/", "title": p.title,
                     "text": f"{schema.vocabulary('project_status').label(p.status, 'zh')} {p.summary or ''} {outputs}"})
    index = json.dumps({"config": {"lang": ["zh"]}, "docs": docs}, ensure_ascii=False).encode("utf-8")
    print(f"(b) Material's search, trimmed records: {len(docs)} entries; search_index.json "
          f"{len(index) / KB:.0f} KB raw, {_gzip_size(index) / KB:.0f} KB gzipped, fetched on every page load   "
          f"{'PASS' if _gzip_size(index) <= BUDGET_KB * KB else 'OVER'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, required=True, help="a site built by `ailin build`")
    parser.add_argument("--content", type=Path, help="its content folder, for the Material estimate")
    parser.add_argument("words", nargs="*", default=["充电", "绿化", "停车"])
    args = parser.parse_args(argv)
    pagefind_downloads(args.site, args.words)
    if args.content:
        material_estimate(args.content)
    return 0


if __name__ == "__main__":
    sys.exit(main())
