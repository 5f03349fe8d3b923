"""Memory habits of the big passes: the cyclic garbage collector paused while they allocate,
and, in a process that ends with its build, kept off what they made."""

from __future__ import annotations

import contextlib
import gc
from typing import Iterator

_keeping = False  # inside `ending_with_build`


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """A district board is a million small objects without cycles: the cyclic collector would
    rescan them every few thousand new ones (it tripled the check's time), so it pauses while
    they are made, and runs again after if it ran before. Inside `ending_with_build`, what the
    pass made is first put out of its sight: its first pass after the check would otherwise
    walk every record, for 0.7 s on a district board."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _keeping:
            gc.freeze()
        if collecting:
            gc.enable()


@contextlib.contextmanager
def ending_with_build() -> Iterator[None]:
    """Around a build in a process that ends with it (`ailin build`): what its passes make (the
    checked records, the model, the parts) lives until the end anyway, so the collector need
    not walk it again, and forked workers do not copy pages just to mark them. Not for `ailin
    serve`: frozen objects are never collected, and it would keep every earlier build's model."""
    global _keeping
    _keeping = True
    try:
        yield
    finally:
        _keeping = False
