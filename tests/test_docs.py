"""Docs are part of the feature: generated pages are current, and every option is documented."""

from __future__ import annotations

import pytest

from conftest import REPO
from ailin import reference
from ailin.cli import _parser


@pytest.mark.parametrize("name", sorted(reference.PAGES))
def test_generated_reference_page_is_current(name: str) -> None:
    committed = (REPO / "docs" / name).read_text(encoding="utf-8")
    assert committed == reference.PAGES[name](), f"run: python -m ailin.reference ({name} is stale)"


def test_every_cli_option_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = _parser()._subparsers._group_actions[0].choices
    for name, command in commands.items():
        assert f"ailin {name}" in readme, f"README does not show `ailin {name}`"
        for action in command._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert option in readme, f"README does not mention `ailin {name} {option}`"
