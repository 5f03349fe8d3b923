"""The generator as a community installs it: a wheel in a fresh venv, run from an empty folder.

Nothing of this repository is on the path or in the folder: only what the wheel carries.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO
from serving import break_and_fix

# Files a board must not need to copy from this repository.
REPOSITORY_ONLY = {"mkdocs.yml", "site_overrides", "pages", "schemas", "generator", "pyproject.toml"}


def run(*command, cwd: Path) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True, env=env)


# Where each packaged folder of this repository lands inside the wheel.
PACKAGED = {"generator": "ailin", "schemas": "ailin/schemas", "site_overrides": "ailin/site_overrides", "pages": "ailin/pages"}


def missing_from(wheel: Path) -> list[str]:
    """Files git tracks in the packaged folders that the wheel lacks (package-data globs can miss one)."""
    import zipfile

    tracked = subprocess.run(["git", "ls-files", *PACKAGED], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    inside = set(zipfile.ZipFile(wheel).namelist())
    wanted = [PACKAGED[path.split("/")[0]] + path[len(path.split("/")[0]):] for path in tracked]
    return [path for path in wanted if path not in inside]


def test_wheel_install_builds_a_new_board_from_an_empty_folder(tmp_path: Path) -> None:
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path / "dist", REPO, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("ailin_board-*.whl"))
    assert missing_from(wheel) == []
    venv = tmp_path / "venv"
    assert run(sys.executable, "-m", "venv", venv, cwd=tmp_path).returncode == 0
    installed = run(venv / "bin/pip", "install", "-q", wheel, cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr
    ailin = venv / "bin/ailin"

    where = run(venv / "bin/python", "-c", "import ailin; print(ailin.packaged('schemas'))", cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout  # the wheel's copy, not ours

    work = tmp_path / "work"
    work.mkdir()
    init = run(ailin, "init", "board", cwd=work)
    assert init.returncode == 0, init.stdout + init.stderr
    board = work / "board"
    assert not REPOSITORY_ONLY & {p.name for p in board.iterdir()}

    check = run(ailin, "check", cwd=board)
    assert (check.returncode, check.stdout) == (0, "检查通过：5 条记录，没有发现错误。\n")
    build = run(ailin, "build", cwd=board)
    assert build.returncode == 0, build.stdout + build.stderr
    assert build.stdout.endswith("网站已生成：8 个页面。用浏览器打开 site/index.html 即可查看。\n")
    assert "示例社区" in (board / "site/c/example/index.html").read_text(encoding="utf-8")
    assert (board / "site/assets/ailin.css").is_file()

    new = run(ailin, "new", "suggestion", "example", cwd=board)
    assert new.returncode == 0 and "example-2025-002.yaml" in new.stdout
    (board / "content/communities/example/suggestions/example-2025-002.yaml").unlink()

    timings = break_and_fix([ailin], board)
    assert timings["error page"] < 30 and timings["recovered"] < 30
