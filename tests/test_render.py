"""Rendering's own machinery: what the templates call gets what Jinja would give it."""

from __future__ import annotations

import jinja2
import pytest

from ailin.render import _Context


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
