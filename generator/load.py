"""Read content files safely into YAML node trees that keep every line and column.

The loader refuses what a publisher must not trust: non-UTF-8 text, files over 1 MiB, deep
nesting (libyaml's C composer recurses and would crash the process), aliases that expand past a
small bound, empty files and top levels that are not mappings. Values stay YAML nodes; the
validator types them by the schema (so `no` stays text where text is expected) and reports tags,
duplicate keys and non-text keys as it walks, keeping every line and column.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterator

import yaml

from . import read_bytes
from .problems import Location, Problems
from .records import Content, Document

try:  # libyaml's C parser is several times faster; the pure-Python one gives the same nodes
    from yaml.cyaml import CParser as _Parser  # parser and composer only: we construct nothing
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import BaseLoader as _Parser

_DEFAULT_TAGS = {yaml.ScalarNode: "tag:yaml.org,2002:str", yaml.SequenceNode: "tag:yaml.org,2002:seq",
                 yaml.MappingNode: "tag:yaml.org,2002:map"}


class _Loader(_Parser):
    """No implicit typing (the schema decides what `no` or `12` means) and no resolver work:
    the parser calls these for every node, so they do the least they can. (Not CBaseLoader:
    setting up its constructor and resolver for every file was 5% of composing it.)"""

    def resolve(self, kind, value, implicit):
        return _DEFAULT_TAGS[kind]

    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass

MAX_FILE_BYTES = 1024 * 1024
MAX_NODES = 20_000  # nodes with aliases expanded: a real record has a few hundred
MAX_DEPTH = 24
# Cheap signs that a file might nest deeply; only such files get the exact (slower) depth count.
_DEEP_SIGNS = ("\n" + " " * 40, "- - - - - - - - ", "? ? ? ? ? ? ? ? ")
_FLOW_OPENERS_LIMIT = 100
RECORD_DIRS = {"suggestions": "suggestion", "meetings": "meeting", "projects": "project"}


def display_path(path: Path) -> Path:
    """The path as a volunteer should read it: relative to where they ran the command."""
    try:
        return Path(os.path.relpath(path))
    except ValueError:  # another drive on Windows
        return path


class _Walker:
    """Finds the files of a content folder; paths are shown relative to the working directory."""

    def __init__(self, root: Path, problems: Problems):
        self.root = root
        self.shown_root = display_path(root)
        self.problems = problems

    def shown(self, file: Path) -> Path:
        return self.shown_root / file.relative_to(self.root)

    def inside(self, path: Path) -> bool:
        """False for a link that leads out of the content folder (checked only for links)."""
        return not path.is_symlink() or path.resolve().is_relative_to(self.root)


def load_board(root: Path, problems: Problems) -> Document | None:
    walker = _Walker(root.resolve(), problems)
    board_file = walker.root / "board.yaml"
    if board_file.is_file():
        return load_document(board_file, "board", walker)
    problems.error(Location(walker.shown(board_file)), "missing-file", file="board.yaml")
    return None


def community_folders(root: Path, problems: Problems) -> list[Path]:
    """The community folders, in name order; a folder that links outside is reported, not read."""
    walker = _Walker(root.resolve(), problems)
    communities = walker.root / "communities"
    if not communities.is_dir():
        problems.error(Location(walker.shown(communities)), "missing-folder", folder="communities")
        return []
    folders = []
    for folder in sorted(p for p in communities.iterdir() if p.is_dir()):
        if walker.inside(folder):
            folders.append(folder)
        else:
            problems.error(Location(walker.shown(folder)), "link-outside-content")
    return folders


def iter_documents(content: Content, folders: list[Path], problems: Problems) -> Iterator[Document]:
    """The records of some community folders (all of them, or one worker's share), one file at a
    time, so each file's node tree can be dropped once it is checked; failures go to `content`."""
    walker = _Walker(content.root, problems)
    for folder in folders:
        yield from _load_community(folder, walker, content)


def _load_community(folder: Path, walker: _Walker, content: Content) -> Iterator[Document]:
    name = folder.name
    problems = walker.problems
    community_file = folder / "community.yaml"
    if community_file.is_file():
        yield from _loaded(content, load_document(community_file, "community", walker, name), name)
    else:
        problems.error(Location(walker.shown(community_file)), "missing-file", file="community.yaml")
    for entry in sorted(folder.iterdir()):
        if entry.name in RECORD_DIRS and entry.is_dir():
            if not walker.inside(entry):
                problems.error(Location(walker.shown(entry)), "link-outside-content")
                continue
            kind = RECORD_DIRS[entry.name]
            shown_dir = walker.shown(entry)
            for item in sorted(os.scandir(entry), key=lambda e: e.name):  # scandir: no stat per file
                if item.name.endswith(".yaml") and item.is_file():
                    if item.is_symlink() and not walker.inside(Path(item.path)):
                        problems.error(Location(shown_dir / item.name), "link-outside-content")
                        content.unreadable.add(item.name[:-5])
                        continue
                    # entry / name: the same path as Path(item.path), without parsing it again
                    document = load_document(entry / item.name, kind, walker, name, shown_dir / item.name)
                    yield from _loaded(content, document, item.name[:-5])
                elif item.name.lower().endswith((".yml", ".yaml")) or item.is_dir():
                    problems.error(Location(shown_dir / item.name), "misplaced-file", expected=f"{entry.name}/<id>.yaml")
        elif entry.name not in ("community.yaml", "media") and not entry.name.startswith("."):
            problems.error(
                Location(walker.shown(entry)), "misplaced-file",
                expected="community.yaml, suggestions/, meetings/, projects/, media/",
            )


def _loaded(content: Content, document: Document | None, name: str) -> Iterator[Document]:
    if document is not None:
        yield document
    else:  # already reported; references to it should not be reported again
        content.unreadable.add(name)


def load_document(
    file: Path, kind: str, walker: _Walker, community: str | None = None, shown: Path | None = None
) -> Document | None:
    """Load one file; on any problem report it and return None."""
    problems = walker.problems
    path = shown or walker.shown(file)
    where = Location(path)
    if shown is None and not walker.inside(file):  # record files are checked while listing
        problems.error(where, "link-outside-content")
        return None
    raw = read_bytes(file, MAX_FILE_BYTES)
    if len(raw) > MAX_FILE_BYTES:
        size = file.stat().st_size
        problems.error(where, "file-too-large", size_kib=size // 1024, limit_kib=MAX_FILE_BYTES // 1024)
        return None
    if raw.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte-order mark, as Windows Notepad writes
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.error(Location(path, line, column), "not-utf8")
        return None
    try:
        too_deep = _too_deep(text) if _may_nest_deeply(text) else None
        if too_deep is not None:
            problems.error(Location(path, too_deep.line + 1, too_deep.column + 1), "yaml-too-deep", limit=MAX_DEPTH)
            return None
        root_node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.context_mark if exc.problem in _FOUND_PAST_THE_MISTAKE else exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        colon = _full_width_colon(text, line)
        if colon is not None:
            problems.error(Location(path, *colon), "full-width-colon")
        else:
            problems.error(Location(path, line, column), "yaml-syntax", detail=exc.problem or str(exc))
        return None
    except yaml.reader.ReaderError as exc:  # characters the YAML spec forbids, such as controls
        offset = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        problems.error(_location_at(path, text, offset) if offset >= 0 else where, "yaml-syntax", detail=exc.reason)
        return None
    if root_node is None:
        problems.error(where, "empty-file")
        return None
    if "*" in text and _expanded_size(root_node) > MAX_NODES:
        problems.error(where, "yaml-too-large", limit=MAX_NODES)
        return None
    if not isinstance(root_node, yaml.MappingNode):
        problems.error(Location(path, root_node.start_mark.line + 1, root_node.start_mark.column + 1), "top-not-mapping")
        return None
    return Document(kind=kind, path=path, file=file, root=root_node, community=community)


# libyaml notices these only where it gives up (an unclosed quote at the end of the file, a
# line without its colon or dash on the next line): the mistake is where it began to read.
_FOUND_PAST_THE_MISTAKE = {"found unexpected end of stream", "could not find expected ':'"}


def _location_at(path: Path, text: str, offset: int) -> Location:
    line_start = text.rfind("\n", 0, offset) + 1
    return Location(path, text.count("\n", 0, offset) + 1, offset - line_start + 1)


_KEY_WITH_FULL_WIDTH_COLON = re.compile(r"^\s*(?:-\s+)?[A-Za-z_]+\s*：")


def _full_width_colon(text: str, line: int) -> tuple[int, int] | None:
    """(line, column) of a key written with a Chinese colon (title：…) at or just before the
    line libyaml stopped at: the commonest slip of a Chinese keyboard."""
    lines = text.splitlines()
    for number in (line, line - 1):
        if 1 <= number <= len(lines):
            match = _KEY_WITH_FULL_WIDTH_COLON.match(lines[number - 1])
            if match:
                return number, match.end()
    return None


def _may_nest_deeply(text: str) -> bool:
    return text.count("[") + text.count("{") > _FLOW_OPENERS_LIMIT or any(sign in text for sign in _DEEP_SIGNS)


def _too_deep(text: str) -> yaml.Mark | None:
    """Where nesting first goes past the limit, from libyaml's event stream (which, unlike its
    composer, never recurses); None when it stays within."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return event.start_mark
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def _expanded_size(root: yaml.Node) -> int:
    """How many nodes a full walk would visit, with aliases expanded; stops past the bound."""
    visited = 0
    stack = [root]
    while stack and visited <= MAX_NODES:
        node = stack.pop()
        visited += 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append(key)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return visited
