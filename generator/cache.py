"""What a build keeps for the next one: each community's finished files, under a fingerprint.

A community's pages and photo copies depend on its own folder, on the records of other
communities that its records name or that name them (the schemas' `to:` relations), on the
board's settings and date, on the theme's frame around the pages and on the generator itself.
Their digests make the community's fingerprint; a community whose fingerprint is unchanged is
linked into the new site from the cache instead of being rendered again. So are its feed,
calendar and data.json, which show nothing else; and beside its files the cache keeps its part
of the board-wide files (parts.py), from which a build assembles the board's feed, open-data
tables and search index. The board's own pages (index, data) are made on every build.

The cache is a folder (`.cache/ailin/` beside `content/`), safe to delete at any time. Files
are hard-linked between it and the site (copied across file systems), so a cached site costs
no second copy on disk; nothing ever writes into a cached file, only new files replace them.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import pickle
import shutil
from collections import defaultdict
from collections.abc import Collection, Iterable
from pathlib import Path

from . import __version__, packaged, read_bytes, schema
from .publish import empty_later, link_tree, throw_away
from .records import CheckedBoard, values_at

FOLDER = Path(".cache") / "ailin"
FINGERPRINT = "fingerprint"
PART = "part"  # beside FINGERPRINT: the community's part of the board-wide files, pickled


def default_folder(content: Path, purpose: str = "") -> Path:
    """`.cache/ailin/content/` in a board repository: beside the content folder, named after it.
    `ailin serve` keeps its own (`purpose="serve"`): its pages link to the preview's address,
    and sharing one cache would make each of the two render everything after the other."""
    content = Path(content).resolve()
    return content.parent / FOLDER / (content.name + (f"-{purpose}" if purpose else ""))


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def tree_digest(folder: Path, skip: Path | None = None) -> str:
    """Every file below `folder` but those in `skip`: its path and its bytes (caches of Python
    itself left out). Plain strings: a district is 23,400 files."""
    h = hashlib.sha256()
    folder = os.fspath(folder)
    for relative in sorted(_files(folder, os.fspath(skip) if skip else None)):
        name = relative.replace(os.sep, "/").encode("utf-8")
        h.update(len(name).to_bytes(8, "little") + name)
        data = read_bytes(os.path.join(folder, relative))
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()


def _files(folder: str, skip: str | None = None) -> Iterable[str]:
    """The files below `folder`, relative to it."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d != "__pycache__" and os.path.join(root, d) != skip]
        relative = os.path.relpath(root, folder)
        for name in files:
            if not name.endswith(".pyc"):
                yield name if relative == "." else os.path.join(relative, name)


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


def fingerprints(digests: dict[str, str], board: CheckedBoard, frame: str) -> dict[str, str]:
    """Community -> the fingerprint of everything its pages show (see the module's docstring),
    from `content_digests`."""
    common = digest(generator_digest(), frame, digests[""], board.as_of.isoformat())
    links = community_links(board)
    communities = sorted({r.community for r in board.records if r.community})
    return {c: digest(common, c, digests.get(c, ""), *(f"{n}:{digests.get(n, '')}" for n in sorted(links.get(c, ()))))
            for c in communities}


class CheckCache:
    """Each community's checked records and problems, kept under the digest of everything the
    check of a community reads: its folder, the board's settings, the day, the generator and
    where the content is (messages name files relative to the working directory). Only a
    community without errors is kept: a failed check is never taken from here. Builds and the
    preview share it (a check is the same for both). With `remember`, the checks also stay in
    memory (`ailin serve` checks again after every edit)."""

    def __init__(self, folder: Path, remember: bool = False):
        self.folder = Path(folder) / "checked"
        self._memory: dict[str, tuple[str, object]] | None = {} if remember else None

    @staticmethod
    def key(content: Path, digests: dict[str, str], community: str, settings: str) -> str:
        return digest(generator_digest(), settings, digests[""], digests.get(community, ""),
                      str(content), os.path.relpath(content))

    def load(self, community: str, key: str):
        """The check of the community kept under `key`, or None."""
        if self._memory is not None and self._memory.get(community, ("",))[0] == key:
            return self._memory[community][1]
        try:
            data = (self.folder / f"{community}.pickle").read_bytes()
        except OSError:
            return None
        stored, _, pickled = data.partition(b"\n")
        return self.remember(community, key, pickle.loads(pickled)) if stored == key.encode() else None

    def keep(self, community: str, key: str, pickled: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.folder / f".{community}.{os.getpid()}.tmp"
        temporary.write_bytes(key.encode() + b"\n" + pickled)
        os.replace(temporary, self.folder / f"{community}.pickle")

    def remember(self, community: str, key: str, checked):
        if self._memory is not None:
            self._memory[community] = (key, checked)
        return checked

    def forget_all_but(self, communities: Collection[str]) -> None:
        """Drop the checks of community folders that are gone (deleted or renamed)."""
        for kept in self.folder.glob("*.pickle"):
            if kept.stem not in communities:
                kept.unlink(missing_ok=True)
        if self._memory is not None:
            self._memory = {c: checked for c, checked in self._memory.items() if c in communities}


class CommunityCache:
    """The finished files of each community, under `folder/communities/<community>/`."""

    def __init__(self, folder: Path):
        self.folder = Path(folder) / "communities"
        self.trash = Path(folder) / "trash"  # the build's own trash, when it shares the folder

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

    def keep(self, community: str, new: Path, fingerprint: str, part: object = None) -> None:
        """The rendered folder replaces the community's previous files (with its `part`, when
        given: one rename puts both in place)."""
        if part is not None:
            with open(new / PART, "wb") as file:
                pickle.dump(part, file, protocol=pickle.HIGHEST_PROTOCOL)
        (new / FINGERPRINT).write_text(fingerprint)
        target = self._files_of(community)
        throw_away(target, self.trash, f"{community}-")  # removing 128 files took as long as writing them
        os.rename(new, target)

    def forget_all_but(self, communities: Collection[str]) -> None:
        """Throw away the files of communities that are no longer on the board: a renamed or
        deleted community would otherwise stay in the cache for good."""
        if self.folder.is_dir():
            for entry in self.folder.iterdir():  # "." starts a folder being rendered (`new_folder`)
                if not entry.name.startswith(".") and entry.name not in communities:
                    throw_away(entry, self.trash, f"{entry.name}-")

    def empty_trash(self) -> None:
        """What `keep` replaced, removed by a process of its own (publish.py)."""
        empty_later(self.trash)

    def part(self, community: str, fingerprint: str) -> object | None:
        """The part kept with the community's files, when they are fresh; else None."""
        if not self.is_fresh(community, fingerprint):
            return None
        try:
            with open(self._files_of(community) / PART, "rb") as file:
                return pickle.load(file)
        except Exception:  # missing or damaged: a miss, and the community is rendered again
            return None

    def link_into(self, community: str, site: Path) -> None:
        """Hard-link (or copy) the community's cached files into the site. They all lie below
        its folder `c/<community>/`; the cache's own files beside it (FINGERPRINT, PART) stay."""
        for entry in self._files_of(community).iterdir():
            if entry.is_dir():
                link_tree(entry, site / entry.name)


def content_digests(content: Path) -> dict[str, str]:
    """Community -> the digest of its folder; "" -> the digest of the rest of the content."""
    root = Path(content).resolve()
    communities = root / "communities"
    digests = {c.name: tree_digest(c) for c in sorted(communities.iterdir()) if c.is_dir()} if communities.is_dir() else {}
    digests[""] = tree_digest(root, skip=communities)
    return digests


def site_settings_digest(config) -> str:
    """The board's own site settings: its mkdocs.yml, its pages and its theme overrides."""
    parts = []
    config_file = Path(config.config_file_path)
    if config_file.is_file():
        parts.append(config_file.read_bytes())
    for folder in (config.docs_dir, config.theme.custom_dir):
        if folder and Path(folder).is_dir():
            parts.append(tree_digest(Path(folder)))
    return digest(*parts)


class LastBuild:
    """What the last published build was made of, so that a build that would change nothing
    (same content, settings, generator, options and day) is skipped."""

    def __init__(self, folder: Path):
        self.file = Path(folder) / "last-build.json"

    @staticmethod
    def key(digests: dict[str, str], settings: str, options: dict) -> str:
        # The day counts: a board without `as_of` is current as of today, and so is the sitemap.
        return digest(generator_digest(), settings, json.dumps(digests, sort_keys=True),
                      json.dumps(options, sort_keys=True, default=str), dt.date.today().isoformat())

    def unchanged(self, key: str, output: Path) -> dict | None:
        """The saved build, when its key is `key` and its site is still in place untouched."""
        try:
            saved = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if saved.get("key") != key or saved.get("site") != _site_identity(output):
            return None
        return saved

    def save(self, key: str, output: Path, **facts) -> None:
        self.file.parent.mkdir(parents=True, exist_ok=True)
        record = {"key": key, "site": _site_identity(output), **facts}
        temporary = self.file.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, self.file)


def _site_identity(output: Path) -> list[int] | None:
    """The published index.html's inode and modification time: a site replaced, removed or
    edited since is built again."""
    try:
        stat = (Path(output) / "index.html").stat()
    except OSError:
        return None
    return [stat.st_ino, stat.st_mtime_ns, stat.st_size]
