"""Benchmark the built site: first-load weight, build time, page sizes and how they scale.

Prints figures; it asserts nothing. Four sections:

(a) First-load weight of a community page: its HTML plus every CSS and JS file it references
    with <link rel=stylesheet> and <script src>, each gzip-compressed (level 6) and summed,
    against the 150 KB budget (PASS/OVER). Images are not counted, nor the search index, which
    is fetched only when search is opened (benchmarks/bench_search.py measures a search).
    Measured on the sample board's community page, and on the largest community page of the
    district board.
(b) Build time: `ailin build` in a fresh process, the median of --runs runs, for the sample
    board (content/) and the synthetic district board (benchmarks/synthetic.py), with pages
    per second and the build's peak memory.
(c) The largest page (HTML file) of each build.
(d) Bytes per page as the board grows: synthetic boards of 5, 20 and 80 communities with the
    same records per community; the median HTML bytes of a suggestion page and of a community
    page must stay flat (records are kept out of the navigation). The board index and the
    search index are shown too: they are expected to grow.

Usage::

    python benchmarks/bench_site.py                        # full district: 200 × 20,000 × 2,000 × 1,000
    python benchmarks/bench_site.py --district-size small  # 20 × 2,000 × 200 × 100, a quick run
    python benchmarks/bench_site.py --runs 5 --keep
"""

from __future__ import annotations

import argparse
import gzip
import html.parser
import os
import platform
import posixpath
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import synthetic  # noqa: E402  (sibling modules, not an installed package)
import vs_hugo  # noqa: E402
from bench_check import Run, find_ailin, run_once  # noqa: E402

BUDGET_KB = 150
KB = 1024
GZIP_LEVEL = 6
SAMPLE_COMMUNITY = "jintu"
DISTRICT_SIZES = {  # communities, suggestions, meetings, projects
    "full": (200, 20_000, 2_000, 1_000),
    "small": (20, 2_000, 200, 100),
}
GROWTH_COMMUNITIES = (5, 20, 80)
# records per community on the growth boards: the district's ratio (100 : 10 : 5); small is quicker
PER_COMMUNITY = {"full": (100, 10, 5), "small": (25, 3, 2)}


# -- running `ailin build` -----------------------------------------------------------------------

def build_once(ailin: str, content: Path, output: Path, *options: str) -> Run:
    """One `ailin build` in a fresh process: wall time and the peak memory of its processes."""
    command = [ailin, "build", "--content", str(content), "--output", str(output), "--config", str(REPO / "mkdocs.yml"), *options]
    return run_once(command, cwd=REPO)


@dataclass
class Build:
    name: str
    site: Path
    runs: list[Run]

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def pages(self) -> int:
        return sum(1 for _ in self.site.rglob("index.html"))


def timed_builds(ailin: str, name: str, content: Path, output: Path, runs: int) -> Build:
    """Build `runs` times into a fresh folder each time (removing the previous one is not timed),
    every page rendered afresh (--no-cache)."""
    results = []
    for i in range(runs):
        shutil.rmtree(output, ignore_errors=True)
        run = build_once(ailin, content, output, "--no-cache")
        results.append(run)
        print(f"  {name}: run {i + 1}/{runs}: {run.seconds:7.2f} s, peak {run.max_rss_bytes / KB**2:5.0f} MiB, exit {run.exit_code}", flush=True)
        if run.exit_code != 0:
            lines = run.output.strip().splitlines()
            print("    the build failed; its last lines:\n    " + "\n    ".join(lines[-15:]))
            raise SystemExit(1)
    return Build(name, output, results)


# -- (a) first-load weight -----------------------------------------------------------------------

class _Assets(html.parser.HTMLParser):
    """The stylesheets and scripts a page references in its markup."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and "stylesheet" in (a.get("rel") or "").split() and a.get("href"):
            self.found.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.found.append(a["src"])


def _gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))


def _site_file(site: Path, page_dir: str, url: str) -> Path | str:
    """The file a page's URL points at in the site, or the URL itself when it leaves the site."""
    if re.match(r"^[a-z][a-z0-9+.-]*:|^//", url, re.IGNORECASE):
        return url
    url = url.split("#")[0].split("?")[0]
    path = url.lstrip("/") if url.startswith("/") else posixpath.normpath(posixpath.join(page_dir, url))
    return site / path


def _row(label: str, raw: int, packed: int) -> str:
    return f"    {label:<58} {raw:>11,} {packed:>11,}"


def first_load_weight(site: Path, page_dir: str, title: str) -> None:
    """Print the page's HTML + referenced CSS and JS, raw and gzipped, and the total vs the budget."""
    page = site / page_dir / "index.html"
    html = page.read_bytes()
    parser = _Assets()
    parser.feed(html.decode("utf-8"))
    print(f"\n  {title}: /{page_dir}")
    print(f"    {'file':<58} {'raw bytes':>11} {'gzip bytes':>11}")
    files = [(f"{page_dir}index.html", html)]
    outside = []
    for url in dict.fromkeys(parser.found):
        target = _site_file(site, page_dir, url)
        if isinstance(target, str):
            outside.append(target)
            continue
        if not target.is_file():
            print(f"    ! {url} is missing from the site")
            continue
        files.append((target.relative_to(site).as_posix(), target.read_bytes()))
    total_raw = total_gzip = 0
    for name, data in files:
        packed = _gzip_size(data)
        total_raw, total_gzip = total_raw + len(data), total_gzip + packed
        print(_row(name, len(data), packed))
    verdict = "PASS" if total_gzip <= BUDGET_KB * KB else "OVER"
    print(_row("total", total_raw, total_gzip))
    print(f"    first-load weight: {total_gzip / KB:.1f} KB gzipped (budget <= {BUDGET_KB} KB)   {verdict}")
    for url in outside:
        print(f"    ! references another host (not counted, and not allowed): {url}")
    _not_counted(site, page_dir, html.decode("utf-8"))


def _not_counted(site: Path, page_dir: str, html: str) -> None:
    """Files outside the budget's definition that a phone may still download: shown, not summed."""
    groups: dict[str, list[Path]] = {}
    for url in re.findall(r"document\.write\('<script src=\"([^\"]+)\"", html):
        target = _site_file(site, page_dir, url)
        if isinstance(target, Path) and target.is_file():
            groups.setdefault("loaded only where ResizeObserver is missing (old WeChat webviews)", []).append(target)
    # The search index (find/) is fetched only when search is opened: benchmarks/bench_search.py.
    for why, paths in groups.items():
        if not paths:
            continue
        print(f"    not counted; {why}:")
        for path in paths:
            data = path.read_bytes()
            print(_row(path.relative_to(site).as_posix(), len(data), _gzip_size(data)))


# -- (c), (d) page sizes -------------------------------------------------------------------------

def largest_page(site: Path) -> tuple[Path, int]:
    pages = [(p.stat().st_size, p) for p in site.rglob("*.html")]
    size, path = max(pages)
    return path, size


def median_bytes(paths: list[Path]) -> int:
    return int(statistics.median(p.stat().st_size for p in paths)) if paths else 0


def largest_community(site: Path) -> str:
    size, path = max((p.stat().st_size, p) for p in site.glob("c/*/index.html"))
    return path.parent.relative_to(site).as_posix() + "/"


# -- main ----------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the built Ailin Board site.")
    parser.add_argument("--district-size", choices=sorted(DISTRICT_SIZES), default="full",
                        help="full: 200 communities × 20,000 suggestions × 2,000 meetings × 1,000 projects (default); "
                             "small: 20 × 2,000 × 200 × 100")
    parser.add_argument("--runs", type=int, default=3, help="timed builds per board, with --vs-hugo alternated with hugo's; the median is reported (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="synthetic generator seed (default 1)")
    parser.add_argument("--keep", action="store_true", help="keep the generated content and sites")
    parser.add_argument("--vs-hugo", action="store_true",
                        help="instead: ailin against Debian's hugo on the same pages, for 25/50/100/200 communities")
    parser.add_argument("--sizes", default=",".join(map(str, vs_hugo.SIZES)), metavar="N,N",
                        help="with --vs-hugo: the board sizes in communities (default: %(default)s)")
    parser.add_argument("--workdir", type=Path, default=_default_workdir(), metavar="DIR",
                        help="where the boards and sites are written (default: %(default)s)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    ailin = find_ailin()
    if ailin is None:
        print("error: the `ailin` command was not found beside the running Python nor on PATH; "
              "install the project first (pip install -e .)", file=sys.stderr)
        return 2

    workdir = Path(tempfile.mkdtemp(prefix="ailin-bench-site-", dir=args.workdir))
    try:
        if args.vs_hugo:
            return _versus_hugo(ailin, args, workdir)
        return _benchmark(ailin, args, workdir)
    finally:
        if args.keep:
            print(f"\nkept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def _benchmark(ailin: str, args: argparse.Namespace, workdir: Path) -> int:
    print(f"machine: {os.cpu_count()} cores ({len(os.sched_getaffinity(0))} usable), "
          f"Python {platform.python_version()}, {platform.platform()}")
    print(f"ailin: {ailin}; gzip level {GZIP_LEVEL}; 1 KB = {KB} bytes; {args.runs} timed runs per board")
    print(f"load average at start: {_load()} (other work on the machine slows the builds)")

    communities, suggestions, meetings, projects = DISTRICT_SIZES[args.district_size]
    district = workdir / "district"
    started = time.perf_counter()
    synthetic.generate(district, communities, suggestions, meetings, projects, seed=args.seed)
    print(f"generated the {args.district_size} district board ({communities} communities, {suggestions:,} suggestions, "
          f"{meetings:,} meetings, {projects:,} projects) in {time.perf_counter() - started:.1f} s")

    print("\nbuilding: `ailin build` in a fresh process, into a fresh output folder")
    builds = [
        timed_builds(ailin, "sample", REPO / "content", workdir / "site-sample", args.runs),
        timed_builds(ailin, f"district ({args.district_size})", district, workdir / "site-district", args.runs),
    ]
    sample_site, district_site = builds[0].site, builds[1].site

    print(f"\n(a) first-load weight: HTML + <link rel=stylesheet> + <script src>, each gzip -{GZIP_LEVEL}, summed")
    community = f"c/{SAMPLE_COMMUNITY}/" if (sample_site / "c" / SAMPLE_COMMUNITY).is_dir() else largest_community(sample_site)
    first_load_weight(sample_site, community, "sample board, community page")
    first_load_weight(district_site, largest_community(district_site), f"district ({args.district_size}), largest community page")

    print(f"\n(b) build time: median of {args.runs} runs")
    print(f"    {'board':<18} {'pages':>7} {'median s':>9} {'pages/s':>8} {'peak MiB':>9}   runs (s)")
    for b in builds:
        runs = ", ".join(f"{r.seconds:.2f}" for r in b.runs)
        peak = max(r.max_rss_bytes for r in b.runs) / KB**2
        print(f"    {b.name:<18} {b.pages:>7,} {b.median:>9.2f} {b.pages / b.median:>8.1f} {peak:>9.0f}   {runs}")

    print("\n(c) the largest page of each build")
    for b in builds:
        path, size = largest_page(b.site)
        print(f"    {b.name:<18} /{path.relative_to(b.site).as_posix():<50} {size:>11,} bytes, {_gzip_size(path.read_bytes()):>9,} gzipped")

    per_s, per_m, per_p = PER_COMMUNITY[args.district_size]
    print(f"\n(d) bytes per page as the board grows ({per_s} suggestions, {per_m} meetings, {per_p} projects per community)")
    rows = []
    for count in GROWTH_COMMUNITIES:
        content, site = workdir / f"growth-{count}", workdir / f"growth-{count}-site"
        synthetic.generate(content, count, per_s * count, per_m * count, per_p * count, seed=args.seed)
        run = build_once(ailin, content, site)
        if run.exit_code != 0:
            print(f"    the {count}-community build failed:\n    " + "\n    ".join(run.output.strip().splitlines()[-15:]))
            return 1
        index = sum(p.stat().st_size for p in (site / "find").rglob("*.json"))  # all of it; a search fetches a few files
        rows.append((count, sum(1 for _ in site.rglob("index.html")), median_bytes(list(site.glob("c/*/s/*/index.html"))),
                     median_bytes(list(site.glob("c/*/index.html"))), (site / "index.html").stat().st_size, index))
        if not args.keep:
            shutil.rmtree(content)
            shutil.rmtree(site)
    print(f"    {'communities':>11} {'pages':>7} {'suggestion page':>16} {'community page':>15} {'board index':>12} {'search index':>13}")
    print(f"    {'':>11} {'':>7} {'median bytes':>16} {'median bytes':>15} {'bytes':>12} {'bytes':>13}")
    for count, pages, s_bytes, c_bytes, index_bytes, search_bytes in rows:
        print(f"    {count:>11} {pages:>7,} {s_bytes:>16,} {c_bytes:>15,} {index_bytes:>12,} {search_bytes:>13,}")
    first, last = rows[0], rows[-1]

    def growth(i: int) -> str:
        return f"{(last[i] - first[i]) / first[i] * 100:+.1f}%" if first[i] else "n/a"

    print(f"    from {first[0]} to {last[0]} communities: suggestion page {growth(2)}, community page {growth(3)} "
          f"(both should stay flat); board index {growth(4)}, search index {growth(5)} (expected to grow)")
    print(f"\nload average at the end: {_load()}")
    return 0


def _versus_hugo(ailin: str, args: argparse.Namespace, workdir: Path) -> int:
    hugo = shutil.which("hugo")
    if hugo is None:
        print("error: hugo is not installed (Debian: apt-get install hugo)", file=sys.stderr)
        return 2
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}; {vs_hugo.hugo_version(hugo)}")
    print(f"load average at start: {_load()}; {args.runs} builds of each per size, alternated, output on {workdir}")
    rows = []
    for communities in (int(n) for n in args.sizes.split(",")):
        rows.append(vs_hugo.measure(ailin, hugo, workdir, communities, args.seed, build_once, args.runs))
        print(f"  measured {communities} communities", flush=True)
    vs_hugo.report(rows)
    print(f"load average at the end: {_load()}")
    return 0


def _default_workdir() -> Path:
    """Memory (tmpfs) where Linux has it, as issue 10 measured: the builds are timed, not this
    machine's disk, where a directory costs 40 times as long to make (0.14 ms, against 3 µs)."""
    shm = Path("/dev/shm")
    return shm if shm.is_dir() and os.access(shm, os.W_OK) else Path(tempfile.gettempdir())


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
