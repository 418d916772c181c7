"""The Data page's mapping step: hand mapping of an unknown file, reuse of a saved mapping,
confirmation of a weak recognition, sheet choice, and what the editor refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_helpers import ROOT, frame_with, texts, upload
from openpyxl import Workbook

from reltruth.ingest import ingest_files, undo

DATA = ROOT / "tests" / "data"


@pytest.fixture
def app(empty_workspace, make_app):
    return make_app()


def edit(at, key: str, changes: dict[str, str]) -> None:
    """Set "Loads as" of the named columns, as the browser sends an edit of the editor."""
    frame = at.data_editor(key=key).value
    rows = {
        int(frame.index[frame["Column in the file"] == header][0]): {"Loads as": fld}
        for header, fld in changes.items()
    }
    at.session_state[key] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def kd_file(tmp_path: Path, name: str, rows: str) -> Path:
    path = tmp_path / name
    path.write_text("Kd;Dt;Btr\n" + rows, encoding="utf-8")
    return path


def test_unknown_file_is_mapped_by_hand_and_the_mapping_is_reused(
    app, empty_workspace, make_app, tmp_path
):
    ingest_files(empty_workspace, [DATA / "identical_lines" / "accounts.csv"])
    first = kd_file(tmp_path, "kunden_jan.csv", "Northwind;2026-01-02;100,50\n")
    upload(app, first)
    assert any("does not recognise these columns" in t for t in texts(app))
    assert not any("000-" in t for t in texts(app))  # the user's file name, never the staged one
    assert not [b for b in app.button if b.key == "data_load"]  # nothing mapped yet
    app.selectbox(key="data_table_0").set_value("orders").run()
    edit(
        app,
        "data_mapping_0_orders",
        {"Kd": "account_name", "Dt": "order_date", "Btr": "net_amount"},
    )
    preview = frame_with(app, "Net amount")
    assert preview["Net amount"].iloc[0] == 100.5  # the preview updates with the mapping
    app.button(key="data_load").click().run()
    assert not app.exception
    assert empty_workspace.counts()["orders"] == 1, texts(app)

    # A new session, the next month's file with the same columns: the saved mapping loads it.
    again = make_app()
    upload(again, kd_file(tmp_path, "kunden_feb.csv", "Contoso;2026-02-02;50\n"))
    assert any("the mapping saved for files with these columns" in t for t in texts(again))
    again.button(key="data_load").click().run()
    assert not again.exception
    net = empty_workspace.con.execute("select sum(net_amount) from orders").fetchone()
    assert net == (150.5,)


def test_two_columns_mapped_to_one_field_are_refused(app, tmp_path):
    path = tmp_path / "accounts.csv"
    path.write_text("Account Name,Other Name\nAcme,Acme Ltd\n", encoding="utf-8")
    upload(app, path)
    edit(
        app,
        "data_mapping_0_accounts",
        {"Other Name": "account_name", "Account Name": "account_name"},
    )
    assert any("Each field can come from one column only" in e.value for e in app.error)
    assert not [b for b in app.button if b.key == "data_load"]


def test_weak_recognition_is_not_loaded_until_confirmed(app, empty_workspace, tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("When,Who,Customer,Kind,Length\n2026-03-02,Frank,Acme,visit,60\n", "utf-8")
    upload(app, path)
    assert app.selectbox(key="data_table_0").value == "accounts"
    assert any("Only part of this file was recognised" in w.value for w in app.warning)
    assert not [b for b in app.button if b.key == "data_load"]  # nothing to load yet
    app.checkbox(key="data_confirm_0").check().run()
    app.button(key="data_load").click().run()
    assert not app.exception
    assert empty_workspace.counts()["accounts"] == 1


def test_excel_sheet_is_chosen(app, empty_workspace, tmp_path):
    path = tmp_path / "export.xlsx"
    wb = Workbook()
    notes = wb.active
    notes.title = "Notes"
    notes.append(["Exported by", "Maria"])
    accounts = wb.create_sheet("Accounts")
    accounts.append(["Account Name", "Annual Potential"])
    accounts.append(["Acme", 120000])
    accounts.append(["Beta", 50000])
    wb.save(path)
    upload(app, path)
    app.selectbox(key="data_sheet_0").set_value("Accounts").run()
    assert not app.exception
    assert app.selectbox(key="data_table_0").value == "accounts"
    app.button(key="data_load").click().run()
    assert not app.exception
    assert empty_workspace.counts()["accounts"] == 2


def test_unreadable_optional_values_load_the_rows(app, empty_workspace, tmp_path):
    path = tmp_path / "accounts.csv"
    path.write_text("Account Name,Relationship\nAcme,Good\nBeta,Neutral\n", encoding="utf-8")
    upload(app, path)
    app.button(key="data_load").click().run()
    assert not app.exception
    assert empty_workspace.counts()["accounts"] == 2
    assert any('(e.g. "Neutral")' in t for t in texts(app))


def test_undo_restores_every_table(app, empty_workspace):
    folder = DATA / "unmatched_accounts"
    upload(app, folder / "accounts_first.csv")
    app.button(key="data_load").click().run()
    before = {t: n for t, n in empty_workspace.counts().items()}
    accounts = empty_workspace.con.execute("select * from accounts order by 1").fetchall()
    upload(app, folder / "activities.csv")
    app.button(key="data_load").click().run()
    assert not app.exception
    assert empty_workspace.counts() != before
    log = frame_with(app, "Can be undone")
    assert list(log["File"][:1]) == ["activities.csv"]
    latest = undo.imports(empty_workspace)[0]
    assert latest.file == "activities.csv"
    app.selectbox(key="data_undo_choice").set_value(latest.import_id).run()
    app.button(key="data_undo_confirm").click().run()
    assert not app.exception
    assert any(s.value.startswith("Undone: activities.csv") for s in app.success)
    assert empty_workspace.counts() == before
    assert empty_workspace.con.execute("select * from accounts order by 1").fetchall() == accounts


def test_reimport_with_corrected_mapping_replaces_after_asking(app, empty_workspace, tmp_path):
    ingest_files(empty_workspace, [DATA / "identical_lines" / "accounts.csv"])
    path = tmp_path / "calls.csv"
    path.write_text(
        "Date,Assigned,Account,Minutes,Travel\n2026-03-02,Frank Berger,Northwind,20,5\n",
        encoding="utf-8",
    )
    ingest_files(empty_workspace, [path], overrides=["Minutes=travel_minutes", "Travel=ignore"])
    upload(app, path)
    # The saved mapping of the first load comes back; the user corrects it.
    edit(
        app,
        "data_mapping_0_activities",
        {"Minutes": "duration_minutes", "Travel": "travel_minutes"},
    )
    app.checkbox(key="data_replace_0").check().run()
    app.button(key="data_load").click().run()
    assert not app.exception
    rows = empty_workspace.con.execute(
        "select duration_minutes, travel_minutes from activities"
    ).fetchall()
    assert rows == [(20.0, 5.0)]


def test_maven_files_give_owners_teams_and_the_checklist(app, empty_workspace):
    maven = ROOT.parent / "shared" / "datasets" / "maven-crm-opportunities"
    files = ["sales_pipeline.csv", "accounts.csv", "products.csv", "sales_teams.csv"]
    upload(app, *[maven / f for f in files])
    app.button(key="data_load").click().run()
    assert not app.exception
    counts = empty_workspace.con.execute(
        "select count(*), count(owner_rep_id) from accounts"
    ).fetchall()[0]
    assert counts[0] == counts[1] > 0
    assert empty_workspace.con.execute(
        "select count(*) from reps where team is null"
    ).fetchall() == [(0,)]
    checklist = frame_with(app, "Still missing? Load").set_index("Part")
    assert checklist.loc["Account owners", ""] == "✓"
    assert "inferred" in checklist.loc["Account owners", "Loaded"]
    assert checklist.loc["Activities", ""] == "–"
    assert any("owner inferred for" in t for t in texts(app))
