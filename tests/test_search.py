"""The search index's shortcuts give what the plain definitions give, whatever the text."""

from __future__ import annotations

import json
import random
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from ailin.search import FOLDER, SearchDoc, _nfkc, index_entry, index_files, tokens

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
def test_an_entry_holds_the_tokens_of_its_title_and_text(title: str, text: str) -> None:
    entry = index_entry(SearchDoc("c/x/", title, "where", text, order=(1, "x")))
    assert list(entry.tokens) == tokens(f"{title} {text}")
    assert list(entry.title_tokens) == tokens(title)


def test_index_shards_are_json_of_each_tokens_id_gaps() -> None:
    words = ["电动车", "充电桩", "小区东门", "绿化", "停车", "lights", "tree 2", "路灯不亮", "快递", '"引号"\\']
    pick = random.Random(7)
    docs = [
        SearchDoc(f"c/x/{n}/", " ".join(pick.sample(words, 2)), "where", " ".join(pick.sample(words, 4)),
                  order=(pick.randrange(4), f"r-{n:03d}"))
        for n in range(300)
    ]
    entries = [index_entry(doc) for doc in docs]
    files = index_files(entries, "zh")
    assert index_files(reversed(entries), "zh") == files
    numbered = sorted(docs, key=lambda doc: doc.order)
    shards = json.loads(files[f"{FOLDER}/index.json"])["shards"]
    found = {}
    for n in range(shards):
        content = files[f"{FOLDER}/i/{n}.json"]
        table = json.loads(content)
        assert content == json.dumps(table, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        found.update(table)
    for token, (gaps, title_gaps) in found.items():
        ids = [sum(gaps[:i + 1]) for i in range(len(gaps))]
        assert ids == [n for n, doc in enumerate(numbered) if token in tokens(f"{doc.title} {doc.text}")]
        title_ids = [sum(title_gaps[:i + 1]) for i in range(len(title_gaps))]
        assert title_ids == [n for n, doc in enumerate(numbered) if token in tokens(doc.title)]
    assert len(found) > 20 and shards > 1
