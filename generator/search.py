"""The site's search index: small files a phone fetches only for the words it looks for.

Measured on the district board (200 communities, ~23,200 records; docs/site.md), neither ready
option fits a phone's budget of 150 KB per search: Material's search loads one index of every
record on every page load (over 500 KB gzipped, trimmed to titles and summaries), and Pagefind
fetches its page table before any word (137 KB for 23,200 pages) plus a 66 KB WebAssembly
module (244 KB per search). So the generator writes its own, in the way Chinese full-text
search is usually done without a dictionary: every run of Chinese characters is indexed as its
single characters and its overlapping pairs (电动车 → 电动, 动车), so any two or more characters a
resident types are found wherever they stand, whatever a word splitter would have made of them;
Latin words and numbers are indexed whole (a final "s" dropped). The words are spread by a hash
over `shards` files, so a search fetches the manifest, one shard per word, and the records of
the results it shows, ten at a time. site_overrides/assets/ailin-search.js reads the same
format; its tokens must stay the same as `tokens()` here.

A build reads each record's words (`index_entry`) where its community's pages are rendered and
keeps them with those pages (generator/parts.py); `index_files` numbers the entries of all
communities in the board's order and writes the files.

Files (below FOLDER):
  index.json        {"version", "language", "shards", "per_file", "count", "stamp"}
  i/<n>.json        {token: [ids, title_ids]}: ids ascending, each as the gap from the one before
  d/<n>.json        records per_file * n ... per_file * (n + 1) - 1, each
                    [url, title, status, chip, where, snippet]
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import operator
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

FOLDER = "find"  # not search/: Material's search plugin writes there when a board keeps it
VERSION = 1
PER_FILE = 16  # records per d/ file: results on one screen come from few files
SHARD_BYTES = 12_000  # aim for index shards of about this many bytes before compression
SNIPPET_CHARS = 60

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z0-9]+")
# The full-width punctuation of Chinese text (，：；！？（）), each with what NFKC makes of it.
# Nearly every record has a ， and most a ：, and unicodedata normalizes a text with one twenty
# times slower than it confirms that a text needs nothing; replaced first, most texts need nothing.
_WIDE_PUNCTUATION = tuple(
    (wide, unicodedata.normalize("NFKC", wide)) for wide in map(chr, (0xFF0C, 0xFF1A, 0xFF1B, 0xFF01, 0xFF1F, 0xFF08, 0xFF09))
)
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # made once: dumps makes one per call


@dataclass
class SearchDoc:
    """One page as search finds and shows it."""

    url: str  # below the site root, ending in "/"
    title: str
    where: str  # community and kind, shown under the title
    text: str  # everything else it is found by: summary, compound, outputs, place, resolutions
    status: str = ""
    chip: str = ""  # the CSS class of the status chip, e.g. ab-status-closed
    snippet: str = ""
    # Its place in the index: the kind's rank (community, suggestion, meeting, project), then
    # the record's id; the same board always gives the same numbers.
    order: tuple[int, str] = field(kw_only=True)


class IndexEntry(NamedTuple):
    """A SearchDoc as the index takes it: its place, its words and how a result shows it. Kept
    in the build cache, read on every build. Its Chinese words are interned (`_run_tokens`):
    a community's part holds each once and its entries refer to it, so they load fast, and the
    index files each of the district board's 2.2 million occurrences of a word without making
    and hashing a string again (index_files took 0.75 s with words joined by spaces, 0.58 s so)."""

    order: tuple[int, str]
    tokens: tuple[str, ...]  # in its title and text
    title_tokens: tuple[str, ...]  # those of them in its title
    row: str  # its record of a d/ file, as JSON: [url, title, status, chip, where, snippet]


def tokens(text: str, query: bool = False) -> list[str]:
    """The index's words of a text. A query uses the pairs of a Chinese run only (its single
    characters when it is one character long), so every pair typed must be in the record."""
    chinese, latin = _tokens_by_script(text, query)
    return list(dict.fromkeys(chinese + latin))


def _tokens_by_script(text: str, query: bool = False) -> tuple[list[str], list[str]]:
    """A text's Chinese tokens, then its Latin words, in order and with repeats: `tokens`
    without its last step. Those of "a b" are those of "a" followed by those of "b" (a space
    joins nothing in NFKC, lower() or either pattern), so an entry reads its title once."""
    text = _nfkc(text).lower()
    chinese: list[str] = []
    for run in _CJK.findall(text):
        characters_and_pairs = _run_tokens(run)
        chinese.extend(characters_and_pairs[len(run):] if query and len(run) > 1 else characters_and_pairs)
    latin = [word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
             for word in _WORD.findall(_CJK.sub(" ", text))]
    return chinese, latin


def _nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), fast for Chinese text: each character replaced by
    its own NFKC form leaves the normalized text as it was (NFKC decomposes every character first)."""
    for wide, narrow in _WIDE_PUNCTUATION:
        text = text.replace(wide, narrow)
    return unicodedata.normalize("NFKC", text)


@functools.lru_cache(maxsize=1 << 16)  # phrases recur from record to record (compounds, steps, categories)
def _run_tokens(run: str) -> tuple[str, ...]:
    """A run of Chinese characters as its single characters, then its overlapping pairs, each
    interned: a token is then one string wherever it stands (see IndexEntry)."""
    return tuple(map(sys.intern, (*run, *(run[i:i + 2] for i in range(len(run) - 1)))))


def shard_of(token: str, shards: int) -> int:
    """FNV-1a over the token's code points; ailin-search.js computes the same."""
    h = 0x811C9DC5
    for ch in token:
        h = ((h ^ ord(ch)) * 0x01000193) & 0xFFFFFFFF
    return h % shards


def _gaps_json(ids: list[int], number_json: list[str]) -> str:
    """The ids as JSON, each as the gap from the one before, without the brackets. Each gap's
    text is looked up in `number_json` (the texts of 0, 1, 2, ...): json.dumps wrote each of the
    district board's 2.6 million numbers anew, which was a third of the index's time."""
    return ",".join(map(number_json.__getitem__, map(operator.sub, ids, [0, *ids])))


def _json(value: object) -> bytes:
    return _ENCODER.encode(value).encode("utf-8")


def index_entry(doc: SearchDoc) -> IndexEntry:
    """What the index needs of a doc: the part of the work that is the doc's alone."""
    title_chinese, title_latin = _tokens_by_script(doc.title)
    text_chinese, text_latin = _tokens_by_script(doc.text)
    # The tokens of f"{doc.title} {doc.text}", as `tokens` gives them. They hold all of the
    # title's tokens, in the order the title alone gives them: the title's Chinese before the
    # text's, its Latin words before the text's, and no token is both.
    found = dict.fromkeys(title_chinese + text_chinese + title_latin + text_latin)
    in_title = dict.fromkeys(title_chinese + title_latin)
    row = [doc.url, doc.title, doc.status, doc.chip, doc.where, doc.snippet]
    return IndexEntry(doc.order, tuple(found), tuple(in_title), _ENCODER.encode(row))


def index_files(entries: Iterable[IndexEntry], language: str) -> dict[str, bytes]:
    """The index of the entries as files below the site root, path -> bytes, the entries
    numbered in their `order`; the same entries give the same bytes."""
    entries = sorted(entries, key=lambda entry: entry.order)
    ids_of: defaultdict[str, list[int]] = defaultdict(list)  # token -> the docs it is in, ascending
    title_ids_of: defaultdict[str, list[int]] = defaultdict(list)  # ... in whose title it is
    for number, entry in enumerate(entries):
        for token in entry.tokens:
            ids_of[token].append(number)
        for token in entry.title_tokens:
            title_ids_of[token].append(number)
    raw = sum(len(token) * 3 + 4 + 3 * (len(ids) + len(title_ids_of.get(token, ()))) for token, ids in ids_of.items())
    shards = max(1, math.ceil(raw / SHARD_BYTES))
    # Each shard as the members of a JSON object, token -> [ids, title_ids], written as _json
    # would write the object: the tokens in order, each once.
    members: list[list[str]] = [[] for _ in range(shards)]
    number_json = [str(number) for number in range(len(entries))]  # every gap is below the count
    for token in sorted(ids_of):
        ids, title_ids = _gaps_json(ids_of[token], number_json), _gaps_json(title_ids_of.get(token, []), number_json)
        members[shard_of(token, shards)].append(f"{_ENCODER.encode(token)}:[[{ids}],[{title_ids}]]")
    files = {f"{FOLDER}/i/{n}.json": f"{{{','.join(shard)}}}".encode("utf-8") for n, shard in enumerate(members)}
    for start in range(0, len(entries), PER_FILE):
        rows = ",".join(entry.row for entry in entries[start:start + PER_FILE])  # as _json writes a list
        files[f"{FOLDER}/d/{start // PER_FILE}.json"] = f"[{rows}]".encode("utf-8")
    stamp = hashlib.sha256(b"".join(files[name] for name in sorted(files))).hexdigest()[:10]
    manifest = {"version": VERSION, "language": language, "shards": shards, "per_file": PER_FILE,
                "count": len(entries), "stamp": stamp}
    files[f"{FOLDER}/index.json"] = _json(manifest)
    return files


def plain(markdown: str | None) -> str:
    """Markdown as the words a resident reads: no markup characters, no link targets."""
    if not markdown:
        return ""
    text = re.sub(r"\]\([^)]*\)", "]", markdown)
    text = re.sub(r"[*_`#>\[\]|]+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def snippet(text: str) -> str:
    return text if len(text) <= SNIPPET_CHARS else text[:SNIPPET_CHARS - 1].rstrip() + "…"
