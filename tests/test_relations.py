"""The board's relations come from the schemas' `to:`, and every check follows them."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ailin import schema
from ailin.problems import Location
from ailin.records import SLUG
from ailin.tables import Table, _frictionless_violations, _nothing_to_find
from ailin.validate import KeyTables


def test_the_schemas_declare_every_relation() -> None:
    declared = {(r.kind, r.path, r.to) for kind in schema.REFERENCE_KINDS for r in schema.references(kind)}
    assert declared == {
        ("suggestion", ("compound",), "compound"),
        ("suggestion", ("duplicate_of",), "suggestion"),
        ("suggestion", ("meetings", "*"), "meeting"),
        ("suggestion", ("projects", "*"), "project"),
        ("meeting", ("agenda", "*"), "suggestion"),
        ("meeting", ("resolutions", "*", "suggestions", "*"), "suggestion"),
        ("project", ("suggestions", "*"), "suggestion"),
        ("project", ("resolution",), "resolution"),
    }


def test_only_records_of_the_reference_kinds_name_others() -> None:
    assert schema.references("community") == () and schema.references("board") == ()


# Key tables of a few ids, so that repeats and misses are common, and some cells frictionless
# reads as a slug would not be.
slug_cell = st.sampled_from(["a", "b", "jt-1", "suggestion"])
odd_cell = st.sampled_from([" a", "A", "a,b", "中", "a b", 'a"b'])


@st.composite
def key_tables(draw: st.DrawFn, cell: st.SearchStrategy[str]) -> list[Table]:
    """Key tables whose references mostly name a key that is there."""
    tables, place = KeyTables(), Location(Path("x.yaml"))
    for table in (tables.records, tables.compounds, tables.resolutions):
        for _ in range(draw(st.integers(0, 4))):
            table.add(tuple(draw(cell) for _ in table.columns), place)
    for table, target in ((tables.references, tables.records), (tables.compound_references, tables.compounds),
                          (tables.resolution_references, tables.resolutions)):
        for _ in range(draw(st.integers(0, 3))):
            found = target.rows and draw(st.integers(0, 4))
            table.add(draw(st.sampled_from(target.rows)) if found else tuple(draw(cell) for _ in table.columns), place)
    return tables.all()


@given(key_tables(slug_cell))
@settings(max_examples=60, deadline=None)
def test_keys_of_ids_are_judged_as_frictionless_judges_them(tables: list[Table]) -> None:
    assert _nothing_to_find(tables) == (_frictionless_violations(tables) == [])


@given(key_tables(st.one_of(slug_cell, odd_cell)))
@settings(max_examples=30, deadline=None)
def test_keys_frictionless_might_read_otherwise_are_left_to_it(tables: list[Table]) -> None:
    if any(not SLUG.match(cell) for table in tables for row in table.rows for cell in row):
        assert not _nothing_to_find(tables)
