"""Every package the generator imports is declared; every declared one is locked with hashes."""

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
LOCK = (REPO / "requirements.lock").read_text(encoding="utf-8")


def _name(requirement: str) -> str:
    """The normalized distribution name of a requirement: `ruamel.yaml>=0.18` -> `ruamel-yaml`."""
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", requirement).group()).lower()


DECLARED = {_name(r) for r in PYPROJECT["project"]["dependencies"]}
TEST_DECLARED = {_name(r) for r in PYPROJECT["project"]["optional-dependencies"]["test"]}
LOCKED = dict(re.findall(r"^([a-z0-9-]+)==(\S+) \\$", LOCK, re.M))


def _imported(folder: Path) -> set[str]:
    """The top-level names of every third-party module imported below `folder`."""
    names = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n != "ailin"}


def _distributions(modules: set[str]) -> dict[str, set[str]]:
    provided = importlib.metadata.packages_distributions()
    return {m: {_name(d) for d in provided.get(m, [])} for m in modules}


def test_every_import_of_the_generator_is_declared() -> None:
    undeclared = {m: d for m, d in _distributions(_imported(REPO / "generator")).items() if not d & DECLARED}
    assert undeclared == {}


def test_every_import_of_the_tests_is_declared() -> None:
    local = {p.stem for folder in ("tests", "benchmarks") for p in (REPO / folder).glob("*.py")}
    modules = _imported(REPO / "tests") - local
    undeclared = {m: d for m, d in _distributions(modules).items() if not d & (DECLARED | TEST_DECLARED)}
    assert undeclared == {}


def test_every_declared_dependency_is_locked_with_hashes() -> None:
    assert sorted((DECLARED | TEST_DECLARED) - set(LOCKED)) == []
    entries = re.split(r"\n(?=[a-z0-9-]+==)", LOCK)[1:]  # the first is the header
    unhashed = [e.split(" ", 1)[0] for e in entries if "--hash=sha256:" not in e]
    assert unhashed == []

