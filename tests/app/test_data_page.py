"""The Data page: upload -> recognised table and mapping -> preview -> load -> report."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_helpers import ROOT, frame_with

DATA = ROOT / "tests" / "data"


@pytest.fixture
def app(empty_workspace, make_app):
    return make_app()


def upload(at, *paths: Path) -> None:
    at.file_uploader(key="data_upload").set_value(
        [(p.name, p.read_bytes(), "text/csv") for p in paths]
    )
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def test_upload_shows_table_mapping_and_preview_then_loads(app, empty_workspace):
    folder = DATA / "bad_rows"
    upload(app, folder / "accounts.csv", folder / "invoices.csv")
    tables = [app.selectbox(key=f"data_table_{i}").value for i in range(2)]
    assert tables == ["accounts", "orders"]
    mapping = app.data_editor(key="data_mapping_0_accounts").value
    assert (
        dict(zip(mapping["Column in the file"], mapping["Loads as"], strict=True))[
            "Annual Potential"
        ]
        == "potential"
    )
    preview = frame_with(app, "Net amount")
    assert preview["Net amount"].iloc[0] == 91.5  # decimal comma read as a number
    assert len(preview) > 0

    app.button(key="data_load").click().run()
    assert not app.exception
    report = frame_with(app, "Rows read")
    by_file = report.set_index("File")
    assert by_file.loc["accounts.csv", "Loaded"] == 2
    invoices = by_file.loc["invoices.csv"]
    assert (
        invoices["Rows read"]
        == invoices["Loaded"] + invoices["Already loaded (skipped)"] + invoices["Rejected"]
    )
    assert invoices["Rejected"] >= 1
    rejects = frame_with(app, "Reason")
    assert list(rejects.columns) == ["Line", "Reason"]
    assert rejects["Line"].min() > 1  # a line number in the file, the header being line 1
    counts = empty_workspace.counts()
    assert counts["accounts"] == 2
    assert counts["orders"] == invoices["Loaded"]


def test_a_column_can_be_ignored_before_loading(app, empty_workspace):
    upload(app, DATA / "bad_rows" / "accounts.csv")
    frame = app.data_editor(key="data_mapping_0_accounts").value
    row = int(frame.index[frame["Column in the file"] == "Annual Potential"][0])
    # What the browser sends when a cell of the editor is changed.
    app.session_state["data_mapping_0_accounts"] = {
        "edited_rows": {row: {"Loads as": "(ignore this column)"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    assert not app.exception
    preview = frame_with(app, "Line in the file")
    assert "Potential" not in preview.columns
    app.button(key="data_load").click().run()
    assert not app.exception
    potentials = empty_workspace.con.execute("select count(potential) from accounts").fetchone()
    assert potentials == (0,)


def test_data_health_and_clear_with_confirmation(app, empty_workspace):
    upload(
        app,
        DATA / "unmatched_accounts" / "accounts_first.csv",
        DATA / "unmatched_accounts" / "activities.csv",
    )
    app.button(key="data_load").click().run()
    assert not app.exception
    labels = {m.label: m.value for m in app.metric}
    assert labels["Accounts found"] == "1"
    # 4 activities: 1 at Northwind matched; Fabrikam and Tailspin rows kept aside.
    assert labels["Activities matched to an account"] == "25.0 %"
    app.button(key="data_clear_confirm").click().run()
    assert not app.exception
    assert empty_workspace.is_empty()
