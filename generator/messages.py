"""Turn problem records into words: the zh/en catalogue and the output formats.

The same Problem renders as a GCC-style line for people, a GitHub Actions annotation for pull
requests, or JSON for tools.
"""

from __future__ import annotations

import functools
import json
import re
import string
from pathlib import Path
from typing import Any, Iterable

import yaml

from .problems import Problem
from .schema import Term

CATALOGUE = Path(__file__).with_name("messages.yaml")
FORMATS = ("text", "github", "json")


@functools.cache
def catalogue() -> dict[str, Any]:
    return yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))


def codes() -> list[str]:
    """Every problem code, in catalogue order."""
    return [code for code in catalogue() if not code.startswith("_")]


def word(key: Any, language: str) -> str:
    entry = catalogue()["_words"].get(key)
    return entry[language] if entry else str(key)


@functools.cache
def _yaml_problem_patterns() -> list[tuple[re.Pattern, dict]]:
    """PyYAML's problems that name a character (`found %r`), as patterns of what it prints."""
    said = catalogue()["_yaml_problems"]
    placeholders = {"%r": ".+", "%s": ".+", "%d": "[0-9]+"}
    patterns = []
    for problem in (p for p in said if "%" in p):
        parts = re.split(r"(%[rsd])", problem)
        regex = "".join(placeholders.get(part) or re.escape(part) for part in parts)
        patterns.append((re.compile(regex, re.DOTALL), said[problem]))
    return patterns


def _yaml_problem(detail: str, language: str) -> str:
    """The YAML parser's words for a syntax error, said for volunteers."""
    said = catalogue()["_yaml_problems"]
    entry = said.get(detail) or next((e for pattern, e in _yaml_problem_patterns() if pattern.fullmatch(detail)), None)
    return entry[language] if entry else said["_other"][language].format(detail=detail)


def _argument(key: str, value: Any, language: str) -> str:
    if key == "detail":
        return _yaml_problem(value, language)
    if key == "order":  # steps in order: "受理（accept） → 行动（act）" or "accept → act"
        return " → ".join(_argument("step", term, language) for term in value)
    if isinstance(value, Term):  # a step named by its Chinese name, as the eight steps are known
        return f"{value.zh}（{value.key}）" if language == "zh" else value.key
    if isinstance(value, list):  # vocabulary terms: "red（红色）、…" or "red (red), …"
        if language == "zh":
            return "、".join(f"{term.key}（{term.zh}）" for term in value)
        return ", ".join(term.key for term in value)
    if key in ("expected", "actual", "found", "where"):
        return word(value, language)
    return str(value)


def message(problem: Problem, language: str = "zh") -> str:
    entry = catalogue()[problem.code]
    args = {key: _argument(key, value, language) for key, value in problem.args.items()}
    text = entry[language].format(**args)
    if problem.args.get("guess"):
        text += (" " if language == "en" else "") + catalogue()["_guess"][language].format(guess=problem.args["guess"])
    return text


class _CountFormatter(string.Formatter):
    """`{errors:error|errors}` -> "1 error" or "2 errors": English nouns follow their count."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if "|" not in format_spec:
            return super().format_field(value, format_spec)
        one, many = format_spec.split("|")
        return f"{value} {one if value == 1 else many}"


def say(key: str, language: str, **args: Any) -> str:
    """A catalogue sentence that is not a problem (a summary, a command's report)."""
    return _CountFormatter().format(catalogue()[key][language], **args)


def summary(errors: int, warnings: int, records: int, language: str = "zh") -> str:
    key = "_summary_failed" if errors else ("_summary_warnings" if warnings else "_summary_clean")
    return say(key, language, errors=errors, warnings=warnings, records=records)


def _escape_github(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def format_problem(problem: Problem, language: str = "zh", style: str = "text") -> str:
    where = problem.location
    severity = problem.severity.value
    text = message(problem, language)
    if style == "github":
        level = "error" if severity == "error" else "warning"
        return (
            f"::{level} file={where.path.as_posix()},line={where.line},col={where.column},"
            f"title={problem.code}::{_escape_github(text)}"
        )
    if style == "json":
        return json.dumps(
            {
                "path": where.path.as_posix(), "line": where.line, "column": where.column,
                "severity": severity, "code": problem.code, "message": text,
                "args": {k: _argument(k, v, language) for k, v in problem.args.items()},
            },
            ensure_ascii=False,
        )
    return f"{where.path.as_posix()}:{where.line}:{where.column}: {severity}: {text} [{problem.code}]"


def format_report(problems: Iterable[Problem], records: int, language: str = "zh", style: str = "text") -> str:
    """All problems, one line each, then the summary line (a JSON object for `json`)."""
    problems = list(problems)
    lines = [format_problem(p, language, style) for p in problems]
    errors = sum(p.severity.value == "error" for p in problems)
    warnings = len(problems) - errors
    if style == "json":
        lines.append(json.dumps({"summary": {"errors": errors, "warnings": warnings, "records": records}}))
    else:
        lines.append(summary(errors, warnings, records, language))
    return "\n".join(lines)
