"""Ailin Board: publish what a community did with its residents' suggestions."""

from pathlib import Path

__version__ = "0.1.0"


def packaged(folder: str) -> Path:
    """A data folder that ships with the package (schemas, site_overrides, pages).

    A wheel carries it inside the package; a source checkout (an editable install maps
    `ailin` to generator/) keeps it at the top of the repository.
    """
    inside = Path(__file__).resolve().parent / folder
    return inside if inside.is_dir() else inside.parent.parent / folder
