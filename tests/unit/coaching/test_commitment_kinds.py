"""Commitments of every kind, each judged by hand-computed figures of the data loaded after
the meeting: hours at least / at most, discount at most, revenue and penetration at least,
the alignment score, and free text with the manager's done / not done / partly.

The workspace: rep R01 owns Contoso (A1, potential 240 k) and Northwind (A2, 40 k). Agreed
30 Sep 2026, due 31 Dec 2026. After the meeting (Oct-Dec, loaded later): 10 h a month at
Contoso and 10 h in all at Northwind; Contoso orders 3 × 10,000 net at 12,000 list.
"""

from __future__ import annotations

from datetime import date

import pytest

from reltruth.coaching import commitments as cm
from reltruth.errors import UserError
from reltruth.workspace import Workspace

AGREED, DUE = date(2026, 9, 30), date(2026, 12, 31)
NBSP = "\u00a0"


@pytest.fixture
def ws():  # type: ignore[no-untyped-def]
    w = Workspace.open(memory=True)
    w.con.execute(
        "insert into reps (rep_id, rep_name) values ('R01', 'Frank Berger');"
        "insert into accounts (account_id, account_name, owner_rep_id, potential) values "
        "('A1', 'Contoso', 'R01', 240000), ('A2', 'Northwind', 'R01', 40000)"
    )
    yield w
    w.close()


def _activity(ws: Workspace, key: str, day: date, account: str, hours: float) -> None:
    ws.con.execute(
        "insert into activities (row_key, activity_id, activity_date, rep_id, account_id, "
        "activity_type, duration_minutes, travel_minutes) values "
        "($k, $k, $d, 'R01', $a, 'visit', $m, 0)",
        {"k": key, "d": day, "a": account, "m": hours * 60},
    )


def _load_the_quarter_after(ws: Workspace) -> None:
    for i, month in enumerate((10, 11, 12)):
        day = date(2026, month, 10)
        _activity(ws, f"c{i}", day, "A1", 10.0)
        ws.con.execute(
            "insert into orders (row_key, order_id, order_date, account_id, net_amount, "
            "list_amount, currency) values ($k, $k, $d, 'A1', 10000, 12000, 'EUR')",
            {"k": f"o{i}", "d": day},
        )
    _activity(ws, "n1", date(2026, 11, 20), "A2", 10.0)


def _add(ws: Workspace, text: str, kind: str | None, value: float | None = None, **kw):  # type: ignore[no-untyped-def]
    return cm.add(
        ws,
        "R01",
        text,
        agreed_on=AGREED,
        target_kind=kind,
        account_id=kw.pop("account_id", "A1" if kind else None),
        target_value=value,
        due_date=DUE if kind else None,
        **kw,
    )


def test_every_kind_gets_its_verdict_after_more_data_is_loaded(ws: Workspace) -> None:
    made = [
        _add(ws, "Cut the hours at Contoso", "hours", 20, target_op="<="),
        _add(ws, "Keep seeing Northwind", "hours", 8, account_id="A2"),
        _add(ws, "Hold Contoso's discount", "discount", 15),
        _add(ws, "Grow Contoso", "revenue", 25_000),
        _add(ws, "Half of Contoso's wallet", "penetration", 50),
        _add(ws, "Time where the money is", "alignment", 80),
        _add(ws, "Bring the tender playbook", None),
    ]
    before = cm.lines_for_rep(ws, "R01", DUE)
    # nothing loaded after the meeting yet: hours and revenue are measured zeros
    assert [c.status for c in before][:2] == ["kept", "broken"]
    _load_the_quarter_after(ws)
    cm.set_status(ws, made[-1].commitment_id, "partly", DUE)
    lines = {c.text: c for c in cm.lines_for_rep(ws, "R01", DUE)}

    def verdict(text: str) -> tuple[str, str]:
        return lines[text].status, lines[text].line

    # 3 × 10 h = 30 h > 20 h: broken (at most)
    assert verdict("Cut the hours at Contoso") == (
        "broken",
        f"≤ 20{NBSP}h at Contoso by 31 Dec 2026: 30{NBSP}h ✗",
    )
    assert verdict("Keep seeing Northwind") == (
        "kept",
        f"≥ 8.0{NBSP}h at Northwind by 31 Dec 2026: 10{NBSP}h ✓",
    )
    # 1 − 30,000 / 36,000 = 16.7 % > 15 %: broken
    assert verdict("Hold Contoso's discount") == (
        "broken",
        f"discount at Contoso ≤ 15.0{NBSP}% by 31 Dec 2026: 16.7{NBSP}% ✗",
    )
    assert verdict("Grow Contoso")[0] == "kept"
    assert verdict("Grow Contoso")[1].endswith(f"€30{NBSP}k ✓")
    # 30,000 in 92 days → 119,022 a year ÷ 240,000 = 49.6 % < 50 %: broken
    assert verdict("Half of Contoso's wallet") == (
        "broken",
        f"penetration at Contoso ≥ 50.0{NBSP}% by 31 Dec 2026: 49.6{NBSP}% ✗",
    )
    # time shares 30/40 and 10/40 against potential shares 240/280 and 40/280:
    # 1 − ½ (|0.75 − 0.857| + |0.25 − 0.143|) = 0.893
    assert verdict("Time where the money is") == (
        "kept",
        f"alignment score ≥ 80.0{NBSP}% by 31 Dec 2026: 89.3{NBSP}% ✓",
    )
    assert verdict("Bring the tender playbook") == (
        "partly",
        "Bring the tender playbook: partly done ½",
    )


def test_before_the_due_date_the_verdict_is_behind_so_far_against_an_even_pace(
    ws: Workspace,
) -> None:
    _add(ws, "Cut the hours at Contoso", "hours", 20, target_op="<=")
    _load_the_quarter_after(ws)
    (line,) = cm.lines_for_rep(ws, "R01", date(2026, 11, 30))
    # two visits of 10 h by 30 Nov; an even pace allows 20 h x 61 / 92 days = 13.3 h by then
    assert line.status == "open"
    assert line.line == (
        f"≤ 20{NBSP}h at Contoso by 31 Dec 2026: due 31 Dec: behind so far, 20{NBSP}h "
        f"(13{NBSP}h at an even pace by now)"
    )


def test_before_the_due_date_the_verdict_is_on_track_so_far(ws: Workspace) -> None:
    _add(ws, "See Contoso", "hours", 25)
    _add(ws, "Hold the discount at Contoso", "discount", 0.5)
    _load_the_quarter_after(ws)
    hours, discount = cm.lines_for_rep(ws, "R01", date(2026, 11, 30))
    # 20 h against 25 h x 61 / 92 = 16.6 h by now; a rate is held against the target itself
    assert hours.line == (
        f"≥ 25{NBSP}h at Contoso by 31 Dec 2026: due 31 Dec: on track so far, 20{NBSP}h "
        f"(17{NBSP}h at an even pace by now)"
    )
    # 1 − 20,000 / 24,000 net over list in the two months
    assert discount.line == (
        f"discount at Contoso ≤ 50.0{NBSP}% by 31 Dec 2026: due 31 Dec: on track so far, "
        f"16.7{NBSP}%"
    )


def test_free_text_status_is_the_managers_and_only_for_free_text(ws: Workspace) -> None:
    free = _add(ws, "Bring the tender playbook", None)
    measured = _add(ws, "Grow Contoso", "revenue", 25_000)
    (line,) = [c for c in cm.lines_for_rep(ws, "R01", DUE) if c.text.startswith("Bring")]
    assert line.status == "no_target"
    for status, text in (("done", "done ✓"), ("not_done", "not done ✗")):
        cm.set_status(ws, free.commitment_id, status, DUE)
        assert cm.status_of(ws, free.commitment_id) == status
        assert cm.lines_for_rep(ws, "R01", DUE)[0].line.endswith(text)
    with pytest.raises(UserError, match="its verdict comes from the data"):
        cm.set_status(ws, measured.commitment_id, "done", DUE)
    with pytest.raises(UserError, match="done, not_done or partly"):
        cm.set_status(ws, free.commitment_id, "maybe", DUE)
    cm.delete(ws, free.commitment_id)
    assert cm.status_of(ws, free.commitment_id) is None


def test_alignment_needs_no_account(ws: Workspace) -> None:
    c = _add(ws, "Time where the money is", "alignment", 0.8, account_id="A1")
    assert c.account_id is None and c.target_value == 0.8
