"""How a column is read is chosen from the head of the file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reltruth.ingest.parse import column_types
from reltruth.workspace import Workspace


@pytest.fixture
def ws() -> Iterator[Workspace]:
    with Workspace.open(memory=True) as workspace:
        yield workspace


def test_column_types_are_chosen_from_the_head_of_the_file(ws: Workspace, tmp_path: Path) -> None:
    from reltruth import sample
    from reltruth.ingest import detect
    from reltruth.ingest.read import ColumnTypes, read_table

    def types(path: Path) -> ColumnTypes | None:
        raw = read_table(ws, path, lazy=True)
        found = detect.detect(raw.headers)
        return column_types(raw, found.table, found.mapping)

    assert types(sample.SAMPLE_DIR / "invoice_lines.csv") == ColumnTypes(
        {"Invoice Date": "DATE", "Qty": "DOUBLE", "List Value": "DOUBLE", "Net Value": "DOUBLE"},
        "%d.%m.%Y",
        ",",
    )
    assert types(sample.SAMPLE_DIR / "activities.csv") == ColumnTypes(
        {"Date": "DATE", "Duration (min)": "DOUBLE", "Travel Time (min)": "DOUBLE"}, "%m/%d/%Y"
    )
    # thousands separators, currency signs, short years: left to the text parsers
    quirky = tmp_path / "invoices.csv"
    quirky.write_text(
        "Invoice No,Line,Invoice Date,Customer,Net Value,Qty\n"
        'INV-1,1,3/2/24,Northwind,"$1,234.50",2\n',
        encoding="utf-8",
    )
    assert types(quirky) == ColumnTypes({"Qty": "DOUBLE"})
    # invoice lines without line numbers are keyed by their text: nothing is typed
    no_lines = tmp_path / "no_lines.csv"
    no_lines.write_text(
        "Invoice No,Invoice Date,Customer,Net Value\nINV-1,2024-03-02,Northwind,10\n"
    )
    assert types(no_lines) is None
