"""The printed notice: one A4 page whose QR code a phone can scan back to the right page.

Prints with headless Chromium, rasterizes with poppler's pdftoppm and decodes with zbarimg
(Debian's poppler-utils and zbar-tools, which .ci/run installs).
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from conftest import REPO
from ailin.cli import main

TOOLS = ("/usr/bin/chromium", "/usr/bin/pdftoppm", "/usr/bin/zbarimg", "/usr/bin/pdfinfo")
BASE_URL = "https://gs.example.cn/ailin/"
pytestmark = pytest.mark.skipif(
    not all(Path(tool).exists() for tool in TOOLS) and os.environ.get("CI") != "true",
    reason="needs chromium, poppler-utils and zbar-tools",
)


@pytest.fixture(scope="module")
def served_site(tmp_path_factory: pytest.TempPathFactory):
    """The sample board with a base_url, built and served on localhost."""
    root = tmp_path_factory.mktemp("poster")
    content = root / "content"
    shutil.copytree(REPO / "content", content)
    board = content / "board.yaml"
    board.write_text(board.read_text(encoding="utf-8").replace("language: zh", f"language: zh\nbase_url: {BASE_URL}"), encoding="utf-8")
    site = root / "site"
    assert main(["build", "--content", str(content), "--output", str(site), "--config", str(REPO / "mkdocs.yml")]) == 0
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", root
    server.shutdown()


def _print(url: str, pdf: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=TOOLS[0], args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.goto(url)
        page.wait_for_load_state("networkidle")
        page.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True)
        browser.close()


def _decode(pdf: Path) -> list[str]:
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(pdf.with_suffix(""))], check=True)
    images = sorted(pdf.parent.glob(pdf.stem + "*.png"))
    result = subprocess.run(["zbarimg", "-q", "--raw", *map(str, images)], capture_output=True, text=True)
    return result.stdout.split()


def test_poster_prints_on_one_a4_page_with_a_qr_code_to_the_community(served_site) -> None:
    url, root = served_site
    pdf = root / "poster.pdf"
    _print(url + "c/jintu/poster/", pdf)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info
    assert "(A4)" in info
    assert _decode(pdf) == [BASE_URL + "c/jintu/"]


def test_suggestion_qr_code_scans_to_its_permalink(served_site) -> None:
    url, root = served_site
    pdf = root / "suggestion.pdf"
    _print(url + "c/jintu/s/jt-2024-010/", pdf)
    assert BASE_URL + "c/jintu/s/jt-2024-010/" in _decode(pdf)
