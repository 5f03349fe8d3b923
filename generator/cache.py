"""What a build keeps for the next one: each community's finished files, under a fingerprint.

A community's pages and photo copies depend on its own folder, on the records of other
communities that its records name or that name them (the schemas' `to:` relations), on the
board's settings and date, on the theme's frame around the pages and on the generator itself.
Their digests make the community's fingerprint; a community whose fingerprint is unchanged is
linked into the new site from the cache instead of being rendered again. The board-wide pages
and files (index, open data, feeds, search) are made on every build.

The cache is a folder (`.cache/ailin/` beside `content/`), safe to delete at any time. Files
are hard-linked between it and the site (copied across file systems), so a cached site costs
no second copy on disk; nothing ever writes into a cached file, only new files replace them.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from . import __version__, packaged
from . import schema
from .records import CheckedBoard, values_at

FOLDER = Path(".cache") / "ailin"
FINGERPRINT = "fingerprint"


def default_folder(content: Path) -> Path:
    """`.cache/ailin/content/` in a board repository: beside the content folder, named after it."""
    content = Path(content).resolve()
    return content.parent / FOLDER / content.name


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def tree_digest(folder: Path) -> str:
    """Every file below `folder`: its path and its bytes (caches of Python itself left out)."""
    h = hashlib.sha256()
    for path in sorted(_files(folder)):
        relative = path.relative_to(folder).as_posix().encode("utf-8")
        h.update(len(relative).to_bytes(8, "little") + relative)
        data = path.read_bytes()
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()


def _files(folder: Path) -> Iterable[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in files:
            if not name.endswith(".pyc"):
                yield Path(root) / name


@functools.cache
def generator_digest() -> str:
    """The generator's code, templates, schemas, theme overrides and pages: a changed
    generator renders every page again, whatever its version number says."""
    here = Path(__file__).resolve().parent
    return digest(__version__, tree_digest(here), *(tree_digest(packaged(f)) for f in ("schemas", "site_overrides", "pages")))


def community_links(board: CheckedBoard) -> dict[str, set[str]]:
    """Community -> the other communities whose records its records name or are named by."""
    community_of = {record.id: record.community for record in board.records if record.id}
    links: dict[str, set[str]] = defaultdict(set)
    for record in board.records:
        if record.kind not in schema.REFERENCE_KINDS:
            continue
        for reference in schema.references(record.kind):
            if reference.to == "compound":  # a compound of the record's own community
                continue
            for _, target in values_at(record.data, reference.path):
                if not isinstance(target, str):
                    continue
                other = community_of.get(target.partition("#")[0])  # a resolution is meeting#n
                if other and other != record.community:
                    links[record.community].add(other)
                    links[other].add(record.community)
    return links


def fingerprints(content: Path, board: CheckedBoard, frame: str) -> dict[str, str]:
    """Community -> the fingerprint of everything its pages show (see the module's docstring)."""
    root = Path(content).resolve()
    folders = {c: root / "communities" / c for c in sorted({r.community for r in board.records if r.community})}
    own = {c: tree_digest(folder) for c, folder in folders.items()}
    settings = (root / "board.yaml").read_bytes() if (root / "board.yaml").is_file() else b""
    common = digest(generator_digest(), frame, settings, board.as_of.isoformat())
    links = community_links(board)
    return {c: digest(common, c, own[c], *(f"{n}:{own[n]}" for n in sorted(links.get(c, ())) if n in own))
            for c in folders}


class CommunityCache:
    """The finished files of each community, under `folder/communities/<community>/`."""

    def __init__(self, folder: Path):
        self.folder = Path(folder) / "communities"

    def _files_of(self, community: str) -> Path:
        return self.folder / community

    def is_fresh(self, community: str, fingerprint: str) -> bool:
        try:
            return (self._files_of(community) / FINGERPRINT).read_text() == fingerprint
        except OSError:
            return False

    def new_folder(self, community: str) -> Path:
        """An empty folder to render the community into; `keep` puts it in place."""
        self.folder.mkdir(parents=True, exist_ok=True)
        new = self.folder / f".{community}.new-{os.getpid()}"
        shutil.rmtree(new, ignore_errors=True)
        new.mkdir()
        return new

    def keep(self, community: str, new: Path, fingerprint: str) -> None:
        """The rendered folder replaces the community's previous files."""
        (new / FINGERPRINT).write_text(fingerprint)
        target = self._files_of(community)
        old = self.folder / f".{community}.old-{os.getpid()}"
        if target.exists():
            os.rename(target, old)
        os.rename(new, target)
        shutil.rmtree(old, ignore_errors=True)

    def link_into(self, community: str, site: Path) -> int:
        """Hard-link (or copy) the community's cached files into the site; the number of files."""
        source = self._files_of(community)
        count = 0
        for root, dirs, files in os.walk(source):
            relative = Path(root).relative_to(source)
            target_dir = site / relative
            target_dir.mkdir(parents=True, exist_ok=True)
            for name in files:
                if relative == Path(".") and name == FINGERPRINT:
                    continue
                _link(Path(root) / name, target_dir / name)
                count += 1
        return count


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system, or one without hard links
        shutil.copyfile(source, target)
