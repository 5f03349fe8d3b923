"""The schema files are data other tools read: they must be complete and well formed."""

from __future__ import annotations

import pytest

from ailin import schema
from ailin.schema import FieldSpec

TYPES = {"string", "markdown", "slug", "date", "integer", "amount", "boolean", "enum", "ref", "url",
         "phone", "path", "list", "object", "counts", "labels"}
REF_TARGETS = {"suggestion", "meeting", "project", "compound", "resolution"}


def _all_fields(fields: dict[str, FieldSpec]):
    for spec in fields.values():
        yield spec
        if spec.items:
            yield spec.items
            yield from _all_fields(spec.items.fields)
        yield from _all_fields(spec.fields)


@pytest.mark.parametrize("kind", schema.KINDS)
def test_every_field_has_type_title_and_help_in_both_languages(kind: str) -> None:
    for spec in _all_fields(schema.record_schema(kind).fields):
        assert spec.type in TYPES, spec.name
        if spec.type == "enum":
            schema.vocabulary(spec.vocabulary)
        if spec.type == "ref":
            assert spec.to in REF_TARGETS, spec.name
        if spec.title:  # list items inherit their list's words
            assert set(spec.title) == {"zh", "en"} and set(spec.help) == {"zh", "en"}, spec.name


def test_chinese_labels_are_accepted_as_aliases() -> None:
    priority = schema.vocabulary("priority")
    assert priority.resolve("红") == priority.resolve("红色") == priority.resolve("red") == "red"
    assert schema.vocabulary("channel").resolve("坝坝会") == "courtyard_meeting"


def test_aliases_never_point_two_ways() -> None:
    for name in ("priority", "channel", "category", "level", "step", "decision", "meeting_kind",
                 "resolution_decision", "project_kind", "project_status", "funding_source", "photo_when"):
        vocabulary = schema.vocabulary(name)
        for alias, key in vocabulary.aliases.items():
            assert alias not in vocabulary.terms or alias == key, (name, alias)


def test_unit_spellings_normalize() -> None:
    assert {schema.normalize_unit(u) for u in ("平方米", "㎡", "m2", "m²", "平米")} == {"m²"}
