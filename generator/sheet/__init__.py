"""`ailin sheet`: the board as a 台账 workbook and back (issue 13).

export   a checked board -> a workbook, one sheet per kind (layout.py, workbook.py)
template the same workbook without rows, for an office that starts from paper
import   a workbook -> the same node trees the loader makes (rows.py) -> `ailin check`'s rules,
         with every problem at its sheet and cell; only when none is an error, the changed
         records are written into their YAML files (apply.py). Nothing is written otherwise.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..load import community_folders, display_path, iter_documents, load_board
from ..records import Content, Document
from ..messages import format_problem, message
from ..problems import Location, Problem, Problems
from ..validate import convert_document, read_settings, validate_content
from ..words import Words
from .layout import record_sheet, sheets

WORKBOOK_SUFFIX = ".xlsx"


@dataclass
class Outcome:
    """What a command prints, and its exit code (0 done, 1 content errors)."""

    code: int
    text: str


def _language(board: Document | None, language: str | None) -> str:
    if language:
        return language
    settings = read_settings(board, Problems(), "zh") if board is not None else None
    found = settings.record.data.get("language") if settings and settings.record else None
    return found if found in ("zh", "en") else "zh"


def _save(book_path: Path, write) -> None:
    """Write the workbook beside its target, then rename: a failed export leaves no half file."""
    book_path = book_path.resolve()
    handle, temporary = tempfile.mkstemp(dir=book_path.parent, prefix=f".{book_path.stem}.", suffix=WORKBOOK_SUFFIX)
    os.close(handle)
    try:
        write(Path(temporary))
        os.replace(temporary, book_path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _unwritable(book_path: Path, language: str) -> Outcome | None:
    """A usage error (exit 2) when the workbook cannot be written where it was asked for."""
    if Path(book_path).suffix.lower() != WORKBOOK_SUFFIX:
        return Outcome(2, Words.of(language).t("sheet.need_xlsx", file=book_path))
    if not Path(book_path).resolve().parent.is_dir():
        return Outcome(2, Words.of(language).t("sheet.no_folder", folder=display_path(Path(book_path).resolve().parent)))
    return None


def export_workbook(content_dir: Path, book_path: Path, community: str | None = None,
                    language: str | None = None) -> Outcome:
    """A checked board's records (of one community, with `community`) as a workbook."""
    from .. import pipeline
    from .workbook import write_workbook

    refused = _unwritable(book_path, language or "zh")
    if refused:
        return refused
    result = pipeline.check(content_dir, language)
    if not result.ok:
        return Outcome(1, pipeline.report(result) + "\n" + Words.of(result.language).t("sheet.not_exported"))
    records = [r for r in result.board.records if r.kind != "board" and (community is None or r.community == community)]
    if community is not None and not any(r.kind == "community" for r in records):
        known = Words.of(result.language).join(sorted({r.community for r in result.board.records if r.community}))
        return Outcome(1, Words.of(result.language).t("sheet.no_community", id=community, known=known))
    vocabularies = _settings(content_dir, result.language).vocabularies
    counted: list[int] = []
    _save(book_path, lambda path: counted.append(write_workbook(path, records, vocabularies)))
    text = Words.of(result.language).t("sheet.exported", records=counted[0], file=display_path(book_path.resolve()))
    return Outcome(0, text)


def _settings(content_dir: Path, language: str):
    board = load_board(Path(content_dir), Problems()) if (Path(content_dir) / "board.yaml").is_file() else None
    return read_settings(board, Problems(), language)


def template_workbook(content_dir: Path, book_path: Path, language: str | None = None) -> Outcome:
    """The workbook without rows: headers, dropdowns (with the board's extra terms) and 说明."""
    from .workbook import write_workbook

    refused = _unwritable(book_path, language or "zh")
    if refused:
        return refused
    board = load_board(Path(content_dir), Problems()) if (Path(content_dir) / "board.yaml").is_file() else None
    language = _language(board, language)
    vocabularies = read_settings(board, Problems(), language).vocabularies
    _save(book_path, lambda path: write_workbook(path, [], vocabularies))
    return Outcome(0, Words.of(language).t("sheet.template", file=display_path(book_path.resolve())))


# -- import -------------------------------------------------------------------------------


def import_workbook(book_path: Path, content_dir: Path, language: str | None = None) -> Outcome:
    """Check a workbook's rows with the board's rules; write the changes only when all pass."""
    from .apply import new_text, updated_text, write_atomically
    from .rows import build_records, read_workbook

    problems = Problems()
    root = Path(content_dir)
    board_document = load_board(root, problems)
    language = _language(board_document, language)
    settings = read_settings(board_document, problems, language)
    folder_problems = Problems()
    folders = community_folders(root, folder_problems)
    content = Content(root=root.resolve(), board=board_document)
    documents = list(iter_documents(content, folders, problems))
    book = read_workbook(Path(book_path), problems)
    # A board started from the template has no communities/ yet: the workbook's 社区 rows make it.
    if not (book and book.rows.get(record_sheet("community").name) and not (root / "communities").exists()):
        problems.extend(folder_problems)
    records = []
    if book is not None:
        existing = {(d.kind, _id_of(d)): d for d in documents}
        records = build_records(book, problems, content.root, existing, {f.name for f in folders})
    replaced = {id(r.original) for r in records if r.original is not None}
    kept = [d for d in documents if id(d) not in replaced]
    board = validate_content(content, [*kept, *(r.document for r in records)], settings, problems)
    report = _Report(Path(book_path), book, records, language)
    shown = report.visible(problems)
    lines = [report.format(p) for p in shown]
    errors = sum(p.severity.value == "error" for p in shown)
    if errors:
        lines.append(Words.of(language).t("sheet.not_imported", errors=errors, warnings=len(shown) - errors))
        return Outcome(1, "\n".join(lines))
    checked = {id(r.document): r for r in board.records}
    writes: list[tuple[Path, str, str]] = []
    unchanged = 0
    for record in records:
        new = checked[id(record.document)].data
        if record.original is None:
            writes.append((record.document.file, new_text(record.document.kind, new), "sheet.created"))
            continue
        old = convert_document(record.original, Problems(), language, settings.vocabularies).data
        text = updated_text(record.original.file, record.document.kind, old, new, record.covered)
        if text is None:
            unchanged += 1
        else:
            writes.append((record.original.file, text, "sheet.updated"))
    for file, text, _ in writes:
        write_atomically(file, text)
    for file, _, key in writes:
        lines.append(Words.of(language).t(key, file=display_path(file)))
    created = sum(key == "sheet.created" for *_, key in writes)
    lines.append(Words.of(language).t("sheet.imported", created=created, updated=len(writes) - created, unchanged=unchanged))
    return Outcome(0, "\n".join(lines))


def _id_of(document: Document) -> str:
    if document.kind == "community":
        return document.community or ""
    for key, value in document.root.value:
        if getattr(key, "value", None) == "id" and isinstance(getattr(value, "value", None), str):
            return value.value
    return document.stem


_PLACE = re.compile(r"(\S+):(\d+):(\d+)")


class _Report:
    """Problems as `FILE.xlsx:建议!C7: error: …` where they sit in the workbook, and as
    `ailin check` prints them where they sit in a YAML file."""

    def __init__(self, book_path: Path, book, records: list, language: str):
        from .rows import CELL_LINE

        self.shown = display_path(book_path.resolve()).as_posix()
        self.book = book
        self.language = language
        self.cell_line = CELL_LINE
        self.by_path = {r.document.path: r for r in records}

    def cell(self, line: int, column: int) -> tuple[str, str]:
        from openpyxl.utils import get_column_letter

        sheet = self.book.names.get(line // self.cell_line, "?") if self.book else "?"
        return sheet, f"{get_column_letter(column)}{line % self.cell_line}"

    def place(self, line: int, column: int) -> str:
        sheet, cell = self.cell(line, column)
        return f"{self.shown}:{sheet}!{cell}"

    def header(self, line: int, column: int) -> str:
        return self.book.headers.get((line // self.cell_line, column), "") if self.book else ""

    def _in_words(self, problem: Problem) -> Problem:
        """A check problem at a cell, in the workbook's words: the column's header for the field
        name, a blank cell or a missing column for a missing field."""
        where = problem.location
        args = dict(problem.args)
        for key, value in args.items():
            if isinstance(value, str):
                args[key] = _PLACE.sub(
                    lambda m: self.place(int(m[2]), int(m[3])) if int(m[2]) >= self.cell_line else m[0], value)
        record = self.by_path.get(where.path)
        if problem.code in ("missing-field", "missing-value") and record is not None:
            cell = record.places.get(args["field"])
            if cell is not None:
                return Problem(Location(where.path, cell.line, cell.column), "sheet-empty-cell",
                               {"header": self.header(cell.line, cell.column)}, problem.severity)
            sheet, _ = self.cell(where.line, where.column)
            return Problem(where, "sheet-missing-column", {"sheet": sheet, "header": args.get("title", args["field"])},
                           problem.severity)
        words = Words.of(self.language)
        for key in ("field", "other"):
            if record is not None and args.get(key) in record.places:
                cell = record.places[args[key]]
                args[key] = words.quoted(self.header(cell.line, cell.column))
            elif key == "field" and key in args and self.header(where.line, where.column):
                args[key] = words.quoted(self.header(where.line, where.column))
        return Problem(where, problem.code, args, problem.severity)

    def visible(self, problems: Problems) -> list[Problem]:
        # a cell the workbook reader already explained is not explained again by the check
        reported = self.book.reported if self.book else set()
        at_cells, in_files = [], []
        for problem in problems:
            where = problem.location
            if where.line == 0:
                at_cells.append(problem)
            elif where.line < self.cell_line:
                in_files.append(problem)
            elif problem.code.startswith("sheet-"):
                at_cells.append(problem)
            else:
                problem = self._in_words(problem)
                if (problem.location.line, problem.location.column) not in reported:
                    at_cells.append(problem)
        at_cells.sort(key=lambda p: (p.location.line, p.location.column, p.code))
        return at_cells + sorted(in_files, key=lambda p: p.sort_key)

    def format(self, problem: Problem) -> str:
        where = problem.location
        if 0 < where.line < self.cell_line:
            return format_problem(problem, self.language)
        place = self.place(where.line, where.column) if where.line else self.shown
        return f"{place}: {problem.severity.value}: {message(problem, self.language)} [{problem.code}]"


__all__ = ["Outcome", "export_workbook", "import_workbook", "template_workbook", "sheets"]
