"""Loading rules of docs/ingest.md: matching, duplicates, rows kept aside, deals, price lists,
ratings, default durations, refusals and the one-transaction rule."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reltruth.errors import UserError
from reltruth.ingest import ingest_files
from reltruth.ingest.potential import estimate_potentials
from reltruth.workspace import Workspace

DATA = Path(__file__).parents[2] / "data"


@pytest.fixture
def ws() -> Iterator[Workspace]:
    with Workspace.open(memory=True) as workspace:
        yield workspace


def rows(ws: Workspace, sql: str) -> list[tuple[object, ...]]:
    return ws.con.execute(sql).fetchall()


def counts(ws: Workspace) -> dict[str, int]:
    tables = (
        "reps",
        "accounts",
        "activities",
        "orders",
        "pipeline",
        "price_list",
        "unmatched",
        "mappings",
        "imports",
    )
    return {t: int(rows(ws, f"select count(*) from {t}")[0][0]) for t in tables}


def assert_adds_up(report: object) -> None:
    for f in report.files:  # type: ignore[attr-defined]
        assert f.rows_read == f.rows_loaded + f.rows_duplicate + f.rows_rejected


def test_bad_rows_are_rejected_with_line_and_reason_and_good_rows_load(ws: Workspace) -> None:
    report = ingest_files(ws, [DATA / "bad_rows/invoices.csv", DATA / "bad_rows/accounts.csv"])
    assert report.refused is None
    inv = next(f for f in report.files if f.file == "invoices.csv")
    assert (inv.rows_read, inv.rows_loaded, inv.rows_rejected) == (83, 80, 3)
    by_line = {r.line: r.reason for r in inv.rejects}
    assert set(by_line) == {12, 32, 52}
    assert "31.02.2024" in by_line[12] and "date" in by_line[12]
    assert "ninety" in by_line[32] and "Net Value" in by_line[32]
    assert "7 values" in by_line[52] and "9 columns" in by_line[52]  # wrong number of fields
    # 80 good lines: 90.5 each plus (i mod 5) for i = 1..80 -> 80 * 90.5 + 16 * (0+1+2+3+4) = 7,400
    assert rows(ws, "select count(*), sum(net_amount) from orders") == [(80, 7400.0)]
    assert_adds_up(report)


def test_more_than_five_percent_bad_is_refused_and_changes_nothing(ws: Workspace) -> None:
    ingest_files(ws, [DATA / "too_many_bad_rows/accounts.csv"])
    before = counts(ws)
    report = ingest_files(ws, [DATA / "too_many_bad_rows/invoices.csv"])
    assert (
        report.refused
        and "1 of 4 rows (25%)" in report.refused
        and "--accept-partial" in report.refused
    )
    assert counts(ws) == before  # no orders, no saved mapping, no import log
    partial = ingest_files(ws, [DATA / "too_many_bad_rows/invoices.csv"], accept_partial=True)
    assert partial.refused is None
    assert rows(ws, "select count(*), sum(net_amount) from orders") == [(3, 364.0)]


def test_a_refused_file_rolls_back_the_whole_call(ws: Workspace) -> None:
    before = counts(ws)
    report = ingest_files(
        ws, [DATA / "too_many_bad_rows/accounts.csv", DATA / "too_many_bad_rows/invoices.csv"]
    )
    assert report.refused
    assert counts(ws) == before  # the accounts of the same call are not kept either


def test_identical_lines_both_load_and_reloading_adds_nothing(ws: Workspace) -> None:
    files = [DATA / "identical_lines/activities.csv", DATA / "identical_lines/accounts.csv"]
    first = ingest_files(ws, files)
    acts = next(f for f in first.files if f.table == "activities")
    assert (acts.rows_loaded, acts.rows_duplicate) == (4, 0)  # two identical calls are two calls
    after_first = counts(ws)
    second = ingest_files(ws, files)
    assert all(f.rows_loaded == 0 and f.rows_duplicate == f.rows_read for f in second.files)
    after_second = counts(ws)
    for table in (
        "reps",
        "accounts",
        "activities",
        "orders",
        "pipeline",
        "price_list",
        "unmatched",
    ):
        assert after_second[table] == after_first[table], table


def test_names_match_ignoring_case_and_spaces_and_reps_are_created(ws: Workspace) -> None:
    ingest_files(
        ws, [DATA / "identical_lines/activities.csv", DATA / "identical_lines/accounts.csv"]
    )
    assert rows(ws, "select account_id, count(*) from activities group by 1 order by 1") == [
        ("contoso", 1),
        ("northwind", 3),
    ]  # "northwind " matched Northwind
    assert rows(ws, "select rep_id, rep_name, is_implicit from reps order by 1") == [
        ("frank berger", "Frank Berger", True),
        ("lena vogt", "Lena Vogt", True),
    ]
    assert rows(ws, "select account_id, owner_rep_id from accounts order by 1") == [
        ("contoso", "lena vogt"),
        ("northwind", "frank berger"),
    ]


def test_missing_durations_take_the_type_default_and_are_estimated(ws: Workspace) -> None:
    ingest_files(
        ws, [DATA / "identical_lines/activities.csv", DATA / "identical_lines/accounts.csv"]
    )
    # default durations (docs/ingest.md): visit 60, email 5; "E-mail" is an email
    assert rows(
        ws,
        "select activity_type, duration_minutes, duration_estimated from activities "
        "order by activity_date, activity_type",
    ) == [("call", 10.0, False), ("call", 10.0, False), ("visit", 60.0, True), ("email", 5.0, True)]


def test_unmatched_rows_are_kept_aside_and_load_when_the_account_arrives(ws: Workspace) -> None:
    report = ingest_files(
        ws,
        [
            DATA / "unmatched_accounts/activities.csv",
            DATA / "unmatched_accounts/accounts_first.csv",
        ],
    )
    acts = next(f for f in report.files if f.table == "activities")
    assert acts.rows_loaded == 4  # kept-aside rows are not lost
    assert acts.unmatched_accounts == [
        "FABRIKAM",
        "Fabrikam",
        "Tailspin",
    ] or acts.unmatched_accounts == ["  FABRIKAM ", "Fabrikam", "Tailspin"]
    assert rows(ws, "select count(*) from activities") == [(1,)]
    assert rows(ws, "select count(*) from unmatched") == [(3,)]
    later = ingest_files(ws, [DATA / "unmatched_accounts/accounts_later.csv"])
    assert any("2 activities" in n for n in later.notes)
    assert rows(
        ws, "select activity_id, account_id, duration_minutes from activities order by 1"
    ) == [("A1", "northwind", 90.0), ("A2", "fabrikam", 10.0), ("A3", "fabrikam", 30.0)]
    assert rows(ws, "select row_key from unmatched") == [("id:A4",)]
    # loading the activities again: the two moved rows and the kept-aside one are duplicates
    again = ingest_files(ws, [DATA / "unmatched_accounts/activities.csv"])
    assert again.files[0].rows_duplicate == 4


def test_mixed_currencies_are_refused(ws: Workspace) -> None:
    ingest_files(ws, [DATA / "mixed_currency/accounts.csv"])
    before = counts(ws)
    with pytest.raises(UserError, match=r"mixes currencies \(EUR, USD\)"):
        ingest_files(ws, [DATA / "mixed_currency/invoices.csv"])
    assert counts(ws) == before


def test_hubspot_milliseconds(ws: Workspace) -> None:
    ingest_files(ws, [DATA / "hubspot_calls/calls.csv", DATA / "hubspot_calls/accounts.csv"])
    # 600,000 ms = 10 min; 90,000 ms = 1.5 min; blank -> call default 10, estimated
    assert rows(
        ws, "select activity_id, duration_minutes, duration_estimated from activities order by 1"
    ) == [("101", 10.0, False), ("102", 1.5, False), ("103", 10.0, True)]


def test_dynamics_activities(ws: Workspace) -> None:
    ingest_files(
        ws, [DATA / "dynamics_activities/activities.csv", DATA / "dynamics_activities/accounts.csv"]
    )
    assert rows(
        ws,
        "select account_id, rep_id, activity_type, duration_minutes, duration_estimated "
        "from activities order by 1",
    ) == [
        ("contoso", "lena vogt", "call", 10.0, True),
        ("northwind", "frank berger", "meeting", 45.0, False),
    ]


def test_pipedrive_deals_become_orders_and_pipeline_with_price_list(ws: Workspace) -> None:
    report = ingest_files(
        ws,
        [
            DATA / "pipedrive_deals/deals.csv",
            DATA / "pipedrive_deals/prices.csv",
            DATA / "pipedrive_deals/accounts.csv",
        ],
    )
    assert sorted(f.table for f in report.files) == ["accounts", "deals", "price_list"]
    assert rows(
        ws,
        "select order_id, account_id, order_date::varchar, net_amount, list_amount, source "
        "from orders order by 1",
    ) == [
        ("1", "northwind", "2024-03-01", 1200.0, 1500.0, "deals"),
        ("4", "contoso", "2024-04-15", 950.0, 1500.0, "deals"),
    ]  # "widget-pro" = "Widget Pro"
    assert rows(ws, "select deal_id, stage from pipeline order by 1") == [
        ("1", "won"),
        ("2", "lost"),
        ("3", "open"),
        ("4", "won"),
    ]
    deals = report.files[2]
    assert any('"widget-pro"' in n and '"Widget Pro"' in n for n in deals.notes)


def test_price_list_loaded_later_fills_list_values(ws: Workspace) -> None:
    ingest_files(ws, [DATA / "pipedrive_deals/deals.csv", DATA / "pipedrive_deals/accounts.csv"])
    assert rows(ws, "select count(list_amount) from orders") == [(0,)]
    ingest_files(ws, [DATA / "pipedrive_deals/prices.csv"])
    assert rows(ws, "select sum(list_amount) from orders") == [(3000.0,)]


def test_relationship_words_map_to_the_spec_scale(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text(
        "Account Name,Relationship\nA,Poor\nB,weak\nC,Fair\nD,Strong\nE,Very good\nF,4\n",
        encoding="utf-8",
    )
    ingest_files(ws, [path])
    assert rows(ws, "select account_id, relationship_rating from accounts order by 1") == [
        ("a", 1),
        ("b", 2),
        ("c", 3),
        ("d", 4),
        ("e", 5),
        ("f", 4),
    ]


def test_reps_file_after_implicit_reps_takes_them_over(ws: Workspace, tmp_path: Path) -> None:
    ingest_files(
        ws, [DATA / "identical_lines/activities.csv", DATA / "identical_lines/accounts.csv"]
    )
    users = tmp_path / "users.csv"
    users.write_text("User ID,Full Name,Manager\nR01,Frank Berger,Maria Keller\n", encoding="utf-8")
    report = ingest_files(ws, [users])
    assert report.files[0].rows_loaded == 1
    assert rows(ws, "select rep_id, is_implicit from reps order by 1") == [
        ("R01", False),
        ("lena vogt", True),
    ]
    assert rows(ws, "select distinct rep_id from activities where account_id = 'northwind'") == [
        ("R01",)
    ]
    assert rows(ws, "select owner_rep_id from accounts where account_id = 'northwind'") == [
        ("R01",)
    ]


def test_mapping_is_saved_and_reused(ws: Workspace, tmp_path: Path) -> None:
    # Abbreviations no synonym list knows: only a hand mapping can say what they are.
    path = tmp_path / "kunden.csv"
    path.write_text("Kd,Dt,Btr\nNorthwind,2024-01-02,100\n", encoding="utf-8")
    ingest_files(ws, [DATA / "identical_lines/accounts.csv"])
    with pytest.raises(UserError, match="could not tell"):
        ingest_files(ws, [path])
    ingest_files(
        ws,
        [path],
        table="orders",
        overrides=["Kd=account_name", "Dt=order_date", "Btr=net_amount"],
    )
    nxt = tmp_path / "kunden_feb.csv"
    nxt.write_text("Kd,Dt,Btr\nContoso,2024-02-02,50\n", encoding="utf-8")
    report = ingest_files(ws, [nxt])  # no --table, no --map: the saved mapping is used
    assert report.files[0].table == "orders"
    assert rows(ws, "select account_id, net_amount from orders order by 1") == [
        ("contoso", 50.0),
        ("northwind", 100.0),
    ]


def test_estimate_potentials_rules(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text(
        "Account Name,Annual Potential,Annual Revenue,Employees,Industry\n"
        "A,500,1000000,10,Retail\nB,,2000000,20,Retail\nC,,,30,Food\n",
        encoding="utf-8",
    )
    report = ingest_files(ws, [path])
    assert any("potential missing for 2 accounts" in n for n in report.files[0].notes)
    assert estimate_potentials(ws, "share_of_company_revenue", 0.01) == 1
    assert rows(
        ws, "select account_id, potential, potential_estimated from accounts order by 1"
    ) == [("a", 500.0, False), ("b", 20000.0, True), ("c", None, False)]
    assert estimate_potentials(ws, "per_employee", 1000) == 2  # replaces the earlier estimate
    assert rows(ws, "select potential from accounts order by 1") == [
        (500.0,),
        (20000.0,),
        (30000.0,),
    ]
    assert estimate_potentials(ws, "per_segment", {"retail": 7000, "*": 3000}) == 2
    assert rows(ws, "select potential, potential_estimated from accounts order by account_id") == [
        (500.0, False),
        (7000.0, True),
        (3000.0, True),
    ]
    with pytest.raises(UserError):
        estimate_potentials(ws, "per_employee", -1)


def test_propose_shows_table_mapping_and_typed_preview(ws: Workspace) -> None:
    from reltruth.ingest import propose

    proposal = propose(ws, DATA / "hubspot_calls/calls.csv")
    assert (proposal.table, proposal.saved) == ("activities", False)
    assert proposal.mapping["Call duration (ms)"] == "duration_ms"
    assert proposal.preview["duration_ms"].tolist()[:2] == [10.0, 1.5]
    assert any("milliseconds" in n for n in proposal.notes)
    assert counts(ws)["activities"] == 0  # proposing writes nothing
    ingest_files(ws, [DATA / "hubspot_calls/calls.csv", DATA / "hubspot_calls/accounts.csv"])
    assert propose(ws, DATA / "hubspot_calls/calls.csv").saved


def test_next_months_deals_export_updates_changed_deals(ws: Workspace, tmp_path: Path) -> None:
    ingest_files(ws, [DATA / "pipedrive_deals/deals.csv", DATA / "pipedrive_deals/accounts.csv"])
    later = tmp_path / "deals.csv"  # deal 3 (open) is now won; the others are unchanged
    later.write_text(
        (DATA / "pipedrive_deals/deals.csv")
        .read_text(encoding="utf-8")
        .replace(
            "3,Contoso,Lena Vogt,open,500,,Widget", "3,Contoso,Lena Vogt,won,520,2024-05-20,Widget"
        ),
        encoding="utf-8",
    )
    report = ingest_files(ws, [later])
    assert (report.files[0].rows_loaded, report.files[0].rows_duplicate) == (1, 3)
    assert rows(ws, "select deal_id, stage, value from pipeline order by 1") == [
        ("1", "won", 1200.0),
        ("2", "lost", 800.0),
        ("3", "won", 520.0),
        ("4", "won", 950.0),
    ]
    assert rows(ws, "select count(*), sum(net_amount) from orders") == [(3, 2670.0)]


def test_rows_without_their_id_fall_back_to_content_keys(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "activities.csv"
    path.write_text(
        "Activity ID,Date,Assigned,Company / Account,Activity Type\n"
        "A1,2024-05-02,Frank Berger,Northwind,Call\n"
        ",2024-05-03,Frank Berger,Northwind,Call\n"
        ",2024-05-03,Frank Berger,Northwind,Call\n"
        "A1,2024-05-09,Frank Berger,Northwind,Visit\n",
        encoding="utf-8",
    )
    ingest_files(ws, [DATA / "identical_lines/accounts.csv"])
    first = ingest_files(ws, [path]).files[0]
    # A1 twice: the second is a duplicate; the two id-less identical lines both load
    assert (first.rows_loaded, first.rows_duplicate) == (3, 1)
    again = ingest_files(ws, [path]).files[0]
    assert (again.rows_loaded, again.rows_duplicate) == (0, 4)
    assert rows(ws, "select count(*) from activities") == [(3,)]


def test_an_id_twice_in_one_file_loads_its_first_row(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "invoice_lines.csv"
    path.write_text(
        "Invoice No,Line,Invoice Date,Customer,Net Value\n"
        "INV-1,1,2024-05-02,Northwind,100\n"
        "INV-1,2,2024-05-02,Northwind,50\n"
        "INV-1,1,2024-05-02,Northwind,999\n"  # the export repeats line 1 with another amount
        "INV-2,1,2024-05-03,Contoso,70\n",
        encoding="utf-8",
    )
    ingest_files(ws, [DATA / "identical_lines/accounts.csv"])
    first = ingest_files(ws, [path]).files[0]
    assert (first.rows_loaded, first.rows_duplicate) == (3, 1)
    assert rows(ws, "select order_id, net_amount from orders order by 1, 2") == [
        ("INV-1", 50.0),
        ("INV-1", 100.0),
        ("INV-2", 70.0),
    ]
    again = ingest_files(ws, [path]).files[0]
    assert (again.rows_loaded, again.rows_duplicate) == (0, 4)


def _snapshot(ws: Workspace, report: object) -> tuple[object, ...]:
    tables = {
        t: rows(ws, f"select * from {t} order by all")
        for t in ("reps", "accounts", "activities", "orders", "unmatched")
    }
    files = [
        (f.file, f.rows_read, f.rows_loaded, f.rows_duplicate, f.rejects, f.notes)
        for f in report.files  # type: ignore[attr-defined]
    ]
    return tables, files


def _ingest_as_text(
    ws: Workspace, paths: list[Path], monkeypatch: pytest.MonkeyPatch
) -> tuple[object, ...]:
    """The same import the plain way: each file read into a table of text first, every
    value parsed in SQL (no typed reading, no reading straight into the stage)."""
    from reltruth.ingest import load

    with monkeypatch.context() as m:
        m.setattr(load, "column_types", lambda *args: None)
        m.setattr(load, "direct_eligible", lambda *args: False)
        return _snapshot(ws, ingest_files(ws, paths))


def _activities(lines: list[str], tmp_path: Path, encoding: str = "utf-8") -> Path:
    path = tmp_path / "activities.csv"
    header = "Activity ID,Date,Assigned,Company / Account,Activity Type,Duration (min),Comments"
    path.write_bytes(("\n".join([header, *lines]) + "\n").encode(encoding))
    return path


def _calls(n: int) -> list[str]:
    return [f"A{i},05/02/2024,Frank Berger,Northwind,Call,{i % 30}," for i in range(1, n + 1)]


TRICKY = {
    # a quoted line break and a blank line before a bad row and an unknown account
    "line breaks": _calls(3000)
    + [
        'B1,05/03/2024,Frank Berger,Northwind,Visit,60,"two\nlines"',
        "",
        "B2,05/33/2024,Frank Berger,Northwind,Call,10,",
        "B3,05/04/2024,Frank Berger,Nowhere Ltd,Call,10,",
        "B4,05/04/2024,Frank Berger,Contoso,Call,ten,",
    ],
    "report footer": _calls(3000)
    + ["", "Grand Totals (3000 records)", "Confidential Information - Do Not Distribute"],
    "empty records": _calls(1500) + [",,,,,,"] + _calls(1500)[:10],
    "repeated ids": _calls(3000) + ["A7,05/09/2024,Lena Vogt,Contoso,Meeting,45,"],
}


@pytest.mark.parametrize("case", sorted(TRICKY))
def test_big_fact_files_load_as_the_plain_way_loads_them(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _activities(TRICKY[case], tmp_path)
    accounts = DATA / "identical_lines/accounts.csv"
    with Workspace.open(memory=True) as fast, Workspace.open(memory=True) as plain:
        report = ingest_files(fast, [accounts, path])
        assert_adds_up(report)
        assert _snapshot(fast, report) == _ingest_as_text(plain, [accounts, path], monkeypatch)
        again = ingest_files(fast, [path]).files[0]
        assert again.rows_loaded == 0
        assert _snapshot(fast, report)[0] == _ingest_as_text(plain, [path], monkeypatch)[0]


def test_line_numbers_after_line_breaks_in_a_big_fact_file(tmp_path: Path) -> None:
    path = _activities(TRICKY["line breaks"], tmp_path)
    with Workspace.open(memory=True) as ws:
        ingest_files(ws, [DATA / "identical_lines/accounts.csv"])
        f = ingest_files(ws, [path]).files[0]
        # header = line 1, 3,000 calls, B1 on lines 3002-3003, a blank line, B2 on 3005
        assert [(r.line, "05/33/2024" in r.reason) for r in f.rejects] == [(3005, True)]
        # B4's duration "ten" (line 3007) is optional: the row loads, the duration is left
        # empty (so estimated) and counted in a note.
        assert any('(e.g. "ten")' in n for n in f.notes)
        assert rows(ws, "select line, account_name from unmatched") == [(3006, "Nowhere Ltd")]


def test_a_windows_byte_far_down_a_big_fact_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = _calls(6000) + ["C1,05/05/2024,Frank Berger,Northwind,Visit,30,Caf\xe9 Müller"]
    path = _activities(lines, tmp_path, encoding="cp1252")
    assert path.stat().st_size > 256 * 1024  # beyond the head that is checked for UTF-8
    accounts = DATA / "identical_lines/accounts.csv"
    with Workspace.open(memory=True) as fast, Workspace.open(memory=True) as plain:
        report = ingest_files(fast, [accounts, path])
        assert report.files[1].rows_loaded == 6001 and report.files[1].rejects == []
        assert _snapshot(fast, report) == _ingest_as_text(plain, [accounts, path], monkeypatch)


def test_broken_quotes_in_a_big_fact_file_change_nothing(tmp_path: Path) -> None:
    # Windows line ends with a bare line break inside a quote: DuckDB's strict parser gives up
    path = _activities(_calls(3000), tmp_path)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n") + b';"\n"\r\n')
    with Workspace.open(memory=True) as ws:
        ingest_files(ws, [DATA / "identical_lines/accounts.csv"])
        before = counts(ws)
        with pytest.raises(UserError, match="could not be read as CSV"):
            ingest_files(ws, [path])
        assert counts(ws) == before


def test_typed_reading_loads_the_sample_exactly_as_text_parsing_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reltruth import sample

    paths = [sample.SAMPLE_DIR / name for name in sample.FILES]
    with Workspace.open(memory=True) as typed_ws, Workspace.open(memory=True) as text_ws:
        typed = _snapshot(typed_ws, ingest_files(typed_ws, paths))
        assert typed == _ingest_as_text(text_ws, paths, monkeypatch)
        assert len(typed[0]["orders"]) > 40_000  # type: ignore[index]


def test_a_cell_typed_reading_cannot_take_far_below_the_head_reads_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 3,000 plain lines (far more than the head the column types are chosen from), then
    # cells only the text parsers read (a thousands-grouped amount) or refuse (31 February,
    # a year outside 1900-2200, a word): the result is the text path's, line numbers and all.
    lines = ["Invoice No;Line;Invoice Date;Customer;Qty;Net Value"]
    lines += [f"INV-{i:05d};1;02.03.2024;Northwind;{i % 7};{i % 90},50" for i in range(1, 3001)]
    lines += [
        "INV-09001;1;03.03.2024;Contoso;1;1.234,50",
        "INV-09002;1;31.02.2024;Contoso;1;10,00",
        "INV-09003;1;01.01.1800;Contoso;1;10,00",
        "INV-09004;1;04.03.2024;Contoso;1;ninety",
    ]
    path = tmp_path / "invoices.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    accounts = DATA / "identical_lines/accounts.csv"
    with Workspace.open(memory=True) as typed_ws, Workspace.open(memory=True) as text_ws:
        report = ingest_files(typed_ws, [accounts, path])
        inv = report.files[1]
        assert (inv.rows_read, inv.rows_loaded, inv.rows_rejected) == (3004, 3001, 3)
        assert [r.line for r in inv.rejects] == [3003, 3004, 3005]
        assert rows(typed_ws, "select net_amount from orders where order_id = 'INV-09001'") == [
            (1234.5,)
        ]
        assert _snapshot(typed_ws, report) == _ingest_as_text(
            text_ws, [accounts, path], monkeypatch
        )


def test_rows_without_their_id_far_below_the_head_get_content_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = ["Activity ID,Date,Assigned,Company / Account,Activity Type,Duration (min)"]
    lines += [f"A{i},05/02/2024,Frank Berger,Northwind,Call,{i % 30}" for i in range(1, 3001)]
    lines += [",05/03/2024,Frank Berger,Northwind,Call,10"] * 2  # two identical calls, no id
    path = tmp_path / "activities.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    accounts = DATA / "identical_lines/accounts.csv"
    with Workspace.open(memory=True) as typed_ws, Workspace.open(memory=True) as text_ws:
        report = ingest_files(typed_ws, [accounts, path])
        assert report.files[1].rows_loaded == 3002
        assert _snapshot(typed_ws, report) == _ingest_as_text(
            text_ws, [accounts, path], monkeypatch
        )
        again = ingest_files(typed_ws, [path]).files[0]
        assert (again.rows_loaded, again.rows_duplicate) == (0, 3002)


def test_progress_is_reported_and_ends_at_one(ws: Workspace) -> None:
    seen: list[tuple[float, str]] = []
    ingest_files(
        ws,
        [DATA / "identical_lines/activities.csv", DATA / "identical_lines/accounts.csv"],
        progress=lambda fraction, message: seen.append((fraction, message)),
    )
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert any("loading activities.csv as activities" in m for _, m in seen)


def test_activities_before_a_bigger_accounts_file_in_one_call(
    ws: Workspace, tmp_path: Path
) -> None:
    # Files load smallest first; here the activities come before their accounts and must
    # still end in `activities`, not in `unmatched`.
    accounts = tmp_path / "accounts.csv"
    names = ["Northwind", "Contoso", *[f"Filler Company {i:04d}" for i in range(300)]]
    accounts.write_text(
        "Account Name,Account Owner\n" + "".join(f"{n},Lena Vogt\n" for n in names),
        encoding="utf-8",
    )
    report = ingest_files(ws, [DATA / "identical_lines/activities.csv", accounts])
    assert [f.table for f in report.files] == ["activities", "accounts"]
    assert report.files[0].unmatched_accounts == []
    assert rows(ws, "select count(*) from unmatched") == [(0,)]
    assert rows(ws, "select count(*) from activities") == [(4,)]
    assert any("4 activities" in n for n in report.notes)


def test_duration_unit_from_the_values_unless_the_header_states_one(
    ws: Workspace, tmp_path: Path
) -> None:
    ingest_files(ws, [DATA / "identical_lines/accounts.csv"])
    plain = tmp_path / "calls.csv"  # HubSpot's plain "Duration" holds milliseconds
    plain.write_text(
        "Activity date,Activity assigned to,Associated Company,Duration\n"
        "2026-03-02,Frank Berger,Northwind,1800000\n2026-03-03,Frank Berger,Northwind,600000\n",
        encoding="utf-8",
    )
    ingest_files(ws, [plain])
    assert rows(ws, "select duration_minutes from activities order by 1") == [(10.0,), (30.0,)]
    stated = tmp_path / "visits.csv"  # the header says minutes: it wins, the clash is reported
    stated.write_text(
        "Activity date,Activity assigned to,Associated Company,Duration (min)\n"
        "2026-04-02,Frank Berger,Northwind,1800000\n2026-04-03,Frank Berger,Northwind,600000\n",
        encoding="utf-8",
    )
    report = ingest_files(ws, [stated])
    assert any(
        '"Duration (min)" says the durations are in minutes, but its values look like '
        "milliseconds" in n
        for n in report.files[0].notes
    )
    assert rows(
        ws, "select max(duration_minutes) from activities where activity_date >= '2026-04-01'"
    ) == [(1800000.0,)]


def test_optional_field_with_unreadable_values_loads_the_rows(
    ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text(
        "Account Name,Relationship\nA,Good\nB,Neutral\nC,Neutral\nD,\n", encoding="utf-8"
    )
    f = ingest_files(ws, [path]).files[0]
    assert (f.rows_loaded, f.rows_rejected) == (4, 0)
    assert rows(ws, "select account_name, relationship_rating from accounts order by 1") == [
        ("A", 4),
        ("B", None),
        ("C", None),
        ("D", None),
    ]
    assert any(
        n.startswith('2 rows had a value in "Relationship" that is not a relationship rating')
        and '(e.g. "Neutral")' in n
        for n in f.notes
    )


def test_semicolon_file_reads_ambiguous_thousands_as_thousands(
    ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "kunden.csv"
    path.write_text(
        "Kunden-Nr.;Firma;Potenzial\nK1;Alpha;600.000 €\nK2;Beta;45.000 €\n", encoding="utf-8"
    )
    f = ingest_files(ws, [path]).files[0]
    assert rows(ws, "select account_id, potential from accounts order by 1") == [
        ("K1", 600000.0),
        ("K2", 45000.0),
    ]
    assert any("read with a decimal comma" in n for n in f.notes)


def test_ids_with_the_key_separator_are_different_rows(ws: Workspace, tmp_path: Path) -> None:
    """Invoice A/1 line 2 and invoice A line 1/2 are two lines (their text keys, compared
    before issue 19, were both 'id:A/1/2')."""
    head = "Invoice No,Line,Invoice Date,Customer,Net Value"
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text(f"{head}\nA/1,2,2024-05-02,Northwind,100\n", encoding="utf-8")
    second.write_text(f"{head}\nA,1/2,2024-05-03,Northwind,50\n", encoding="utf-8")
    ingest_files(ws, [DATA / "identical_lines/accounts.csv", first])
    report = ingest_files(ws, [second])
    assert (report.files[0].rows_loaded, report.files[0].rows_duplicate) == (1, 0)


def test_unknown_reps_are_named_per_file_and_kept_with_the_import(
    ws: Workspace, tmp_path: Path
) -> None:
    from reltruth.ingest import past_reports

    folder = DATA / "unmatched_accounts"
    report = ingest_files(ws, [folder / "activities.csv", folder / "accounts_first.csv"])
    by_file = {f.file: f for f in report.files}
    # smallest first: the accounts file names Frank Berger as owner, then the activities
    # name Lena Vogt; neither came with a reps export
    assert by_file["accounts_first.csv"].unknown_reps == ["Frank Berger"]
    assert by_file["activities.csv"].unknown_reps == ["Lena Vogt"]
    kept = {r.file: r for r in past_reports(ws).values()}
    assert kept["activities.csv"].unknown_reps == ["Lena Vogt"]
    assert kept["activities.csv"].unmatched_accounts == by_file["activities.csv"].unmatched_accounts
    assert kept["activities.csv"].notes == by_file["activities.csv"].notes
    # a reps export in the same call takes an unknown rep over: it is not unknown then
    users = tmp_path / "users.csv"
    others = "".join(f"R1{i},Colleague Number {i}\n" for i in range(8))  # bigger: loads last
    users.write_text(f"User ID,Full Name\nR09,Nina Sommer\n{others}", encoding="utf-8")
    acts = tmp_path / "activities_more.csv"
    acts.write_text(
        "Activity ID,Date,Assigned,Company / Account,Activity Type,Duration (min)\n"
        "B1,2024-06-02,Nina Sommer,Northwind,Visit,60\n"
        "B2,2024-06-03,Otto Kranz,Northwind,Visit,60\n",
        encoding="utf-8",
    )
    assert acts.stat().st_size < users.stat().st_size
    again = ingest_files(ws, [acts, users])
    assert {f.file: f.unknown_reps for f in again.files} == {
        "users.csv": [],
        "activities_more.csv": ["Otto Kranz"],
    }
