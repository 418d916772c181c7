"""Page queries for one rep or a few accounts, the measures of commitments, and hours to shift."""

from __future__ import annotations

from datetime import date

import pandas as pd

from reltruth import settings as settings_store
from reltruth.metrics.query import num, prepare, run
from reltruth.metrics.result import Metrics
from reltruth.metrics.window import Window, trend_start
from reltruth.workspace import Workspace


def hours_by_type_month(ws: Workspace, rep_id: str, window: Window) -> pd.DataFrame:
    """month, activity_type, hours, estimated_hours: one rep's hours in the window."""
    prepare(ws, settings_store.load(ws.con))
    params = {"rep_id": str(rep_id), "window_start": window.start, "as_of": window.as_of}
    return run(ws.con, "marts/hours_by_type_month", params).df()


def key_people_time(ws: Workspace, rep_id: str, window: Window) -> pd.DataFrame:
    """contact_role, hours, share (of the hours with a known role); empty without roles."""
    prepare(ws, settings_store.load(ws.con))
    params = {"rep_id": str(rep_id), "window_start": window.start, "as_of": window.as_of}
    return run(ws.con, "marts/key_people_time", params).df()


def discount_quarters(
    ws: Workspace, account_ids: list[str], as_of: date, quarters: int = 8
) -> pd.DataFrame:
    """account_id, quarter_start, list_amount, net_amount, discount_rate per calendar quarter."""
    prepare(ws, settings_store.load(ws.con))
    params = {
        "account_ids": [str(a) for a in account_ids],
        "trend_start": trend_start(as_of, quarters),
        "as_of": as_of,
    }
    return run(ws.con, "marts/discount_quarters", params).df()


def measure(ws: Workspace, kind: str, account_id: str, start: date, end: date) -> float | None:
    """Hours (the owner's), discount (fraction), revenue or penetration (annualised revenue ÷
    potential) on one account in (start, end]."""
    if kind not in ("hours", "discount", "revenue", "penetration"):
        raise ValueError(f"unknown measure {kind!r}")
    prepare(ws, settings_store.load(ws.con))
    params = {"account_id": str(account_id), "start": start, "end": end}
    row = run(ws.con, f"marts/measure_{kind}", params).fetchone()
    value = num(row[0]) if row else None
    if value is None and kind in ("hours", "revenue"):
        return 0.0  # nothing logged or ordered is a measured zero, not a missing figure
    return value


REP_MEASURES = ("alignment", "penetration", "revenue", "discount")


def measure_rep(ws: Workspace, kind: str, rep_id: str, start: date, end: date) -> float | None:
    """A rep-level figure in (start, end]: ``alignment`` (the alignment score),
    ``penetration`` (weighted penetration of the rep's book, annualised by days), ``revenue``
    (the rep's lines, as ``rep_orders.sql``) or ``discount`` (list-weighted, on those lines
    with a list value)."""
    if kind not in REP_MEASURES:
        raise ValueError(f"unknown rep measure {kind!r}")
    prepare(ws, settings_store.load(ws.con))
    params = {"rep_id": str(rep_id), "start": start, "end": end}
    if kind in ("revenue", "discount"):
        rows = run(ws.con, "marts/measure_rep_revenue", params).fetchall()
        revenue, listed_net, listed = rows[0] if rows else (None, None, None)
        if kind == "revenue":
            return num(revenue) or 0.0  # nothing ordered is a measured zero
        listed_f = num(listed)
        return None if not listed_f else 1 - (num(listed_net) or 0.0) / listed_f
    rows = run(
        ws.con, f"marts/measure_{'alignment' if kind == 'alignment' else 'rep_penetration'}", params
    ).fetchall()
    return num(rows[0][0]) if rows else None


def measure_company_revenue(ws: Workspace, start: date, end: date) -> float:
    """The company's revenue in (start, end] (every order line)."""
    prepare(ws, settings_store.load(ws.con))
    rows = run(ws.con, "marts/measure_company_revenue", {"start": start, "end": end}).fetchall()
    return (num(rows[0][0]) if rows else None) or 0.0


# Three minutes a month: below what a sheet or a page shows (one decimal of an hour).
MIN_SHIFT_HOURS_PER_MONTH = 0.05


def hours_to_shift(m: Metrics, rep_id: str, min_hours_per_month: float = 0.0) -> pd.DataFrame:
    """Hours per month to move from over-served to under-served accounts of one rep.

    Each account's gap is (time share - potential share) x the rep's hours; accounts with too
    many hours give, those with too few receive, largest gaps first (greedy matching). The
    total moved equals the rep's misallocated hours when all time is on accounts with a
    potential. Per month = hours in the window / window months. Moves under
    ``min_hours_per_month`` are left out; the sheet passes ``MIN_SHIFT_HOURS_PER_MONTH``,
    since a line reading "0.0 h a month" (a leftover of the matching) asks for nothing.
    """
    rep = m.reps[m.reps["rep_id"].astype(str) == str(rep_id)]
    if rep.empty:
        return pd.DataFrame(columns=SHIFT_COLUMNS)
    accounts = m.accounts[m.accounts["rep_id"].astype(str) == str(rep_id)]
    return hours_to_shift_in(
        accounts, num(rep["hours"].iloc[0]) or 0.0, m.window.months, min_hours_per_month
    )


SHIFT_COLUMNS = [
    "from_account_id",
    "from_account_name",
    "to_account_id",
    "to_account_name",
    "hours_per_month",
]


def hours_to_shift_in(
    accounts: pd.DataFrame, rep_hours: float, months: int, min_hours_per_month: float = 0.0
) -> pd.DataFrame:
    """``hours_to_shift`` from one rep's rows of ``Metrics.accounts`` and the rep's hours:
    the sheets of a whole team split the accounts by rep once and call this per rep,
    rather than filtering every account of the company for each rep (issue 19)."""
    columns = SHIFT_COLUMNS
    acc = accounts[accounts["potential_share"].notna()]
    if rep_hours <= 0 or acc.empty:
        return pd.DataFrame(columns=columns)
    gap = (acc["time_share"].astype(float) - acc["potential_share"].astype(float)) * rep_hours
    give = [
        [aid, name, g]
        for aid, name, g in zip(acc["account_id"], acc["account_name"], gap, strict=True)
        if g > 1e-9
    ]
    take = [
        [aid, name, -g]
        for aid, name, g in zip(acc["account_id"], acc["account_name"], gap, strict=True)
        if g < -1e-9
    ]
    give.sort(key=lambda x: (-x[2], str(x[0])))
    take.sort(key=lambda x: (-x[2], str(x[0])))
    rows = []
    gi = ti = 0
    while gi < len(give) and ti < len(take):
        amount = min(give[gi][2], take[ti][2])
        rows.append([give[gi][0], give[gi][1], take[ti][0], take[ti][1], amount / months])
        give[gi][2] -= amount
        take[ti][2] -= amount
        if give[gi][2] <= 1e-9:
            gi += 1
        if take[ti][2] <= 1e-9:
            ti += 1
    rows = [r for r in rows if r[4] >= min_hours_per_month]
    return pd.DataFrame(rows, columns=columns)
