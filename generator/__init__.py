"""Ailin Board: publish what a community did with its residents' suggestions."""

import os
from pathlib import Path
from typing import Any

__version__ = "0.1.0"


def packaged(folder: str) -> Path:
    """A data folder that ships with the package (schemas, site_overrides, pages).

    A wheel carries it inside the package; a source checkout (an editable install maps
    `ailin` to generator/) keeps it at the top of the repository.
    """
    inside = Path(__file__).resolve().parent / folder
    return inside if inside.is_dir() else inside.parent.parent / folder


def read_data(path: Path) -> Any:
    """One of our own YAML data files (words, schemas): trusted, so libyaml's C loader when
    PyYAML has it, a tenth of the pure-Python loader's time on every command's start."""
    import yaml

    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def read_bytes(path: str | os.PathLike, limit: int | None = None) -> bytes:
    """A file's bytes; with a `limit`, at most `limit` + 1 of them, enough to tell that it is
    too large. Read at the size the file says it has: `open().read()` costs a buffered reader
    a file and `read(limit + 1)` allocates the whole limit, each a few times the read of a
    board's small files (23,400 of them on a district, read by the check and the digests)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        raw = os.read(fd, (size if limit is None else min(size, limit)) + 1)
        while limit is None or len(raw) <= limit:  # to the end: a short read, or a file that grew since
            more = os.read(fd, (1 << 20) if limit is None else limit + 1 - len(raw))
            if not more:
                break
            raw += more
    finally:
        os.close(fd)
    return raw
