"""Ailin Board: publish what a community did with its residents' suggestions."""

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
