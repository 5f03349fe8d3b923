"""Memory habits of the big passes: the cyclic garbage collector paused while they allocate,
and kept off the board's records and model while a build uses them."""

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


def keep_from_collector() -> None:
    """Everything made so far (the checked records, the model) lives until the process ends:
    out of the collector's sight, it is not walked again, which its first pass after a paused
    one would do for most of a second on a district board (and forked workers do not copy pages
    just to mark them). Only for a process that ends with its build (`ailin build`): what is
    frozen is never collected, and `ailin serve` would keep every earlier build's model."""
    gc.freeze()
