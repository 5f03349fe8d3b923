"""Write the site atomically: build into a staging folder beside the output, swap when done.

A failed or interrupted build leaves the previous site exactly as it was; readers never see a
half-written one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


class StagedOutput:
    """A staging folder that replaces `target` only on `commit()`."""

    def __init__(self, target: Path):
        self.target = Path(target).resolve()
        self.target.parent.mkdir(parents=True, exist_ok=True)
        # beside the target, so the final rename stays on one file system
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.building-", dir=self.target.parent))

    def commit(self) -> None:
        """Swap the staged tree in; the old tree is removed only after the swap."""
        old = None
        if self.target.exists():
            old = self.target.with_name(f".{self.target.name}.old-{os.getpid()}")
            os.rename(self.target, old)
        os.rename(self.staging, self.target)
        os.chmod(self.target, 0o755)  # mkdtemp makes it private; a site is public
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
