"""The board's relations come from the schemas' `to:`, and every check follows them."""

from ailin import schema


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
