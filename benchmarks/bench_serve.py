"""Benchmark `ailin serve`: how long a saved edit takes to reach the page, and what the idle
server costs.

Generates a synthetic board (or uses --content), starts `ailin serve` on it and waits for the
first build. Then, --edits times: appends a mark to one suggestion's title, saves, and polls
that suggestion's page until the mark shows (save → page, seconds). Between edits it measures
the server's CPU seconds over --idle seconds of doing nothing (MkDocs' own server polls every
file; ours waits for the operating system's notifications). Prints figures; asserts nothing.

Usage::

    python benchmarks/bench_serve.py                          # the district: 200 communities
    python benchmarks/bench_serve.py --communities 25 --edits 5
    python benchmarks/bench_serve.py --content /tmp/district
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import synthetic  # noqa: E402
from bench_check import find_ailin  # noqa: E402

PER_COMMUNITY = (100, 10, 5)  # suggestions, meetings, projects, as on the district board
SAVE_TO_PAGE_TARGET_S = 2.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def page_has(url: str, text: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return text in response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def wait_until(url: str, text: str, limit: float) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if page_has(url, text):
            return time.monotonic() - started
        time.sleep(0.05)
    return None


def cpu_seconds(pid: int) -> float:
    """User and system CPU of a process and its children so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--content", type=Path, help="an existing content folder (default: generate one)")
    parser.add_argument("--communities", type=int, default=200)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--idle", type=float, default=10.0, help="seconds of idle CPU measured")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    ailin = find_ailin()
    if ailin is None:
        print("error: `ailin` is not installed", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="ailin-bench-serve-"))
    try:
        content = args.content
        if content is None:
            content = workdir / "content"
            s, m, p = (n * args.communities for n in PER_COMMUNITY)
            synthetic.generate(content, args.communities, s, m, p, seed=args.seed)
        board = workdir / "board"  # serve runs in a board repository: content/ and its cache
        board.mkdir()
        (board / "content").symlink_to(content.resolve())
        suggestion = sorted(content.glob("communities/*/suggestions/*.yaml"))[0]
        original = suggestion.read_text(encoding="utf-8")
        url_path = f"c/{suggestion.parent.parent.name}/s/{suggestion.stem}/"
        port = free_port()
        url = f"http://127.0.0.1:{port}/{url_path}"
        started = time.monotonic()
        server = subprocess.Popen([ailin, "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=board,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            first = wait_until(url, "<h1", 1800)
            print(f"machine: {os.cpu_count()} cores; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
            print(f"board: {content} ({sum(1 for _ in content.glob('communities/*'))} communities)")
            print(f"first page after start: {time.monotonic() - started:.1f} s" if first is not None else "first page: never")
            if first is None:
                return 1
            idle_before = cpu_seconds(server.pid)
            time.sleep(args.idle)
            idle = cpu_seconds(server.pid) - idle_before
            print(f"idle server: {idle:.2f} CPU s in {args.idle:.0f} s ({idle / args.idle:.1%} of a core)")
            timings = []
            for edit in range(1, args.edits + 1):
                mark = f"（修订{edit}）"
                suggestion.write_text(original.replace("title: ", f"title: {mark}", 1), encoding="utf-8")
                seconds = wait_until(url, mark, 600)
                timings.append(seconds if seconds is not None else float("inf"))
                print(f"  edit {edit}: save → page {timings[-1]:.2f} s")
                time.sleep(1)
            median = statistics.median(timings)
            verdict = "PASS" if median <= SAVE_TO_PAGE_TARGET_S else "OVER"
            print(f"save → page, median of {len(timings)}: {median:.2f} s (target ≤ {SAVE_TO_PAGE_TARGET_S:.0f} s: {verdict})")
        finally:
            suggestion.write_text(original, encoding="utf-8")
            server.terminate()
            server.wait(timeout=30)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
