"""Acceptance: the Maven "CRM Sales Opportunities" data set, loaded in one call (issue 2)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from reltruth.cli import main
from reltruth.ingest import ingest_files
from reltruth.workspace import Workspace

MAVEN = Path(__file__).resolve().parents[4] / "shared" / "datasets" / "maven-crm-opportunities"
FILES = ["sales_pipeline.csv", "accounts.csv", "products.csv", "sales_teams.csv"]  # any order

# Skips only on a developer's machine without ../shared; under CI a missing copy fails.
pytestmark = pytest.mark.usefixtures("maven_dir")


def q(path: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_maven_loads_in_one_call(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = tmp_path / "ws.duckdb"
    assert main(["ingest", *[str(MAVEN / f) for f in FILES], "--workspace", str(ws)]) == 0
    out = capsys.readouterr().out
    assert q(ws, "select count(*) from accounts") == [(85,)]
    assert q(ws, "select count(*) from reps") == [(35,)]
    # figures of the issue: 4,238 won deals, 10,005,534 in revenue
    assert q(ws, "select count(*), sum(net_amount) from orders where source = 'deals'") == [
        (4238, 10005534.0)
    ]
    # lost (2,473) and open (1,589 Engaging + 500 Prospecting) deals are pipeline; won ones too
    assert q(ws, "select stage, count(*) from pipeline group by 1 order by 1") == [
        ("lost", 2473),
        ("open", 2089),
        ("won", 4238),
    ]
    # list values from products.csv, GTXPro matched to GTX Pro (4,821) and said so
    assert q(ws, "select count(*) from orders where list_amount is null") == [(0,)]
    assert q(ws, "select distinct list_amount from orders where product = 'GTXPro'") == [(4821.0,)]
    assert '"GTXPro"' in out and '"GTX Pro"' in out
    assert "potential missing for 85 accounts" in out and "share of company revenue" in out


def test_maven_twice_changes_no_count(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = tmp_path / "ws.duckdb"
    args = ["ingest", *[str(MAVEN / f) for f in FILES], "--workspace", str(ws)]
    assert main(args) == 0
    tables = ("reps", "accounts", "activities", "orders", "pipeline", "price_list", "unmatched")
    first = {t: q(ws, f"select count(*) from {t}") for t in tables}
    capsys.readouterr()
    assert main([*args, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert all(
        f["rows_loaded"] == 0 and f["rows_duplicate"] == f["rows_read"] for f in report["files"]
    )
    assert {t: q(ws, f"select count(*) from {t}") for t in tables} == first


def test_maven_reps_get_their_won_deals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Maven's accounts have no owner; every won deal names its sales agent. The agents are
    # the reps of the Team page and the metrics, with the revenue of their own deals.
    ws = tmp_path / "ws.duckdb"
    assert main(["ingest", *[str(MAVEN / f) for f in FILES], "--workspace", str(ws)]) == 0
    capsys.readouterr()
    assert main(["metrics", "--workspace", str(ws), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["as_of"] == "2017-12-31"
    reps = {r["rep_name"]: r for r in data["reps"]}
    assert len(reps) == 30  # 35 in sales_teams.csv; 5 closed no deal
    assert sum(r["revenue"] for r in reps.values()) == pytest.approx(10_005_534)
    won = q(
        ws,
        "select sum(o.net_amount) from orders o join reps r using (rep_id) "
        "where r.rep_name = 'Darcel Schlecht'",
    )[0][0]
    assert reps["Darcel Schlecht"]["revenue"] == pytest.approx(won) and won > 1_000_000


def test_maven_accounts_get_inferred_owners_and_reps_teams(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "ws.duckdb") as ws:
        report = ingest_files(ws, [MAVEN / f for f in FILES])
        owners = ws.con.execute(
            "select count(*), count(owner_rep_id), count(i.account_id) "
            "from accounts a left join inferred_owners i using (account_id)"
        ).fetchall()[0]
        assert owners[0] == owners[1] == owners[2] > 0  # every account, each marked inferred
        assert any(n.startswith("owner inferred for") for n in report.notes)
        # The owner is the rep with the most won revenue on the account (last 12 months).
        best = ws.con.execute(
            "select count(*) from accounts a where owner_rep_id = (select o.rep_id from orders o "
            "where o.account_id = a.account_id group by o.rep_id "
            "order by sum(o.net_amount) desc, o.rep_id limit 1)"
        ).fetchall()[0][0]
        assert best == owners[0]
        teams = ws.con.execute(
            "select count(*), count(team) from reps where not is_implicit"
        ).fetchall()[0]
        assert teams[0] == teams[1] > 0
        assert ws.con.execute("select count(distinct team) from reps").fetchall()[0][0] == 6
