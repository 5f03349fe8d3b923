"""The search index's shortcuts give what the plain definitions give, whatever the text."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from ailin.search import SearchDoc, _nfkc, index_entry, tokens

# Chinese, its full-width punctuation, full-width and compatibility forms, ASCII, combining
# marks and a few letters whose case or composition depends on their neighbours.
TEXT = st.text(st.sampled_from(
    "电动车充电桩小区东门，：；！？（）。、“”ＡＢｓ１２①²ﬁ\uf900\u3400 abcsS0129-,.Σσςé\u0301\u0308\u00b4İK"
), max_size=40)


@given(TEXT)
@settings(max_examples=500)
def test_nfkc_is_unicodedata_nfkc(text: str) -> None:
    assert _nfkc(text) == unicodedata.normalize("NFKC", text)


@given(TEXT, TEXT)
@settings(max_examples=500)
def test_index_entry_tokens_are_those_of_title_and_text(title: str, text: str) -> None:
    entry = index_entry(SearchDoc("c/x/", title, "where", text, order=(1, "x")))
    assert entry.tokens.split() == tokens(f"{title} {text}")
    assert entry.title_tokens.split() == tokens(title)
