"""Write the site atomically: build into a staging folder beside the output, swap when done.

A failed or interrupted build leaves the previous site as it was; readers never see a
half-written one. The swap is two renames on one file system; if a build is killed between
them, the next build puts the previous site back first. Staging folders of builds that were
killed are removed by the next build.

Removing a replaced site takes seconds on a district board (23,600 folders and files), so with
a `trash` folder (in the build cache) the replaced site is moved there and removed by a process
of its own that outlives the build; a build that finds the trash not empty (that process died)
starts one too.
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path


class StagedOutput:
    """A staging folder that replaces `target` only on `commit()`."""

    def __init__(self, target: Path, trash: Path | None = None):
        self.target = Path(target).resolve()
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.trash = trash
        self._recover()
        # beside the target, so the final rename stays on one file system
        prefix = f".{self.target.name}.building-{os.getpid()}-"
        self.staging = Path(tempfile.mkdtemp(prefix=prefix, dir=self.target.parent))
        empty_later(trash)  # what earlier builds left, should their emptying have died

    @property
    def _old(self) -> Path:
        """Where the published site waits during the swap; a killed build may leave it."""
        return self.target.with_name(f".{self.target.name}.previous")

    def _recover(self) -> None:
        if self._old.exists():
            if self.target.exists():
                self._remove(self._old)
            else:
                os.rename(self._old, self.target)
        remove_dead_staging(self.target)

    def commit(self) -> None:
        """Swap the staged tree in; the previous tree is removed only after the swap."""
        os.chmod(self.staging, 0o755)  # mkdtemp makes it private; a site is public
        if self.target.exists():
            os.rename(self.target, self._old)
        os.rename(self.staging, self.target)
        self._remove(self._old)
        empty_later(self.trash)

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def _remove(self, tree: Path) -> None:
        throw_away(tree, self.trash, "site-")


def throw_away(tree: Path, trash: Path | None, prefix: str) -> None:
    """`tree` into the `trash`, for `empty_later`; at once without a trash (or across file
    systems, where a rename cannot go)."""
    if not tree.exists():
        return
    if trash is not None:
        trash.mkdir(parents=True, exist_ok=True)
        try:
            os.rename(tree, tempfile.mkdtemp(prefix=prefix, dir=trash))
            return
        except OSError:
            pass
    shutil.rmtree(tree, ignore_errors=True)


def remove_dead_staging(target: Path) -> None:
    """Remove the staging folders that builds killed midway left beside `target`."""
    target = Path(target).resolve()
    for stale in target.parent.glob(f".{target.name}.building-*"):
        pid = stale.name.rsplit(".building-", 1)[1].split("-", 1)[0]
        if not pid.isdigit() or not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)


def empty_later(trash: Path | None) -> None:
    """Empty `trash`, if anything is in it, in a process of its own that outlives the build:
    a build is done once its site is in place."""
    if trash is None or not trash.is_dir() or not any(trash.iterdir()):
        return
    code = "import shutil, sys, pathlib; [shutil.rmtree(p, True) for p in pathlib.Path(sys.argv[1]).iterdir()]"
    subprocess.Popen([sys.executable, "-c", code, str(trash)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_files(folder: Path, files: Iterable[tuple[str, str | bytes]]) -> None:
    """Write (site path, content) pairs below `folder`; a page path ("c/x/") gets its index.html."""
    made: set[str] = set()
    folder = os.fspath(folder)
    for path, content in files:
        target = os.path.join(folder, path + "index.html" if path == "" or path.endswith("/") else path)
        parent = os.path.dirname(target)
        if parent not in made:
            _make_folder(parent)
            made.add(parent)
        with open(target, "wb") as file:
            file.write(content.encode("utf-8") if isinstance(content, str) else content)


def _make_folder(path: str) -> None:
    """`os.makedirs(path, exist_ok=True)` in one system call when the parent is there, as it
    is for most folders of a site (makedirs asks first whether the parent exists)."""
    try:
        os.mkdir(path)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(path, exist_ok=True)


SHARD_MANIFEST = ".ailin-shard.json"  # in a shard's output: which shard of which build it is


def write_shard_manifest(folder: Path, index: int, count: int, build: str, communities: list[str]) -> None:
    record = {"shard": index, "of": count, "build": build, "communities": communities}
    (folder / SHARD_MANIFEST).write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")


class CombineError(Exception):
    """The shards cannot make one site: `key` names the reason in the word catalogue."""

    def __init__(self, key: str, **fields: object) -> None:
        super().__init__(key)
        self.key, self.fields = key, fields


def combine(shards: list[Path], output: Path) -> int:
    """One site from the outputs of `ailin build --shard i/n`, i = 1..n, published atomically:
    each shard holds the whole board's own pages and files and its share of the communities;
    a file in two shards must be the same bytes. Returns the number of files."""
    manifests = []
    for shard in shards:
        try:
            manifests.append(json.loads((shard / SHARD_MANIFEST).read_text(encoding="utf-8")))
        except (OSError, ValueError):
            raise CombineError("not_a_shard", folder=shard) from None
    count = manifests[0]["of"]
    if any(m["build"] != manifests[0]["build"] or m["of"] != count for m in manifests):
        raise CombineError("shards_differ")
    present = sorted(m["shard"] for m in manifests)
    if present != list(range(1, count + 1)):
        missing = sorted(set(range(1, count + 1)) - set(present)) or sorted({i for i in present if present.count(i) > 1})
        raise CombineError("shards_missing", shards=", ".join(f"{i}/{count}" for i in missing))
    staged = StagedOutput(output)
    try:
        files = 0
        for shard in shards:
            try:
                files += link_tree(shard, staged.staging, skip=SHARD_MANIFEST)
            except FileExistsError as error:
                raise CombineError("shards_conflict", path=error.args[0]) from None
        staged.commit()
    except BaseException:
        staged.discard()
        raise
    return files


def link_tree(source: Path, target: Path, skip: str | None = None) -> int:
    """Hard-link every file below `source` into `target` (copied across file systems); a file
    already there is left when it is the same bytes, and raises FileExistsError when not.
    `skip` is a file name at the top of `source` to leave out. Returns the files linked.
    Plain strings, not Path objects: a district's 23,600 files are mostly path arithmetic."""
    count = 0
    source, target = os.fspath(source), os.fspath(target)
    for root, _, names in os.walk(source):
        relative = os.path.relpath(root, source)
        at = target if relative == "." else os.path.join(target, relative)
        _make_folder(at)
        for name in names:
            if name == skip and relative == ".":
                continue
            origin, destination = os.path.join(root, name), os.path.join(at, name)
            try:
                os.link(origin, destination)
            except FileExistsError:
                if not filecmp.cmp(origin, destination, shallow=False):
                    raise FileExistsError(Path(relative, name).as_posix()) from None
                continue
            except OSError:  # another file system, or one without hard links
                shutil.copyfile(origin, destination)
            count += 1
    return count
