"""reltruth.views.account on hand-made rows: each section's figures, and what it says when
its input is missing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pandas as pd
import pytest

from reltruth import metrics
from reltruth.settings import Settings
from reltruth.views.account import Owner, _key_people_words, account_choices, account_view
from reltruth.views.common import Section
from reltruth.workspace import Workspace

AS_OF = date(2026, 9, 30)


@pytest.fixture
def ws() -> Iterator[Workspace]:
    w = Workspace.open(memory=True)
    w.con.execute(
        "insert into reps (rep_id, rep_name) values ('R01', 'Frank Berger'), ('R02', 'Ana Ruiz');"
        "insert into accounts (account_id, account_name, owner_rep_id, potential, owner_since) "
        "values ('A1', 'Contoso', 'R01', 100000, date '2025-03-01'), "
        "('A2', 'Northwind', 'R02', 50000, null)"
    )
    yield w
    w.close()


def _activities(ws: Workspace, rows: list[tuple[str, str, str, str, float, str | None]]) -> None:
    for i, (day, rep, account, kind, minutes, role) in enumerate(rows):
        ws.con.execute(
            "insert into activities (row_key, activity_id, activity_date, rep_id, account_id, "
            "activity_type, duration_minutes, travel_minutes, contact_role) values "
            "($k, $k, $d, $r, $a, $t, $m, 0, $role)",
            {"k": f"a{i}", "d": date.fromisoformat(day), "r": rep, "a": account, "t": kind,
             "m": minutes, "role": role},
        )  # fmt: skip


def _orders(ws: Workspace, rows: list[tuple[str, str, str | None, float, float | None]]) -> None:
    for i, (day, account, rep, net, listed) in enumerate(rows):
        ws.con.execute(
            "insert into orders (row_key, order_id, order_date, account_id, rep_id, net_amount, "
            "list_amount, currency) values ($k, $k, $d, $a, $r, $n, $l, 'EUR')",
            {"k": f"o{i}", "d": date.fromisoformat(day), "a": account, "r": rep, "n": net,
             "l": listed},
        )  # fmt: skip


def _view(ws: Workspace, account_id: str = "A1"):  # type: ignore[no-untyped-def]
    m = metrics.compute(ws, metrics.Window(AS_OF, 12))
    return account_view(ws, m, account_id)


def test_orders_and_discount_by_quarter(ws: Workspace) -> None:
    _orders(
        ws,
        [
            ("2026-01-15", "A1", None, 900, 1000),
            ("2026-02-15", "A1", None, 500, None),  # no list value: revenue, not discount
            ("2026-08-01", "A1", None, 1600, 2000),
            ("2026-08-02", "A1", None, -100, -125),  # a credit note counts against both
            ("2024-09-30", "A1", None, 7000, 7000),  # before the eight quarters to 30 Sep 2026
            ("2026-08-01", "A2", None, 1, 1),
        ],
    )
    v = _view(ws)
    rows = v.orders.rows
    assert v.span_start == date(2024, 10, 1) and v.orders.missing == ""
    # every quarter of the span, a quarter without orders at 0 (not left off the axis)
    assert [d.isoformat() for d in rows["quarter_start"].dt.date] == [
        "2024-10-01", "2025-01-01", "2025-04-01", "2025-07-01",
        "2025-10-01", "2026-01-01", "2026-04-01", "2026-07-01",
    ]  # fmt: skip
    assert rows["revenue"].tolist() == [0, 0, 0, 0, 0, 1400, 0, 1500]
    assert rows["order_lines"].tolist() == [0, 0, 0, 0, 0, 2, 0, 2]
    # Q1: 1 - 900 / 1000 on the priced line only; Q3: 1 - 1500 / 1875
    priced = rows.dropna(subset=["discount_rate"])
    assert priced["discount_rate"].tolist() == pytest.approx([0.10, 0.20])


def test_hours_roles_and_who_worked_it(ws: Workspace) -> None:
    _activities(
        ws,
        [
            ("2026-07-01", "R01", "A1", "visit", 120, "decision maker"),
            ("2026-07-20", "R01", "A1", "call", 30, None),
            ("2026-08-03", "R02", "A1", "visit", 60, "buyer"),
            ("2026-08-04", "R01", "A2", "visit", 600, "buyer"),  # another account
        ],
    )
    _orders(ws, [("2026-09-01", "A1", None, 1000, None), ("2025-11-01", "A1", "R02", 500, None)])
    v = _view(ws)
    hours = v.hours.rows
    assert list(
        zip(hours["month"].dt.month, hours["activity_type"], hours["hours"], strict=True)
    ) == [
        (7, "call", 0.5),
        (7, "visit", 2.0),
        (8, "visit", 1.0),
    ]
    roles = v.contact_roles.rows
    assert roles["contact_role"].tolist() == ["decision maker", "buyer", "(not recorded)"]
    assert roles["activities"].tolist() == [1, 1, 1]
    reps = v.reps.rows
    # the owner first; the line without its own rep is the owner's revenue
    assert reps["rep_id"].tolist() == ["R01", "R02"]
    assert reps["is_owner"].tolist() == [True, False]
    assert reps["hours"].tolist() == [2.5, 1.0] and reps["revenue"].tolist() == [1000, 500]
    assert reps["first_day"].dt.date.tolist() == [date(2026, 7, 1), date(2025, 11, 1)]
    assert reps["last_day"].dt.date.tolist() == [date(2026, 9, 1), date(2026, 8, 3)]
    assert v.owner.rep_name == "Frank Berger" and v.owner.since == date(2025, 3, 1)
    assert v.owner.inferred_from is None


def test_flags_come_with_their_numbers(ws: Workspace) -> None:
    v = _view(ws)
    reasons = ["relationship_trap: time share 50 % ÷ potential share 21 % = 2.4 ≥ 1.5"]
    from reltruth.views.account import _flags

    section = _flags({**v.headline, "flag_reasons": reasons, "potential": 1.0})
    assert section.rows.to_dict("records") == [
        {"flag": "relationship_trap", "why": "time share 50 % ÷ potential share 21 % = 2.4 ≥ 1.5"}
    ]
    assert _flags({"potential": float("nan"), "flag_reasons": []}).missing.startswith(
        "No flag can be judged without the account's potential"
    )


def test_every_section_says_what_is_missing(ws: Workspace) -> None:
    v = _view(ws)
    assert v.orders.is_empty and "No orders are loaded" in v.orders.missing
    assert v.hours.is_empty and "No activities are loaded" in v.hours.missing
    assert "No activities are loaded" in v.contact_roles.missing
    # orders without any list value: the revenue is there, the discount's input is named
    _orders(ws, [("2026-09-01", "A1", None, 1000, None)])
    _activities(ws, [("2026-09-02", "R01", "A1", "visit", 60, None)])
    v = _view(ws)
    assert not v.orders.is_empty and "price list" in v.orders.missing
    assert v.contact_roles.is_empty and "carry no contact role" in v.contact_roles.missing
    # loaded, but none with this account
    v = _view(ws, "A2")
    assert "No orders from this account" in v.orders.missing
    assert "No activities with this account" in v.hours.missing


def test_inferred_owner_and_choices_by_name(ws: Workspace) -> None:
    ws.con.execute("insert into inferred_owners values ('A2', 'revenue')")
    _orders(ws, [("2026-09-01", "A1", None, 1000, None), ("2026-09-01", "A2", None, 10, None)])
    m = metrics.compute(ws, metrics.Window(AS_OF, 12))
    assert account_choices(m) == {"A1": "Contoso", "A2": "Northwind"}
    assert account_view(ws, m, "A2").owner.inferred_from == "revenue"


def _categorised(ws: Workspace, rows: list[tuple[str, str, float, str]]) -> None:
    for i, (day, account, net, category) in enumerate(rows):
        ws.con.execute(
            "insert into orders (row_key, order_id, order_date, account_id, net_amount, "
            "list_amount, product_category) values ($k, $k, $d, $a, $n, $n, $c)",
            {"k": f"c{i}", "d": date.fromisoformat(day), "a": account, "n": net, "c": category},
        )


def test_white_space_section(ws: Workspace) -> None:
    ws.con.execute(
        "insert into accounts (account_id, account_name, owner_rep_id, potential, segment) "
        "values ('P1', 'Peer 1', 'R02', 10000, 'S'), ('P2', 'Peer 2', 'R02', 10000, 'S')"
    )
    ws.con.execute("update accounts set segment = 'S' where account_id = 'A1'")
    _categorised(
        ws,
        [
            ("2026-03-01", "A1", 300, "Bearings"),
            ("2026-03-01", "P1", 100, "Bearings"),
            ("2026-03-01", "P1", 300, "Hydraulics"),
            ("2026-03-01", "P2", 100, "Hydraulics"),
        ],
    )
    m = metrics.compute(ws, metrics.Window(AS_OF, 12), Settings(white_space_min_peers=2))
    rows = account_view(ws, m, "A1").white_space.rows
    # both peers buy hydraulics (400 of their 500), A1 does not: 0.8 x its 100,000 potential
    assert rows[["category", "peers_buying", "peers", "peer_segment"]].values.tolist() == [
        ["Hydraulics", 2, 2, "S"]
    ]
    assert rows["estimated_value"].iloc[0] == pytest.approx(80_000)
    # Peer 1 buys both categories: said in words, not an empty table
    p1 = account_view(ws, m, "P1").white_space
    assert p1.is_empty and p1.missing.startswith("It buys every category")


def test_white_space_without_categories_says_so(ws: Workspace) -> None:
    _orders(ws, [("2026-03-01", "A1", None, 100, 100)])
    section = _view(ws).white_space
    assert section.is_empty and "product category" in section.missing


def test_key_people_section(ws: Workspace) -> None:
    _activities(
        ws,
        [
            ("2026-05-01", "R01", "A1", "visit", 60, "Decision maker"),
            ("2026-06-01", "R01", "A1", "call", 180, "User"),
            ("2026-06-01", "R01", "A2", "call", 30, "User"),  # R02's account: not A1's
        ],
    )
    row = _view(ws).key_people.rows.iloc[0]
    assert row["decision_maker_hours_share"] == pytest.approx(0.25)  # 1 h of the owner's 4 h
    assert row["last_decision_maker_contact"] == date(2026, 5, 1)
    assert row["days_without_decision_maker"] == 152  # 1 May to 30 Sep 2026


def test_key_people_without_contact_roles(ws: Workspace) -> None:
    _activities(ws, [("2026-05-01", "R01", "A1", "visit", 60, None)])
    section = _view(ws).key_people
    assert section.is_empty and "contact roles" in section.missing


def test_the_words_the_page_shows(ws: Workspace) -> None:
    _activities(
        ws,
        [
            ("2026-05-01", "R01", "A1", "visit", 60, "Decision maker"),
            ("2026-06-01", "R01", "A1", "call", 180, "User"),
        ],
    )
    _orders(ws, [("2026-09-01", "A1", "R02", 1000, 1250)])
    v = _view(ws)
    assert v.owner.text == (
        "Owner now: Frank Berger since 1 Mar 2025 (as the accounts export names it)"
    )
    assert v.reps.rows["owner_now"].tolist() == ["owner", ""]
    # the discount chart's columns: one line for this account, net = the quarter's revenue
    q3 = v.orders.rows.iloc[-1]
    assert (q3["account_id"], q3["net_amount"]) == ("A1", 1000)
    assert q3["discount_rate"] == pytest.approx(0.2)  # 1 - 1000 / 1250
    kp = v.key_people_words
    assert kp is not None
    assert kp.share == pytest.approx(0.25) and kp.last_contact == "1 May 2026"
    # its owner's only account: not above the book's top-quartile cut
    assert (kp.high_potential, kp.warning) == ("no", "")
    assert kp.high_potential_help == "In the top quartile of the owner's book by potential."
    assert kp.share_help.endswith(f"{metrics.Window(AS_OF, 12).label}.")


def test_no_owner_and_no_key_people_in_words() -> None:
    assert Owner(None, None, None, None).text.startswith("No owner: the accounts export")
    assert Owner("R9", "Ana", None, "hours").text == (
        "Owner now: Ana (inferred by reltruth: the rep with the most hours here)"
    )
    assert _key_people_words(Section(pd.DataFrame(), "why"), None) is None  # type: ignore[arg-type]


def test_a_quiet_high_potential_account_is_warned_about(ws: Workspace) -> None:
    m = metrics.compute(ws, metrics.Window(AS_OF, 12))
    row = {"is_high_potential": True, "no_decision_maker_contact": True,
           "decision_maker_hours_share": None, "last_decision_maker_contact": None}  # fmt: skip
    kp = _key_people_words(Section(pd.DataFrame([row])), m)
    assert kp is not None
    assert (kp.share, kp.last_contact, kp.high_potential) == (None, "none", "yes")
    assert kp.warning.startswith("No decision maker met for more than 90 days")
