"""The Data page: upload -> recognised table and mapping -> preview -> load -> report."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_helpers import ROOT, frame_with, upload

DATA = ROOT / "tests" / "data"


@pytest.fixture
def app(empty_workspace, make_app):
    return make_app()


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
    assert labels["Activities matched to an account"] == "25.0\u00a0%"
    app.button(key="data_clear_confirm").click().run()
    assert not app.exception
    assert empty_workspace.is_empty()


ACCOUNTS_WITHOUT_POTENTIAL = (
    "Account ID,Account Name,Industry,Employees\n"
    "A1,Northwind Traders,Retail,40\n"
    "A2,Contoso Ltd,Retail,10\n"
    "A3,Fabrikam Inc,Metalworking,\n"
)


def _load_accounts_without_potential(app, tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text(ACCOUNTS_WITHOUT_POTENTIAL)
    upload(app, path)
    app.button(key="data_load").click().run()
    assert not app.exception


def _potentials(ws) -> list[tuple]:
    return ws.con.execute(
        "select account_id, potential, potential_estimated from accounts order by 1"
    ).fetchall()


def test_potentials_are_estimated_per_employee_and_marked(app, empty_workspace, tmp_path):
    _load_accounts_without_potential(app, tmp_path)
    assert any("Estimate potentials" in s.value for s in app.subheader)
    app.radio(key="data_potential_rule").set_value("per_employee").run()
    app.number_input(key="data_potential_per_employee").set_value(1000.0).run()
    app.button(key="data_potential_go").click().run()
    assert not app.exception
    assert any("2 accounts got an estimated potential" in s.value for s in app.success)
    assert _potentials(empty_workspace) == [
        ("A1", 40_000.0, True),
        ("A2", 10_000.0, True),
        ("A3", None, False),  # no employees: nothing to estimate from
    ]


def test_potentials_are_estimated_per_segment(app, empty_workspace, tmp_path):
    _load_accounts_without_potential(app, tmp_path)
    app.radio(key="data_potential_rule").set_value("per_segment").run()
    frame = app.data_editor(key="data_potential_segments").value
    assert list(frame["segment"]) == ["Retail", "Metalworking", "(any other segment)"]
    assert list(frame["accounts"]) == [2, 1, 0]
    app.session_state["data_potential_segments"] = {
        "edited_rows": {0: {"potential": 50_000}, 1: {"potential": 80_000}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    app.button(key="data_potential_go").click().run()
    assert not app.exception
    assert _potentials(empty_workspace) == [
        ("A1", 50_000.0, True),
        ("A2", 50_000.0, True),
        ("A3", 80_000.0, True),
    ]
