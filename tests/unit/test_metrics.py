"""The metrics of docs/metrics.md on small hand-written tables: given rows -> expected numbers.

Every expected value is worked out by hand in the comments next to it. The common book
(``book`` fixture), as_of 30 Jun 2026, 12-month window:

    current W = (30 Jun 2025, 30 Jun 2026], prior = (30 Jun 2024, 30 Jun 2025],
    the one before = (30 Jun 2023, 30 Jun 2024].

Rep R1 owns A1 (potential 120 k, rated 5), A2 (40 k), A3 (no potential); R2 owns A4 (100 k,
no segment) and A5 (60 k, nothing at all: no orders, no activities).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pandas as pd
import pytest

from reltruth import metrics, settings
from reltruth.errors import UserError
from reltruth.metrics import Window
from reltruth.metrics.marts import MARTS
from reltruth.metrics.window import add_months, trend_start
from reltruth.workspace import Workspace

AS_OF = date(2026, 6, 30)


def insert(ws: Workspace, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert hand-written rows into a canonical table (row_key filled in where needed)."""
    for i, row in enumerate(rows):
        if table in ("orders", "activities") and "row_key" not in row:
            row = {"row_key": f"{table}-{i}", **row}
        cols = ", ".join(row)
        marks = ", ".join(f"${k}" for k in row)
        ws.con.execute(f"insert into {table} ({cols}) values ({marks})", row)


def order(account: str, day: str, net: float, lst: float | None = None) -> dict[str, Any]:
    return {
        "account_id": account,
        "order_date": date.fromisoformat(day),
        "net_amount": net,
        "list_amount": lst,
    }


def activity(
    rep: str,
    account: str,
    day: str,
    minutes: float | None,
    travel: float | None = None,
    kind: str = "visit",
    role: str | None = None,
) -> dict[str, Any]:
    return {
        "rep_id": rep,
        "account_id": account,
        "activity_date": date.fromisoformat(day),
        "duration_minutes": minutes,
        "travel_minutes": travel,
        "activity_type": kind,
        "duration_estimated": minutes is None,
        "contact_role": role,
    }


# The data of these tests start on 1 Jul 2023: one activity of a rep and an account outside
# every book marks it. Windows the data do not cover whole get no growth (docs/metrics.md,
# "Partial windows"); the hand-written rows here are sparse, not partial, so every window
# these tests use is covered. The coverage tests start from ``bare``.
DATA_START = activity("R0", "A0", "2023-07-01", 0)


@pytest.fixture
def bare() -> Iterator[Workspace]:
    w = Workspace.open(memory=True)
    yield w
    w.close()


@pytest.fixture
def ws(bare: Workspace) -> Workspace:
    insert(bare, "activities", [{**DATA_START, "row_key": "data-start"}])
    return bare


@pytest.fixture
def book(ws: Workspace) -> Workspace:
    insert(
        ws,
        "reps",
        [
            {"rep_id": "R1", "rep_name": "Rita", "team": "T"},
            {"rep_id": "R2", "rep_name": "Rolf", "team": "T"},
        ],
    )
    insert(
        ws,
        "accounts",
        [
            {
                "account_id": "A1",
                "account_name": "Alpha",
                "owner_rep_id": "R1",
                "potential": 120_000,
                "segment": "S",
                "relationship_rating": 5,
                "owner_since": date(2020, 1, 1),
            },
            {
                "account_id": "A2",
                "account_name": "Beta",
                "owner_rep_id": "R1",
                "potential": 40_000,
                "segment": "S",
                "relationship_rating": 2,
                "potential_estimated": True,
            },
            {"account_id": "A3", "account_name": "Gamma", "owner_rep_id": "R1", "potential": None},
            {
                "account_id": "A4",
                "account_name": "Delta",
                "owner_rep_id": "R2",
                "potential": 100_000,
            },
            {
                "account_id": "A5",
                "account_name": "Epsilon",
                "owner_rep_id": "R2",
                "potential": 60_000,
            },
        ],
    )
    insert(
        ws,
        "orders",
        [
            order("A1", "2026-06-30", 60_000, 80_000),  # on as_of: in W
            order("A1", "2026-01-15", -10_000, -12_000),  # credit note: in W, negative
            order("A1", "2025-06-30", 50_000, 50_000),  # exactly 12 months before: prior
            order("A2", "2026-03-01", 20_000, None),  # no list value; first ever order: new
            order("A3", "2025-12-01", 10_000, 10_000),
            order("A3", "2024-12-01", 5_000, 5_000),
            order("A4", "2026-02-01", 30_000, 40_000),
            order("A4", "2025-02-01", 40_000, 40_000),
        ],
    )
    insert(
        ws,
        "activities",
        [
            activity("R1", "A1", "2026-05-01", 90, 30),  # 2 h
            activity("R1", "A1", "2026-05-02", None, None, "call"),  # default 10 min, estimated
            activity("R1", "A1", "2025-06-30", 600),  # prior window: not counted
            activity("R1", "A2", "2026-04-01", 60, None, "meeting"),  # 1 h
            activity("R1", "A4", "2026-04-01", 60),  # R1 on R2's account: R1's hours, not A4's
            activity("R2", "A1", "2026-04-01", 120),  # R2 on R1's account: R2's hours, not A1's
        ],
    )
    return ws


def _acc(m: metrics.Metrics, account_id: str) -> dict[str, Any]:
    return m.accounts.set_index("account_id").loc[account_id].to_dict()


def _rep(m: metrics.Metrics, rep_id: str) -> dict[str, Any]:
    return m.reps.set_index("rep_id").loc[rep_id].to_dict()


# --- the window ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 9, 30), -12, date(2025, 9, 30)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),  # clamped to the end of February
        (date(2024, 3, 31), -1, date(2024, 2, 29)),  # leap year
        (date(2026, 8, 31), -6, date(2026, 2, 28)),
        (date(2026, 1, 15), -3, date(2025, 10, 15)),
    ],
)
def test_add_months_clamps_to_month_end(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_window_bounds() -> None:
    w = Window(date(2026, 9, 30), 6)
    assert (w.start, w.prior_start, w.prior2_start) == (
        date(2026, 3, 30),
        date(2025, 9, 30),
        date(2025, 3, 30),
    )
    assert w.label == "6 months to 30 Sep 2026"
    assert trend_start(date(2026, 9, 30), 8) == date(2024, 10, 1)  # Q4 2024 .. Q3 2026


def test_resolve_window_defaults_to_latest_date(book: Workspace) -> None:
    assert metrics.resolve_window(book) == Window(date(2026, 6, 30), 12)


# --- account metrics -----------------------------------------------------------------------


def test_revenue_growth_and_company_growth(book: Workspace) -> None:
    m = metrics.compute(book, Window(AS_OF, 12))
    a1 = _acc(m, "A1")
    assert a1["revenue"] == pytest.approx(50_000)  # 60 k - 10 k credit note
    assert a1["revenue_prior"] == pytest.approx(50_000)  # the 30 Jun 2025 order
    assert a1["growth"] == pytest.approx(0.0)
    # company: W = 50 + 20 + 10 + 30 = 110 k; prior = 50 + 5 + 40 = 95 k
    assert m.company_growth == pytest.approx(110 / 95 - 1)
    assert a1["relative_growth"] == pytest.approx(0 - (110 / 95 - 1))
    assert _acc(m, "A3")["growth"] == pytest.approx(1.0)
    assert _acc(m, "A4")["growth"] == pytest.approx(-0.25)


def test_new_account_has_no_growth(book: Workspace) -> None:
    m = metrics.compute(book, Window(AS_OF, 12))
    a2 = _acc(m, "A2")
    assert a2["revenue_prior"] == 0
    assert a2["growth"] is None or a2["growth"] != a2["growth"]  # null, not 0 or inf
    assert _rep(m, "R1")["new_accounts"] == 1  # A2's first-ever order is in W


def test_penetration_and_open_potential(book: Workspace) -> None:
    m = metrics.compute(book, Window(AS_OF, 12))
    a1 = _acc(m, "A1")
    assert a1["penetration"] == pytest.approx(50_000 / 120_000)
    assert a1["open_potential"] == pytest.approx(70_000)
    assert _acc(m, "A2")["penetration"] == pytest.approx(0.5)  # 20 k / 40 k


def test_penetration_is_annualised_in_short_windows(book: Workspace) -> None:
    # 3 months to 30 Jun 2026: A1 has 60 k (the credit note of January is outside)
    m = metrics.compute(book, Window(AS_OF, 3))
    a1 = _acc(m, "A1")
    assert a1["revenue"] == pytest.approx(60_000)
    assert a1["penetration"] == pytest.approx(60_000 * 4 / 120_000)  # 240 k a year = 200 %
    assert a1["open_potential"] == 0
    assert a1["potential_too_low"]
    assert any(r.startswith("potential_too_low:") for r in a1["flag_reasons"])


def test_hours_count_only_the_owners_activities(book: Workspace) -> None:
    m = metrics.compute(book, Window(AS_OF, 12))
    a1 = _acc(m, "A1")
    assert a1["hours"] == pytest.approx(2 + 10 / 60)  # 90 + 30 travel, + default call 10 min
    assert a1["hours_estimated_share"] == pytest.approx((10 / 60) / (2 + 10 / 60))
    assert _acc(m, "A4")["hours"] == 0  # only R1 visited it
    # R1's hours: A1 2h10 + A2 1h + 1h on R2's A4 = 4h10
    r1 = _rep(m, "R1")
    assert r1["hours"] == pytest.approx(25 / 6)
    assert r1["hours_estimated_share"] == pytest.approx((10 / 60) / (25 / 6))
    assert a1["revenue_per_hour"] == pytest.approx(50_000 / (13 / 6))


def test_shares_allocation_and_missing_potential(book: Workspace) -> None:
    m = metrics.compute(book, Window(AS_OF, 12))
    a1, a2, a3 = _acc(m, "A1"), _acc(m, "A2"), _acc(m, "A3")
    assert a1["time_share"] == pytest.approx((13 / 6) / (25 / 6))  # 0.52
    assert a2["time_share"] == pytest.approx(1 / (25 / 6))  # 0.24
    assert a1["potential_share"] == pytest.approx(0.75)  # 120 / (120 + 40): A3 left out
    assert a2["potential_share"] == pytest.approx(0.25)
    assert a3["potential_share"] != a3["potential_share"]  # NaN: no potential, no share
    assert a1["allocation_ratio"] == pytest.approx(0.52 / 0.75)
    r1 = _rep(m, "R1")
    assert r1["accounts_without_potential"] == 1
    # alignment = 1 - (|0.52 - 0.75| + |0.24 - 0.25|) / 2 = 0.88; misallocated 0.12 x 25/6 h
    assert r1["alignment_score"] == pytest.approx(0.88)
    assert r1["misallocated_hours"] == pytest.approx(0.12 * 25 / 6)
    # R2: all 2 h on R1's account: time shares 0 against potential shares 0.625 / 0.375
    # -> 1 - (0.625 + 0.375) / 2 = 0.5; misallocated 0.5 x 2 h = 1 h
    r2 = _rep(m, "R2")
    assert r2["alignment_score"] == pytest.approx(0.5)
    assert r2["misallocated_hours"] == pytest.approx(1.0)


def test_account_without_orders_or_activities(book: Workspace) -> None:
    m = metrics.compute(book, Window(AS_OF, 12))
    a5 = _acc(m, "A5")
    assert a5["revenue"] == 0 and a5["hours"] == 0 and a5["time_share"] == 0
    assert a5["penetration"] == 0 and a5["open_potential"] == pytest.approx(60_000)
    assert a5["revenue_per_hour"] != a5["revenue_per_hour"]  # no hours: no revenue per hour
    assert a5["discount_rate"] != a5["discount_rate"]
    assert a5["flags"] == []


def test_discount_is_list_weighted_and_null_without_list_values(book: Workspace) -> None:
    m = metrics.compute(book, Window(AS_OF, 12))
    # A1: net 60 k - 10 k over list 80 k - 12 k (the credit note counts on both sides)
    assert _acc(m, "A1")["discount_rate"] == pytest.approx(1 - 50_000 / 68_000)
    assert _acc(m, "A2")["discount_rate"] != _acc(m, "A2")["discount_rate"]  # no list values
    # R1: lines with a list value: A1 (50 k / 68 k) + A3 (10 k / 10 k); A2 left out
    assert _rep(m, "R1")["discount_rate"] == pytest.approx(1 - 60_000 / 78_000)


def test_excess_discount_against_segment_median(book: Workspace) -> None:
    m = metrics.compute(book, Window(AS_OF, 12))
    a1 = _acc(m, "A1")
    # segment S: only A1 has a rate (A2 has none) -> benchmark = A1's own rate -> no excess
    assert a1["discount_benchmark"] == pytest.approx(1 - 50_000 / 68_000)
    assert a1["excess_discount"] == pytest.approx(0)
    # A4 has no segment: benchmark = median of all rates = median(0.2647, 0, 0.25) = 0.25
    a4 = _acc(m, "A4")
    assert a4["discount_benchmark"] == pytest.approx(0.25)
    assert a4["excess_discount"] == pytest.approx(0)


def test_excess_discount_above_benchmark(ws: Workspace) -> None:
    insert(
        ws,
        "accounts",
        [
            {"account_id": f"B{i}", "owner_rep_id": "R1", "potential": 1000, "segment": "S"}
            for i in range(3)
        ],
    )
    insert(
        ws,
        "orders",
        [
            order("B0", "2026-05-01", 90, 100),  # 10 %
            order("B1", "2026-05-01", 80, 100),  # 20 %
            order("B2", "2026-05-01", 140, 200),  # 30 %
        ],
    )
    m = metrics.compute(ws, Window(AS_OF, 12))
    # median of 10/20/30 % = 20 %; B2: list 200 x (30 % - 20 %) = 20
    assert _acc(m, "B2")["excess_discount"] == pytest.approx(20.0)
    assert _acc(m, "B0")["excess_discount"] == pytest.approx(0.0)


# --- discount trend --------------------------------------------------------------------------


def _quarterly(
    account: str, rates: list[float | None], last_quarter_day: str
) -> list[dict[str, Any]]:
    """One order of list 1000 in the middle month of each quarter, oldest first."""
    rows = []
    end = date.fromisoformat(last_quarter_day)
    for k, rate in enumerate(reversed(rates)):
        if rate is None:
            continue
        day = add_months(end, -3 * k)
        rows.append(order(account, day.isoformat(), 1000 * (1 - rate), 1000))
    return rows


def test_discount_trend_slope_in_pp_per_year(ws: Workspace) -> None:
    insert(ws, "accounts", [{"account_id": "T1", "owner_rep_id": "R1", "potential": 1000}])
    # 8 quarters Q3 2024 .. Q2 2026 rising by 1 pp a quarter: 4 pp a year
    insert(ws, "orders", _quarterly("T1", [0.10 + 0.01 * q for q in range(8)], "2026-05-15"))
    m = metrics.compute(ws, Window(AS_OF, 12))
    assert _acc(m, "T1")["discount_trend_pp_per_year"] == pytest.approx(4.0)
    assert _acc(m, "T1")["trend_quarters"] == 8


def test_discount_trend_uses_calendar_quarters_and_skips_empty_ones(ws: Workspace) -> None:
    insert(ws, "accounts", [{"account_id": "T2", "owner_rep_id": "R1", "potential": 1000}])
    # quarters (x = 0..7): rates at x = 0, 2, 4, 7 -> 10, 12, 14, 17 %; slope by least squares:
    # mean x = 3.25, mean y = 13.25; Sxy = (-3.25)(-3.25)+(-1.25)(-1.25)+(0.75)(0.75)+(3.75)(3.75)
    # = 10.5625 + 1.5625 + 0.5625 + 14.0625 = 26.75; Sxx = the same = 26.75 -> 1 pp / quarter
    rates: list[float | None] = [0.10, None, 0.12, None, 0.14, None, None, 0.17]
    insert(ws, "orders", _quarterly("T2", rates, "2026-05-15"))
    # an order before the 8 quarters must not count
    insert(ws, "orders", [order("T2", "2024-06-30", 500, 1000) | {"row_key": "old"}])
    m = metrics.compute(ws, Window(AS_OF, 12))
    assert _acc(m, "T2")["discount_trend_pp_per_year"] == pytest.approx(4.0)


def test_discount_trend_needs_four_quarters(ws: Workspace) -> None:
    insert(ws, "accounts", [{"account_id": "T3", "owner_rep_id": "R1", "potential": 1000}])
    insert(ws, "orders", _quarterly("T3", [0.1, 0.2, 0.3], "2026-05-15"))
    m = metrics.compute(ws, Window(AS_OF, 12))
    t3 = _acc(m, "T3")
    assert t3["discount_trend_pp_per_year"] != t3["discount_trend_pp_per_year"]  # null
    assert "discount_creep" not in t3["flags"]


def test_partial_current_quarter_counts(ws: Workspace) -> None:
    insert(ws, "accounts", [{"account_id": "T4", "owner_rep_id": "R1", "potential": 1000}])
    # as_of 15 Aug 2026: Q3 2026 is the last quarter, with the orders up to 15 Aug
    rows = _quarterly("T4", [0.10, 0.10, 0.10, 0.10], "2026-05-15")
    rows.append(order("T4", "2026-07-10", 800, 1000))  # Q3 2026: 20 %
    rows.append(order("T4", "2026-08-20", 0, 1000))  # after as_of: ignored
    insert(ws, "orders", rows)
    m = metrics.compute(ws, Window(date(2026, 8, 15), 12))
    # x = 0..4 (Q3 2025 .. Q3 2026), y = 10,10,10,10,20: mean x 2, mean y 12;
    # Sxy = (-2)(-2)+(-1)(-2)+0+(1)(-2)+(2)(8) = 4+2-2+16 = 20; Sxx = 10 -> 2 pp/quarter = 8/yr
    assert _acc(m, "T4")["discount_trend_pp_per_year"] == pytest.approx(8.0)


# --- flags -----------------------------------------------------------------------------------


@pytest.fixture
def flagged(ws: Workspace) -> Workspace:
    """Rep F owns a small comfortable account (F1), a big neglected one (F2), two others.

    Potentials 10 k, 200 k, 50 k, 60 k (book quartiles, linear: q25 = 40 k, q75 = 95 k).
    Hours in W: F1 10 h, F2 1 h, F3 5 h, F4 4 h = 20 h.
    Potential shares: 10/320, 200/320, 50/320, 60/320.
    """
    insert(ws, "reps", [{"rep_id": "F", "rep_name": "Frank"}])
    insert(
        ws,
        "accounts",
        [
            {
                "account_id": "F1",
                "account_name": "Comfy",
                "owner_rep_id": "F",
                "potential": 10_000,
                "relationship_rating": 5,
                "segment": "S",
            },
            {
                "account_id": "F2",
                "account_name": "Big",
                "owner_rep_id": "F",
                "potential": 200_000,
                "segment": "S",
            },
            {
                "account_id": "F3",
                "account_name": "Mid",
                "owner_rep_id": "F",
                "potential": 50_000,
                "segment": "S",
            },
            {
                "account_id": "F4",
                "account_name": "Other",
                "owner_rep_id": "F",
                "potential": 60_000,
                "segment": "S",
            },
        ],
    )
    acts = []
    for account, hours in (("F1", 10), ("F2", 1), ("F3", 5), ("F4", 4)):
        acts += [activity("F", account, "2026-03-01", 60) for _ in range(hours)]
    insert(ws, "activities", acts)
    insert(
        ws,
        "orders",
        [
            # F1: flat revenue (3 k both windows) while the company grows -> relative growth < 0
            order("F1", "2026-03-01", 3_000),
            order("F1", "2025-03-01", 3_000),
            order("F2", "2026-03-01", 40_000),
            order("F2", "2025-03-01", 20_000),
            order("F3", "2026-03-01", 20_000),
            order("F3", "2025-03-01", 10_000),
            order("F4", "2026-03-01", 20_000),
            order("F4", "2025-03-01", 10_000),
        ],
    )
    return ws


def test_relationship_trap_with_its_numbers(flagged: Workspace) -> None:
    m = metrics.compute(flagged, Window(AS_OF, 12))
    f1 = _acc(m, "F1")
    # time share 10/20 = 50 %; potential share 10/320 = 3.125 % -> ratio 16 >= 1.5;
    # company growth (83 k / 43 k - 1) > 0 = F1's growth 0 -> relative growth < 0
    assert f1["allocation_ratio"] == pytest.approx(0.5 / (10 / 320))
    assert "relationship_trap" in f1["flags"]
    reason = next(r for r in f1["flag_reasons"] if r.startswith("relationship_trap"))
    assert "time share 50\u00a0% ÷ potential share 3.1\u00a0% = 16.0 ≥ 1.5" in reason


def test_relationship_trap_needs_the_ratio(flagged: Workspace) -> None:
    m = metrics.compute(flagged, Window(AS_OF, 12), settings.Settings(trap_allocation_ratio=20))
    assert "relationship_trap" not in _acc(m, "F1")["flags"]


def test_neglected_potential(flagged: Workspace) -> None:
    m = metrics.compute(flagged, Window(AS_OF, 12))
    f2 = _acc(m, "F2")
    # 200 k >= q75 (87.5 k); time share 1/20 = 5 %, potential share 62.5 % -> ratio 0.08 <= 0.5
    assert f2["flags"] == ["neglected_potential"]
    assert "(≥ 95\u00a0k)" in f2["flag_reasons"][0]  # q75 of 10, 50, 60, 200 k: 60 + 0.25 x 140


def test_demote(flagged: Workspace) -> None:
    m = metrics.compute(flagged, Window(AS_OF, 12))
    # F1: 10 k <= q25 (40 k) and time share 50 % > potential share 3 %
    assert "demote" in _acc(m, "F1")["flags"]
    # F3: 50 k > q25: not in the bottom quartile
    assert "demote" not in _acc(m, "F3")["flags"]


def test_claim_gap(flagged: Workspace) -> None:
    m = metrics.compute(flagged, Window(AS_OF, 12))
    # F1 rated 5: penetration 3 k / 10 k = 30 % < 50 % -> claim gap; F2 has no rating
    assert "claim_gap" in _acc(m, "F1")["flags"]
    assert "claim_gap" not in _acc(m, "F2")["flags"]
    m = metrics.compute(flagged, Window(AS_OF, 12), settings.Settings(claim_gap_rating=6))
    assert "claim_gap" not in _acc(m, "F1")["flags"]


def test_one_account_book_has_no_quartile_flags(ws: Workspace) -> None:
    insert(ws, "accounts", [{"account_id": "O1", "owner_rep_id": "R1", "potential": 1000}])
    insert(ws, "activities", [activity("R1", "O1", "2026-03-01", 60)])
    m = metrics.compute(ws, Window(AS_OF, 12))
    o1 = _acc(m, "O1")
    assert o1["time_share"] == 1 and o1["potential_share"] == 1
    assert o1["flags"] == []
    assert _rep(m, "R1")["alignment_score"] == pytest.approx(1.0)


def test_rep_without_hours(ws: Workspace) -> None:
    insert(ws, "accounts", [{"account_id": "N1", "owner_rep_id": "R1", "potential": 1000}])
    insert(ws, "orders", [order("N1", "2026-03-01", 100)])
    m = metrics.compute(ws, Window(AS_OF, 12))
    r1 = _rep(m, "R1")
    assert r1["hours"] == 0
    assert r1["alignment_score"] != r1["alignment_score"]  # null: nothing to align
    assert r1["revenue_per_hour"] != r1["revenue_per_hour"]
    assert _acc(m, "N1")["time_share"] != _acc(m, "N1")["time_share"]


def test_discount_creep_and_trade_candidate(ws: Workspace) -> None:
    insert(
        ws,
        "reps",
        [
            {"rep_id": "X", "rep_name": "Xaver", "team": "T"},
            {"rep_id": "Y", "rep_name": "Yvonne", "team": "T"},
            {"rep_id": "Z", "rep_name": "Zora", "team": "T"},
        ],
    )
    insert(
        ws,
        "accounts",
        [
            # C1: rising discounts, flat revenue, big potential, held since 2020
            {
                "account_id": "C1",
                "owner_rep_id": "X",
                "potential": 100_000,
                "segment": "S",
                "owner_since": date(2020, 1, 1),
            },
            {"account_id": "C2", "owner_rep_id": "X", "potential": 10_000, "segment": "S"},
            {"account_id": "C3", "owner_rep_id": "Y", "potential": 10_000, "segment": "S"},
            {"account_id": "C4", "owner_rep_id": "Z", "potential": 10_000, "segment": "S"},
        ],
    )
    rows = _quarterly("C1", [0.10 + 0.01 * q for q in range(12)], "2026-05-15")
    # growing accounts elsewhere make the company grow, C1 (flat list 1000 a quarter) does not
    for acc, base in (("C2", 1000), ("C3", 4000), ("C4", 1000)):
        rows += [
            order(acc, "2024-03-01", base, base),
            order(acc, "2025-03-01", 2 * base, 2 * base),
            order(acc, "2026-03-01", 4 * base, 4 * base),
        ]
    insert(ws, "orders", rows)
    insert(
        ws,
        "activities",
        [
            activity("X", "C1", "2026-03-01", 600),
            activity("Y", "C3", "2026-03-01", 60),
            activity("Z", "C4", "2026-03-01", 300),
        ],
    )
    m = metrics.compute(ws, Window(AS_OF, 12))
    c1 = _acc(m, "C1")
    # trend: +1 pp a quarter = +4 pp a year >= 1; rate in W (rates 18..21 %) >= segment median
    assert c1["discount_trend_pp_per_year"] == pytest.approx(4.0)
    assert "discount_creep" in c1["flags"]
    # C1 revenue falls (discounts rise on a flat list value) while the company doubles
    assert c1["relative_growth"] < 0 and c1["relative_growth_prior"] < 0
    # potential 100 k >= company median (10 k)
    assert "trade_candidate" in c1["flags"]
    # receivers in team T other than X: Y (16 k in 1 h) beats the medians of revenue per hour
    # and hours; Z (4 k in 5 h) does not
    trades = m.trades[m.trades["account_id"] == "C1"]
    assert trades["to_rep_id"].tolist() == ["Y"]


def test_trade_candidate_needs_two_years_of_ownership(ws: Workspace) -> None:
    insert(
        ws,
        "accounts",
        [
            {
                "account_id": "C1",
                "owner_rep_id": "X",
                "potential": 100_000,
                "relationship_rating": 5,
                "owner_since": date(2025, 1, 1),
            },
            {"account_id": "C2", "owner_rep_id": "X", "potential": 10_000},
        ],
    )
    insert(
        ws,
        "orders",
        [
            order("C1", "2024-03-01", 1000),
            order("C1", "2025-03-01", 1000),
            order("C1", "2026-03-01", 1000),
            order("C2", "2024-03-01", 1000),
            order("C2", "2025-03-01", 2000),
            order("C2", "2026-03-01", 4000),
        ],
    )
    m = metrics.compute(ws, Window(AS_OF, 12))
    c1 = _acc(m, "C1")
    assert "claim_gap" in c1["flags"]  # rated 5, penetration 1 %
    assert "trade_candidate" not in c1["flags"]  # held 18 months < 2 years
    ws.con.execute("update accounts set owner_since = date '2024-06-30' where account_id = 'C1'")
    assert "trade_candidate" in _acc(metrics.compute(ws, Window(AS_OF, 12)), "C1")["flags"]


# --- tiers and coaching priority ---------------------------------------------------------------


def _team(
    ws: Workspace,
    growth: dict[str, tuple[float, float, float]],
    quotas: dict[str, float] | None = None,
) -> None:
    """One account per rep with revenue (before prior, prior, current)."""
    insert(
        ws,
        "reps",
        [{"rep_id": r, "rep_name": r, "team": "T", "quota": (quotas or {}).get(r)} for r in growth],
    )
    insert(
        ws,
        "accounts",
        [{"account_id": f"A{r}", "owner_rep_id": r, "potential": 1e6} for r in growth],
    )
    rows = []
    for r, (p2, p1, c) in growth.items():
        rows += [
            order(f"A{r}", "2024-03-01", p2),
            order(f"A{r}", "2025-03-01", p1),
            order(f"A{r}", "2026-03-01", c),
        ]
    insert(ws, "orders", rows)


def test_tiers_by_relative_growth(ws: Workspace) -> None:
    # growth prior / current: A 100 %/100 %, B 0 %/50 %, C 0 %/0 %, D 50 %/-50 %
    _team(
        ws, {"A": (100, 200, 400), "B": (100, 100, 150), "C": (100, 100, 100), "D": (100, 150, 75)}
    )
    m = metrics.compute(ws, Window(AS_OF, 12))
    tiers = dict(zip(m.reps["rep_id"], m.reps["tier"], strict=True))
    # current growths 1.0, 0.5, 0.0, -0.5 (minus the same company growth): q75 = 0.625,
    # median 0.25 -> A top (prior 1.0 >= q75 of 1, 0, 0, 0.5 = 0.625), C and D marginal
    assert tiers == {"A": "top", "B": "core", "C": "marginal", "D": "marginal"}
    order_ = m.reps.sort_values("coaching_priority")["rep_id"].tolist()
    assert order_[-1] == "A" and set(order_[:2]) == {"C", "D"}


def test_tiers_by_quota_attainment(ws: Workspace) -> None:
    # same growths, but quotas make B the best: attainment = current revenue / quota
    _team(
        ws,
        {"A": (100, 200, 400), "B": (100, 100, 150), "C": (100, 100, 100), "D": (100, 150, 75)},
        quotas={"A": 4000, "B": 100, "C": 1000, "D": 1000},
    )
    m = metrics.compute(ws, Window(AS_OF, 12))
    tiers = dict(zip(m.reps["rep_id"], m.reps["tier"], strict=True))
    # attainment now: A 0.1, B 1.5, C 0.1, D 0.075; prior: A .05, B 1.0, C .1, D .15
    assert tiers["B"] == "top"
    assert tiers["D"] == "marginal"
    assert "quota attainment" in _rep(m, "B")["tier_reason"]


def test_the_tier_measure_setting_overrides_the_quotas(ws: Workspace) -> None:
    growths = {
        "A": (100, 200, 400),
        "B": (100, 100, 150),
        "C": (100, 100, 100),
        "D": (100, 150, 75),
    }
    _team(ws, growths, quotas={"A": 4000, "B": 100, "C": 1000, "D": 1000})
    s = settings.Settings(tier_measure="growth")
    m = metrics.compute(ws, Window(AS_OF, 12), s)
    tiers = dict(zip(m.reps["rep_id"], m.reps["tier"], strict=True))
    # the quotas are ignored: the tiers of test_tiers_by_relative_growth
    assert tiers == {"A": "top", "B": "core", "C": "marginal", "D": "marginal"}
    assert metrics.tier_measure(m.reps) == "relative growth"
    # A grew 200 -> 400 (+100 %); the company 550 -> 725 (+31.8 %): +68.2 pp
    assert _rep(m, "A")["tier_figure"] == "+68.2\u00a0pp"
    assert "growth against the company" in metrics.tier_measure_sentence(m.reps, s)
    assert "(chosen in Settings)" in metrics.tier_measure_sentence(m.reps, s)


def test_tier_words_follow_the_quantiles_in_force(ws: Workspace) -> None:
    growths = {
        "A": (100, 200, 400),
        "B": (100, 100, 150),
        "C": (100, 100, 100),
        "D": (100, 150, 75),
    }
    _team(ws, growths)
    s = settings.Settings(top_tier_quantile=0.9, marginal_tier_quantile=0.25)
    m = metrics.compute(ws, Window(AS_OF, 12), s)
    sentence = metrics.tier_measure_sentence(m.reps, s)
    assert "bottom quartile" in sentence and "top decile" in sentence
    assert "half" not in sentence
    # current relative growths 1.0, 0.5, 0.0, -0.5: q25 = -0.125 -> only D marginal
    tiers = dict(zip(m.reps["rep_id"], m.reps["tier"], strict=True))
    assert tiers["D"] == "marginal" and tiers["C"] == "core"
    assert "bottom quartile" in _rep(m, "D")["tier_reason"]
    assert "25\u00a0% quantile" in _rep(m, "D")["tier_reason"]


def test_coaching_priority_by_money_at_stake(flagged: Workspace) -> None:
    m = metrics.compute(flagged, Window(AS_OF, 12))
    f = _rep(m, "F")
    # trap / claim-gap account F1: open potential 10 k - 3 k = 7 k; no list values -> no excess
    assert f["money_at_stake"] == pytest.approx(7_000)
    assert f["n_relationship_trap"] == 1


# --- page queries ----------------------------------------------------------------------------


def test_page_queries(book: Workspace) -> None:
    w = Window(AS_OF, 12)
    by_type = metrics.hours_by_type_month(book, "R1", w)
    may = by_type[by_type["month"].astype(str).str.startswith("2026-05")]
    assert dict(zip(may["activity_type"], may["hours"], strict=True)) == pytest.approx(
        {"call": 10 / 60, "visit": 2.0}
    )
    assert may["estimated_hours"].sum() == pytest.approx(10 / 60)
    assert metrics.key_people_time(book, "R1", w).empty  # no contact roles
    q = metrics.discount_quarters(book, ["A1"], AS_OF)
    assert q["discount_rate"].tolist() == pytest.approx([0.0, 1 - 10_000 / 12_000, 0.25])
    assert metrics.measure(book, "revenue", "A1", date(2025, 6, 30), AS_OF) == pytest.approx(50_000)
    assert metrics.measure(book, "hours", "A1", date(2025, 6, 30), AS_OF) == pytest.approx(13 / 6)
    assert metrics.measure(book, "discount", "A2", date(2025, 6, 30), AS_OF) is None


def test_hours_to_shift_moves_the_misallocated_hours(flagged: Workspace) -> None:
    m = metrics.compute(flagged, Window(AS_OF, 12))
    shift = metrics.hours_to_shift(m, "F")
    total = shift["hours_per_month"].sum() * 12
    assert total == pytest.approx(_rep(m, "F")["misallocated_hours"])
    assert shift["to_account_id"].iloc[0] == "F2"


def test_hours_to_shift_can_leave_out_moves_too_small_to_show(flagged: Workspace) -> None:
    m = metrics.compute(flagged, Window(AS_OF, 12))
    exact = metrics.hours_to_shift(m, "F")
    # F's book leaves a move of 0.25 h a year (0.02 h a month): exact by default, left out
    # where a person reads it (the sheet passes the minimum).
    assert (exact["hours_per_month"] < metrics.MIN_SHIFT_HOURS_PER_MONTH).any()
    shown = metrics.hours_to_shift(m, "F", metrics.MIN_SHIFT_HOURS_PER_MONTH)
    assert 0 < len(shown) < len(exact)
    assert (shown["hours_per_month"] >= metrics.MIN_SHIFT_HOURS_PER_MONTH).all()


def test_json_shape(book: Workspace) -> None:
    m = metrics.compute(book, Window(AS_OF, 12))
    data = metrics.to_json(m)
    assert list(data) == [
        "as_of",
        "window_start",
        "window_months",
        "company_growth",
        "coverage",
        "reps",
        "accounts",
    ]
    assert data["window_start"] == "2025-06-30"
    assert data["coverage"]["prior"] == {
        "start": "2024-06-30",
        "end": "2025-06-30",
        "covered_from": "2024-07-01",
        "covered_to": "2025-06-30",
        "share": 1.0,
    }
    assert data["coverage"]["growth_null_reason"] is None
    assert list(data["reps"][0]) == list(metrics.REP_KEYS)
    assert list(data["accounts"][0]) == list(metrics.ACCOUNT_KEYS)
    a2 = next(a for a in data["accounts"] if a["account_id"] == "A2")
    assert (
        a2["growth"] is None and a2["discount_rate"] is None and a2["potential_estimated"] is True
    )


# --- more edge cases -------------------------------------------------------------------------


def test_growth_is_null_only_where_prior_revenue_is_zero(ws: Workspace) -> None:
    insert(
        ws,
        "accounts",
        [
            {"account_id": "G1", "owner_rep_id": "R1", "potential": 1000},
            {"account_id": "G2", "owner_rep_id": "R1", "potential": 1000},
        ],
    )
    insert(
        ws,
        "orders",
        [
            # G1: invoice and full credit note in the prior window: prior revenue 0 -> no growth
            order("G1", "2025-03-01", 100.1),
            order("G1", "2025-03-20", -100.1),
            order("G1", "2026-03-01", 50),
            # G2: only a credit note in the prior window (-20): the documented formula applies
            order("G2", "2025-03-01", -20),
            order("G2", "2026-03-01", 10),
        ],
    )
    m = metrics.compute(ws, Window(AS_OF, 12))
    g1 = _acc(m, "G1")
    assert g1["growth"] != g1["growth"]
    assert _acc(m, "G2")["growth"] == pytest.approx(10 / -20 - 1)


def test_price_list_supplies_missing_list_values(ws: Workspace) -> None:
    insert(ws, "accounts", [{"account_id": "P1", "owner_rep_id": "R1", "potential": 1000}])
    insert(ws, "price_list", [{"product": "bolt", "list_price": 2.0}])
    insert(ws, "orders", [order("P1", "2026-03-01", 150) | {"product": "bolt", "quantity": 100}])
    m = metrics.compute(ws, Window(AS_OF, 12))
    assert _acc(m, "P1")["discount_rate"] == pytest.approx(0.25)  # 1 - 150 / (100 x 2)


def test_default_durations_are_a_setting(ws: Workspace) -> None:
    insert(ws, "accounts", [{"account_id": "D1", "owner_rep_id": "R1", "potential": 1000}])
    insert(
        ws,
        "activities",
        [
            activity("R1", "D1", "2026-03-01", None, 15, "visit"),  # default 60 + travel 15
            activity("R1", "D1", "2026-03-02", None, None, "webinar"),  # unknown type: 'other' 15
        ],
    )
    m = metrics.compute(ws, Window(AS_OF, 12))
    assert _acc(m, "D1")["hours"] == pytest.approx((60 + 15 + 15) / 60)
    assert _acc(m, "D1")["hours_estimated_share"] == pytest.approx(75 / 90)  # travel is real
    s = settings.Settings(default_durations={"visit": 90, "other": 30})
    m = metrics.compute(ws, Window(AS_OF, 12), s)
    assert _acc(m, "D1")["hours"] == pytest.approx((90 + 15 + 30) / 60)


def test_a_changed_default_replaces_the_duration_the_loader_filled_in(ws: Workspace) -> None:
    # Ingestion stores the default of its day and marks it estimated (docs/ingest.md); a
    # default changed later in the settings must change those hours too, and no others.
    insert(ws, "accounts", [{"account_id": "D2", "owner_rep_id": "R1", "potential": 1000}])
    filled = activity("R1", "D2", "2026-03-01", 10, None, "call") | {"duration_estimated": True}
    real = activity("R1", "D2", "2026-03-02", 10, None, "call")
    insert(ws, "activities", [filled, real])
    m = metrics.compute(ws, Window(AS_OF, 12))
    assert _acc(m, "D2")["hours"] == pytest.approx(20 / 60)
    s = settings.Settings(default_durations={"call": 25})
    m = metrics.compute(ws, Window(AS_OF, 12), s)
    assert _acc(m, "D2")["hours"] == pytest.approx((25 + 10) / 60)
    assert _acc(m, "D2")["hours_estimated_share"] == pytest.approx(25 / 35)


def test_order_lines_count_for_their_own_rep_else_the_owner(ws: Workspace) -> None:
    # docs/ingest.md: an order line's rep defaults to the account owner. A deals export
    # names the sales agent on each won deal; its accounts may have no owner at all.
    insert(
        ws,
        "accounts",
        [
            {"account_id": "O1", "owner_rep_id": "R1", "potential": 1000},
            {"account_id": "N1", "potential": 2000},  # no owner (Maven's accounts)
        ],
    )
    insert(ws, "reps", [{"rep_id": r, "rep_name": r} for r in ("R1", "R2", "R3")])
    insert(
        ws,
        "orders",
        [
            order("O1", "2026-03-01", 100, 120),  # owner R1
            order("O1", "2026-04-01", 50, 100) | {"rep_id": "R2"},  # R2 sold at R1's account
            order("N1", "2026-05-01", 300) | {"rep_id": "R3"},
            order("N1", "2025-05-01", 200) | {"rep_id": "R3"},  # prior window
        ],
    )
    m = metrics.compute(ws, Window(AS_OF, 12))
    r1, r2, r3 = _rep(m, "R1"), _rep(m, "R2"), _rep(m, "R3")
    assert (r1["revenue"], r2["revenue"], r3["revenue"]) == (100, 50, 300)
    assert r3["growth"] == pytest.approx(300 / 200 - 1)
    assert r1["discount_rate"] == pytest.approx(1 - 100 / 120)
    assert r2["discount_rate"] == pytest.approx(0.5)
    assert pd.isna(r3["discount_rate"])  # no list values: null, not 0 %
    # new accounts: sold to in W, first-ever order (by anyone) in W
    assert (r1["new_accounts"], r2["new_accounts"], r3["new_accounts"]) == (1, 1, 0)
    # the book (potential, penetration) stays the owner's: R2 and R3 own nothing
    assert r1["weighted_penetration"] == pytest.approx(150 / 1000)
    assert pd.isna(r3["weighted_penetration"]) and r3["accounts"] == 0
    # the account's revenue is every line on it, whoever sold it
    assert _acc(m, "O1")["revenue"] == 150 and pd.isna(_acc(m, "N1")["rep_id"])


def test_zero_potential_is_unknown(ws: Workspace) -> None:
    insert(
        ws,
        "accounts",
        [
            {"account_id": "Z1", "owner_rep_id": "R1", "potential": 0},
            {"account_id": "Z2", "owner_rep_id": "R1", "potential": 500},
        ],
    )
    insert(ws, "orders", [order("Z1", "2026-03-01", 100)])
    m = metrics.compute(ws, Window(AS_OF, 12))
    z1 = _acc(m, "Z1")
    assert z1["penetration"] != z1["penetration"] and z1["potential_share"] != z1["potential_share"]
    assert _acc(m, "Z2")["potential_share"] == 1.0
    # weighted penetration over accounts with a potential only: 0 / 500
    assert _rep(m, "R1")["weighted_penetration"] == 0


def test_trend_quarters_setting_is_bounded(book: Workspace) -> None:
    with pytest.raises(UserError):
        metrics.compute(book, Window(AS_OF, 12), settings.Settings(creep_quarters=12))


def test_every_query_file_states_its_grain() -> None:
    from importlib import resources

    root = resources.files("reltruth.sql")
    for folder in ("staging", "marts"):
        for path in root.joinpath(folder).iterdir():
            if path.name.endswith(".sql"):
                first = path.read_text(encoding="utf-8").splitlines()[0]
                assert first.startswith("-- one row"), path.name


def test_stored_settings_are_used(flagged: Workspace) -> None:
    from reltruth import settings as settings_store

    settings_store.save(flagged.con, settings.Settings(trap_allocation_ratio=20.0))
    m = metrics.compute(flagged, Window(AS_OF, 12))  # no settings given: the workspace's
    assert m.settings.trap_allocation_ratio == 20.0
    assert "relationship_trap" not in _acc(m, "F1")["flags"]  # ratio 16 < 20


def test_compute_leaves_no_mart_tables_behind(book: Workspace) -> None:
    metrics.compute(book, Window(AS_OF, 12))
    left = book.con.execute(
        "select table_name from duckdb_tables() where temporary and table_name like 'mart_%'"
    ).fetchall()
    assert left == []
    from reltruth import sql

    dropped = sql.load("drop_marts")
    assert all(f"drop table if exists mart_{m};" in dropped for m in MARTS)


# --- issue 14: windows, money at stake, the corrected rules -------------------------------------


def test_as_of_outside_the_data_is_refused(book: Workspace) -> None:
    # the data run from 1 Jul 2023 (DATA_START) to 30 Jun 2026
    with pytest.raises(UserError, match=r"after the last date in the data \(2026-06-30\)"):
        metrics.resolve_window(book, "2030-01-01", 12)
    with pytest.raises(UserError, match=r"before the first date in the data \(2023-07-01\)"):
        metrics.resolve_window(book, "2023-06-30", 12)
    assert metrics.resolve_window(book, "2023-07-01", 3).as_of == date(2023, 7, 1)


def test_a_half_covered_prior_window_gives_null_growth_with_the_reason(bare: Workspace) -> None:
    # data from 1 Jan 2025: the prior window (30 Jun 2024, 30 Jun 2025] is half covered
    insert(bare, "reps", [{"rep_id": "R1", "rep_name": "Rita", "team": "T"}])
    insert(
        bare,
        "accounts",
        [{"account_id": "A1", "account_name": "Alpha", "owner_rep_id": "R1", "potential": 1e5}],
    )
    insert(bare, "orders", [order("A1", "2025-01-01", 100), order("A1", "2026-06-30", 300)])
    m = metrics.compute(bare, Window(AS_OF, 12))
    assert m.coverage is not None
    assert m.coverage["prior"]["share"] == pytest.approx(181 / 365, abs=1e-4)
    assert m.coverage["prior"]["covered_from"] == "2025-01-01"
    assert m.company_growth is None
    a1, r1 = _acc(m, "A1"), _rep(m, "R1")
    # without the check: growth 300 / 100 - 1 = +200 %, read off half a year
    assert pd.isna(a1["growth"]) and pd.isna(a1["relative_growth"])
    assert pd.isna(r1["growth"]) and pd.isna(r1["relative_growth"])
    assert "2024-06-30 to 2025-06-30" in m.growth_note and "50 % covered" in m.growth_note
    assert "the data do not cover the prior window whole" in r1["tier_reason"]
    assert any("growth needs it whole" in w for w in m.warnings)
    data = metrics.to_json(m)
    assert data["coverage"]["growth_null_reason"] == m.growth_note
    assert data["company_growth"] is None


def test_a_prior_window_without_data_gives_null_growth(bare: Workspace) -> None:
    insert(bare, "reps", [{"rep_id": "R1", "rep_name": "Rita"}])
    insert(bare, "accounts", [{"account_id": "A1", "owner_rep_id": "R1", "potential": 1e5}])
    insert(bare, "orders", [order("A1", "2026-01-01", 100), order("A1", "2026-06-30", 300)])
    m = metrics.compute(bare, Window(AS_OF, 12))
    assert m.coverage is not None and m.coverage["prior"]["share"] == 0
    assert "has no data" in m.growth_note
    assert any("this window" in w for w in m.warnings)  # the current window is partial too


def test_demote_needs_growth_not_above_the_company(flagged: Workspace) -> None:
    m = metrics.compute(flagged, Window(AS_OF, 12))
    f1 = _acc(m, "F1")
    assert "demote" in f1["flags"] and f1["relative_growth"] <= 0
    reason = next(r for r in f1["flag_reasons"] if r.startswith("demote"))
    assert "relative growth" in reason and "≤ 0" in reason
    # the same account growing faster than the company keeps its time
    insert(flagged, "orders", [order("F1", "2026-06-01", 1_000_000)])
    m = metrics.compute(flagged, Window(AS_OF, 12))
    f1 = _acc(m, "F1")
    assert f1["relative_growth"] > 0 and "demote" not in f1["flags"]


def test_demote_is_not_raised_by_a_null_growth(flagged: Workspace) -> None:
    # a new account (no prior revenue) has no growth: null is not <= 0
    flagged.con.execute("delete from orders where account_id = 'F1' and order_date <= '2025-06-30'")
    f1 = _acc(metrics.compute(flagged, Window(AS_OF, 12)), "F1")
    assert pd.isna(f1["relative_growth"]) and "demote" not in f1["flags"]


def test_open_potential_is_null_where_the_potential_is(book: Workspace) -> None:
    m = metrics.compute(book, Window(AS_OF, 12))
    a3 = _acc(m, "A3")  # no potential, 10 k revenue
    assert pd.isna(a3["potential"]) and pd.isna(a3["open_potential"])
    assert metrics.to_json(m)["accounts"][2]["open_potential"] is None


def test_money_at_stake_is_one_sum_over_the_book(flagged: Workspace) -> None:
    m = metrics.compute(flagged, Window(AS_OF, 12))
    a = m.accounts[m.accounts["rep_id"].notna()]
    for acc in a.to_dict("records"):
        open_part = (
            acc["open_potential"] or 0.0
            if acc["is_relationship_trap"] or acc["is_claim_gap"]
            else 0.0
        )
        excess = 0.0 if pd.isna(acc["excess_discount"]) else max(acc["excess_discount"], 0.0)
        assert acc["money_at_stake"] == pytest.approx(open_part + excess)
    by_rep = a.groupby("rep_id")["money_at_stake"].sum()
    for rep in m.reps.to_dict("records"):
        assert rep["money_at_stake"] == pytest.approx(by_rep.get(rep["rep_id"], 0.0))
    data = metrics.to_json(m)
    assert {r["rep_id"]: r["money_at_stake"] for r in data["reps"]} == pytest.approx(
        dict(zip(m.reps["rep_id"], m.reps["money_at_stake"], strict=True))
    )


def test_a_won_deal_counts_as_revenue_only_where_no_invoice_covers_the_account(
    ws: Workspace,
) -> None:
    # A deals export beside the invoice lines: the sale is billed, so the won deal of an
    # invoiced account is the same revenue again; at an account only the CRM knows, it is
    # the only record of the sale.
    insert(ws, "reps", [{"rep_id": "R1", "rep_name": "R1"}])
    insert(
        ws,
        "accounts",
        [
            {"account_id": "I1", "owner_rep_id": "R1", "potential": 1000},
            {"account_id": "C1", "owner_rep_id": "R1", "potential": 1000},
        ],
    )
    insert(
        ws,
        "orders",
        [
            order("I1", "2026-03-01", 100),  # the invoice
            order("I1", "2026-02-20", 100) | {"source": "deals", "order_id": "D-I1"},
            order("C1", "2026-04-01", 300) | {"source": "deals", "order_id": "D-C1"},
        ],
    )
    m = metrics.compute(ws, Window(AS_OF, 12))
    assert _acc(m, "I1")["revenue"] == 100
    assert _acc(m, "C1")["revenue"] == 300
    assert _rep(m, "R1")["revenue"] == 400
