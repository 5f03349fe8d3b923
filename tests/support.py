"""What several test modules share: tools that CI must install, free ports, stopping servers."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import socket
import subprocess
import threading
from pathlib import Path
from typing import Iterator

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


@contextlib.contextmanager
def served(folder: Path, handler: type[http.server.SimpleHTTPRequestHandler]) -> Iterator[str]:
    """A built site on 127.0.0.1 in a thread of the test process; yields its root URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
