"""The catalogue speaks for the YAML parser: no parser English reaches a Chinese message."""

from __future__ import annotations

import ast
from pathlib import Path

import yaml

from ailin import messages
from ailin.problems import Location, Problem
from ailin.words import LANGUAGES, Words

PYYAML = Path(yaml.__file__).parent


def _problem_argument(call: ast.Call) -> ast.expr | None:
    """The `problem` of ScannerError(context, mark, problem, mark) and its kin; ReaderError's
    is its `reason`, the fifth argument."""
    position = 4 if call.func.id == "ReaderError" else 2
    return call.args[position] if len(call.args) > position else None


def _pyyaml_problems() -> set[str]:
    """Every literal problem the PyYAML parser can raise; `%r` stands for the character it names."""
    found = set()
    for module in ("reader", "scanner", "parser", "composer"):
        for call in ast.walk(ast.parse((PYYAML / f"{module}.py").read_text(encoding="utf-8"))):
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id.endswith("Error"):
                problem = _problem_argument(call)
                if isinstance(problem, ast.BinOp) and isinstance(problem.op, ast.Mod):  # "found %r" % ch
                    problem = problem.left
                if isinstance(problem, ast.Constant) and isinstance(problem.value, str):
                    found.add(problem.value)
    return found


def test_every_pyyaml_problem_has_words_in_the_catalogue() -> None:
    problems = _pyyaml_problems()
    assert len(problems) > 30  # the walk really found PyYAML's raise statements
    for language in LANGUAGES:
        assert problems - set(Words.of(language).section("yaml_problems")) == set()


def test_a_problem_that_names_a_character_is_found_by_its_pattern() -> None:
    problem = Problem(Location(Path("mkdocs.yml"), 5, 1), "site-config-syntax",
                      {"detail": "expected the node content, but found '<stream end>'"})
    assert messages.message(problem) == (
        "网站设置 mkdocs.yml 的 YAML 格式错误：这里缺少内容：例如“- ”后面、两个逗号之间或括号里什么也没写，或多写了一个符号。"
    )


def test_an_unknown_parser_problem_is_not_shown_in_english_inside_chinese() -> None:
    problem = Problem(Location(Path("board.yaml")), "yaml-syntax", {"detail": "something new in libyaml"})
    assert messages.message(problem) == "YAML 格式错误：这一行的写法 YAML 无法识别（请检查缩进、冒号后的空格和引号是否成对）。"
    assert messages.message(problem, "en") == (
        "YAML syntax error: something new in libyaml (check this line's indentation, the space after each colon and matching quotes)."
    )
