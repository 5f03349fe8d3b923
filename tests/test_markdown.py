"""The Markdown fast path: every text it takes renders to the full path's bytes.

`render._Markdown` writes the tags of plain paragraphs and "- " lists itself and sends
everything else through python-markdown and nh3. Each test below runs every text through both and compares: the
Markdown fields of the sample board and of a synthetic one, the privacy and hostile corpora,
and generated texts made of the characters at the fast path's edges.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import REPO
from ailin import pipeline, schema
from ailin.load import RECORD_DIRS
from ailin.render import _CJK_LINE_BREAK, _Markdown, _plain_html

TESTS = Path(__file__).parent


@functools.cache
def markdown() -> _Markdown:
    return _Markdown()


def full_path(text: str) -> str:
    return markdown().full(_CJK_LINE_BREAK.sub("", text))


def takes_fast_path(text: str) -> bool:
    return _plain_html(_CJK_LINE_BREAK.sub("", text)) is not None


def mismatches(texts: list[str]) -> list[tuple[str, str, str]]:
    """(text, what the `md` filter gives, what the full path gives) wherever they differ."""
    rendered = [(text, str(markdown()(text)), full_path(text)) for text in texts]
    return [found for found in rendered if found[1] != found[2]]


def markdown_values(kind: str, record: dict[str, Any]) -> Iterator[str]:
    """The values of a record's `type: markdown` fields, nested ones included (from schemas/)."""

    def walk(spec: schema.FieldSpec, value: Any) -> Iterator[str]:
        if spec.type == "markdown" and isinstance(value, str):
            yield value
        if spec.items is not None and isinstance(value, list):
            for item in value:
                yield from walk(spec.items, item)
        if spec.fields and isinstance(value, dict):
            for name, child in spec.fields.items():
                yield from walk(child, value.get(name))

    for name, spec in schema.record_schema(kind).fields.items():
        yield from walk(spec, record.get(name))


def sample_board_texts() -> list[str]:
    result = pipeline.check(REPO / "content")
    assert result.ok and result.board is not None
    return [text for record in result.board.records for text in markdown_values(record.kind, record.data)]


def synthetic_board_texts() -> list[str]:
    if str(REPO / "benchmarks") not in sys.path:
        sys.path.insert(0, str(REPO / "benchmarks"))
    import synthetic

    texts = []
    for path, record in synthetic.build(communities=20, suggestions=2000, meetings=200, projects=100, seed=7).files():
        parts = path.split("/")
        kind = "board" if path == "board.yaml" else "community" if parts[-1] == "community.yaml" else RECORD_DIRS[parts[2]]
        texts.extend(markdown_values(kind, record))
    return texts


def corpus_texts() -> list[str]:
    privacy = yaml.safe_load((TESTS / "privacy_cases.yaml").read_text(encoding="utf-8"))
    hostile = yaml.safe_load((TESTS / "hostile_cases.yaml").read_text(encoding="utf-8"))["shown"]
    return [case.get("text") or case["display"] for case in privacy] + [case["set"][2] for case in hostile]


@pytest.mark.parametrize("texts", [sample_board_texts, synthetic_board_texts, corpus_texts], ids=lambda f: f.__name__)
def test_every_text_renders_as_the_full_path_renders_it(texts) -> None:
    found = texts()
    assert mismatches(found) == []
    if texts is not corpus_texts:  # the boards' texts are mostly plain: the comparison is not empty
        assert sum(map(takes_fast_path, found)) > len(found) / 2


# The characters at the fast path's edges: what it accepts, what opens Markdown or HTML, and the
# spaces and marks that Markdown or the sanitizer treat differently from a letter.
EDGES = (
    "aZ09 .,:;!?\"'()#+-=~|{}^$%@/"
    "\\`*_[]<>&"
    "\n\n\n\t\r\f\v\x00\x02\x03\x1f\x7f\x85\u00a0\u00ad\u00b7\u00e9\u2002\u200b\u200e\u2028\u2029\u202e\u3000\ufeff\uffff"
    "社区，。：；“”（）！？、《》…—１２．－＃＊＿＜＞＆"
)
any_character = st.characters(exclude_categories=["Cs"])  # no lone surrogates: UTF-8 files cannot hold them
edge_text = st.text(st.one_of(st.sampled_from(EDGES), any_character), max_size=40)
word = st.builds(str.__add__, st.sampled_from("社区居民a1“·é"), st.text(st.sampled_from("社区居民a1，。—“”·é#-."), max_size=5))
plain_line = st.lists(word, min_size=1, max_size=3).map(" ".join)
block_start = st.sampled_from(["# ", "- ", "- - ", "-", "1. ", "1.5", "+", "=", "> ", "    ", " ", "*", "---"])
line = st.one_of(plain_line, edge_text, st.builds(str.__add__, block_start, plain_line))
separator = st.sampled_from(["\n", "\n\n", "\n\n\n", "\n \n", " \n", "  \n", "\n\t", "\r\n", "\n=", "\n-"])
ending = st.sampled_from(["", "\n", "\n\n", " ", "\u3000"])


def joined(lines: st.SearchStrategy[str], separators: st.SearchStrategy[str], endings: st.SearchStrategy[str] = ending) -> st.SearchStrategy[str]:
    return st.builds(lambda lines, seps, end: "".join(l + s for l, s in zip(lines, seps)) + lines[-1] + end,
                     st.lists(lines, min_size=1, max_size=6), st.lists(separators, min_size=6, max_size=6), endings)


# Paragraphs and lists of mostly plain lines, the same with one edge character more, free mixtures.
paragraph = st.lists(plain_line, min_size=1, max_size=3).map("\n".join)
bullet_list = st.lists(st.builds("- ".__add__, plain_line), min_size=1, max_size=3).map("\n".join)
plain_text = joined(st.one_of(paragraph, bullet_list), st.sampled_from(["\n\n", "\n\n", "\n\n\n", "\n"]), st.sampled_from(["", "\n"]))
one_edge_more = st.builds(lambda text, at, edge: text[:at] + edge + text[at:], plain_text, st.integers(0, 40), st.sampled_from(EDGES))
texts = st.one_of(plain_text, one_edge_more, joined(line, separator), edge_text)


@given(texts)
@settings(max_examples=3000, deadline=None)
@example("居民\n\n\n- 第一条\n- 第二条\n")
@example("- 第一条\n\n- 第二条")
@example("- 第一条\n接着写")
@example("1. 楼道\n2. 路灯")
@example("标题\n===")
@example("标题\n---")
@example("- - 嵌套")
@example("a_b*c*")
@example("社区\u00a0活动")
def test_any_text_renders_as_the_full_path_renders_it(text: str) -> None:
    assert str(markdown()(text)) == full_path(text)

