"""reltruth.views.time_vs_potential on a hand-made book: one rep, two accounts, four hours.

Contoso has a quarter of the potential and three quarters of the hours; Northwind the
reverse. Alignment 1 − ½ (|0.75 − 0.25| + |0.25 − 0.75|) = 50 %; two hours misallocated,
to be moved from Contoso to Northwind: 2 h / 12 months a month."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from reltruth import metrics
from reltruth.views.time_vs_potential import time_view
from reltruth.workspace import Workspace

AS_OF = date(2026, 9, 30)


@pytest.fixture
def ws() -> Iterator[Workspace]:
    w = Workspace.open(memory=True)
    w.con.execute(
        "insert into reps (rep_id, rep_name) values ('R01', 'Frank Berger'), ('R02', null);"
        "insert into accounts (account_id, account_name, owner_rep_id, potential) values "
        "('A1', 'Contoso', 'R01', 100000), ('A2', 'Northwind', 'R01', 300000), "
        "('A3', 'Fabrikam', 'R02', 1000)"
    )
    for key, day, account, kind, minutes, role in (
        ("a1", date(2026, 7, 1), "A1", "visit", 180, "Decision maker"),
        ("a2", date(2026, 8, 3), "A2", "call", 60, None),
    ):
        w.con.execute(
            "insert into activities (row_key, activity_id, activity_date, rep_id, account_id, "
            "activity_type, duration_minutes, travel_minutes, contact_role) values "
            "($k, $k, $d, 'R01', $a, $t, $m, 0, $r)",
            {"k": key, "d": day, "a": account, "t": kind, "m": minutes, "r": role},
        )
    yield w
    w.close()


def test_headline_accounts_and_hours_to_shift(ws: Workspace) -> None:
    v = time_view(ws, metrics.compute(ws, metrics.Window(AS_OF, 12)), "R01")
    assert v.rep_name == "Frank Berger"
    assert v.alignment_score == pytest.approx(0.5)
    assert v.misallocated_hours == pytest.approx(2.0)
    assert v.hours == pytest.approx(4.0)
    assert v.revenue_per_hour == 0.0  # no orders loaded: no revenue in four hours
    assert v.accounts["account_id"].tolist() == ["A1", "A2"]  # most time first
    assert v.accounts["potential_mark"].tolist() == ["", ""]
    shift = v.shift.rows
    assert shift[["from_account_name", "to_account_name"]].values.tolist() == [
        ["Contoso", "Northwind"]
    ]
    assert shift["hours_per_month"].tolist() == pytest.approx([2 / 12])
    by_type = v.by_type
    assert list(zip(by_type["activity_type"], by_type["hours"], strict=True)) == [
        ("visit", 3.0),
        ("call", 1.0),
    ]
    # only the activity with a known role counts; staging spells roles in lower case
    assert v.people.to_dict("records") == [
        {"contact_role": "decision maker", "hours": 3.0, "share": 1.0}
    ]
    assert v.effect == () and v.coached_since is None  # no meeting kept


def test_a_rep_without_activities_says_so(ws: Workspace) -> None:
    v = time_view(ws, metrics.compute(ws, metrics.Window(AS_OF, 12)), "R02")
    assert v.rep_name == "R02"  # no name: the id
    assert v.shift.is_empty and "no activities with accounts" in v.shift.missing
    assert v.by_type.empty
