"""Row-level access in team mode: a rep's metrics and workspace hold only the rep's rows,
and anything without a known principal is denied (never given the unfiltered data)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from reltruth import access, metrics, settings
from reltruth.coaching import commitments
from reltruth.coaching.gather import build_sheet
from reltruth.coaching.render_markdown import render_markdown
from reltruth.team import Principal
from reltruth.workspace import Workspace

MANAGER = Principal("boss@example.com", "manager", "north")
REP = Principal("lena@example.com", "rep", "north", rep_id="R02")
DENIED = [
    None,
    Principal("x@example.com", "rep", "north"),  # a rep not linked to any rep id
    Principal("x@example.com", "admin", ""),
    Principal("x@example.com", "owner", "north"),  # an unknown role
    Principal("x@example.com", "", "north"),
]


@pytest.fixture(scope="module")
def ws() -> Iterator[Workspace]:
    from reltruth import sample

    w = Workspace.open(memory=True)
    sample.load_canonical(w)
    commitments.add(w, "R01", "Visit Frank's big account", agreed_on=date(2026, 9, 1))
    commitments.add(w, "R02", "Lena's own commitment", agreed_on=date(2026, 9, 1))
    yield w
    w.close()


@pytest.fixture(scope="module")
def m(ws: Workspace) -> metrics.Metrics:
    return metrics.compute(ws, metrics.resolve_window(ws, None, 12), settings.load(ws.con))


@pytest.fixture(scope="module")
def copy(ws: Workspace) -> Iterator[Workspace]:
    c = access.scoped_workspace(ws, REP)
    yield c
    c.close()


def others(ws: Workspace) -> list[str]:
    """The names and ids of every rep but R02."""
    rows = ws.con.execute("select rep_id, rep_name from reps where rep_id <> 'R02'").fetchall()
    return [str(v) for r in rows for v in r]


def test_a_manager_sees_everything(ws: Workspace, m: metrics.Metrics) -> None:
    assert access.scope_metrics(m, MANAGER) is m
    assert access.scoped_workspace(ws, MANAGER) is ws
    assert access.allowed_rep(MANAGER, "R05")


@pytest.mark.parametrize("p", DENIED)
def test_default_deny(ws: Workspace, m: metrics.Metrics, p: Principal | None) -> None:
    with pytest.raises(access.AccessDenied):
        access.scope_metrics(m, p)
    with pytest.raises(access.AccessDenied):
        access.scoped_workspace(ws, p)
    with pytest.raises(access.AccessDenied):
        access.check(p)
    assert not access.allowed_rep(p, "R02")


def test_a_reps_metrics_are_their_own(m: metrics.Metrics) -> None:
    mine = access.scope_metrics(m, REP)
    assert mine.reps["rep_id"].tolist() == ["R02"]
    assert set(mine.accounts["rep_id"].astype(str)) == {"R02"}
    assert len(mine.accounts) == (m.accounts["rep_id"].astype(str) == "R02").sum() > 0
    assert mine.trades.empty and list(mine.trades.columns) == list(m.trades.columns)
    # team comparisons survive as medians only
    assert mine.penetration_median == m.penetration_median
    assert access.allowed_rep(REP, "R02") and not access.allowed_rep(REP, "R01")


def test_a_reps_workspace_holds_no_other_rep(ws: Workspace, copy: Workspace) -> None:
    names = others(ws)
    for table in ("reps", "accounts", "activities", "orders", "pipeline", "commitments"):
        frame = copy.con.execute(f"select * from {table}").df()
        text = frame.astype(str).to_numpy().ravel().tolist()
        leaked = [n for n in names if n in text]
        assert not leaked, f"{table}: {leaked}"
    assert copy.con.execute("select rep_id from reps").fetchall() == [("R02",)]
    assert copy.data_version() == ws.data_version()


def test_view_queries_on_the_copy_show_only_the_rep(
    ws: Workspace, copy: Workspace, m: metrics.Metrics
) -> None:
    win = m.window
    assert not metrics.hours_by_type_month(copy, "R02", win).empty
    assert metrics.hours_by_type_month(copy, "R02", win).equals(
        metrics.hours_by_type_month(ws, "R02", win)
    )
    for rep in ("R01", "R05", "R08"):
        assert not metrics.hours_by_type_month(ws, rep, win).empty  # there in the workspace
        assert metrics.hours_by_type_month(copy, rep, win).empty
        assert metrics.key_people_time(copy, rep, win).empty
        assert commitments.list_for_rep(copy, rep) == []
    others_accounts = ws.con.execute(
        "select account_id from accounts where owner_rep_id = 'R01'"
    ).fetchall()
    quarters = metrics.discount_quarters(copy, [a for (a,) in others_accounts], win.as_of)
    assert quarters.empty or quarters["net_amount"].fillna(0).eq(0).all()
    assert [c.text for c in commitments.list_for_rep(copy, "R02")] == ["Lena's own commitment"]


def test_a_reps_sheet_names_no_colleague(
    ws: Workspace, copy: Workspace, m: metrics.Metrics
) -> None:
    mine = access.scope_metrics(m, REP)
    text = render_markdown(build_sheet(copy, mine, "R02", self_audit=True))
    full = ws.con.execute("select rep_name from reps where rep_id <> 'R02'").fetchall()
    assert not [n for (n,) in full if n in text]
    with pytest.raises(Exception):  # noqa: B017 - another rep is simply not there
        build_sheet(copy, mine, "R01")


def test_a_rep_is_linked_by_email(ws: Workspace) -> None:
    p = Principal("Lena.Vogt@Nordtec-Industrie.de", "rep", "north")
    assert access.link_rep(ws, p).rep_id == "R02"
    assert access.link_rep(ws, Principal("nobody@x.de", "rep", "north")).rep_id is None
    assert access.link_rep(ws, MANAGER) is MANAGER
