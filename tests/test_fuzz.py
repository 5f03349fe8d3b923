"""Whatever a volunteer (or an attacker) writes, the checker answers with problems, never a crash."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, REPO
from ailin import pipeline

SAMPLE_FILES = sorted((REPO / "content").rglob("*.yaml"))

yaml_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
    st.text(max_size=30), st.dates().map(str), st.sampled_from(["red", "红", "accept", "demo-001", "yard-1", "demo-m-1#r1"]),
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12) | st.sampled_from(["id", "steps", "step", "date", "title", "votes"]), children, max_size=4),
    max_leaves=20,
)


def _check_with(tmp_path: Path, relative: str, data: bytes) -> None:
    root = tmp_path / "content"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(FIXTURES / "minimal", root)
    (root / relative).write_bytes(data)
    result = pipeline.check(root)  # must not raise
    for problem in result.problems:
        assert problem.location.line >= 1 and problem.location.column >= 1


fuzz = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@fuzz
@given(text=st.text(max_size=300))
def test_arbitrary_text_never_crashes(tmp_path: Path, text: str) -> None:
    _check_with(tmp_path, "communities/demo/suggestions/demo-002.yaml", text.encode("utf-8", "surrogatepass"))


yaml_tokens = st.lists(
    st.sampled_from(["? ", ": ", "- ", "[", "]", "{", "}", ", ", "&a ", "*a", "!!str ", "!x ", "|\n", ">-\n",
                     "\n", "  ", "id", "title", "steps", "step: accept", "date: 2024-01-01", "'", '"', "#", "---\n", "<<: "]),
    max_size=60,
).map("".join)


@fuzz
@given(text=yaml_tokens)
def test_yaml_shaped_noise_never_crashes(tmp_path: Path, text: str) -> None:
    _check_with(tmp_path, "communities/demo/suggestions/demo-002.yaml", text.encode())
    _check_with(tmp_path, "board.yaml", text.encode())


@fuzz
@given(data=st.binary(max_size=300))
def test_arbitrary_bytes_never_crash(tmp_path: Path, data: bytes) -> None:
    _check_with(tmp_path, "communities/demo/meetings/demo-m-1.yaml", data)


@fuzz
@given(value=st.dictionaries(st.sampled_from(["id", "title", "received", "channel", "category", "priority", "steps", "decision", "meetings", "satisfaction", "submitter", "compound"]), yaml_values, max_size=8))
def test_structured_records_never_crash(tmp_path: Path, value: dict) -> None:
    _check_with(tmp_path, "communities/demo/suggestions/demo-002.yaml", yaml.safe_dump(value, allow_unicode=True).encode())


@fuzz
@given(file=st.sampled_from(SAMPLE_FILES), data=st.data())
def test_mutated_sample_files_never_crash(tmp_path: Path, file: Path, data) -> None:
    lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
    index = data.draw(st.integers(0, max(len(lines) - 1, 0)))
    mutation = data.draw(st.sampled_from(["delete", "duplicate", "truncate", "indent", "replace"]))
    line = lines[index] if lines else ""
    if mutation == "delete":
        lines[index:index + 1] = []
    elif mutation == "duplicate":
        lines.insert(index, line)
    elif mutation == "truncate":
        lines[index] = line[: data.draw(st.integers(0, len(line)))]
    elif mutation == "indent":
        lines[index] = "  " + line
    else:
        lines[index] = data.draw(st.text(max_size=40)) + "\n"
    relative = file.relative_to(REPO / "content").as_posix()
    root = tmp_path / "sample"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(REPO / "content", root)
    (root / relative).write_text("".join(lines), encoding="utf-8", errors="surrogatepass")
    pipeline.check(root)
