"""Turn problem records into words: each code's message from the word catalogue
(generator/words/), and the output formats.

The same Problem renders as a GCC-style line for people, a GitHub Actions annotation for pull
requests, or JSON for tools.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any, Iterable

from .problems import Problem
from .schema import Term
from .words import Words

FORMATS = ("text", "github", "json")


def codes() -> list[str]:
    """Every problem code, in catalogue order."""
    return list(Words.of("zh").section("problems"))


def word(key: Any, language: str) -> str:
    """The name of a record kind or a value type (`suggestion`, `mapping` …), else the key itself."""
    words = Words.of(language)
    return words.t(f"check.names.{key}") if words.has(f"check.names.{key}") else str(key)


@functools.cache
def _yaml_problem_patterns(language: str) -> list[tuple[re.Pattern, str]]:
    """PyYAML's problems that name a character (`found %r`), as patterns of what it prints."""
    said = Words.of(language).section("yaml_problems")
    placeholders = {"%r": ".+", "%s": ".+", "%d": "[0-9]+"}
    patterns = []
    for problem in (p for p in said if "%" in p):
        parts = re.split(r"(%[rsd])", problem)
        regex = "".join(placeholders.get(part) or re.escape(part) for part in parts)
        patterns.append((re.compile(regex, re.DOTALL), said[problem]))
    return patterns


def _yaml_problem(detail: str, language: str) -> str:
    """The YAML parser's words for a syntax error, said for volunteers."""
    said = Words.of(language).section("yaml_problems")
    text = said.get(detail) or next((t for pattern, t in _yaml_problem_patterns(language) if pattern.fullmatch(detail)), None)
    return text if text is not None else Words.of(language).t("yaml_problems._other", detail=detail)


def _argument(key: str, value: Any, language: str) -> str:
    words = Words.of(language)
    if key == "detail":
        return _yaml_problem(value, language)
    if key == "order":  # steps in order: "受理（accept） → 行动（act）" or "accept → act"
        return " → ".join(_argument("step", term, language) for term in value)
    if isinstance(value, Term):  # a step named by its Chinese name, as the eight steps are known
        return words.t("format.label_key", label=value.zh, key=value.key)
    if isinstance(value, list):  # vocabulary terms: "red（红色）、…" or "red, …"; or names
        return words.join(
            words.t("format.key_label", key=item.key, label=item.zh) if isinstance(item, Term) else str(item) for item in value
        )
    if key in ("expected", "actual", "found", "where"):
        return word(value, language)
    return str(value)


def message(problem: Problem, language: str = "zh") -> str:
    words = Words.of(language)
    args = {key: _argument(key, value, language) for key, value in problem.args.items()}
    text = words.t(f"problems.{problem.code}", **args)
    if problem.args.get("guess"):
        text += words.t("punctuation.sentence_gap") + words.t("check.guess", guess=problem.args["guess"])
    return text


def summary(errors: int, warnings: int, records: int, language: str = "zh") -> str:
    key = "summary_failed" if errors else ("summary_warnings" if warnings else "summary_clean")
    return Words.of(language).t(f"check.{key}", errors=errors, warnings=warnings, records=records)


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
