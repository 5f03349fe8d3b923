"""The package's import graph, read from the source with ast: stages import only stages below them."""

import ast
from pathlib import Path

import pytest

GENERATOR = Path(__file__).resolve().parent.parent / "generator"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(GENERATOR).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(["ailin", *parts])


def _imports(path: Path) -> set[str]:
    """Every module of the package that `path` imports, anywhere in it (type-only and late imports too)."""
    name = _module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else [])) if node.level else node.module or ""
            candidates = [target] + [f"{target}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            continue
        found.update(c for c in candidates if c in MODULES and c != name)
    return found


MODULES = {_module_name(p): p for p in GENERATOR.rglob("*.py")}
GRAPH = {name: _imports(path) for name, path in MODULES.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle as a list of modules, or [] when there is none."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    stack: list[str] = []

    def visit(module: str) -> list[str]:
        state[module] = 1
        stack.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                return stack[stack.index(target):] + [target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[module] = 2
        return []

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return []


def test_the_import_graph_is_read() -> None:
    assert "ailin.validate" in GRAPH["ailin.pipeline"]
    assert "ailin.model" in GRAPH["ailin.render"]


def test_the_package_has_no_import_cycle() -> None:
    assert _cycle(GRAPH) == []


@pytest.mark.parametrize("graph, cycle", [
    ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
])
def test_a_cycle_is_found(graph: dict[str, set[str]], cycle: list[str]) -> None:
    assert _cycle(graph) == cycle


@pytest.mark.parametrize("module", ["ailin.problems", "ailin.records", "ailin.urls"])
def test_the_bottom_layer_imports_no_stage(module: str) -> None:
    stages = {"ailin.load", "ailin.validate", "ailin.privacy", "ailin.model", "ailin.render", "ailin.pipeline"}
    assert GRAPH[module] & stages == set()


def test_a_long_module_says_why_at_its_top() -> None:
    """Over about 400 lines, a module's docstring gives the reason in a `Length` paragraph."""
    unexplained = [
        name for name, path in MODULES.items()
        if len(path.read_text(encoding="utf-8").splitlines()) > 400
        and "Length" not in (ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or "")
    ]
    assert unexplained == []
