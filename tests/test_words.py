"""One word catalogue per language (generator/words/zh.yaml, en.yaml), and no word anywhere else.

Both catalogues hold the same keys with the same {fields}. No module or template of the
generator writes a Chinese word of its own; no template writes an English one, nor does a module
in what it prints, logs or raises for a volunteer. Other English in Python code (exceptions for
bugs, notes for developers) is left to review: a word list cannot tell those from a sentence.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
import string
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ailin import render
from ailin.words import LANGUAGES, Words, load_catalogue

REPO = Path(__file__).resolve().parent.parent
GENERATOR = REPO / "generator"
# Chinese characters, CJK punctuation (、。「」), full-width forms (（），：) and curly quotes (“”)
CJK = re.compile("[\u2018-\u201f\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")

# Files whose Chinese is not shown but looked for: what they find is never printed as written.
NOT_OUTPUT_FILES = {
    "generator/privacy.py": "the privacy guard's patterns: Chinese words and forms it looks for in records",
}
# Literals that are no words shown: what reads people's input, and single characters. (file, literal) -> why.
NOT_WORDS = {
    ("generator/load.py", r"^\s*(?:-\s+)?[A-Za-z_]+\s*："): "finds a key typed with a Chinese colon",
    ("generator/validate.py", "："): "finds a key typed with a Chinese colon",
    ("generator/sheet/rows.py", r"[、,，;；\n]+"): "splits a cell at any list separator people type",
    ("generator/sheet/rows.py", r"^(.+?)\s*[:：]?\s*([0-9０-９][0-9０-９.．]*)$"): "reads `居民 23` as typed",
    ("generator/sheet/rows.py", "[０-９．，]"): "finds full-width digits people type",
    ("generator/sheet/rows.py", "是"): "TRUE_WORDS: yes as people type it",
    ("generator/sheet/rows.py", "同意"): "TRUE_WORDS: yes as people type it",
    ("generator/sheet/rows.py", "否"): "TRUE_WORDS: no as people type it",
    ("generator/sheet/rows.py", "不同意"): "TRUE_WORDS: no as people type it",
    **{("generator/render.py", mark): "theme_safe: the full-width look-alike of a markup character" for mark in "＜＞＆＂＇"},
    ("generator/render.py", "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"):
        "finds line breaks between Chinese characters in Markdown fields",
    ("generator/render.py", render._PLAIN_CHARACTERS): "the characters of a Markdown field that needs no Markdown",
}
# Calls that speak to a volunteer: their literal arguments must be no sentence (argparse's help and
# description keywords too).
SPOKEN = {"print", "UsageError", "Outcome", "warning", "info", "error", "exception", "critical"}
SPOKEN_BY_DEVELOPERS = {
    ("generator/reference.py", "wrote docs/"): "python -m ailin.reference, a maintainer's tool",
}
# Keys whose translations rightly use different {fields}: key -> why.
ONE_LANGUAGE_FIELDS = {
    "format.key_label": "English names a term by its key; Chinese adds the term's Chinese name",
    "format.label_key": "English names a term by its key; Chinese puts the Chinese name first",
    "yaml_problems._other": "the Chinese never shows the parser's English words",
}
TEMPLATE_FOLDERS = (GENERATOR / "templates", GENERATOR / "admin", REPO / "site_overrides")
SHOWN_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder", "label"}


def _relative(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings: words for developers, not output."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                found.add(id(first.value))
    return found


def chinese_literals(path: Path) -> list[tuple[int, int, str]]:
    """(line, literal) of every string literal of a module that holds Chinese or CJK punctuation;
    comments and docstrings are not literals. f-strings count by their literal parts."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstrings(tree)
    return sorted(
        (node.lineno, node.col_offset, node.value) for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
        and CJK.search(node.value)
    )


def python_files() -> list[Path]:
    return sorted(p for p in GENERATOR.rglob("*.py") if _relative(p) not in NOT_OUTPUT_FILES)


def test_no_module_writes_a_chinese_word_of_its_own() -> None:
    found = [
        f"{_relative(path)}:{line}: {text!r}"
        for path in python_files() for line, _, text in chinese_literals(path)
        if (_relative(path), text) not in NOT_WORDS
    ]
    assert found == [], "move these words to generator/words/*.yaml and ask Words for them"


def spoken_sentences(path: Path) -> list[tuple[int, str]]:
    """(line, literal) of English words (two or more) a module prints, logs or raises for people."""
    found = []
    for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(call, ast.Call):
            continue
        name = getattr(call.func, "id", None) or getattr(call.func, "attr", "")
        said = [*(call.args if name in SPOKEN else []), *(k.value for k in call.keywords if k.arg in ("help", "description"))]
        found += [
            (node.lineno, node.value) for argument in said for node in ast.walk(argument)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.search("[A-Za-z]+ [A-Za-z]+", node.value)
        ]
    return sorted(found)


def test_no_module_says_an_english_sentence_of_its_own() -> None:
    found = [
        f"{_relative(path)}:{line}: {text!r}"
        for path in sorted(GENERATOR.rglob("*.py")) for line, text in spoken_sentences(path)
        if (_relative(path), text) not in SPOKEN_BY_DEVELOPERS
    ]
    assert found == [], "move these words to generator/words/*.yaml and ask Words for them"


def test_every_exempt_literal_is_still_there() -> None:
    """An exemption whose literal is gone would silently allow it back."""
    gone = [
        (file, text) for file, text in NOT_WORDS
        if text not in {literal for *_, literal in chinese_literals(REPO / file)}
    ]
    gone += [
        (file, text) for file, text in SPOKEN_BY_DEVELOPERS
        if text not in {literal for _, literal in spoken_sentences(REPO / file)}
    ]
    assert gone == []


class _ShownText(HTMLParser):
    """The text and the read-aloud attributes a template writes itself, Jinja left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shown: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.shown += [value for name, value in attrs if name in SHOWN_ATTRIBUTES and value]

    def handle_data(self, data: str) -> None:
        self.shown.append(data)


_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_PLACEHOLDER = re.compile(r"@[A-Z_]+@")  # filled in by the code that serves the file
_CODE = re.compile(r"<(script|style)\b.*?</\1>", re.DOTALL)  # code, not words


def templates() -> list[Path]:
    return sorted(p for folder in TEMPLATE_FOLDERS for p in folder.rglob("*.html") if "vendor" not in p.parts)


def words_in_template(source: str) -> list[str]:
    """Chinese anywhere outside comments (Jinja expressions too); English in the text and in
    the attributes people read or hear, outside Jinja and scripts."""
    source = _HTML_COMMENT.sub("", _JINJA_COMMENT.sub("", source))
    found = CJK.findall(source)
    parser = _ShownText()
    parser.feed(_CODE.sub("", _PLACEHOLDER.sub("", _JINJA.sub(" ", source))))
    found += [text.strip() for text in parser.shown if re.search("[A-Za-z]", text)]
    return found


@pytest.mark.parametrize("path", templates(), ids=_relative)
def test_no_template_writes_a_word_of_its_own(path: Path) -> None:
    assert words_in_template(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("source, found", [
    ('<p>{{ t("site.none") }}</p>', []),
    ("{# 公示栏: a comment #}<p>{{ t('site.none') }}</p>", []),
    ("<p>暂无</p>", ["暂", "无"]),
    ("<p>{{ '暂无' }}</p>", ["暂", "无"]),
    ('<nav aria-label="breadcrumb"></nav>', ["breadcrumb"]),
    ("<p>None yet</p>", ["None yet"]),
    ("<title>@TITLE@</title><script>var a = 'x';</script>", []),
])
def test_the_template_check_finds_words(source: str, found: list[str]) -> None:
    assert words_in_template(source) == found


def test_the_module_checks_find_words(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('"""模块说明。"""\n# 注释\nA = "暂无"\nB = f"{A}：{A}"\nC = "\\u6682"\n', encoding="utf-8")
    assert [text for *_, text in chinese_literals(module)] == ["暂无", "：", "暂"]
    module.write_text('print(words.t("cli.built"))\nlog.info("Site built")\np.add_argument("-x", help="an option")\n'
                      'raise ValueError("a bug, for developers")\n', encoding="utf-8")
    assert [text for _, text in spoken_sentences(module)] == ["Site built", "an option"]


# -- the catalogues -----------------------------------------------------------------------


def _fields(text: str) -> set[str]:
    """The names a text fills in: {date.month} and {records:record|records} name date, records."""
    return {re.split(r"[.\[]", name)[0] for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _flat(tree: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in tree.items():
        flat.update(_flat(value, f"{prefix}{key}.") if isinstance(value, dict) else {f"{prefix}{key}": value})
    return flat


CATALOGUES = {language: _flat(load_catalogue(language)) for language in LANGUAGES}


def test_both_languages_have_the_same_keys() -> None:
    zh, en = (set(CATALOGUES[language]) for language in LANGUAGES)
    assert (sorted(zh - en), sorted(en - zh)) == ([], [])


def test_both_languages_fill_in_the_same_fields() -> None:
    zh, en = (CATALOGUES[language] for language in LANGUAGES)
    differ = {
        key: (_fields(zh[key]), _fields(en[key])) for key in zh
        if isinstance(zh[key], str) and key not in ONE_LANGUAGE_FIELDS and _fields(zh[key]) != _fields(en[key])
    }
    assert differ == {}


def test_every_text_is_text() -> None:
    for language, texts in CATALOGUES.items():
        for key, text in texts.items():
            assert isinstance(text, str) or (isinstance(text, list) and all(isinstance(t, str) for t in text)), (language, key)
        assert len(texts["format.months"]) == 12


def test_the_fields_check_reads_format_fields() -> None:
    assert _fields("{date.month}月") == {"date"} and _fields("{records:record|records}, {n}") == {"records", "n"}


# -- the Words object ---------------------------------------------------------------------


def test_words_join_punctuate_and_date_in_each_language() -> None:
    zh, en = Words.of("zh"), Words.of("en")
    assert (zh.join(["充电桩", "路灯"]), en.join(["chargers", "lights"])) == ("充电桩、路灯", "chargers, lights")
    assert (zh.colon("受理", "登记"), en.colon("Accepted", "registered")) == ("受理：登记", "Accepted: registered")
    assert (zh.parens("超时"), en.parens("late")) == ("（超时）", " (late)")
    assert (zh.quoted("收到日期"), en.quoted("received")) == ("“收到日期”", "'received'")
    assert (zh.sentences(["收到。", "", "已受理"]), en.sentences(["Received.", "accepted"])) == ("收到。已受理。", "Received. accepted.")
    assert (zh.date(dt.date(2024, 3, 5)), en.date(dt.date(2024, 3, 5))) == ("2024年3月5日", "5 Mar 2024")
    assert (Words.number(1272), Words.number(0.5), Words.number(12000.25)) == ("1,272", "0.5", "12,000.25")


def test_english_nouns_follow_their_count() -> None:
    en = Words.of("en")
    assert en.t("check.summary_clean", records=1) == "Check passed: 1 record, no errors."
    assert en.t("check.summary_clean", records=2) == "Check passed: 2 records, no errors."


def test_a_text_without_fields_is_given_as_written() -> None:
    assert Words.of("zh").t("theme.search_count") == "找到 {n} 条"  # the search script fills it in


def test_an_unknown_language_gets_chinese_and_words_are_loaded_once() -> None:
    assert Words.of("fr") is Words.of("zh") and Words.of("zh").other is Words.of("en")


def test_both_languages_in_one_line() -> None:
    assert Words.of("zh").both("reference.types.string", " ") == "文字 text"
    assert Words.of("en").both("reference.types.string", " ") == "text 文字"
    assert Words.of("zh").both("reference.types.markdown") == "Markdown"
