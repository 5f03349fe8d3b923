"""Measure the record pages' QR codes: segno against the fixed-mask fast path, ms per code.

The codes are those of the synthetic district (benchmarks/synthetic.py): every community page
and suggestion page address under its base_url, with the page title. Each run draws the same
sample of codes, bypassing qr_svg's cache; the figure is the median run divided by the number
of codes. Both paths are checked to give the same bytes on the sample first.

Usage::

    python benchmarks/bench_qr.py [--codes 2000] [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ailin import qr

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic  # noqa: E402  (a sibling module, not an installed package)


def district_codes() -> list[tuple[str, str]]:
    """(address, title) of every community page and suggestion page of the district."""
    board = synthetic.build()
    base = board.record["base_url"]
    codes = []
    for c in board.communities:
        codes.append((f"{base}c/{c.id}/", c.name))
        codes += [(f"{base}c/{c.id}/s/{s['id']}/", s["title"]) for s in c.suggestions]
    return codes


def ms_per_code(draw: Callable[[str, str], object], codes: list[tuple[str, str]], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for url, title in codes:
            draw(url, title)
        times.append(time.perf_counter() - start)
    return statistics.median(times) / len(codes) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codes", type=int, default=2000, help="codes drawn per run (default 2000)")
    parser.add_argument("--runs", type=int, default=5, help="runs; the median counts (default 5)")
    args = parser.parse_args(argv)
    every = district_codes()
    codes = random.Random(1).sample(every, min(args.codes, len(every)))
    mismatches = [url for url, title in codes if qr.fixed_mask_svg(url, title) != qr.segno_svg(url, title, qr.FAST_MASK)]
    if mismatches:
        print(f"fast path differs from segno for {len(mismatches)} codes, e.g. {mismatches[0]}")
        return 1
    before = ms_per_code(lambda url, title: qr.segno_svg(url, title, qr.FAST_MASK), codes, args.runs)
    after = ms_per_code(qr.fixed_mask_svg, codes, args.runs)
    print(f"{len(codes)} codes of the district's {len(every)}, median of {args.runs} runs")
    print(f"segno      {before:.3f} ms per code  ({before * len(every) / 1000:.1f} s for the district)")
    print(f"fast path  {after:.3f} ms per code  ({after * len(every) / 1000:.1f} s for the district)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
