"""Commitments of every kind recorded on the Coaching sheet page, then judged by the data
loaded after the meeting (the figures are hand-computed in
tests/unit/coaching/test_commitment_kinds.py), and a free-text one marked by the manager."""

from __future__ import annotations

from datetime import date

import pytest
from apptest_helpers import sheet_page
from streamlit.testing.v1 import AppTest

from reltruth.coaching import commitments as cm
from reltruth.workspace import Workspace

NBSP = "\u00a0"


def _activity(ws: Workspace, key: str, day: date, account: str, hours: float) -> None:
    ws.con.execute(
        "insert into activities (row_key, activity_id, activity_date, rep_id, account_id, "
        "activity_type, duration_minutes, travel_minutes) values "
        "($k, $k, $d, 'R01', $a, 'visit', $m, 0)",
        {"k": key, "d": day, "a": account, "m": hours * 60},
    )


def _order(ws: Workspace, key: str, day: date, account: str) -> None:
    ws.con.execute(
        "insert into orders (row_key, order_id, order_date, account_id, net_amount, "
        "list_amount, currency) values ($k, $k, $d, $a, 10000, 12000, 'EUR')",
        {"k": key, "d": day, "a": account},
    )


@pytest.fixture
def ws():  # type: ignore[no-untyped-def]
    w = Workspace.open(memory=True)
    w.con.execute(
        "insert into reps (rep_id, rep_name) values ('R01', 'Frank Berger');"
        "insert into accounts (account_id, account_name, owner_rep_id, potential) values "
        "('A1', 'Contoso', 'R01', 240000), ('A2', 'Northwind', 'R01', 40000)"
    )
    for month in range(1, 10):  # the year before the meeting, up to 30 Sep 2026
        _activity(w, f"p{month}", date(2026, month, 5), "A2", 5.0)
        _order(w, f"po{month}", date(2026, month, 5), "A2")
    _order(w, "last", date(2026, 9, 30), "A1")
    yield w
    w.close()


def _record(at: AppTest, text: str, kind: str | None, value: float = 0, **choices: str) -> None:
    at.text_area(key="sheet_commit_new_text").input(text)
    at.selectbox(key="sheet_commit_new_kind").set_value(kind)
    for name, choice in choices.items():
        at.selectbox(key=f"sheet_commit_new_{name}").set_value(choice)
    at.number_input(key="sheet_commit_new_value").set_value(value)
    at.button(key="sheet_commit_new_save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]


def test_each_kind_recorded_on_the_page_and_judged_after_more_data(ws: Workspace) -> None:
    at = sheet_page(ws, "R01")
    _record(at, "Cut the hours at Contoso", "hours", 20, account="A1", op="<=")
    _record(at, "Hold Contoso's discount", "discount", 15, account="A1")
    _record(at, "Grow Contoso", "revenue", 25_000, account="A1")
    _record(at, "Half of Contoso's wallet", "penetration", 50, account="A1")
    _record(at, "Time where the money is", "alignment", 80)
    _record(at, "Bring the tender playbook", None)
    made = {c.text: c for c in cm.list_for_rep(ws, "R01")}
    assert made["Cut the hours at Contoso"].target_op == "<="
    assert made["Half of Contoso's wallet"].target_value == 0.5
    assert made["Time where the money is"].account_id is None
    assert {c.agreed_on for c in made.values()} == {date(2026, 9, 30)}
    assert {c.due_date for c in made.values() if c.measurable} == {date(2026, 12, 31)}

    # the quarter after the meeting is loaded; a new session sees the new window
    for i, month in enumerate((10, 11, 12)):
        _activity(ws, f"c{i}", date(2026, month, 10), "A1", 10.0)
        _order(ws, f"o{i}", date(2026, month, 10), "A1")
    _activity(ws, "n1", date(2026, 11, 20), "A2", 10.0)
    ws.con.execute("delete from orders where order_id = 'last'")  # keep Contoso at 3 orders
    _order(ws, "year_end", date(2026, 12, 31), "A2")  # the data now reaches the due date
    at = sheet_page(ws, "R01")
    shown = " ".join(m.value for m in at.markdown)
    for expected in (
        f"≤ 20{NBSP}h at Contoso by 31 Dec 2026: 30{NBSP}h ✗",
        f"discount at Contoso ≤ 15.0{NBSP}% by 31 Dec 2026: 16.7{NBSP}% ✗",
        f"≥ €25{NBSP}k revenue at Contoso by 31 Dec 2026: €30{NBSP}k ✓",
        f"penetration at Contoso ≥ 50.0{NBSP}% by 31 Dec 2026: 49.6{NBSP}% ✗",
        f"alignment score ≥ 80.0{NBSP}% by 31 Dec 2026: 89.3{NBSP}% ✓",
        "Bring the tender playbook (no measurable target: ask how it went)",
    ):
        # the page's Markdown escaper writes no-break spaces as plain ones
        assert expected.replace(NBSP, " ") in shown, expected

    playbook = made["Bring the tender playbook"].commitment_id
    at.selectbox(key=f"sheet_commit_status_{playbook}").set_value("partly").run()
    assert not at.exception
    assert cm.status_of(ws, playbook) == "partly"
    assert any("partly done ½" in m.value for m in at.markdown)
