"""The coaching timeline per quarter since the first meeting, hand-computed on a few rows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from reltruth.coaching import commitments as cm
from reltruth.coaching import effect
from reltruth.workspace import Workspace

AS_OF = date(2026, 8, 31)
MET = date(2026, 5, 10)
NBSP = "\u00a0"


@pytest.fixture
def ws() -> Iterator[Workspace]:
    w = Workspace.open(memory=True)
    w.con.execute(
        "insert into reps (rep_id, rep_name) values ('R01', 'Frank Berger'), ('R02', 'Ana Ruiz');"
        "insert into accounts (account_id, account_name, owner_rep_id, potential) values "
        "('A1', 'Contoso', 'R01', 100000), ('A2', 'Northwind', 'R01', 300000), "
        "('B1', 'Fabrikam', 'R02', null);"
        "insert into meetings (rep_id, met_on, as_of, window_months, sheet) values "
        "('R01', date '2026-05-10', date '2026-04-30', 12, '{}'), "
        "('R01', date '2026-07-20', date '2026-06-30', 12, '{}')"
    )
    orders = [
        ("2025-02-01", "A1", 1000, None),  # Q1 2025: the base of Q1 2026's growth
        ("2026-02-01", "A1", 1500, 2000),
        ("2025-02-01", "B1", 1000, None),  # the rest of the company
        ("2026-02-01", "B1", 1000, None),
    ]
    for i, (day, account, net, listed) in enumerate(orders):
        w.con.execute(
            "insert into orders (row_key, order_id, order_date, account_id, net_amount, "
            "list_amount, currency) values ($k, $k, $d, $a, $n, $l, 'EUR')",
            {"k": f"o{i}", "d": date.fromisoformat(day), "a": account, "n": net, "l": listed},
        )
    acts = [("2026-02-10", "A1"), ("2026-03-10", "A2"), ("2026-07-10", "A2")]
    for i, (day, account) in enumerate(acts):
        w.con.execute(
            "insert into activities (row_key, activity_id, activity_date, rep_id, account_id, "
            "activity_type, duration_minutes, travel_minutes) values "
            "($k, $k, $d, 'R01', $a, 'visit', 600, 0)",
            {"k": f"a{i}", "d": date.fromisoformat(day), "a": account},
        )
    yield w
    w.close()


def test_periods_start_with_the_quarter_before_the_first_meeting() -> None:
    assert effect.periods(MET, AS_OF) == [
        (date(2025, 12, 31), date(2026, 3, 31), True),
        (date(2026, 3, 31), date(2026, 6, 30), False),
        (date(2026, 6, 30), date(2026, 8, 31), False),  # cut at as_of
    ]
    assert effect.periods(MET, date(2026, 5, 1)) == []  # a window before coaching began


def test_the_timeline_hand_computed(ws: Workspace) -> None:
    kept = cm.add(
        ws,
        "R01",
        "Time where the potential is",
        agreed_on=MET,
        target_kind="alignment",
        target_value=50,
        due_date=date(2026, 7, 31),
    )
    done = cm.add(ws, "R01", "Bring the playbook", agreed_on=MET)
    cm.set_status(ws, done.commitment_id, "done", date(2026, 6, 1))
    cm.add(ws, "R01", "Call Contoso's buyer", agreed_on=date(2026, 7, 20))
    rows, since = effect.timeline(ws, "R01", AS_OF)
    assert since == MET
    assert [r.label for r in rows] == ["Q1 2026 (before)", "Q2 2026", "Q3 2026 to 31 Aug"]
    q1, q2, q3 = rows
    # Q1: 10 h at each account, potentials 1 : 3 -> 1 − ½ (|.5 − .25| + |.5 − .75|) = 75 %
    assert q1.alignment == pytest.approx(0.75)
    # 1,500 on the book with potential over 90 days: 1,500 × 365 / 90 / 400,000
    assert q1.weighted_penetration == pytest.approx(1500 * 365 / 90 / 400000)
    # the rep +50 % on Q1 2025, the company 2,500 / 2,000 = +25 %: +25 pp
    assert q1.relative_growth == pytest.approx(0.25)
    assert q1.discount_rate == pytest.approx(0.25)  # 1 − 1,500 / 2,000
    assert q1.texts == (f"75{NBSP}%", f"1.5{NBSP}%", f"+25.0{NBSP}pp", f"25.0{NBSP}%", "–")
    # Q2: no hours, no orders now or a year earlier
    assert q2.alignment is None and q2.relative_growth is None and q2.discount_rate is None
    assert q2.weighted_penetration == 0.0
    # agreed in Q2: the alignment target (all hours on Northwind by 31 Jul: 75 % ≥ 50 %) and
    # the playbook (done); in Q3 one not marked yet
    assert cm.evaluate(ws, kept, AS_OF).status == "kept"
    assert (q2.commitments_made, q2.commitments_kept, q2.texts[-1]) == (2, 2, "2 of 2")
    assert (q3.commitments_made, q3.commitments_kept, q3.texts[-1]) == (1, 0, "0 of 1")
    assert q3.alignment == pytest.approx(0.75)


def test_no_meeting_no_timeline(ws: Workspace) -> None:
    assert effect.timeline(ws, "R02", AS_OF) == ((), None)


def test_a_kept_meeting_reopens_with_its_timeline(ws: Workspace) -> None:
    from dataclasses import asdict, replace

    from coaching_helpers import inputs

    from reltruth.coaching.build import assemble
    from reltruth.coaching.meetings import _plain, sheet_from_dict

    rows, since = effect.timeline(ws, "R01", AS_OF)
    sheet = replace(assemble(inputs()), effect=rows, effect_since=since)
    assert sheet_from_dict(_plain(asdict(sheet))) == sheet
    assert "effect" not in assemble(inputs()).to_dict()  # no meeting: no keys
