"""Drive `ailin serve` as a volunteer does: open a page, break a file, fix it."""

from __future__ import annotations

import os
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from support import free_port, stop


def fetch(url: str) -> tuple[int, str]:
    """Status and body; every request must answer within seconds, whatever the content."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def wait_for(url: str, predicate, seconds: float) -> tuple[int, str]:
    deadline = time.monotonic() + seconds
    last: tuple[int, str] = (0, "")
    while time.monotonic() < deadline:
        try:
            last = fetch(url)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            last = (0, "")
        if predicate(*last):
            return last
        time.sleep(0.3)
    raise AssertionError(f"{url} never answered as expected; last: {last[0]} {last[1][:300]}")


def break_and_fix(command: list[str], board: Path) -> dict[str, float]:
    """Serve `board`, break a record, fix it; returns how long each state took to show."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/c/example/"
    record = board / "content/communities/example/suggestions/example-2025-001.yaml"
    good = record.read_text(encoding="utf-8")
    server = subprocess.Popen(
        [*command, "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=board,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    timings = {}
    try:
        started = time.monotonic()
        wait_for(url, lambda status, body: status == 200 and "示例社区" in body, 120)
        timings["first page"] = time.monotonic() - started

        record.write_text(good.replace("title: ", 'title: "', 1), encoding="utf-8")  # an unclosed quote
        started = time.monotonic()
        status, body = wait_for(url, lambda status, body: status == 404 and "example-2025-001.yaml" in body, 60)
        timings["error page"] = time.monotonic() - started
        assert "内容有错误，预览暂停更新" in body and "[yaml-syntax]" in body
        assert fetch(f"http://127.0.0.1:{port}/")[0] == 404  # every address answers, none hangs

        record.write_text(good, encoding="utf-8")
        started = time.monotonic()
        wait_for(url, lambda status, body: status == 200 and "示例社区" in body, 60)
        timings["recovered"] = time.monotonic() - started
    finally:
        stop(server)
    return timings
