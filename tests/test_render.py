"""Rendering's own machinery: what the templates call gets what Jinja would give it, their
words and escaping give what calls to `t` and markupsafe would."""

from __future__ import annotations

import jinja2
import pytest
from markupsafe import Markup
from markupsafe import escape as markup_escape

from ailin.render import _CompiledTemplates, _Context, _Environment, _escape
from ailin.words import Words


class _Words:
    def plain(self, key: str) -> str:
        return f"<{key}>"

    @jinja2.pass_context
    def where(self, context: jinja2.runtime.Context, key: str) -> str:
        return f"{key}@{context['page']}:{context.get('item', '-')}"


@jinja2.pass_context
def looked_up(context: jinja2.runtime.Context, name: str) -> str:
    return str(context.get(name))


@jinja2.pass_environment
def environment_name(environment: jinja2.Environment) -> str:
    return type(environment).__name__


def _stop() -> None:
    raise StopIteration


SOURCE = (
    "{% macro chip(x) %}[{{ plain(x) }}|{{ where(x) }}]{% endmacro %}"
    "{{ plain('a') }} {{ words.plain('b') }} {{ where('c') }} {{ looked_up('page') }} {{ env_name() }} "
    "{{ chip('d') }} {{ {'k': 'v'}.get('k') }} {{ stop() is undefined }} {{ ''.join(['x', 'y']) }} {{ '%s'.format(1) }}"
    "{% for item in [1, 2] %}{% set inner = item * 10 %} {{ looked_up('inner') }} {{ chip(item) }}{% endfor %}"
    "{% set item = 'block' %} {{ looked_up('item') }} {{ where('f') }}"
)


@pytest.mark.parametrize("autoescape", [True, False])
def test_calls_from_templates_get_what_jinja_would_give_them(autoescape: bool) -> None:
    """The fast path skips Jinja's questions only for callables that ask nothing: those that
    want the context (with a loop's or a block's variables) or the environment still get it."""
    words = _Words()
    names = dict(plain=words.plain, where=words.where, words=words, looked_up=looked_up,
                 env_name=environment_name, stop=_stop, page="c/x/")
    rendered = []
    for context_class in (jinja2.runtime.Context, _Context):
        env = jinja2.Environment(autoescape=autoescape, undefined=jinja2.StrictUndefined)
        env.context_class = context_class
        rendered.append(env.from_string(SOURCE).render(**names))
    assert rendered[0] == rendered[1]
    assert rendered[1].split()[2:5] == ["c@c/x/:-", "c/x/", "Environment"]
    assert " 20 " in rendered[1] and rendered[1].endswith(" block f@c/x/:block")


class _Marked:
    def __html__(self) -> str:
        return "<b>already markup</b>"


@pytest.mark.parametrize("value", [
    "", "plain", "居民建议：路灯不亮", "<script>alert('x')</script>", 'a "quoted" & <tagged> \'text\'', "&amp; twice",
    Markup("<em>safe</em>"), Markup("&lt;"), 0, 12.5, None, True, _Marked(), type("Text", (str,), {})("<sub>class</sub>"),
])
def test_escape_is_markupsafes(value: object) -> None:
    """What the templates' output goes through gives markupsafe's bytes and type."""
    ours = _escape(value)
    assert ours == markup_escape(value) and type(ours) is Markup


WORDS_SOURCE = (
    "<dt>{{ t('site.received') }}</dt>{{ words.colon(t('site.reason'), 'x') }} {{ t('site.deadline_rule', respond=3, close=30) }}"
    "{{ t('site.' ~ 'late') }}{% macro chip() %}[{{ t('site.late') }}]{% endmacro %}{{ chip() }}"
)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_words_compiled_in_read_as_the_calls_to_t(language: str) -> None:
    """A page's `t('…')` calls are compiled as their words: the same page, without the calls."""
    words = Words.of(language)
    plain = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    ours = _Environment(words, autoescape=True, undefined=jinja2.StrictUndefined)
    for env in (plain, ours):
        env.globals.update(t=words.t, words=words)
    assert ours.from_string(WORDS_SOURCE).render() == plain.from_string(WORDS_SOURCE).render()
    compiled = ours.compile(WORDS_SOURCE, raw=True)
    assert words.t("site.received") in compiled and "'site.received'" not in compiled
    assert "'site.deadline_rule'" in compiled  # a call with fields stays a call


def test_a_template_that_names_t_itself_keeps_its_calls() -> None:
    words = Words.of("zh")
    for source in ("{% set t = shout %}{{ t('site.late') }}", "{% for t in [shout] %}{{ t('site.late') }}{% endfor %}",
                   "{% macro m(t) %}{{ t('site.late') }}{% endmacro %}{{ m(shout) }}"):
        env = _Environment(words, autoescape=True)
        env.globals.update(t=words.t, shout=str.upper)
        assert env.from_string(source).render() == "SITE.LATE"


def test_compiled_templates_on_disk_keep_each_language_apart(tmp_path) -> None:
    """The build cache keeps compiled templates for the next process; one compiled with
    Chinese words must not be read by an English board's build."""
    loader = jinja2.DictLoader({"page.html": "{{ t('site.received') }}"})
    older = tmp_path / "__jinja2_zh_0123456789abcdef_page.cache"  # compiled with other words
    older.write_bytes(b"")
    for language in ("zh", "en", "zh", "en"):  # each a fresh process: nothing kept in memory
        words = Words.of(language)
        env = _Environment(words, loader=loader, autoescape=True, bytecode_cache=_CompiledTemplates(str(tmp_path), words))
        env.globals.update(t=words.t)
        assert env.get_template("page.html").render() == words.t("site.received")
    assert len(list(tmp_path.iterdir())) == 2 and not older.exists()  # the older words' are gone
