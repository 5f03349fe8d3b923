"""Write the site atomically: build into a staging folder beside the output, swap when done.

A failed or interrupted build leaves the previous site as it was; readers never see a
half-written one. The swap is two renames on one file system; if a build is killed between
them, the next build puts the previous site back first. Staging folders of builds that were
killed are removed by the next build.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path


class StagedOutput:
    """A staging folder that replaces `target` only on `commit()`."""

    def __init__(self, target: Path):
        self.target = Path(target).resolve()
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self._recover()
        # beside the target, so the final rename stays on one file system
        prefix = f".{self.target.name}.building-{os.getpid()}-"
        self.staging = Path(tempfile.mkdtemp(prefix=prefix, dir=self.target.parent))

    @property
    def _old(self) -> Path:
        return self.target.with_name(f".{self.target.name}.previous")

    def _recover(self) -> None:
        """Undo what a killed build left: a half-done swap, staging folders of dead builds."""
        if self._old.exists():
            if self.target.exists():
                shutil.rmtree(self._old, ignore_errors=True)
            else:
                os.rename(self._old, self.target)
        for stale in self.target.parent.glob(f".{self.target.name}.building-*"):
            pid = stale.name.rsplit(".building-", 1)[1].split("-", 1)[0]
            if not pid.isdigit() or not _alive(int(pid)):
                shutil.rmtree(stale, ignore_errors=True)

    def commit(self) -> None:
        """Swap the staged tree in; the previous tree is removed only after the swap."""
        os.chmod(self.staging, 0o755)  # mkdtemp makes it private; a site is public
        if self.target.exists():
            os.rename(self.target, self._old)
        os.rename(self.staging, self.target)
        shutil.rmtree(self._old, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_files(folder: Path, files: Iterable[tuple[str, str | bytes]]) -> int:
    """Write (site path, content) pairs below `folder`; a page path ("c/x/") gets its index.html."""
    made: set[Path] = set()
    count = 0
    for path, content in files:
        target = folder / (path + "index.html" if path == "" or path.endswith("/") else path)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if isinstance(content, str):
            content = content.encode("utf-8")
        target.write_bytes(content)
        count += 1
    return count
