"""What several test modules share: tools that CI must install, free ports, stopping servers."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI") == "true"
CHROMIUM = Path("/usr/bin/chromium")  # Debian's; never a browser a test tool downloads


def unavailable(reason: str) -> None:
    """Skip the module, or fail it under CI, which must install what the tests need."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: .ci/run must install it)", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop(process: subprocess.Popen, seconds: float = 20) -> None:
    """End a server the test started: politely, then for sure."""
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
