"""Memory habits of the big passes: the cyclic garbage collector paused while they allocate."""

from __future__ import annotations

import contextlib
import gc
from typing import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """A district board is a million small objects without cycles: the cyclic collector would
    rescan them every few thousand new ones (it tripled the check's time), so it pauses while
    they are made, and runs again after if it ran before."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
