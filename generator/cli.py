"""`ailin`: the command line. Thin: parse arguments, call the pipeline, print, exit.

Exit codes: 0 clean, 1 content errors, 2 usage errors, 3 an internal bug (never a traceback).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__, pipeline
from .messages import FORMATS, format_report

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
    return parser


def _content_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), metavar="DIR", help="内容文件夹 · content folder (default: content)")
    parser.add_argument("--lang", choices=("zh", "en"), default=None, help="信息语言 · message language (default: the board's)")


def _run_check(args: argparse.Namespace) -> int:
    result = pipeline.check(args.content, args.lang)
    print(format_report(result.problems.sorted(), result.record_count, result.language, args.format))
    return 0 if result.ok else 1


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handlers = {"check": _run_check}
    try:
        return handlers[args.command](args)
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # noqa: BLE001 - the last guard: a volunteer never sees a traceback
        language = args.lang or "zh"
        print(INTERNAL_ERROR[language].format(error=f"{type(error).__name__}: {error}"), file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
