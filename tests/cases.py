"""Apply a check case from check_cases.yaml to a copy of the minimal board."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

CASES_FILE = Path(__file__).with_name("check_cases.yaml")


def load_cases() -> list[dict]:
    return yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))


def case_id(case: dict) -> str:
    return case.get("name", case["rule"]).replace(" ", "-")


def apply_case(root: Path, case: dict) -> None:
    for relative in case.get("remove", []):
        target = root / relative
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    for relative, text in case.get("write", {}).items():
        (root / relative).write_text(text, encoding="utf-8")
    for relative, replacements in case.get("edit", {}).items():
        file = root / relative
        text = file.read_text(encoding="utf-8")
        for old, new in replacements:
            assert old in text, f"{relative} has no {old!r}"
            text = text.replace(old, new, 1)
        file.write_text(text, encoding="utf-8")
