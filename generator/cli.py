"""`ailin`: the command line. Thin: parse arguments, call the pipeline, print, exit.

Exit codes: 0 clean, 1 content errors, 2 usage errors, 3 an internal bug (never a traceback).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from . import __version__, boardrepo, pipeline, scaffold, siteconfig
from .load import display_path
from .records import SLUG, URL
from .validate import build_date
from .messages import FORMATS, format_problem

WORDS = {
    "not_built": {"zh": "网站未生成：上次生成的网站保持不变。", "en": "The site was not built; the previous site is unchanged."},
    "built": {"zh": "网站已生成：{pages} 个页面。用浏览器打开 {index} 即可查看。", "en": "Site built: {pages} pages. Open {index} in a browser."},
    "created": {"zh": "已新建 {path}。请填写其中的内容，然后运行 ailin check。", "en": "Created {path}. Fill it in, then run ailin check."},
    "exists": {"zh": "{path} 已经存在，没有覆盖。请换一个编号（--id）。", "en": "{path} already exists and was not overwritten. Choose another id (--id)."},
    "need_community": {"zh": "请写出社区编号，例如：ailin new {kind} jintu", "en": "Name the community, e.g. ailin new {kind} jintu"},
    "bad_id": {"zh": "编号只能用英文小写字母、数字和连字符。", "en": "Ids use lower-case letters, digits and hyphens only."},
    "exported": {"zh": "已导出 {pages} 个页面到 {folder}。", "en": "Wrote {pages} pages to {folder}."},
    "initialized": {"zh": "已在 {folder} 写入 {count} 个文件。下一步：cd {folder}，运行 ailin check，再运行 ailin serve 预览；README.md 里有完整步骤。", "en": "Wrote {count} files in {folder}. Next: cd {folder}, run ailin check, then ailin serve to preview; README.md has the steps."},
    "bad_base_url": {"zh": "{url} 不是网址。请写成 https://example.org/ailin/ 这样的完整地址。", "en": "{url} is not a web address. Write a full address such as https://example.org/ailin/."},
    "not_a_folder": {"zh": "{path} 是一个文件，不是文件夹。请换一个文件夹名。", "en": "{path} is a file, not a folder. Choose another folder name."},
    "serving": {"zh": "预览地址：http://{addr}/ （按 Ctrl+C 停止）。保存文件后页面会自动刷新。", "en": "Previewing at http://{addr}/ (Ctrl+C stops). Pages reload when you save a file."},
}
INTERNAL_ERROR = {
    "zh": "ailin 内部错误（这是程序的问题，不是你的内容的问题）：{error}。请把这条信息报告给维护者。",
    "en": "ailin internal error (a bug in the program, not in your content): {error}. Please report it to the maintainers.",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ailin", description="爱邻协商议事公示板 · Ailin Board")
    parser.add_argument("--version", action="version", version=f"ailin {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="检查内容 · validate the content")
    _content_options(check)
    check.add_argument("--format", choices=FORMATS, default="text", help="输出格式 · output format")
    check.add_argument("--data", action="store_true", help="再生成开放数据包并用 frictionless 校验 · also build the open data in memory and validate it with frictionless")

    build = commands.add_parser("build", help="检查并生成网站 · check, then build the site")
    _content_options(build)
    _site_options(build)
    build.add_argument("--output", type=Path, default=Path("site"), metavar="DIR", help="输出文件夹 · output folder (default: site)")
    build.add_argument("--strict", action="store_true", help="任何警告都视为失败 · fail on any warning")

    serve = commands.add_parser("serve", help="本地预览，修改后自动刷新 · live preview")
    _content_options(serve)
    _site_options(serve)
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="IP:PORT", help="预览地址 · address to serve on")

    new = commands.add_parser("new", help="新建一条记录的模板 · write a commented template for a new record")
    new.add_argument("kind", choices=scaffold.KINDS, help="记录类型 · kind of record")
    new.add_argument("community", metavar="COMMUNITY", nargs="?", default="", help="社区编号（board 不需要）· community id, its folder name (not for board)")
    new.add_argument("--id", dest="record_id", metavar="ID", help="编号（默认按已有编号续编）· id (default: the next number)")
    _content_options(new)

    init = commands.add_parser("init", help="新建公示板仓库 · write a new board repository")
    init.add_argument("folder", type=Path, metavar="DIR", help="仓库文件夹（可已存在；不覆盖已有文件）· the repository folder (may exist; nothing is overwritten)")
    init.add_argument("--base-url", metavar="URL", help="网站的正式地址，写进 board.yaml · the site's address, written into board.yaml")
    init.add_argument("--lang", choices=("zh", "en"), default=None, help="信息语言 · message language")

    export = commands.add_parser("export", help="导出页面文件夹 · write the pages as a docs folder")
    _content_options(export)
    export.add_argument("folder", type=Path, metavar="DIR", help="目标文件夹 · target folder")

    # ailin sheet export|import|template FILE.xlsx: the 台账 workbook (generator/sheet/, docs/sheet.md)
    sheet = commands.add_parser("sheet", help="台账工作簿：导出、导入、空白模板 · the records as a workbook and back")
    sheet_actions = sheet.add_subparsers(dest="sheet_action", required=True, metavar="ACTION")
    for action, words in (
        ("export", "把记录导出为工作簿 · write the records to a workbook"),
        ("import", "检查工作簿并写回记录 · check a workbook, then write its changes into the records"),
        ("template", "空白工作簿模板 · an empty workbook to fill in"),
    ):
        sub = sheet_actions.add_parser(action, help=words)
        sub.add_argument("workbook", type=Path, metavar="FILE.xlsx", help="工作簿文件 · the workbook file")
        _content_options(sub)
        if action == "export":
            sub.add_argument("--community", metavar="ID", help="只导出一个社区 · one community only")
    return parser


def _site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, default=None, metavar="FILE", help="网站设置，合并到默认设置上 · site settings merged onto the default (default: ./mkdocs.yml if present)")


def _content_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), metavar="DIR", help="内容文件夹 · content folder (default: content)")
    parser.add_argument("--lang", choices=("zh", "en"), default=None, help="信息语言 · message language (default: the board's)")


def _run_check(args: argparse.Namespace) -> int:
    result = pipeline.check(args.content, args.lang, keep_records=args.data)
    if args.data and result.ok:
        from .opendata import check_open_data

        check_open_data(pipeline.model_of(result), result.problems)
    print(pipeline.report(result, args.format))
    return 0 if result.ok else 1


def _checked(args: argparse.Namespace) -> pipeline.CheckResult | None:
    """Check first, with `ailin check`'s words; None (after printing why) when it fails."""
    result = pipeline.check(args.content, args.lang)
    if result.ok:
        if result.problems.warnings:
            print(pipeline.report(result))
        return result
    print(pipeline.report(result))
    print(WORDS["not_built"][result.language])
    return None


def _mkdocs_config(args: argparse.Namespace, language: str, **overrides):
    """The site configuration, or None after printing what is wrong with the board's settings."""
    try:
        config = siteconfig.load(args.config, **overrides)
    except siteconfig.ConfigError as error:
        print("\n".join(format_problem(p, language) for p in error.problems.sorted()))
        print(WORDS["not_built"][language])
        return None, None
    plugin = config.plugins["ailin"]
    plugin.config.content = str(args.content)
    plugin.config.lang = args.lang
    return config, plugin


def _run_build(args: argparse.Namespace) -> int:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort

    result = _checked(args)
    if result is None:
        return 1
    _log_warnings()
    config, plugin = _mkdocs_config(args, result.language, site_dir=str(args.output.resolve()), strict=args.strict)
    if config is None:
        return 1
    plugin.preloaded = result
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    except Abort as abort:
        print(f"{abort}\n{WORDS['not_built'][result.language]}")
        return 1
    finally:
        config.plugins.on_shutdown()
    pages = len(plugin.site.pages)
    print(WORDS["built"][result.language].format(pages=pages, index=args.output / "index.html"))
    return 0


def _run_serve(args: argparse.Namespace) -> int:
    from .preview import serve

    _log_warnings(logging.INFO)
    print(WORDS["serving"][args.lang or "zh"].format(addr=args.dev_addr), flush=True)
    serve(lambda **overrides: siteconfig.load(args.config, **overrides), args.content.resolve(), args.lang, args.dev_addr, args.config)
    return 0


def _run_new(args: argparse.Namespace) -> int:
    language = args.lang or "zh"
    if args.kind != "board" and not args.community:
        raise UsageError(WORDS["need_community"][language].format(kind=args.kind))
    if (args.kind != "board" and not SLUG.match(args.community)) or (args.record_id and not SLUG.match(args.record_id)):
        raise UsageError(WORDS["bad_id"][language])
    try:
        path = scaffold.new_record(args.content, args.kind, args.community, args.record_id, build_date())
    except FileExistsError as exists:
        raise UsageError(WORDS["exists"][language].format(path=display_path(Path(str(exists))))) from None
    except scaffold.MissingCommunity as missing:
        raise UsageError(missing.words(language)) from None
    print(WORDS["created"][language].format(path=display_path(path)))
    return 0


def _run_init(args: argparse.Namespace) -> int:
    language = args.lang or "zh"
    if args.folder.exists() and not args.folder.is_dir():
        raise UsageError(WORDS["not_a_folder"][language].format(path=args.folder))
    if args.base_url and not URL.match(args.base_url):
        raise UsageError(WORDS["bad_base_url"][language].format(url=args.base_url))
    written = boardrepo.init(args.folder, args.base_url)
    for path in written:
        print(f"  {path.relative_to(args.folder).as_posix()}")
    print(WORDS["initialized"][language].format(folder=args.folder, count=len(written)))
    return 0


def _run_export(args: argparse.Namespace) -> int:
    result = _checked(args)
    if result is None:
        return 1
    site = pipeline.render(pipeline.model_of(result), args.content)
    pipeline.write_docs(site, args.folder)
    print(WORDS["exported"][result.language].format(pages=len(site.pages), folder=args.folder))
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
    if not any(getattr(h, "ailin", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        handler.ailin = True
        logger.addHandler(handler)


class UsageError(Exception):
    pass


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handlers = {"check": _run_check, "build": _run_build, "serve": _run_serve, "new": _run_new, "init": _run_init,
                "export": _run_export, "sheet": _run_sheet}
    try:
        return handlers[args.command](args)
    except UsageError as error:
        print(f"ailin: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # noqa: BLE001 - the last guard: a volunteer never sees a traceback
        language = args.lang or "zh"
        print(INTERNAL_ERROR[language].format(error=f"{type(error).__name__}: {error}"), file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
