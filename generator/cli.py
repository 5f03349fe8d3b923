"""`ailin`: the command line. Thin: parse arguments, call the pipeline, print, exit.

Exit codes: 0 clean, 1 content errors, 2 usage errors, 3 an internal bug (never a traceback).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from . import __version__, boardrepo, cache, memory, pipeline, scaffold, siteconfig
from .load import display_path
from .records import SLUG, URL
from .validate import build_date
from .messages import FORMATS, format_problem
from .publish import remove_dead_staging
from .words import Words

# --help shows every command and option in both languages: "检查内容 · validate the content".
HELP = Words.of("zh")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ailin", description=HELP.both("product.name"))
    parser.add_argument("--version", action="version", version=f"ailin {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help=HELP.both("cli.help.check"))
    _content_options(check)
    check.add_argument("--format", choices=FORMATS, default="text", help=HELP.both("cli.help.format"))
    check.add_argument("--data", action="store_true", help=HELP.both("cli.help.data"))

    build = commands.add_parser("build", help=HELP.both("cli.help.build"))
    _content_options(build)
    _site_options(build)
    build.add_argument("--output", type=Path, default=Path("site"), metavar="DIR", help=HELP.both("cli.help.output"))
    build.add_argument("--strict", action="store_true", help=HELP.both("cli.help.strict"))
    build.add_argument("--no-cache", action="store_true", help=HELP.both("cli.help.no_cache"))
    build.add_argument("--shard", type=_shard, metavar="I/N", help=HELP.both("cli.help.shard"))

    combine = commands.add_parser("combine", help=HELP.both("cli.help.combine"))
    combine.add_argument("shards", type=Path, nargs="+", metavar="DIR", help=HELP.both("cli.help.shards"))
    combine.add_argument("--output", type=Path, default=Path("site"), metavar="DIR", help=HELP.both("cli.help.output"))
    combine.add_argument("--lang", choices=("zh", "en"), default="zh", help=HELP.both("cli.help.lang"))

    serve = commands.add_parser("serve", help=HELP.both("cli.help.serve"))
    _content_options(serve)
    _site_options(serve)
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="IP:PORT", help=HELP.both("cli.help.dev_addr"))

    new = commands.add_parser("new", help=HELP.both("cli.help.new"))
    new.add_argument("kind", choices=scaffold.KINDS, help=HELP.both("cli.help.kind"))
    new.add_argument("community", metavar="COMMUNITY", nargs="?", default="", help=HELP.both("cli.help.community"))
    new.add_argument("--id", dest="record_id", metavar="ID", help=HELP.both("cli.help.id"))
    _content_options(new)

    init = commands.add_parser("init", help=HELP.both("cli.help.init"))
    init.add_argument("folder", type=Path, metavar="DIR", help=HELP.both("cli.help.folder"))
    init.add_argument("--base-url", metavar="URL", help=HELP.both("cli.help.base_url"))
    init.add_argument("--lang", choices=("zh", "en"), default=None, help=HELP.both("cli.help.lang"))

    export = commands.add_parser("export", help=HELP.both("cli.help.export"))
    _content_options(export)
    export.add_argument("folder", type=Path, metavar="DIR", help=HELP.both("cli.help.target"))

    # ailin sheet export|import|template FILE.xlsx: the 台账 workbook (generator/sheet/, docs/sheet.md)
    sheet = commands.add_parser("sheet", help=HELP.both("cli.help.sheet"))
    sheet_actions = sheet.add_subparsers(dest="sheet_action", required=True, metavar="ACTION")
    for action in ("export", "import", "template"):
        sub = sheet_actions.add_parser(action, help=HELP.both(f"cli.help.sheet_{action}"))
        sub.add_argument("workbook", type=Path, metavar="FILE.xlsx", help=HELP.both("cli.help.workbook"))
        _content_options(sub)
        if action == "export":
            sub.add_argument("--community", metavar="ID", help=HELP.both("cli.help.one_community"))
    return parser


def _shard(text: str) -> tuple[int, int]:
    index, _, count = text.partition("/")
    if not (index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count)):
        raise argparse.ArgumentTypeError(f"{text}: I/N, 1 ≤ I ≤ N")
    return int(index), int(count)


def _site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, default=None, metavar="FILE", help=HELP.both("cli.help.config"))


def _content_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), metavar="DIR", help=HELP.both("cli.help.content"))
    parser.add_argument("--lang", choices=("zh", "en"), default=None, help=HELP.both("cli.help.lang_default"))


def _run_check(args: argparse.Namespace) -> int:
    result = pipeline.check(args.content, args.lang, keep_records=args.data)
    if args.data and result.ok:
        from .opendata import check_open_data

        check_open_data(pipeline.model_of(result), result.problems)
    print(pipeline.report(result, args.format))
    return 0 if result.ok else 1


def _checked(args: argparse.Namespace, digests: dict[str, str] | None = None) -> pipeline.CheckResult | None:
    """Check first, with `ailin check`'s words; None (after printing why) when it fails. With
    the content's `digests` (a build with its cache), unchanged communities come from the cache."""
    checks = cache.CheckCache(cache.default_folder(args.content)) if digests is not None else None
    result = pipeline.check(args.content, args.lang, cache=checks, digests=digests)
    if result.ok:
        if result.problems.warnings:
            print(pipeline.report(result))
        return result
    print(pipeline.report(result))
    print(Words.of(result.language).t("cli.not_built"))
    return None


def _site_config(args: argparse.Namespace):
    """The build's site configuration, or the ConfigError saying what is wrong with it: read
    once, told only after the content's own check."""
    try:
        return siteconfig.load(args.config, site_dir=str(args.output.resolve()), strict=args.strict)
    except siteconfig.ConfigError as error:
        return error


def _mkdocs_config(args: argparse.Namespace, language: str, config):
    """The site configuration with our plugin set up, or None after printing what is wrong
    with the board's settings."""
    if isinstance(config, siteconfig.ConfigError):
        print("\n".join(format_problem(p, language) for p in config.problems.sorted()))
        print(Words.of(language).t("cli.not_built"))
        return None, None
    plugin = config.plugins["ailin"]
    plugin.config.content = str(args.content)
    plugin.config.lang = args.lang
    return config, plugin


def _run_build(args: argparse.Namespace) -> int:
    with memory.ending_with_build():  # the process ends with the build
        return _build(args)


def _build(args: argparse.Namespace) -> int:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort

    last_build = key = digests = None
    site_config = _site_config(args)
    if not args.no_cache:
        last_build, key, digests = _last_build(args, site_config)
        saved = last_build.unchanged(key, args.output) if key else None
        if saved is not None:
            remove_dead_staging(args.output)  # what a killed build left, as a real build would
            if saved.get("report"):
                print(saved["report"])
            print(Words.of(saved["language"]).t("cli.up_to_date", pages=saved["pages"], index=args.output / "index.html"))
            return 0
    result = _checked(args, digests)
    if result is None:
        return 1
    _log_warnings()
    config, plugin = _mkdocs_config(args, result.language, site_config)
    if config is None:
        return 1
    plugin.preloaded, plugin.digests, plugin.config.cache, plugin.shard = result, digests, not args.no_cache, args.shard
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    except Abort as abort:
        print(f"{abort}\n{Words.of(result.language).t('cli.not_built')}")
        return 1
    finally:
        config.plugins.on_shutdown()
    pages = plugin.page_count
    if last_build is not None and key is not None:
        report = pipeline.report(result) if result.problems.warnings else ""
        last_build.save(key, args.output, pages=pages, language=result.language, report=report)
    print(Words.of(result.language).t("cli.built", pages=pages, index=args.output / "index.html"))
    return 0


def _last_build(args: argparse.Namespace, config):
    """The record of the last build, the key of this one and the content's digests (cache.py);
    no key when the settings cannot be read (the build then says why)."""
    last_build = cache.LastBuild(cache.default_folder(args.content))
    if not args.content.is_dir() or isinstance(config, siteconfig.ConfigError):
        return last_build, None, None
    digests = cache.content_digests(args.content)
    options = {"strict": args.strict, "lang": args.lang, "output": str(args.output.resolve()), "shard": args.shard}
    return last_build, cache.LastBuild.key(digests, cache.site_settings_digest(config), options), digests


def _run_combine(args: argparse.Namespace) -> int:
    from .publish import CombineError, combine

    try:
        files = combine(args.shards, args.output)
    except CombineError as error:
        raise UsageError(Words.of(args.lang).t(f"cli.{error.key}", **error.fields)) from None
    print(Words.of(args.lang).t("cli.combined", shards=len(args.shards), files=files, index=args.output / "index.html"))
    return 0


def _run_serve(args: argparse.Namespace) -> int:
    from .preview import serve

    _log_warnings(logging.INFO)
    print(Words.of(args.lang).t("cli.serving", addr=args.dev_addr), flush=True)
    serve(lambda **overrides: siteconfig.load(args.config, **overrides), args.content.resolve(), args.lang, args.dev_addr, args.config)
    return 0


def _run_new(args: argparse.Namespace) -> int:
    language = args.lang or "zh"
    if args.kind != "board" and not args.community:
        raise UsageError(Words.of(language).t("cli.need_community", kind=args.kind))
    if (args.kind != "board" and not SLUG.match(args.community)) or (args.record_id and not SLUG.match(args.record_id)):
        raise UsageError(Words.of(language).t("cli.bad_id"))
    try:
        path = scaffold.new_record(args.content, args.kind, args.community, args.record_id, build_date())
    except FileExistsError as exists:
        raise UsageError(Words.of(language).t("cli.exists", path=display_path(Path(str(exists))))) from None
    except scaffold.MissingCommunity as missing:
        raise UsageError(missing.words(language)) from None
    print(Words.of(language).t("cli.created", path=display_path(path)))
    return 0


def _run_init(args: argparse.Namespace) -> int:
    language = args.lang or "zh"
    if args.folder.exists() and not args.folder.is_dir():
        raise UsageError(Words.of(language).t("cli.not_a_folder", path=args.folder))
    if args.base_url and not URL.match(args.base_url):
        raise UsageError(Words.of(language).t("cli.bad_base_url", url=args.base_url))
    written = boardrepo.init(args.folder, args.base_url)
    for path in written:
        print(f"  {path.relative_to(args.folder).as_posix()}")
    print(Words.of(language).t("cli.initialized", folder=args.folder, count=len(written)))
    return 0


def _run_export(args: argparse.Namespace) -> int:
    result = _checked(args)
    if result is None:
        return 1
    site = pipeline.render(pipeline.model_of(result), args.content)
    pipeline.write_docs(site, args.folder)
    print(Words.of(result.language).t("cli.exported", pages=site.page_count, folder=args.folder))
    return 0


def _run_sheet(args: argparse.Namespace) -> int:
    from . import sheet

    if args.sheet_action == "export":
        outcome = sheet.export_workbook(args.content, args.workbook, args.community, args.lang)
    elif args.sheet_action == "import":
        outcome = sheet.import_workbook(args.workbook, args.content, args.lang)
    else:
        outcome = sheet.template_workbook(args.content, args.workbook, args.lang)
    print(outcome.text)
    return outcome.code


def _log_warnings(level: int = logging.WARNING) -> None:
    """Show MkDocs' warnings (or more) on stderr, once however often a command runs."""
    logger = logging.getLogger("mkdocs")
    logger.setLevel(level)
    if not any(isinstance(h, _CurrentStderr) for h in logger.handlers):
        handler = _CurrentStderr()
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        logger.addHandler(handler)


class _CurrentStderr(logging.StreamHandler):
    """Writes to sys.stderr as it is when a message comes, not as it was when the first
    command ran: a program that runs several commands may replace it in between."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


class UsageError(Exception):
    pass


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handlers = {"check": _run_check, "build": _run_build, "serve": _run_serve, "new": _run_new, "init": _run_init,
                "export": _run_export, "sheet": _run_sheet, "combine": _run_combine}
    try:
        return handlers[args.command](args)
    except UsageError as error:
        print(f"ailin: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # noqa: BLE001 - the last guard: a volunteer never sees a traceback
        print(Words.of(args.lang).t("cli.internal_error", error=f"{type(error).__name__}: {error}"), file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
