"""reltruth.views.relationship_truth on hand-made account rows: the claim gaps from the
engine's ``is_claim_gap``, the order of each list, the trades' names and the empty states."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date

import pandas as pd
import pytest

from reltruth import metrics
from reltruth.views.relationship_truth import truth_view
from reltruth.workspace import Workspace

AS_OF = date(2026, 9, 30)
REPS = pd.DataFrame({"rep_id": ["R1", "R2"], "rep_name": ["Zoe", None]})


@pytest.fixture
def m() -> Iterator[metrics.Metrics]:
    ws = Workspace.open(memory=True)
    yield metrics.compute(ws, metrics.Window(AS_OF, 12))
    ws.close()


def _row(i: str, rep: str, **figures: object) -> dict[str, object]:
    base: dict[str, object] = {
        "account_id": i, "account_name": f"N{i}", "rep_id": rep, "relationship_rating": None,
        "open_potential": None, "potential": 100.0, "potential_estimated": False,
        "is_claim_gap": False, "missing_categories": None, "white_space_potential": None,
        "is_high_potential": False, "no_decision_maker_contact": False,
    }  # fmt: skip
    return {**base, **figures}


ROWS = [
    _row("A1", "R1", relationship_rating=5, is_claim_gap=True, open_potential=100.0),
    _row("A2", "R1", relationship_rating=4, is_claim_gap=True, open_potential=900.0,
         potential_estimated=True),
    # the flag list says claim gap, the engine's column does not: the column decides
    _row("A3", "R2", relationship_rating=5, flags=["claim_gap"], open_potential=5000.0),
    _row("A4", "R1", missing_categories=["Hydraulics"], white_space_potential=10.0,
         is_high_potential=True, potential=50.0),
    _row("A5", "R2", missing_categories=["Pumps", "Valves"], white_space_potential=40.0,
         is_high_potential=True, no_decision_maker_contact=True, potential=10.0),
    _row("A6", "R2", missing_categories=[], is_high_potential=True, potential=90.0),
    _row("A9", "R9", is_claim_gap=True, open_potential=1.0),  # another team's rep
]  # fmt: skip


def _view(m: metrics.Metrics, rows: list[dict[str, object]], **changes: object):  # type: ignore[no-untyped-def]
    changes.setdefault("missing_fields", ())  # an empty workspace misses every field
    return truth_view(
        dataclasses.replace(m, accounts=pd.DataFrame(rows), reps=REPS, **changes),
        {"R1", "R2"},
        REPS,
    )


def test_claim_gaps_white_space_and_key_people(m: metrics.Metrics) -> None:
    v = _view(m, ROWS)
    assert v.rated and v.reps == 2 and len(v.accounts) == 6
    assert v.accounts["potential_mark"].tolist() == ["", "≈", "", "", "", ""]
    assert v.gaps.rows["account_id"].tolist() == ["A2", "A1"]  # most open potential first
    assert v.gaps_open_potential == pytest.approx(1000.0) and v.gaps.missing == ""
    assert v.white_space.rows["account_id"].tolist() == ["A5", "A4"]  # an empty list is none
    # the account without decision-maker contact first, then by potential
    assert v.key_people.rows["account_id"].tolist() == ["A5", "A6", "A4"]
    assert v.key_people.rows["quiet"].tolist() == ["no contact", "", ""]
    assert "claim gap" in v.charts_note and "for more than 90 days" in v.key_people_note


def test_trades_of_the_scope_with_names(m: metrics.Metrics) -> None:
    trades = pd.DataFrame(
        {"account_id": ["A3", "A9", "A1"], "from_rep_id": ["R2", "R9", "R1"],
         "to_rep_name": ["Zoe", "Ana", None], "reason": ["x", "y", "z"]}
    )  # fmt: skip
    rows = _view(m, ROWS, trades=trades).trades.rows
    assert rows[["account_name", "from_rep_name", "to_rep_name"]].values.tolist() == [
        ["NA3", "R2", "Zoe"],  # R2 has no name: its id
        ["NA1", "Zoe", "none"],
    ]


def test_empty_states_name_what_is_missing(m: metrics.Metrics) -> None:
    v = _view(m, [_row("A1", "R1")], missing_fields=("contact_role",))
    assert not v.rated
    assert v.gaps.is_empty and v.gaps.missing.startswith("Claim gaps cannot be found")
    assert v.white_space.is_empty and v.white_space.missing
    assert v.key_people.is_empty and "contact role" in v.key_people.missing
    assert v.trades.is_empty and v.trades.missing
