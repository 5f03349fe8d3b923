"""The site's MkDocs configuration: the packaged default, with a board's own mkdocs.yml on top.

A board repository needs only `content/`. When it also holds a `mkdocs.yml` (colours, extra
pages, extra CSS), that file is merged onto the default the way MkDocs merges an `INHERIT`ed
parent: mappings key by key, a list replacing the default's list. Every mistake in it comes
back as a problem with file and line, in the volunteer's words.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from . import packaged
from .problems import Location, Problems

DEFAULT_CONFIG = Path(__file__).with_name("mkdocs.yml")
BOARD_CONFIG = Path("mkdocs.yml")


class ConfigError(Exception):
    """The board's mkdocs.yml cannot be used; `problems` says why, with file and line."""

    def __init__(self, problems: Problems) -> None:
        super().__init__("site configuration")
        self.problems = problems


def load(config_file: Path | None = None, **overrides: Any):
    """The validated MkDocsConfig of the board in the working directory.

    `config_file` is the board's own settings (default: ./mkdocs.yml when it exists); a file
    named explicitly must exist. Raises ConfigError with the problems found.
    """
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.utils.yaml import yaml_load

    own = config_file or (BOARD_CONFIG if BOARD_CONFIG.is_file() else None)
    problems = Problems()
    if own is not None and not own.is_file():
        problems.error(Location(own), "site-config-missing", file=own.as_posix())
        raise ConfigError(problems)
    config = MkDocsConfig(config_file_path=str((own or BOARD_CONFIG).resolve()))
    with DEFAULT_CONFIG.open("rb") as default:
        settings = yaml_load(default)
    if own is not None:
        settings = _merge(settings, _read_board_settings(own, config, problems))
    if "docs_dir" not in settings:  # the board's pages/ when it has one, else the packaged pages
        settings["docs_dir"] = "pages" if Path("pages").is_dir() else str(packaged("pages"))
    config.load_dict(settings)
    config.load_dict({key: value for key, value in overrides.items() if value is not None})
    errors, warnings = _validated(config)
    source = own or DEFAULT_CONFIG
    for key, text in errors:
        problems.error(_location_of(source, key), "site-config-value", key=key, reason=text)
    for key, text in warnings:
        problems.warning(_location_of(source, key), "site-config-value", key=key, reason=text)
    if not errors and config.plugins.get("ailin") is None:
        problems.error(_location_of(source, "plugins"), "site-config-plugin")
    if problems.errors:
        raise ConfigError(problems)
    return config


def _read_board_settings(path: Path, config, problems: Problems) -> dict:
    import yaml
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    try:
        with path.open("rb") as stream:
            settings = yaml_load(stream, loader=get_yaml_loader(config=config))
    except ConfigurationError as error:
        cause = error.__cause__ or error.__context__  # MkDocs wraps PyYAML's error
        mark = getattr(cause, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        detail = getattr(cause, "problem", None) or str(error)
        problems.error(Location(path, line, column), "site-config-syntax", detail=detail)
        raise ConfigError(problems) from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        problems.error(Location(path), "site-config-syntax", detail=str(error))
        raise ConfigError(problems) from None
    if not isinstance(settings, dict):
        problems.error(Location(path), "top-not-mapping")
        raise ConfigError(problems)
    return settings


def _location_of(path: Path, key: str) -> Location:
    """The line where a top-level key is set (MkDocs names keys, not lines)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return Location(path)
    top = key.split(".")[0]
    for number, line in enumerate(lines, 1):
        if re.match(rf"{re.escape(top)}\s*:", line):
            return Location(path, number)
    return Location(path)


def _merge(base: dict, extra: dict) -> dict:
    """MkDocs' INHERIT merge (mergedeep's default): nested mappings merge, anything else replaces."""
    import mergedeep

    return mergedeep.merge({}, base, extra)


def _validated(config) -> tuple[list, list]:
    """Validate quietly: MkDocs would log each finding in English; we report them ourselves."""
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        return config.validate()
    finally:
        logger.setLevel(level)
