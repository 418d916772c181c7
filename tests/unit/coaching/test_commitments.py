"""Commitments: recorded, edited, deleted per rep; printed with the data's verdict."""

from __future__ import annotations

from datetime import date

import pytest

from reltruth.coaching import commitments as cm
from reltruth.errors import UserError
from reltruth.workspace import Workspace


@pytest.fixture
def ws():  # type: ignore[no-untyped-def]
    w = Workspace.open(memory=True)
    w.con.execute(
        "insert into accounts (account_id, account_name) values ('A1', 'Contoso'), "
        "('A2', 'Northwind')"
    )
    yield w
    w.close()


def test_add_list_update_delete(ws: Workspace) -> None:
    c1 = cm.add(
        ws,
        "R01",
        "  Visit Contoso's new plant manager  ",
        agreed_on=date(2026, 9, 30),
        target_kind="hours",
        account_id="A1",
        target_value=20,
        due_date=date(2026, 12, 31),
    )
    c2 = cm.add(ws, "R01", "Stop giving away freight", agreed_on=date(2026, 10, 1))
    cm.add(ws, "R02", "Share the tender playbook", agreed_on=date(2026, 9, 30))
    mine = cm.list_for_rep(ws, "R01")
    assert [c.commitment_id for c in mine] == [c1.commitment_id, c2.commitment_id]
    assert mine[0].text == "Visit Contoso's new plant manager"
    assert mine[0].target_op == ">=" and mine[0].target_value == 20.0
    assert not mine[1].measurable

    changed = cm.update(ws, c1.commitment_id, target_value=25.0, text="Visit the plant manager")
    assert cm.get(ws, c1.commitment_id) == changed
    assert changed.target_value == 25.0 and changed.rep_id == "R01"

    cm.delete(ws, c2.commitment_id)
    assert [c.commitment_id for c in cm.list_for_rep(ws, "R01")] == [c1.commitment_id]
    with pytest.raises(UserError):
        cm.delete(ws, c2.commitment_id)


def test_discount_typed_as_percent_is_stored_as_a_fraction(ws: Workspace) -> None:
    c = cm.add(
        ws,
        "R01",
        "Hold the line",
        agreed_on=date(2026, 9, 30),
        target_kind="discount",
        account_id="A2",
        target_value=12,
        due_date=date(2027, 3, 31),
    )
    assert c.target_value == pytest.approx(0.12)
    assert c.target_op == "<="


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"text": " "}, "Write down"),
        ({"target_kind": "mood"}, "hours, discount, revenue or penetration"),
        ({"target_kind": "hours", "target_value": 5, "due_date": date(2027, 1, 1)}, "account"),
        ({"target_kind": "hours", "account_id": "A1", "due_date": date(2027, 1, 1)}, "number"),
        ({"target_kind": "hours", "account_id": "A1", "target_value": 5}, "date"),
        (
            {
                "target_kind": "hours",
                "account_id": "A1",
                "target_value": 5,
                "due_date": date(2026, 9, 1),
            },
            "after",
        ),
        (
            {
                "target_kind": "hours",
                "account_id": "A1",
                "target_value": -5,
                "due_date": date(2027, 1, 1),
            },
            "negative",
        ),
    ],
)
def test_invalid_commitments_are_refused_in_one_line(
    ws: Workspace, kwargs: dict, message: str
) -> None:
    values = {"text": "Something", **kwargs}
    text = values.pop("text")
    with pytest.raises(UserError, match=message):
        cm.add(ws, "R01", text, agreed_on=date(2026, 9, 30), **values)
    assert cm.list_for_rep(ws, "R01") == []


def _c(kind: str, value: float, op: str | None = None) -> cm.Commitment:
    return cm.Commitment(
        "id",
        "R01",
        date(2026, 9, 30),
        "Agreed",
        kind,
        "A1",
        op or cm.DEFAULT_OP[kind],
        value,
        date(2026, 12, 31),
    )


@pytest.mark.parametrize(
    ("c", "ev", "line", "mark"),
    [
        (
            _c("hours", 20),
            cm.Evaluation("kept", 26.0, date(2026, 12, 31)),
            "≥ 20\u00a0h at Contoso by 31 Dec 2026: 26\u00a0h ✓",
            "✓",
        ),
        (
            _c("discount", 0.12),
            cm.Evaluation("broken", 0.135, date(2026, 12, 31)),
            "discount at Contoso ≤ 12.0\u00a0% by 31 Dec 2026: 13.5\u00a0% ✗",
            "✗",
        ),
        (
            _c("hours", 20),
            cm.Evaluation("open", 12.0, date(2026, 11, 15)),
            "≥ 20\u00a0h at Contoso by 31 Dec 2026: due 31 Dec: so far 12\u00a0h",
            "…",
        ),
        (
            _c("revenue", 50_000),
            cm.Evaluation("kept", 61_000.0, date(2026, 12, 31)),
            "≥ €50\u00a0k revenue at Contoso by 31 Dec 2026: €61\u00a0k ✓",
            "✓",
        ),
        (
            _c("hours", 20, "<="),
            cm.Evaluation("kept", 8.0, date(2026, 12, 31)),
            "≤ 20\u00a0h at Contoso by 31 Dec 2026: 8.0\u00a0h ✓",
            "✓",
        ),
        (
            _c("revenue", 50_000),
            cm.Evaluation("no_data", None, date(2026, 12, 31)),
            "≥ €50\u00a0k revenue at Contoso by 31 Dec 2026: no data yet",
            "",
        ),
    ],
)
def test_printed_verdicts(c: cm.Commitment, ev: cm.Evaluation, line: str, mark: str) -> None:
    out = cm.line(c, ev, "Contoso", "€")
    assert out.line == line
    assert out.mark == mark


def test_free_text_commitment_has_no_verdict() -> None:
    c = cm.Commitment("id", "R01", date(2026, 9, 30), "Call the CFO")
    out = cm.line(c, cm.Evaluation("no_target", None, None), "", "€")
    assert out.status == "no_target" and out.mark == ""
    assert out.line.startswith("Call the CFO")
