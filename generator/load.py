"""Read content files safely into YAML node trees that keep every line and column.

The loader refuses what a publisher must not trust: non-UTF-8 text, files over 1 MiB, tags
beyond the core schema, aliases that expand past a small bound, deep nesting, duplicate keys,
empty files and top levels that are not mappings. Values stay YAML nodes: the validator turns
them into records, so every later message can point at the exact line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .problems import Location, Problems

try:  # libyaml's C loader is several times faster; the pure-Python one gives the same nodes
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

MAX_FILE_BYTES = 1024 * 1024
MAX_NODES = 20_000  # nodes visited with aliases expanded: a real record has a few hundred
MAX_DEPTH = 24
CORE_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
RECORD_DIRS = {"suggestions": "suggestion", "meetings": "meeting", "projects": "project"}


@dataclass
class Document:
    """One content file: its kind, where it sits, and its YAML root mapping."""

    kind: str
    path: Path  # as shown to people: relative to the working directory
    file: Path  # absolute path on disk
    root: yaml.MappingNode
    community: str | None = None  # the folder name, for records under communities/

    @property
    def stem(self) -> str:
        return self.file.stem


@dataclass
class Content:
    """Every document of a content folder, by kind, plus the folder's media files."""

    root: Path
    board: Document | None = None
    documents: list[Document] = field(default_factory=list)
    community_dirs: list[Path] = field(default_factory=list)
    unreadable: set[str] = field(default_factory=set)  # stems of files that failed to load

    def of_kind(self, kind: str) -> list[Document]:
        return [d for d in self.documents if d.kind == kind]


def display_path(path: Path) -> Path:
    """The path as a volunteer should read it: relative to where they ran the command."""
    try:
        return Path(os.path.relpath(path))
    except ValueError:  # another drive on Windows
        return path


def load_content(root: Path, problems: Problems) -> Content:
    """Find and load every content file below `root`, reporting what is misplaced."""
    root = root.resolve()
    content = Content(root=root)
    board_file = root / "board.yaml"
    if board_file.is_file():
        content.board = load_document(board_file, "board", root, problems)
    else:
        problems.error(Location(display_path(board_file)), "missing-file", file="board.yaml")
    communities = root / "communities"
    if not communities.is_dir():
        problems.error(Location(display_path(communities)), "missing-folder", folder="communities")
        return content
    for community_dir in sorted(p for p in communities.iterdir() if p.is_dir()):
        content.community_dirs.append(community_dir)
        _load_community(community_dir, root, content, problems)
    return content


def _load_community(folder: Path, root: Path, content: Content, problems: Problems) -> None:
    name = folder.name
    community_file = folder / "community.yaml"
    if community_file.is_file():
        _append(content, load_document(community_file, "community", root, problems, name), folder)
    else:
        problems.error(Location(display_path(community_file)), "missing-file", file="community.yaml")
    for entry in sorted(folder.iterdir()):
        if entry.name in RECORD_DIRS and entry.is_dir():
            kind = RECORD_DIRS[entry.name]
            for file in sorted(entry.iterdir()):
                if file.suffix == ".yaml" and file.is_file():
                    _append(content, load_document(file, kind, root, problems, name), file)
                elif file.suffix in (".yml", ".YAML", ".YML") or file.is_dir():
                    problems.error(Location(display_path(file)), "misplaced-file", expected=f"{entry.name}/<id>.yaml")
        elif entry.name not in ("community.yaml", "media") and not entry.name.startswith("."):
            problems.error(
                Location(display_path(entry)), "misplaced-file",
                expected="community.yaml, suggestions/, meetings/, projects/, media/",
            )


def _append(content: Content, document: Document | None, source: Path) -> None:
    if document is not None:
        content.documents.append(document)
    else:  # already reported; references to it should not be reported again
        content.unreadable.add(source.stem if source.suffix else source.name)


def load_document(
    file: Path, kind: str, root: Path, problems: Problems, community: str | None = None
) -> Document | None:
    """Load one file; on any problem report it and return None."""
    path = display_path(file)
    where = Location(path)
    if not _inside(file, root):
        problems.error(where, "link-outside-content")
        return None
    size = file.stat().st_size
    if size > MAX_FILE_BYTES:
        problems.error(where, "file-too-large", size_kib=size // 1024, limit_kib=MAX_FILE_BYTES // 1024)
        return None
    raw = file.read_bytes()
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
        root_node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problems.error(Location(path, line, column), "yaml-syntax", detail=exc.problem or str(exc))
        return None
    except yaml.YAMLError as exc:  # reader errors: control characters the YAML spec forbids
        problems.error(where, "yaml-syntax", detail=str(exc).splitlines()[0])
        return None
    except RecursionError:
        problems.error(where, "yaml-too-deep", limit=MAX_DEPTH)
        return None
    if root_node is None:
        problems.error(where, "empty-file")
        return None
    if not _inspect(root_node, path, problems):
        return None
    if not isinstance(root_node, yaml.MappingNode):
        problems.error(_at(path, root_node), "top-not-mapping")
        return None
    return Document(kind=kind, path=path, file=file, root=root_node, community=community)


def _inside(file: Path, root: Path) -> bool:
    return file.resolve().is_relative_to(root)


def _at(path: Path, node: yaml.Node) -> Location:
    return Location(path, node.start_mark.line + 1, node.start_mark.column + 1)


def _inspect(root: yaml.Node, path: Path, problems: Problems) -> bool:
    """Refuse foreign tags, duplicate keys, alias bombs and deep nesting; True when clean."""
    clean = True
    visited = 0
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        visited += 1
        if visited > MAX_NODES:
            problems.error(_at(path, root), "yaml-too-large", limit=MAX_NODES)
            return False
        if depth > MAX_DEPTH:
            problems.error(_at(path, node), "yaml-too-deep", limit=MAX_DEPTH)
            return False
        if node.tag not in CORE_TAGS:
            problems.error(_at(path, node), "yaml-tag", tag=node.tag.replace("tag:yaml.org,2002:", "!!"))
            clean = False
            continue
        if isinstance(node, yaml.MappingNode):
            seen: dict[object, yaml.Node] = {}
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode):
                    problems.error(_at(path, key), "key-not-text")
                    clean = False
                    continue
                if key.value in seen:
                    first = seen[key.value].start_mark.line + 1
                    problems.error(_at(path, key), "duplicate-key", key=key.value, first_line=first)
                    clean = False
                seen[key.value] = key
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)
    return clean
