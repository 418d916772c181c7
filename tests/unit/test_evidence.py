"""Issue 20's evidence on small hand-written tables: given rows -> expected numbers.

as_of 30 Jun 2026, 12-month window: W = (30 Jun 2025, 30 Jun 2026], prior = (30 Jun 2024,
30 Jun 2025]. Every expected value is worked out by hand next to it (docs/metrics.md,
"Evidence").
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from reltruth import metrics, settings
from reltruth.metrics import Window
from reltruth.workspace import Workspace
from tests.unit.test_metrics import DATA_START, activity, insert, order

AS_OF = date(2026, 6, 30)
WINDOW = Window(AS_OF, 12)


@pytest.fixture
def ws() -> Iterator[Workspace]:
    """A workspace whose data start on 1 Jul 2023 (every window here is covered)."""
    w = Workspace.open(memory=True)
    insert(w, "activities", [{**DATA_START, "row_key": "data-start"}])
    yield w
    w.close()


def _acc(m: metrics.Metrics, account_id: str) -> dict[str, Any]:
    return m.accounts.set_index("account_id").loc[account_id].to_dict()


def _rep(m: metrics.Metrics, rep_id: str) -> dict[str, Any]:
    return m.reps.set_index("rep_id").loc[rep_id].to_dict()


def _cat(account: str, day: str, net: float, category: str, order_id: str = "") -> dict[str, Any]:
    return {**order(account, day, net, net), "product_category": category, "order_id": order_id}


def _accounts(ws: Workspace, *rows: tuple[str, str, float | None, str | None]) -> None:
    insert(
        ws,
        "accounts",
        [
            {"account_id": a, "account_name": a, "owner_rep_id": r, "potential": p, "segment": s}
            for a, r, p, s in rows
        ],
    )


# --- category white space ------------------------------------------------------------------


@pytest.fixture
def shelves(ws: Workspace) -> Workspace:
    """Segment Dist: A, B, C, D buy; E has no segment; F (Dist) buys nothing in W."""
    insert(ws, "reps", [{"rep_id": "R1", "rep_name": "Rita"}])
    _accounts(
        ws,
        ("A", "R1", 10_000, "Dist"),
        ("B", "R1", 10_000, "Dist"),
        ("C", "R1", 10_000, "Dist"),
        ("D", "R1", 10_000, "Dist"),
        ("E", "R1", 7_000, None),
        ("F", "R1", 10_000, "Dist"),
    )
    insert(
        ws,
        "orders",
        [
            _cat("A", "2026-01-10", 100, "Bearings"),
            _cat("A", "2026-01-10", 100, "Fasteners"),
            _cat("A", "2026-02-10", 50, "Pneumatics"),
            _cat("A", "2026-03-10", -50, "Pneumatics"),  # credited in full: not bought
            _cat("B", "2026-01-10", 100, "Bearings"),
            _cat("B", "2026-01-10", 300, "Hydraulics"),
            _cat("C", "2026-01-10", 200, "Hydraulics"),
            _cat("C", "2026-01-10", 200, "Fasteners"),
            _cat("D", "2026-01-10", 400, "Bearings"),
            _cat("E", "2026-01-10", 100, "Bearings"),
            _cat("F", "2025-01-10", 100, "Hydraulics"),  # prior window only
        ],
    )
    return ws


def test_white_space_against_the_segment(shelves: Workspace) -> None:
    s = settings.Settings(white_space_min_peers=3)
    m = metrics.compute(shelves, WINDOW, s)
    a = _acc(m, "A")
    assert a["categories_bought"] == ["Bearings", "Fasteners"]
    # peers B, C, D (3 >= min 3): Hydraulics bought by B and C, 2 of 3 >= 0.5 x 3
    assert a["missing_categories"] == ["Hydraulics"]
    assert a["missing_categories_detail"] == [
        {
            "category": "Hydraulics",
            "peers_buying": 2,
            "peers": 3,
            "peer_segment": "Dist",
            "category_share": pytest.approx(500 / 1200),
        }
    ]
    # the peers' revenue 400 + 400 + 400 = 1,200, of which Hydraulics 300 + 200 = 500
    assert a["missing_categories_share"] == pytest.approx(500 / 1200)
    assert a["white_space_potential"] == pytest.approx(10_000 * 500 / 1200)
    d = _acc(m, "D")
    # peers A, B, C (revenue 200 + 400 + 400 = 1,000): Fasteners 100 + 200, Hydraulics 500
    assert d["missing_categories"] == ["Fasteners", "Hydraulics"]
    assert d["missing_categories_share"] == pytest.approx(0.8)


def test_white_space_falls_back_to_the_company(shelves: Workspace) -> None:
    s = settings.Settings(white_space_min_peers=3)
    m = metrics.compute(shelves, WINDOW, s)
    e = _acc(m, "E")
    # no segment: peers are the other four buyers A-D (company revenue 1,500 - E's 100);
    # Fasteners (A, C) and Hydraulics (B, C): 2 of 4 each
    assert e["missing_categories"] == ["Fasteners", "Hydraulics"]
    assert [d["peer_segment"] for d in e["missing_categories_detail"]] == [None, None]
    assert e["missing_categories_share"] == pytest.approx((300 + 500) / 1_400)
    # with the default 5 peers Dist (3 others each) is too small: A is compared company-wide,
    # where Hydraulics (B, C) is 2 of 4 peers and Bearings is bought
    a = _acc(metrics.compute(shelves, WINDOW, settings.Settings()), "A")
    assert a["missing_categories"] == ["Hydraulics"]
    assert a["missing_categories_detail"][0]["peers"] == 4


def test_white_space_needs_orders_in_the_window(shelves: Workspace) -> None:
    m = metrics.compute(shelves, WINDOW, settings.Settings(white_space_min_peers=3))
    f = _acc(m, "F")
    assert not isinstance(f["missing_categories"], list)  # null: nothing to compare
    assert f["white_space_potential"] != f["white_space_potential"]  # NaN
    # a higher bar: 3 of 3 peers
    strict = metrics.compute(
        shelves, WINDOW, settings.Settings(white_space_min_peers=3, white_space_peer_share=1.0)
    )
    assert _acc(strict, "A")["missing_categories"] == []
    assert metrics.to_json(m)["accounts"][0]["missing_categories"] == ["Hydraulics"]


# --- key people ----------------------------------------------------------------------------


@pytest.fixture
def people(ws: Workspace) -> Workspace:
    insert(ws, "reps", [{"rep_id": "R1", "rep_name": "Rita"}, {"rep_id": "R2"}])
    _accounts(
        ws,
        ("K1", "R1", 200_000, "S"),
        ("K2", "R1", 100_000, "S"),
        ("K3", "R1", 50_000, "S"),
        ("K4", "R1", 10_000, "S"),
    )
    insert(
        ws,
        "activities",
        [
            activity("R1", "K1", "2026-01-31", 60, role="Decision maker"),  # 150 days before
            activity("R1", "K1", "2026-06-01", 120, role="User"),
            activity("R2", "K1", "2026-06-20", 60, role="Decision maker"),  # not the owner
            activity("R1", "K2", "2026-06-10", 30, role="Decision Maker"),
            activity("R1", "K3", "2026-05-01", 30),  # no role
        ],
    )
    return ws


def test_decision_maker_share_and_last_contact(people: Workspace) -> None:
    m = metrics.compute(people, WINDOW, settings.Settings())
    k1 = _acc(m, "K1")
    # the owner's 3 h on K1, 1 h of them with the decision maker; R2's visit is not his
    assert k1["decision_maker_hours_share"] == pytest.approx(1 / 3)
    assert k1["last_decision_maker_contact"] == date(2026, 1, 31)
    assert k1["days_without_decision_maker"] == 150
    # book quantile 0.75 of 10, 50, 100, 200 k = 100 + 0.25 x 100 = 125 k: only K1
    assert [k1["is_high_potential"], _acc(m, "K2")["is_high_potential"]] == [True, False]
    assert k1["no_decision_maker_contact"]  # 150 > 90 days
    k2 = _acc(m, "K2")
    assert k2["decision_maker_hours_share"] == pytest.approx(1.0)  # role case ignored
    assert not k2["no_decision_maker_contact"]  # not high-potential
    k3 = _acc(m, "K3")
    assert k3["decision_maker_hours_share"] != k3["decision_maker_hours_share"]  # no roles: null


def test_days_without_decision_maker_is_a_setting(people: Workspace) -> None:
    m = metrics.compute(people, WINDOW, settings.Settings(key_people_max_days=150))
    assert not _acc(m, "K1")["no_decision_maker_contact"]  # 150 is not more than 150
    half = settings.Settings(key_people_potential_quantile=0.5)  # 75 k: K1 and K2
    m = metrics.compute(people, WINDOW, half)
    assert _acc(m, "K2")["is_high_potential"]
    assert not _acc(m, "K2")["no_decision_maker_contact"]  # met 20 days ago


def test_no_prompt_without_contact_roles(ws: Workspace) -> None:
    _accounts(ws, ("K1", "R1", 200_000, "S"), ("K2", "R1", 10_000, "S"))
    insert(ws, "activities", [activity("R1", "K1", "2026-05-01", 60)])
    m = metrics.compute(ws, WINDOW, settings.Settings())
    assert _acc(m, "K1")["is_high_potential"]
    assert not _acc(m, "K1")["no_decision_maker_contact"]  # roles unknown: no evidence


# --- win rates -----------------------------------------------------------------------------


def _deal(
    deal: str,
    account: str,
    rep: str | None,
    stage: str,
    engaged: str,
    closed: str | None,
    value: float,
) -> dict[str, Any]:
    return {
        "row_key": deal,
        "deal_id": deal,
        "account_id": account,
        "rep_id": rep,
        "stage": stage,
        "engage_date": date.fromisoformat(engaged),
        "close_date": date.fromisoformat(closed) if closed else None,
        "value": value,
    }


@pytest.fixture
def deals(ws: Workspace) -> Workspace:
    insert(ws, "reps", [{"rep_id": "R1", "rep_name": "Rita"}])
    insert(
        ws,
        "accounts",
        [
            {
                "account_id": "G",
                "owner_rep_id": "R1",
                "potential": 50_000,
                "relationship_rating": 5,
            },
            {
                "account_id": "H",
                "owner_rep_id": "R1",
                "potential": 50_000,
                "relationship_rating": 2,
            },
        ],
    )
    insert(
        ws,
        "pipeline",
        [
            _deal("d1", "G", "R1", "won", "2025-09-01", "2025-10-01", 100),  # 30 days
            _deal("d2", "H", None, "won", "2025-10-01", "2025-12-30", 300),  # owner R1; 90 days
            _deal("d3", "G", "R1", "lost", "2025-11-01", "2026-02-01", 600),
            _deal("d4", "G", "R1", "lost", "2024-08-01", "2024-09-01", 900),  # prior window
            _deal("d5", "H", "R1", "won", "2024-07-02", "2024-08-31", 50),  # prior; 60 days
            _deal("d6", "G", "R1", "open", "2026-03-22", None, 500),  # 100 days open
            _deal("d7", "H", "R1", "open", "2026-06-10", None, 200),  # 20 days open
            _deal("d8", "H", "R1", "open", "2026-02-01", None, 70),  # 149 days, rated 2
        ],
    )
    return ws


def test_win_rates_by_count_and_value(deals: Workspace) -> None:
    m = metrics.compute(deals, WINDOW, settings.Settings())
    assert m.has_deals
    r = _rep(m, "R1")
    # closed in W: won d1 (100) and d2 (300, rep from the account owner), lost d3 (600)
    assert (r["deals_won"], r["deals_lost"]) == (2, 1)
    assert r["win_rate"] == pytest.approx(2 / 3)
    assert r["win_rate_value"] == pytest.approx(400 / 1_000)
    assert r["open_pipeline"] == pytest.approx(770)
    # won cycles 30, 90 and 60 days (d5, closed before W, counts): median 60
    assert r["median_cycle_days"] == 60
    g = _acc(m, "G")
    assert (g["deals_won"], g["deals_lost"], g["win_rate"]) == (1, 1, 0.5)
    assert g["open_pipeline"] == 500
    assert metrics.to_json(m)["reps"][0]["win_rate"] == pytest.approx(2 / 3)


def test_stalled_deal_at_a_great_relationship(deals: Workspace) -> None:
    m = metrics.compute(deals, WINDOW, settings.Settings())
    g, h = _acc(m, "G"), _acc(m, "H")
    # d6: 100 days open > the 60-day median, at an account rated 5
    assert (g["stalled_deals"], g["stalled_days_open"], g["stalled_value"]) == (1, 100, 500)
    assert g["is_stalled_great_relationship"]
    # d8 is stalled (149 days) but H is rated 2: no great relationship to question
    assert h["stalled_deals"] == 1 and not h["is_stalled_great_relationship"]


def test_no_win_rates_without_deals(people: Workspace) -> None:
    m = metrics.compute(people, WINDOW, settings.Settings())
    assert not m.has_deals
    assert metrics.to_json(m)["reps"][0]["win_rate"] is None
    assert not _acc(m, "K1")["stalled_deals"]


# --- what the discount bought --------------------------------------------------------------

QUARTER_DAYS = (
    "2024-08-15",
    "2024-11-15",
    "2025-02-15",
    "2025-05-15",
    "2025-08-15",
    "2025-11-15",
    "2026-02-15",
    "2026-05-15",
)


def test_what_the_discount_bought(ws: Workspace) -> None:
    _accounts(ws, ("X", "R1", 50_000, "S"))
    rows = []
    for i, day in enumerate(QUARTER_DAYS):
        lst = 1_000.0 if i < 4 else 960.0  # volume at list 4 % lower in the later year
        rate = 0.10 + 0.01 * i  # +1 pp a quarter = +4 pp a year
        category = "Bearings" if i % 2 or i >= 4 else "Hydraulics"
        rows.append(
            {
                **order("X", day, lst * (1 - rate), lst),
                "order_id": f"INV{i}",
                "product_category": category,
            }
        )
    insert(ws, "orders", rows)
    m = metrics.compute(ws, WINDOW, settings.Settings())
    x = _acc(m, "X")
    assert x["is_discount_creep"]
    # earlier half (Q3 2024-Q2 2025): net 1,000 x (0.90 + 0.89 + 0.88 + 0.87) = 3,540 of 4,000
    assert x["discount_early"] == pytest.approx(1 - 3_540 / 4_000)
    # later half: 960 x (0.86 + 0.85 + 0.84 + 0.83) = 3,244.8 of 3,840
    assert x["discount_late"] == pytest.approx(1 - 3_244.8 / 3_840)
    assert x["discount_change"] == pytest.approx(0.04)
    assert x["volume_at_list_change"] == pytest.approx(-0.04)
    assert (x["orders_early"], x["orders_late"]) == (4, 4)
    assert (x["categories_early"], x["categories_late"]) == (2, 1)


# --- newcomers -----------------------------------------------------------------------------


def test_growth_measured_from_the_takeover(ws: Workspace) -> None:
    insert(ws, "reps", [{"rep_id": "R1"}, {"rep_id": "R2"}])
    insert(
        ws,
        "accounts",
        [
            {"account_id": "T", "owner_rep_id": "R1", "owner_since": date(2026, 1, 1)},
            {"account_id": "N", "owner_rep_id": "R1", "owner_since": date(2026, 2, 1)},
            {"account_id": "O", "owner_rep_id": "R2", "owner_since": date(2015, 1, 1)},
        ],
    )
    insert(
        ws,
        "orders",
        [
            order("T", "2025-03-01", 5_000),  # the predecessor's prior window
            order("T", "2025-08-01", 1_000),  # in the 180 days before 1 Jan 2026
            order("T", "2026-03-01", 1_200),  # the new owner's
            order("O", "2025-09-01", 1_000),
            order("O", "2026-04-01", 1_000),
            order("N", "2026-03-01", 800),  # created by its owner: no predecessor
        ],
    )
    insert(
        ws,
        "activities",
        [
            activity("R1", "T", "2025-12-01", 60),  # before the takeover
            activity("R1", "T", "2026-02-01", 120),
            activity("R1", "N", "2026-03-01", 60),
        ],
    )
    m = metrics.compute(ws, WINDOW, settings.Settings())
    t = _acc(m, "T")
    assert t["is_takeover"] and t["held_days"] == 180  # 1 Jan to 30 Jun 2026
    # the window's growth (1,000 + 1,200) / 5,000 - 1 = -56 % blamed the new owner
    assert t["growth_window"] == pytest.approx(-0.56)
    # since the takeover: 1,200 against 1,000 in as many days before it
    assert t["growth"] == pytest.approx(0.2)
    # the company over the same spans: (1,200 + 1,000 + 800) / (1,000 + 1,000) - 1 = +50 %
    assert t["company_growth_since_takeover"] == pytest.approx(0.5)
    assert t["relative_growth"] == pytest.approx(0.2 - 0.5)
    # 2 h on T of the owner's 3 h since 1 Jan 2026
    assert t["hours_since_takeover"] == pytest.approx(2.0)
    assert t["time_share_since_takeover"] == pytest.approx(2 / 3)
    n = _acc(m, "N")
    assert not n["is_takeover"]  # no revenue before: the owner opened it
    assert metrics.to_json(m)["accounts"][1]["takeover_date"] == "2026-01-01"
