"""Acceptance: a commitment recorded today is judged by the data of the months after it.

A tiny hand-made workspace (one rep, two accounts, a year of history up to 30 Sep 2026),
then two futures: one where Frank keeps his word (26 h at Contoso by 31 Dec, discount at
Northwind down to 10 %), one where he does not (8 h; 13.5 %). The window moves forward to
31 Dec 2026 and the sheet's commitments section must say ✓ or ✗ with the measured numbers.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from reltruth import format as fmt
from reltruth import metrics
from reltruth.coaching import build_sheet, commitments, render_markdown
from reltruth.workspace import Workspace

AGREED = date(2026, 9, 30)
DUE = date(2026, 12, 31)


def _workspace() -> Workspace:
    ws = Workspace.open(memory=True)
    con = ws.con
    con.execute(
        "insert into reps (rep_id, rep_name, team) values "
        "('R01', 'Frank Berger', 'North'), ('R02', 'Lena Vogt', 'North')"
    )
    con.execute(
        "insert into accounts (account_id, account_name, owner_rep_id, potential, segment, "
        "relationship_rating) values "
        "('A1', 'Contoso', 'R01', 1000000, 'Industry', 3), "
        "('A2', 'Northwind', 'R01', 100000, 'Industry', 5), "
        "('A3', 'Tailspin', 'R02', 500000, 'Industry', 4)"
    )
    # two years of monthly history before the agreement
    day = date(2024, 10, 15)
    n = 0
    while day < AGREED:
        for acc, rep, mins in (("A1", "R01", 60), ("A2", "R01", 240), ("A3", "R02", 120)):
            n += 1
            _activity(ws, f"h{n}", day, rep, acc, mins)
            _order(ws, f"o{n}", day, acc, 10_000.0, 0.12)
        day = (day.replace(day=1) + timedelta(days=32)).replace(day=15)
    return ws


def _activity(ws: Workspace, key: str, day: date, rep: str, account: str, minutes: float) -> None:
    ws.con.execute(
        "insert into activities (row_key, activity_id, activity_date, rep_id, account_id, "
        "activity_type, duration_minutes, travel_minutes) values "
        "($k, $k, $d, $r, $a, 'visit', $m, 0)",
        {"k": key, "d": day, "r": rep, "a": account, "m": minutes},
    )


def _order(
    ws: Workspace, key: str, day: date, account: str, list_amount: float, disc: float
) -> None:
    ws.con.execute(
        "insert into orders (row_key, order_id, order_date, account_id, net_amount, list_amount, "
        "currency) values ($k, $k, $d, $a, $net, $list, 'EUR')",
        {"k": key, "d": day, "a": account, "net": list_amount * (1 - disc), "list": list_amount},
    )


def _future(ws: Workspace, contoso_hours: float, northwind_discount: float) -> None:
    """Three months after the agreement: visits to Contoso, orders at Northwind."""
    for i, month in enumerate((10, 11, 12)):
        day = date(2026, month, 10)
        _activity(ws, f"f{i}", day, "R01", "A1", contoso_hours / 3 * 60)
        _activity(ws, f"g{i}", day, "R02", "A3", 120)
        _order(ws, f"fo{i}", day, "A2", 10_000.0, northwind_discount)
        _order(ws, f"go{i}", day, "A1", 10_000.0, 0.12)


def _record(ws: Workspace) -> None:
    commitments.add(
        ws,
        "R01",
        "See Contoso's decision makers every month",
        agreed_on=AGREED,
        target_kind="hours",
        account_id="A1",
        target_value=20,
        due_date=DUE,
    )
    commitments.add(
        ws,
        "R01",
        "No further discount for Northwind",
        agreed_on=AGREED,
        target_kind="discount",
        account_id="A2",
        target_value=0.12,
        due_date=DUE,
    )


def _sheet_commitments(ws: Workspace, as_of: date) -> list[tuple[str, str]]:
    m = metrics.compute(ws, metrics.Window(as_of, 3))
    sheet = build_sheet(ws, m, "R01")
    assert render_markdown(sheet).count("See Contoso") == 1
    return [(c.status, c.line) for c in sheet.commitments]


@pytest.mark.parametrize(
    ("hours", "discount", "expected"),
    [
        (
            26.0,
            0.10,
            [
                ("kept", "≥ 20\u00a0h at Contoso by 31 Dec 2026: 26\u00a0h ✓"),
                ("kept", "discount at Northwind ≤ 12.0\u00a0% by 31 Dec 2026: 10.0\u00a0% ✓"),
            ],
        ),
        (
            8.0,
            0.135,
            [
                ("broken", "≥ 20\u00a0h at Contoso by 31 Dec 2026: 8.0\u00a0h ✗"),
                ("broken", "discount at Northwind ≤ 12.0\u00a0% by 31 Dec 2026: 13.5\u00a0% ✗"),
            ],
        ),
    ],
)
def test_the_next_sheet_says_whether_it_was_kept(
    hours: float, discount: float, expected: list[tuple[str, str]]
) -> None:
    ws = _workspace()
    try:
        _record(ws)
        # on the day it was agreed: nothing measured yet, due in December
        today = _sheet_commitments(ws, AGREED)
        assert [s for s, _ in today] == ["open", "open"]
        assert today[0][1].endswith("due 31 Dec: so far 0.0\u00a0h")
        _future(ws, hours, discount)
        # half-way (46 of 92 days): an even pace to 20 h reaches 10 h; on track or behind
        mid = _sheet_commitments(ws, date(2026, 11, 15))
        assert [s for s, _ in mid] == ["open", "open"]
        pace = "on track" if hours * 2 / 3 >= 10 else "behind"
        assert mid[0][1].endswith(
            f"{pace} so far, {fmt.hours(hours * 2 / 3)} ({fmt.hours(10.0)} at an even pace by now)"
        )
        # at the due date: kept or broken, with the measured number
        assert _sheet_commitments(ws, DUE) == expected
    finally:
        ws.close()
