"""Benchmark `ailin check` on the district-sized synthetic board.

Generates the board (200 communities, 20,000 suggestions, 2,000 meetings, 1,000 projects)
into a temporary folder, or uses an existing one given with --content, then runs
`ailin check --content DIR` several times, each in a fresh process, and reports the seconds
of each run, the median, and the peak memory (maximum resident set size) of the checker.

Targets: median at most 5 s, peak memory at most 1 GB (1024 MiB). Exit status 0 when both
are met and every run exited 0, 1 otherwise, 2 when `ailin` is missing.

Usage::

    python benchmarks/bench_check.py [--content DIR] [--runs 5] [--seed 1] [--keep]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic  # noqa: E402  (a sibling module, not an installed package)

TIME_TARGET_S = 5.0
MEMORY_TARGET_BYTES = 1024**3
OUTPUT_LINES_SHOWN = 10


@dataclass(frozen=True)
class Run:
    """One timed run of the checker."""

    seconds: float
    max_rss_bytes: int
    exit_code: int
    output: str
    cpu_seconds: float = 0.0  # user + system time of the process and of the workers it waited for


def find_ailin() -> str | None:
    """The `ailin` console script: on PATH, or beside the running Python (its venv)."""
    found = shutil.which("ailin")
    if found:
        return found
    beside = Path(sys.executable).parent / "ailin"
    return str(beside) if beside.is_file() and os.access(beside, os.X_OK) else None


def _max_rss_bytes(rusage: resource.struct_rusage) -> int:
    """ru_maxrss in bytes: Linux reports KiB, macOS bytes."""
    value = int(rusage.ru_maxrss)
    return value if sys.platform == "darwin" else value * 1024


def run_once(command: list[str], cwd: Path | None = None) -> Run:
    """Run command in a fresh process; measure wall time and that process's peak memory.

    os.wait4 reaps the child and returns its own resource usage, so each run's peak memory
    is measured alone, without the generator's memory or earlier runs mixed in.
    """
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        _, status, rusage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", errors="replace")
    return Run(seconds, _max_rss_bytes(rusage), proc.returncode, text, rusage.ru_utime + rusage.ru_stime)


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "OVER"


def _format_mib(value: int) -> str:
    return f"{value / 1024**2:.0f} MiB"


def _prepare_content(args: argparse.Namespace, workdir: Path) -> Path:
    """The content folder to check: the given one, or a freshly generated district board."""
    if args.content:
        return Path(args.content)
    content = workdir / "content"
    started = time.perf_counter()
    synthetic.generate(content, seed=args.seed)
    print(f"generated the district board in {time.perf_counter() - started:.1f} s: {content}")
    return content


def benchmark(ailin: str, content: Path, runs: int) -> bool:
    """Run the checker `runs` times and print the figures; True when all targets are met."""
    command = [ailin, "check", "--content", str(content)]
    print(f"command: {' '.join(command)}")
    results: list[Run] = []
    for i in range(1, runs + 1):
        run = run_once(command)
        results.append(run)
        time_ok = run.seconds <= TIME_TARGET_S
        memory_ok = run.max_rss_bytes <= MEMORY_TARGET_BYTES
        print(f"run {i}: {run.seconds:6.2f} s {_verdict(time_ok)}   {run.cpu_seconds:6.2f} CPU s   "
              f"{_format_mib(run.max_rss_bytes):>8} {_verdict(memory_ok)}   exit {run.exit_code}")
    median = statistics.median(r.seconds for r in results)
    # CPU seconds (workers included) hardly move with the machine's load, wall seconds do: compare these
    print(f"median CPU:   {statistics.median(r.cpu_seconds for r in results):6.2f} s")
    peak = max(r.max_rss_bytes for r in results)
    time_ok, memory_ok = median <= TIME_TARGET_S, peak <= MEMORY_TARGET_BYTES
    print(f"median time:  {median:6.2f} s (target <= {TIME_TARGET_S:.0f} s)   {_verdict(time_ok)}")
    print(f"peak memory: {_format_mib(peak):>8} (target <= 1024 MiB)   {_verdict(memory_ok)}")
    failed = [r for r in results if r.exit_code != 0]
    if failed:
        lines = failed[0].output.splitlines()
        print(f"warning: {len(failed)} of {runs} runs exited non-zero; the checker printed:")
        for line in lines[:OUTPUT_LINES_SHOWN]:
            print(f"  {line}")
        if len(lines) > OUTPUT_LINES_SHOWN:
            print(f"  ... {len(lines) - OUTPUT_LINES_SHOWN} more lines")
    return time_ok and memory_ok and not failed


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description="Time `ailin check` on a district-sized board.")
    parser.add_argument("--content", type=Path, help="check this folder instead of generating one")
    parser.add_argument("--runs", type=int, default=5, help="number of runs (default 5)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--keep", action="store_true", help="keep the generated folder")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    ailin = find_ailin()
    if ailin is None:
        print("error: the `ailin` command was not found on PATH nor beside "
              f"{sys.executable}; install the project first (pip install -e .)", file=sys.stderr)
        return 2
    if args.content and not (args.content / "board.yaml").is_file():
        print(f"error: {args.content} has no board.yaml", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="ailin-bench-"))
    try:
        content = _prepare_content(args, workdir)
        return 0 if benchmark(ailin, content, args.runs) else 1
    finally:
        if args.keep and not args.content:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
