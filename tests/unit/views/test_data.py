"""reltruth.views.data on hand-made proposals, plans, reports and import logs: what the Data
page's sections compute, checked against values worked out by hand."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from reltruth import ingest
from reltruth.ingest.undo import Import
from reltruth.views import data as view
from reltruth.workspace import Workspace


def _proposal(**changes: object) -> ingest.Proposal:
    base: dict[str, object] = {
        "source": "users.csv",
        "table": "reps",
        "mapping": {"User ID": "rep_id", "Full Name": "rep_name", "Notes": "ignore"},
        "confidence": 0.75,
        "saved": False,
        "preview": pd.DataFrame(),
        "notes": [],
        "reasons": {"User ID": "Salesforce header", "Full Name": "synonym"},
    }
    return ingest.Proposal(**{**base, **changes})  # type: ignore[arg-type]


def _edited(loads_as: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {"Column in the file": ["User ID", "Full Name", "Notes"], "Loads as": loads_as}
    )


def test_field_and_file_names() -> None:
    assert view.field_label("owner_rep_name") == "Owner (rep name)"
    assert view.field_label("annual_revenue") == "Annual revenue"
    assert view.table_label(None) == "–"
    assert view.table_label("orders") == "Orders / invoice lines"
    assert view.table_choice("reps", "reps") == "Reps (users) (recognised)"
    assert view.table_choice("accounts", "reps") == "Accounts"
    assert view.safe_name("../Q3 report (final).csv") == "Q3_report_final_.csv"
    assert view.safe_name("§§§") == "upload"
    assert len(view.safe_name("a" * 300 + ".csv")) == 120


def test_mapping_table_rows_choices_and_how_it_came_about() -> None:
    t = view.mapping_table(_proposal(), "reps", "reps")
    assert t.how == (
        "Mapping: recognised with 75% of the columns understood. "
        "Change a field, or ignore a column, in the table below."
    )
    assert t.choices == (view.IGNORED, "rep_id", "rep_name", "manager", "team", "region",
                         "email", "quota")  # fmt: skip
    assert t.frame.to_dict("list") == {
        "Column in the file": ["User ID", "Full Name", "Notes"],
        "Loads as": ["rep_id", "rep_name", view.IGNORED],
        "Why": ["Salesforce header", "synonym", ""],
    }
    assert view.mapping_table(_proposal(), "accounts", "reps").how.startswith(
        "Mapping: your choice of table."
    )
    assert view.mapping_table(_proposal(saved=True), "accounts", "reps").how.startswith(
        "Mapping: the mapping saved for files with these columns."
    )


def test_read_mapping_keeps_only_the_changed_columns_as_overrides() -> None:
    base = _proposal()
    same = view.read_mapping(_edited(["rep_id", "rep_name", view.IGNORED]), base)
    assert same.mapping == {"User ID": "rep_id", "Full Name": "rep_name", "Notes": None}
    assert same.overrides == {}
    assert same.error == ""
    changed = view.read_mapping(_edited(["rep_id", view.IGNORED, "team"]), base)
    # an ignored column goes to propose as "ignore"; an unchanged one not at all
    assert changed.overrides == {"Full Name": "ignore", "Notes": "team"}
    assert view.needs_confirmation(_proposal(needs_confirmation=True), "reps", "reps", {})
    assert not view.needs_confirmation(
        _proposal(needs_confirmation=True), "reps", "reps", changed.overrides
    )
    assert not view.needs_confirmation(_proposal(needs_confirmation=True), "accounts", "reps", {})
    assert not view.needs_confirmation(base, "reps", "reps", {})


def test_a_field_from_two_columns_cannot_load() -> None:
    edit = view.read_mapping(_edited(["rep_id", "rep_id", "team"]), _proposal())
    assert edit.error == (
        "Each field can come from one column only: User ID and Full Name are all mapped to "
        "Rep ID. Set all but one of them to another field or to ignore."
    )
    assert edit.overrides == {}


def test_batches_group_files_by_table_in_first_seen_order() -> None:
    a, b, c = Path("/s/a.csv"), Path("/s/b.xlsx"), Path("/s/c.csv")
    planned = [
        view.Planned(a, "orders", {"Amount": "net_amount"}, "Jan.csv"),
        view.Planned(b, "reps", {"Name": "rep_name"}, "Users.xlsx", sheet="Users", replace=True),
        view.Planned(c, "orders", {"Net": "net_amount"}, "Feb.csv", replace=True),
    ]
    got = view.batches(planned)
    assert [g.table for g in got] == ["orders", "reps"]
    orders, reps = got
    assert orders.paths == [a, c]
    assert orders.mappings == {str(a): {"Amount": "net_amount"}, str(c): {"Net": "net_amount"}}
    assert orders.names == {str(a): "Jan.csv", str(c): "Feb.csv"}
    assert orders.sheets == {}  # CSV files have none
    assert orders.replace == {str(c)}
    assert reps.sheets == {str(b): "Users"}
    assert reps.replace == {str(b)}
    assert view.batches([]) == []


def _file(name: str, **counts: object) -> ingest.FileReport:
    base: dict[str, object] = {
        "file": name,
        "table": "orders",
        "rows_read": 10,
        "rows_loaded": 7,
        "rows_duplicate": 1,
        "rows_rejected": 2,
    }
    return ingest.FileReport(**{**base, **counts})  # type: ignore[arg-type]


def test_merged_report_and_its_table() -> None:
    bad = _file("jan.csv", rejects=[ingest.Reject(14, "bad date"), ingest.Reject(20, "no id")],
                unmatched_accounts=["Contoso", "Fabrikam"])  # fmt: skip
    clean = _file("users.csv", table="reps", rows_read=3, rows_loaded=3, rows_duplicate=0,
                  rows_rejected=0)  # fmt: skip
    noted = _file("feb.csv", rows_rejected=0, notes=["durations in ms"], table=None)
    merged = view.merge_reports(
        [ingest.LoadReport([bad, clean], ["3 rows now matched"]), ingest.LoadReport([noted])]
    )
    assert [f.file for f in merged.files] == ["jan.csv", "users.csv", "feb.csv"]
    assert merged.notes == ["3 rows now matched"]
    v = view.report_view(merged)
    assert v.refused is None
    assert v.frame.to_dict("records")[0] == {
        "File": "jan.csv",
        "Table": "Orders / invoice lines",
        "Rows read": 10,
        "Loaded": 7,
        "Already loaded (skipped)": 1,
        "Rejected": 2,
        "Unmatched accounts": 2,
    }
    assert list(v.frame["Table"]) == ["Orders / invoice lines", "Reps (users)", "–"]
    assert set(view.REPORT_COUNTS) <= set(v.frame.columns)
    # the clean file has nothing to detail; rejected lines open by themselves
    assert [(d.number, d.label, d.expanded) for d in v.details] == [
        (1, "Details: file 1 (2 rejected)", True),
        (3, "Details: file 3 (0 rejected)", False),
    ]
    d = view.file_details(bad)
    assert d.rejects.to_dict("list") == {"Line": [14, 20], "Reason": ["bad date", "no id"]}
    assert list(d.unmatched["Account name in the file"]) == ["Contoso", "Fabrikam"]
    assert d.unknown_reps.empty
    refused = view.report_view(ingest.LoadReport([_file("x.csv", refused="too many bad rows")]))
    assert refused.refused == "too many bad rows"


def _import(import_id: str, at: datetime, *, can_undo: bool = True) -> Import:
    return Import(import_id, None, at, f"{import_id}.csv", "accounts", 5, 4, 0, 1, can_undo)


def test_import_log_undo_sentences_and_past_reports() -> None:
    # newest first, as undo.imports returns the log
    log = [
        _import("c", datetime(2026, 3, 2, 9, 5)),
        _import("b", datetime(2026, 3, 1, 14, 30)),
        _import("a", datetime(2026, 2, 27, 8, 0), can_undo=False),
    ]
    reports = {"b": _file("b.csv", unmatched_accounts=["X"], unknown_reps=["Ann", "Bo"])}
    v = view.build_imports_view(log, reports)
    assert not v.is_empty
    assert v.labels == {
        "c": "c.csv (02 Mar 2026, 09:05)",
        "b": "b.csv (01 Mar 2026, 14:30)",
        "a": "a.csv (27 Feb 2026, 08:00)",
    }
    assert list(v.undoable) == ["c", "b"]
    assert list(v.frame["Unmatched accounts"]) == [0, 1, 0]
    assert list(v.frame["Unknown reps"]) == [0, 2, 0]
    assert list(v.frame["Table"]) == ["Accounts"] * 3
    assert list(v.frame["Can be undone"]) == [True, True, False]
    assert view.undo_warning(log, "c") == (
        "Every table goes back to what it was before c.csv (02 Mar 2026, 09:05) was loaded."
    )
    assert view.undo_warning(log, "b") == (
        "Every table goes back to what it was before b.csv (01 Mar 2026, 14:30) was loaded, "
        "and the 1 import after it are taken back too."
    )
    assert view.undo_warning(log, "a").endswith("and the 2 imports after it are taken back too.")
    assert view.undone_message(log[:2]) == (
        "Undone: c.csv (02 Mar 2026, 09:05), b.csv (01 Mar 2026, 14:30)"
    )
    assert view.past_summary(_file("p.csv", rows_read=1234)) == (
        "1,234 rows read, 7 loaded, 1 already loaded (skipped), 2 rejected.",
        "Nothing else to report: no rejected lines, unmatched names or unknown reps.",
    )
    assert view.past_summary(reports["b"])[1] == ""
    assert view.build_imports_view([], {}).is_empty


def test_upload_captions() -> None:
    assert view.loaded_caption(0) == ""
    assert view.loaded_caption(1).startswith("1 of the files above is loaded")
    assert view.loaded_caption(2).startswith("2 of the files above are loaded")
    assert view.load_label(1) == "Load 1 file"
    assert view.load_label(3) == "Load 3 files"


def test_segment_table_offers_any_other_segment_and_reads_back() -> None:
    frame = view.segment_frame([("Retail", 12), ("Industry", 3)])
    assert frame.to_dict("list") == {
        "segment": ["Retail", "Industry", view.ANY_SEGMENT],
        "accounts": [12, 3, 0],
        "potential": [None, None, None],
    }
    # accounts without a segment already have the row: it is not offered twice
    assert list(view.segment_frame([("Retail", 2), ("", 5)])["segment"]) == [
        "Retail",
        view.ANY_SEGMENT,
    ]
    edited = frame.assign(potential=[50000.0, None, 1000.0])
    assert view.segment_values(edited) == {"Retail": 50000.0, "*": 1000.0}


@pytest.fixture
def ws() -> Iterator[Workspace]:
    w = Workspace.open(memory=True)
    w.con.execute(
        "insert into reps (rep_id, rep_name, team) values ('R01', 'Frank', 'North'), "
        "('R02', 'Ana', null);"
        "insert into accounts (account_id, account_name, owner_rep_id, potential, owner_since) "
        "values ('A1', 'Contoso', 'R01', 100000, date '2025-03-01'), "
        "('A2', 'Northwind', 'R02', null, date '2024-01-15')"
    )
    yield w
    w.close()


def test_health_view_checklist_and_tables(ws: Workspace) -> None:
    v = view.health_view(ws)
    rows = v.checklist.set_index("Part")
    assert list(v.checklist.columns) == ["", "Part", "Loaded", "Still missing? Load", "Unlocks"]
    assert rows.loc["Account owners", ""] == "✓"
    assert rows.loc["Account owners", "Loaded"] == "2 of 2 accounts"
    assert rows.loc["Potentials", ""] == "–"
    assert rows.loc["Potentials", "Loaded"] == "1 stated, 0 estimated, of 2 accounts"
    assert rows.loc["Teams", "Loaded"] == "1 of 2 reps"
    assert rows.loc["Activities", "Still missing? Load"].startswith("an activities export")
    assert v.figures.reps == 2
    assert v.figures.accounts_without_potential == 1
    assert v.offers_estimate  # one account lacks a potential
    tables = v.tables.set_index("table_name")
    assert tables.loc["accounts", "table_label"] == "Accounts (estimated: potentials)"
    assert tables.loc["accounts", "dates"] == "15 Jan 2024 – 1 Mar 2025"
    assert tables.loc["reps", "dates"] == "–"
    assert "estimated_share" in v.tables.columns


def test_no_estimate_offered_when_every_potential_is_stated(ws: Workspace) -> None:
    ws.con.execute("update accounts set potential = 5000 where account_id = 'A2'")
    assert not view.health_view(ws).offers_estimate
    assert view.health_view(ws).checklist.set_index("Part").loc["Potentials", ""] == "✓"


def test_health_of_an_empty_workspace() -> None:
    w = Workspace.open(memory=True)
    try:
        v = view.health_view(w)
        assert v.figures.reps == 0
        assert v.figures.activities_matched_share is None
        assert set(v.checklist[""]) == {"–"}
        assert not v.offers_estimate
    finally:
        w.close()


def test_dates_in_the_health_table_read_as_days() -> None:
    assert view.health.date_range(
        {"first_date": date(2026, 1, 5), "last_date": date(2026, 2, 1)}
    ) == ("5 Jan 2026 – 1 Feb 2026")
