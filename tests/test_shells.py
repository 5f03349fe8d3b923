"""Record pages are their kind's shell with markers filled (shells.py): the same bytes MkDocs
writes when it renders the page itself, whatever words the page holds."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CONFIG, REPO
from ailin import plugin
from ailin.cli import main
from ailin.shells import Shells

# Words that could confuse a filler: the markers themselves, markup characters, template syntax.
TRICKY = "ailinshelltitle ailinshelldescription ailinshellslot0/ & <b> \"q\" 'a' {{ x }} \\1"


class ComparedShells(Shells):
    """Fills every page, and renders it the slow way too; keeps what differed."""

    pages: list[str] = []
    differed: list[str] = []

    def fill(self, page):
        filled = super().fill(page)
        ComparedShells.pages.append(page.path)
        if filled != self.render(page).encode("utf-8"):
            ComparedShells.differed.append(page.path)
        return filled


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(REPO / "content", root)
    settings = root / "board.yaml"  # with base_url: canonical links, QR codes and feed addresses
    settings.write_text(settings.read_text(encoding="utf-8") + "base_url: https://example.org/board/\n", encoding="utf-8")
    suggestion = sorted((root / "communities/jintu/suggestions").glob("*.yaml"))[1]
    text = suggestion.read_text(encoding="utf-8")
    text = re.sub(r"^title: .*$", lambda _: f"title: '{TRICKY.replace(chr(39), chr(39) * 2)}'", text, count=1, flags=re.M)
    text = re.sub(r"^summary: \|\n", "summary: |\n  见[通知](https://example.com/a?b=1&c=2 \"通知\")和 <https://example.net/x>。\n", text, count=1, flags=re.M)
    suggestion.write_text(text, encoding="utf-8")
    return root


# A board whose settings make the privacy plugin rewrite links to other hosts in page bodies.
NEW_TAB_CONFIG = """plugins:
  - ailin
  - privacy:
      assets_fetch: false
      links_attr_map:
        target: _blank
"""


@pytest.mark.parametrize("settings", ["default", "links open in a new tab"])
def test_every_filled_page_equals_the_page_mkdocs_renders(content: Path, tmp_path: Path, monkeypatch, capsys, settings: str) -> None:
    config = CONFIG
    if settings != "default":
        config = tmp_path / "mkdocs.yml"
        config.write_text(NEW_TAB_CONFIG, encoding="utf-8")
        monkeypatch.chdir(tmp_path)  # a board repository: its own settings, the packaged pages
    monkeypatch.setattr(plugin, "Shells", ComparedShells)
    ComparedShells.pages, ComparedShells.differed = [], []
    assert main(["build", "--content", str(content), "--output", str(tmp_path / "site"), "--config", str(config), "--no-cache"]) == 0, capsys.readouterr()
    assert len(ComparedShells.pages) == 71  # every community's pages: 3 communities × 3, and 62 records
    assert ComparedShells.differed == []
    tricky = next(p for p in (tmp_path / "site/c/jintu/s").glob("*/index.html") if "ailinshellslot0" in p.read_text(encoding="utf-8"))
    html = tricky.read_text(encoding="utf-8")
    assert 'rel="canonical" href="https://example.org/board/c/jintu/s/' in html  # the page's own address, filled
    assert "＜b＞" in html and "<b>" not in html.split("<body", 1)[1].split("ab-page", 1)[0]  # theme-safe title
    new_tab = 'href="https://example.com/a?b=1&amp;c=2" title="通知" rel="noopener noreferrer nofollow" target="_blank"'
    assert (new_tab in html) == (settings != "default")


def test_the_theme_lists_the_same_files_without_its_hidden_folders(tmp_path: Path) -> None:
    """theme.list_visible_files: MkDocs copies the same theme files as with Jinja's own loader,
    which also lists Material's 14,500 icons in `.icons` for MkDocs to drop them."""
    from mkdocs.structure.files import Files

    from ailin import siteconfig, theme

    def copied(config) -> list[str]:
        files = Files([])
        files.add_files_from_theme(config.theme.get_env(), config)
        return sorted(file.src_uri for file in files)

    config = siteconfig.load(Path(CONFIG), site_dir=str(tmp_path / "site"))
    config.theme.dirs.insert(0, str(plugin.THEME_OVERRIDES))
    before = copied(config)
    theme.list_visible_files(config.theme)
    theme.list_visible_files(config.theme)  # once is enough: a second call changes nothing
    assert copied(config) == before
    assert "assets/ailin.css" in before and not any("/." in name or name.startswith(".") for name in before)
    hidden = [name for name in config.theme.get_env().loader.list_templates() if ".icons" in name]
    assert hidden == []


def test_a_build_leaves_requests_unimported_until_it_is_used(tmp_path: Path) -> None:
    """theme.defer_requests: Material's privacy plugin imports requests to download assets from
    other hosts, which a board never does; a build goes without it (0.08-0.14 s of start-up),
    and code that then uses it gets the real package."""
    probe = (
        "import sys\n"
        "from ailin.cli import main\n"
        f"assert main(['build', '--content', {str(REPO / 'content')!r}, '--output', {str(tmp_path / 'site')!r}, '--no-cache']) == 0\n"
        "print(type(sys.modules['requests']).__name__, 'urllib3' in sys.modules)\n"
        "import requests, requests.adapters\n"
        "from material.plugins.privacy import plugin\n"
        "print(plugin.requests.get.__module__, requests.adapters.HTTPAdapter.__name__, type(sys.modules['requests']).__name__)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, check=True)
    assert result.stdout.splitlines()[-2:] == ["_ImportedOnUse False", "requests.api HTTPAdapter module"]
