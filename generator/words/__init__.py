"""Every word the board shows, from one catalogue per language: zh.yaml and en.yaml beside this file.

Pages, theme, feeds, calendars, charts, open data, the command line, the preview server, the form
editor and `ailin check`'s messages all ask a `Words` for a dotted key (`words.t("site.closure")`)
and join, label and punctuate through it; none writes a word or a language's punctuation itself
(tests/test_words.py fails when one does). Vocabulary labels (步骤, 状态, 分类 …) stay in
schemas/vocabularies.yaml, where they also read what volunteers type; `label()` reaches them.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import string
from pathlib import Path
from typing import Any, Iterable, Protocol


from .. import read_data, schema

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
CATALOGUES = Path(__file__).parent

# `{errors:error|errors}`: a count followed by the English noun that fits it.
_COUNTED = re.compile(r"\{[^{}:]+:[^{}|]*\|[^{}]*\}")


class _CountFormatter(string.Formatter):
    """`{errors:error|errors}` -> "1 error" or "2 errors": English nouns follow their count."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if "|" not in format_spec:
            return super().format_field(value, format_spec)
        one, many = format_spec.split("|")
        return f"{value} {one if value == 1 else many}"


class Quantity(Protocol):
    """A measured output as the model has it: 长椅 80 张."""

    label: str
    quantity: float
    unit: str


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """{"site": {"closure": "办结率"}} -> {"site.closure": "办结率"}; lists stay whole."""
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def load_catalogue(language: str) -> dict[str, Any]:
    """One language's catalogue as written, sections nested."""
    return read_data(CATALOGUES / f"{language}.yaml")


class Words:
    """One language's words, and how that language puts them together."""

    def __init__(self, language: str, catalogue: dict[str, Any]) -> None:
        self.language = language
        self._catalogue = catalogue
        self._texts = _flatten(catalogue)
        self._counted = {key for key, text in self._texts.items() if isinstance(text, str) and _COUNTED.search(text)}
        self._list = self._texts["punctuation.list"]
        self._colon = self._texts["punctuation.colon"]

    @classmethod
    def of(cls, language: str | None) -> Words:
        """The words of `language`; none given, or one without a catalogue, gets Chinese."""
        return _words(language if language in LANGUAGES else DEFAULT_LANGUAGE)

    @property
    def other(self) -> Words:
        """The other language of the two, for text that shows both."""
        return Words.of(LANGUAGES[1 - LANGUAGES.index(self.language)])

    def __repr__(self) -> str:
        return f"Words({self.language!r})"

    # -- words ------------------------------------------------------------------------------

    def t(self, key: str, /, **fields: Any) -> str:
        """The text of `key` with its {fields} filled in; without fields, the text as written
        (a template a script fills in, or a message the reference page lists)."""
        text = self._texts[key]
        if not fields:
            return text
        if key in self._counted:
            return _CountFormatter().format(text, **fields)
        return text.format(**fields)

    def has(self, key: str) -> bool:
        return key in self._texts

    @functools.cached_property
    def digest(self) -> str:
        """The catalogue's words, in short: what keeps apart things made from them (the
        templates compiled with their words in place, render.py)."""
        return hashlib.sha256(repr(sorted(self._texts.items())).encode("utf-8")).hexdigest()[:16]

    def section(self, name: str) -> dict[str, Any]:
        """A section as written: its keys in catalogue order (problem codes, parser problems)."""
        found: Any = self._catalogue
        for part in name.split("."):
            found = found[part]
        return found

    def both(self, key: str, separator: str = " · ") -> str:
        """This language's text, then the other's: "检查内容 · validate the content". A word the
        two languages spell the same ("Markdown") is said once."""
        first, second = self.t(key), self.other.t(key)
        return first if first == second else f"{first}{separator}{second}"

    def label(self, vocabulary: str, key: str) -> str:
        """A vocabulary term's label from schemas/ (a step, a status, a channel …)."""
        return schema.vocabulary(vocabulary).label(key, self.language)

    # -- punctuation ------------------------------------------------------------------------

    @property
    def separator(self) -> str:
        """Between the items of a list: 、 or ", ". `join` uses it; templates that build items
        with markup put it between them."""
        return self._list

    def join(self, items: Iterable[str]) -> str:
        """充电桩、路灯 or "chargers, lights"."""
        return self._list.join(items)

    def colon(self, label: str, value: str = "") -> str:
        """受理：登记 or "Accepted: registered"; without a value, the label and its colon."""
        return f"{label}{self._colon}{value}"

    def parens(self, text: str) -> str:
        """A remark after what it remarks on: 已受理（超时） or "accepted (late)"."""
        return self.t("punctuation.parens", text=text)

    def quoted(self, text: str) -> str:
        """A name quoted as it was written: “收到日期” or 'received'."""
        return self.t("punctuation.quoted", text=text)

    def clauses(self, parts: Iterable[str]) -> str:
        """Clauses of one sentence: 同意；暂缓 or "agreed; deferred"."""
        return self._texts["punctuation.clauses"].join(parts)

    def sentences(self, parts: Iterable[str]) -> str:
        """Non-empty parts as sentences, each ending in one full stop of this language (a part
        that already ends in one of either language's full stops is not given a second)."""
        stop = self._texts["punctuation.full_stop"]
        ends = stop + self.other._texts["punctuation.full_stop"]
        kept = [part.strip().rstrip(ends) for part in parts if part]
        return (stop + self._texts["punctuation.sentence_gap"]).join(kept) + stop

    # -- numbers and dates ------------------------------------------------------------------

    @staticmethod
    def number(value: float) -> str:
        """1,272 or 0.5: thousands grouped, at most two decimals, no trailing zeros."""
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")

    def date(self, value: dt.date | None) -> str:
        """2024年3月5日 or 5 Mar 2024 (month names from the catalogue, never the locale's)."""
        if value is None:
            return ""
        month = self._texts["format.months"][value.month - 1]
        return self.t("format.date", year=value.year, month=month, day=value.day)

    def quantities(self, outputs: Iterable[Quantity]) -> str:
        """Measured outputs as one list: 地面 320 m²、长椅 80 张."""
        return self.join(f"{o.label} {self.number(o.quantity)}{o.unit}" for o in outputs)


@functools.cache
def _words(language: str) -> Words:
    return Words(language, load_catalogue(language))
