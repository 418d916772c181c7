"""The import log and undo: every table exactly as it was before the undone import."""

from __future__ import annotations

from pathlib import Path

import pytest

from reltruth.cli import main
from reltruth.errors import UserError
from reltruth.ingest import ingest_files, undo
from reltruth.workspace import Workspace

DATA = Path(__file__).parents[2] / "data"
TABLES = (*undo.TABLES, "imports")


def contents(ws: Workspace) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every data table (imports without their time), sorted."""
    out = {}
    for table in TABLES:
        cols = "* exclude (loaded_at, import_id)" if table == "imports" else "*"
        if table == "mappings":
            cols = "* exclude (saved_at)"
        rows = ws.con.execute(f"select {cols} from {table}").fetchall()
        out[table] = sorted(rows, key=repr)
    return out


def test_undo_restores_every_table_exactly(tmp_path: Path) -> None:
    folder = DATA / "unmatched_accounts"
    with Workspace.open(tmp_path / "ws.duckdb") as ws:
        ingest_files(ws, [folder / "accounts_first.csv"])
        before = contents(ws)
        # Activities naming reps not loaded (made implicitly) and accounts not loaded (kept
        # aside), then the accounts that match them (rows move in), then a price list.
        ingest_files(ws, [folder / "activities.csv"])
        ingest_files(ws, [folder / "accounts_later.csv", DATA / "pipedrive_deals/prices.csv"])
        assert contents(ws) != before
        log = undo.imports(ws)
        assert [i.file for i in log[-2:]] == ["activities.csv", "accounts_first.csv"]
        first_after = log[-2]
        undone = undo.undo(ws, first_after.import_id[:8])
        assert {i.file for i in undone} == {"activities.csv", "accounts_later.csv", "prices.csv"}
        assert contents(ws) == before
        assert [i.file for i in undo.imports(ws)] == ["accounts_first.csv"]


def test_only_recent_imports_can_be_undone(tmp_path: Path) -> None:
    with Workspace.open(memory=True) as ws:
        for n in range(undo.KEEP + 1):
            path = tmp_path / f"accounts_{n}.csv"
            path.write_text(f"Account Name\nAcme {n}\n", encoding="utf-8")
            ingest_files(ws, [path])
        log = undo.imports(ws)
        assert [i.can_undo for i in log] == [True] * undo.KEEP + [False]
        with pytest.raises(UserError, match="too old to undo"):
            undo.undo(ws, log[-1].import_id)
        with pytest.raises(UserError, match='no import "nope"'):
            undo.undo(ws, "nope")
        undo.undo(ws, log[0].import_id)
        assert ws.counts()["accounts"] == undo.KEEP


def test_cli_imports_and_undo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = tmp_path / "ws.duckdb"
    folder = DATA / "unmatched_accounts"
    assert main(["ingest", str(folder / "accounts_first.csv"), "--workspace", str(ws)]) == 0
    assert main(["ingest", str(folder / "activities.csv"), "--workspace", str(ws)]) == 0
    capsys.readouterr()
    assert main(["imports", "--workspace", str(ws)]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert "activities.csv -> activities" in listed[0]
    assert main(["undo", listed[0].split()[0], "--workspace", str(ws)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("undone: activities.csv") and "0 activities" in out
    assert main(["undo", "nope", "--workspace", str(ws)]) == 2


def test_reimport_with_a_corrected_mapping_replaces_the_earlier_rows(tmp_path: Path) -> None:
    with Workspace.open(memory=True) as ws:
        ingest_files(ws, [DATA / "identical_lines/accounts.csv"])
        path = tmp_path / "calls.csv"
        path.write_text(
            "Date,Assigned,Account,Minutes,Travel\n"
            "2026-03-02,Frank Berger,Northwind,20,5\n2026-03-03,Frank Berger,Contoso,30,10\n",
            encoding="utf-8",
        )
        # First loaded with the columns swapped, then again with the mapping corrected.
        ingest_files(ws, [path], overrides=["Minutes=travel_minutes", "Travel=duration_minutes"])
        again = ingest_files(
            ws, [path], overrides=["Minutes=duration_minutes", "Travel=travel_minutes"]
        )
        assert again.files[0].rows_duplicate == 2  # without replace: already loaded
        report = ingest_files(
            ws,
            [path],
            overrides=["Minutes=duration_minutes", "Travel=travel_minutes"],
            replace=True,
        )
        f = report.files[0]
        assert (f.rows_loaded, f.rows_duplicate) == (2, 0)
        assert any(
            "2 rows an earlier import of calls.csv loaded were removed" in n for n in f.notes
        )
        assert ws.con.execute(
            "select duration_minutes, travel_minutes from activities order by 1"
        ).fetchall() == [(20.0, 5.0), (30.0, 10.0)]


def _copied(ws: Workspace, table: str) -> int:
    return int(ws.con.execute(f"select count(*) from undo_{table}").fetchall()[0][0])


def test_an_import_of_new_rows_copies_no_activities_or_orders_and_undo_removes_them(
    tmp_path: Path,
) -> None:
    """Issue 19: the big tables are not copied for an import that only adds to them (the
    copy cost what the workspace holds); undo removes the rows by their keys instead."""
    head = "Invoice No,Line,Invoice Date,Customer,Net Value\n"
    first, second = tmp_path / "march.csv", tmp_path / "april.csv"
    first.write_text(head + "A1,1,2026-03-02,Northwind,100\nA1,2,2026-03-02,Contoso,50\n")
    # April repeats a March line and has one line without its number (a hashed key).
    second.write_text(
        head + "A1,2,2026-03-02,Contoso,50\nA2,1,2026-04-01,Northwind,70\n,,2026-04-02,Contoso,9\n"
    )
    with Workspace.open(tmp_path / "ws.duckdb") as ws:
        ingest_files(ws, [DATA / "identical_lines/accounts.csv", first])
        before = contents(ws)
        report = ingest_files(ws, [second])
        assert (report.files[0].rows_loaded, report.files[0].rows_duplicate) == (2, 1)
        assert _copied(ws, "orders") == 0 and _copied(ws, "activities") == 0
        undo.undo(ws, undo.imports(ws)[0].import_id)
        assert contents(ws) == before


def test_undo_of_a_replaced_file_and_of_filled_list_values_restores_the_earlier_rows(
    tmp_path: Path,
) -> None:
    """Writes that change rows already loaded copy the table first, once per call."""
    path = tmp_path / "lines.csv"
    path.write_text(
        "Invoice No,Line,Invoice Date,Customer,Product,Qty,Net Value\n"
        "A1,1,2026-03-02,Northwind,Widget,2,100\nA1,2,2026-03-02,Contoso,Gadget,1,50\n"
    )
    prices = tmp_path / "prices.csv"
    prices.write_text("Product,List Price\nWidget,60\nGadget,55\n")
    with Workspace.open(tmp_path / "ws.duckdb") as ws:
        ingest_files(ws, [DATA / "identical_lines/accounts.csv", path])
        before = contents(ws)
        ingest_files(ws, [prices])  # fills the loaded lines' list values
        assert ws.con.execute("select count(list_amount) from orders").fetchall() == [(2,)]
        undo.undo(ws, undo.imports(ws)[0].import_id)
        assert contents(ws) == before
        path.write_text(path.read_text().replace(",100\n", ",90\n"))
        ingest_files(ws, [path], replace=True)  # the same keys, removed and loaded again
        assert ws.con.execute("select sum(net_amount) from orders").fetchall() == [(140.0,)]
        undo.undo(ws, undo.imports(ws)[0].import_id)
        assert contents(ws) == before


def _keys_recorded(ws: Workspace, table: str) -> int:
    return int(
        ws.con.execute(
            "select count(*) from undo_added where target = $t", {"t": table}
        ).fetchall()[0][0]
    )


def test_a_first_load_records_no_keys_and_undo_empties_the_table_again(tmp_path: Path) -> None:
    """Issue 19: into an empty table the empty copy is the undo (a first load of millions of
    lines wrote every key to undo_added); later imports into it still record their keys."""
    head = "Invoice No,Line,Invoice Date,Customer,Net Value\n"
    first, second = tmp_path / "march.csv", tmp_path / "april.csv"
    first.write_text(head + "A1,1,2026-03-02,Northwind,100\nA1,2,2026-03-02,Contoso,50\n")
    second.write_text(head + "A2,1,2026-04-01,Northwind,70\n")
    with Workspace.open(tmp_path / "ws.duckdb") as ws:
        ingest_files(ws, [DATA / "identical_lines/accounts.csv"])
        empty = contents(ws)
        ingest_files(ws, [first])
        after_first = contents(ws)
        assert len(after_first["orders"]) == 2
        assert _keys_recorded(ws, "orders") == 0
        ingest_files(ws, [second])
        assert _keys_recorded(ws, "orders") == 1
        log = undo.imports(ws)
        undo.undo(ws, log[0].import_id)
        assert contents(ws) == after_first
        undo.undo(ws, undo.imports(ws)[0].import_id)
        assert contents(ws) == empty
