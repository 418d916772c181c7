"""The schema registry is the one place the canonical schema is written down."""

from __future__ import annotations

from reltruth import sample, schema
from reltruth.ingest import synonyms
from reltruth.workspace import CANONICAL_TABLES, Workspace


def test_schema_sql_holds_the_generated_canonical_tables() -> None:
    text = schema.SCHEMA_SQL.read_text(encoding="utf-8")
    assert schema.with_canonical_ddl(text) == text, "run: python -m reltruth.schema"


def test_a_new_workspace_has_exactly_the_registered_columns() -> None:
    with Workspace.open(memory=True) as ws:
        for table in schema.STORED.values():
            rows = ws.con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_name = $t order by ordinal_position",
                {"t": table.name},
            ).fetchall()
            assert [name for name, _ in rows] == table.column_names
            # the declared type is the first word of the column's type and constraints
            assert [t.lower() for _, t in rows] == [c.type.split()[0] for c in table.columns]
    assert tuple(schema.STORED) == CANONICAL_TABLES


def test_every_input_field_has_a_kind_and_header_spellings() -> None:
    fields = {f for t in schema.INPUTS.values() for f in t.fields}
    assert set(schema.KINDS) == fields
    for name, table in schema.INPUTS.items():
        assert list(synonyms.SYNONYMS[name]) == list(table.fields), name
        assert all(f in table.fields for group in table.required for f in group)
        assert all(s in schema.STORED for s in table.stored_in)
    assert set(synonyms.SYNONYMS) == set(schema.TABLES)
    assert {n: list(t.required) for n, t in schema.INPUTS.items()} == synonyms.REQUIRED


def test_the_samples_frames_have_the_stored_columns() -> None:
    frames = sample.canonical_frames()
    for table, frame in frames.items():
        assert list(frame.columns) == schema.STORED[table].column_names
