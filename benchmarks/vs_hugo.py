"""ailin against Hugo on the same pages, in one run: `bench_site.py --vs-hugo`.

For each board size it generates a synthetic board, builds it with `ailin build`, converts the
built pages into a Hugo project (each page's article HTML as raw content at the same URL, one
minimal layout) and builds that with Debian's `hugo`. Then it edits one suggestion's title and
builds again with ailin (the warm rebuild) and once more with nothing changed (the no-op
rebuild). It prints wall and CPU seconds, peak memory, the ratios to Hugo's full build, and
bytes per page. It asserts nothing.

With `runs` above one, the full builds of the two alternate (ailin, hugo, ailin, hugo, …; each
ailin build without its cache) and the ratio is the median of each pair's: the machine's speed
drifts by half within minutes, and a pair built back to back drifts least.
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import synthetic
from bench_check import Run, run_once

SIZES = (25, 50, 100, 200)  # communities; records per community as on the district board
PER_COMMUNITY = (100, 10, 5)  # suggestions, meetings, projects
ARTICLE = re.compile(rb'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
BODY = re.compile(rb"<body[^>]*>(.*?)</body>", re.S)
TITLE = re.compile(rb"<title>(.*?)</title>", re.S)
LAYOUT = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>{{ .Title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main>{{ .Content }}</main></body></html>
"""
HUGO_CONFIG = {
    "baseURL": "/", "languageCode": "zh-cn", "disableKinds": ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"],
    "markup": {"goldmark": {"renderer": {"unsafe": True}}},
}


@dataclass
class Row:
    """One board size: every timed run of each kind, in the order they ran."""

    communities: int
    pages: int
    ailin: list[Run]  # full builds, each paired with the hugo build after it
    hugo: list[Run]
    warm: list[Run]
    noop: list[Run]
    bytes_per_page: int

    @staticmethod
    def median(runs: list[Run], measure: str = "seconds") -> float:
        return statistics.median(getattr(run, measure) for run in runs)

    def ratio(self, measure: str = "seconds") -> float:
        """ailin's full build over hugo's: the median of the alternated pairs."""
        return statistics.median(getattr(a, measure) / getattr(h, measure) for a, h in zip(self.ailin, self.hugo))


def hugo_project(site: Path, project: Path) -> int:
    """The built site as a Hugo project: every page's article HTML at the same URL. Returns the page count."""
    pages = 0
    content = project / "content"
    for page in sorted(site.rglob("index.html")):
        relative = page.parent.relative_to(site).as_posix()
        if relative.startswith(("search", "assets")):
            continue
        html = page.read_bytes()
        body = (ARTICLE.search(html) or BODY.search(html))
        title = TITLE.search(html)
        url = "/" if relative == "." else f"/{relative}/"
        front = {"title": title.group(1).decode("utf-8") if title else url}
        if relative != ".":
            front["url"] = url
        target = content / ("_index.html" if relative == "." else f"p{pages:06d}.html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(json.dumps(front, ensure_ascii=False).encode("utf-8") + b"\n" + (body.group(1) if body else html))
        pages += 1
    (project / "layouts/_default").mkdir(parents=True, exist_ok=True)
    for name in ("single.html", "list.html"):
        (project / "layouts/_default" / name).write_text(LAYOUT, encoding="utf-8")
    (project / "hugo.json").write_text(json.dumps(HUGO_CONFIG), encoding="utf-8")
    return pages


def edit_one_title(content: Path) -> None:
    first = sorted(content.glob("communities/*/suggestions/*.yaml"))[0]
    text = first.read_text(encoding="utf-8")
    first.write_text(re.sub(r"^title: (.*)$", r"title: \1（已更新）", text, count=1, flags=re.M), encoding="utf-8")


def measure(ailin: str, hugo: str, workdir: Path, communities: int, seed: int, build_once, runs: int = 1) -> Row:
    per_s, per_m, per_p = PER_COMMUNITY
    # a folder of its own: the build cache beside the content goes with it, so that a size
    # measured twice is a full build twice
    workdir = Path(tempfile.mkdtemp(prefix=f"size-{communities}-", dir=workdir))
    content, site = workdir / f"board-{communities}", workdir / f"site-{communities}"
    synthetic.generate(content, communities, per_s * communities, per_m * communities, per_p * communities, seed=seed)
    project, hugo_out = workdir / f"hugo-{communities}", workdir / f"hugo-out-{communities}"
    row = Row(communities, 0, [], [], [], [], 0)
    for run in range(runs):
        if run:  # a full build again: no cache, no site
            shutil.rmtree(workdir / ".cache", ignore_errors=True)
            shutil.rmtree(site, ignore_errors=True)
        row.ailin.append(_ok(build_once(ailin, content, site), "ailin build"))
        if not run:
            row.pages = hugo_project(site, project)
        shutil.rmtree(hugo_out, ignore_errors=True)
        row.hugo.append(_ok(run_once([hugo, "--quiet", "-s", str(project), "-d", str(hugo_out)]), "hugo"))
    row.bytes_per_page = int(statistics.median(p.stat().st_size for p in site.rglob("*.html")))
    for _ in range(runs):
        edit_one_title(content)
        row.warm.append(_ok(build_once(ailin, content, site), "ailin build after one edit"))
        row.noop.append(_ok(build_once(ailin, content, site), "ailin build with no change"))
    shutil.rmtree(workdir, ignore_errors=True)
    return row


def _ok(run: Run, what: str) -> Run:
    if run.exit_code != 0:
        raise SystemExit(f"{what} failed:\n" + "\n".join(run.output.strip().splitlines()[-15:]))
    return run


def report(rows: list[Row]) -> None:
    mib = 1024**2
    print(f"    {'communities':>11} {'pages':>7} {'ailin s':>8} {'cpu s':>6} {'hugo s':>7} {'cpu s':>6} {'ratio':>6} {'cpu ratio':>9}"
          f" {'warm s':>7} {'w/hugo':>7} {'no-op s':>8} {'ailin MiB':>10} {'hugo MiB':>9} {'median B/page':>14}")
    for r in rows:
        hugo = r.median(r.hugo)
        print(f"    {r.communities:>11} {r.pages:>7,} {r.median(r.ailin):>8.2f} {r.median(r.ailin, 'cpu_seconds'):>6.1f}"
              f" {hugo:>7.2f} {r.median(r.hugo, 'cpu_seconds'):>6.1f} {r.ratio():>5.1f}× {r.ratio('cpu_seconds'):>8.1f}×"
              f" {r.median(r.warm):>7.2f} {r.median(r.warm) / hugo:>6.1f}× {r.median(r.noop):>8.2f}"
              f" {max(run.max_rss_bytes for run in r.ailin) / mib:>10.0f}"
              f" {max(run.max_rss_bytes for run in r.hugo) / mib:>9.0f} {r.bytes_per_page:>14,}")
    print("    seconds: medians of the runs; ratio = ailin full build / hugo full build, wall, the median of the")
    print("    alternated pairs (targets: ≤ 3×, then parity); cpu ratio: the same in CPU seconds, steadier on a busy")
    print("    machine; w/hugo = ailin's build after one edited title / hugo's full build (target ≤ 2×); no-op = ailin")
    print("    with nothing changed (target ≈ 0); MiB: the highest peak of the runs.")


def hugo_version(hugo: str) -> str:
    return subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip()
