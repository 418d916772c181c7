"""reltruth.views.discounts on hand-made account rows: the creep list from the engine's
``is_discount_creep``, the excess-discount sums, the picker's offer and the empty state."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date

import pandas as pd
import pytest

from reltruth import metrics
from reltruth.views import discounts
from reltruth.views.discounts import discounts_view
from reltruth.workspace import Workspace

AS_OF = date(2026, 9, 30)
REPS = pd.DataFrame({"rep_id": ["R1", "R2"], "rep_name": ["Zoe", "Ana"]})


@pytest.fixture
def ws() -> Iterator[Workspace]:
    w = Workspace.open(memory=True)
    yield w
    w.close()


def _metrics(ws: Workspace, rows: list[dict[str, object]]) -> metrics.Metrics:
    m = metrics.compute(ws, metrics.Window(AS_OF, 12))
    return dataclasses.replace(m, accounts=pd.DataFrame(rows))


def _row(
    i: str,
    rep: str,
    rate: float | None,
    trend: float | None,
    excess: float | None,
    creep: bool,
    listed: float = 100.0,
) -> dict[str, object]:
    return {"account_id": i, "account_name": f"N{i}" if i != "A4" else None, "rep_id": rep,
            "discount_rate": rate, "discount_trend_pp_per_year": trend,
            "excess_discount": excess, "list_amount": listed, "revenue": 1.0,
            "flags": ["discount_creep"] if creep else [], "is_discount_creep": creep}  # fmt: skip


ROWS = [
    _row("A1", "R1", 0.10, 2.0, 300.0, True),
    _row("A2", "R1", 0.20, 5.0, 50.0, True),
    _row("A3", "R2", 0.05, -1.0, None, False, listed=900.0),
    _row("A4", "R2", 0.30, None, 1000.0, False),
    _row("A5", "R1", None, None, 999.0, True),  # no discount rate: not priced, not counted
    _row("A6", "R3", 0.50, 9.0, 7.0, True),  # another rep's: out of scope
]


def test_headline_and_creep_list_from_the_engines_flag(ws: Workspace) -> None:
    v = discounts_view(_metrics(ws, ROWS), {"R1", "R2"}, {"orders": 1}, REPS)
    assert v.empty == ""
    assert v.creep_accounts == 2
    assert v.excess_discount == pytest.approx(1350.0)  # 300 + 50 + 1000 (A3 has none)
    assert v.excess_at_creep == pytest.approx(350.0)
    assert v.default_accounts == ["A2", "A1"]  # steepest first
    assert v.names == {"A1": "NA1", "A2": "NA2", "A3": "NA3", "A4": "A4"}  # no name: its id
    assert v.options == ["A4", "A1", "A2", "A3"]  # by name: "A4" < "NA1" < "NA2" < "NA3"
    assert v.trends["account_id"].tolist() == ["A2", "A1", "A3", "A4"]  # no trend last
    assert v.by_rep[["rep_name", "excess"]].values.tolist() == [["Ana", 1000.0], ["Zoe", 350.0]]
    assert v.by_account["account_id"].tolist()[:2] == ["A4", "A1"]
    assert v.by_account["label"].tolist()[0] == "A4"
    assert not v.more_than_offered


def test_the_flag_column_decides_not_the_flag_list(ws: Workspace) -> None:
    rows = [{**ROWS[0], "flags": ["discount_creep"], "is_discount_creep": False}]
    assert discounts_view(_metrics(ws, rows), {"R1"}, {"orders": 1}, REPS).creep_accounts == 0


def test_picker_offers_the_most_list_value_plus_the_creep_list(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(discounts, "MAX_OPTIONS", 1)
    v = discounts_view(_metrics(ws, ROWS), {"R1", "R2"}, {"orders": 1}, REPS)
    # A3 has the most list value; A1 and A2 are on the creep list
    assert sorted(v.options) == ["A1", "A2", "A3"] and v.more_than_offered


def test_empty_state_names_the_missing_input(ws: Workspace) -> None:
    no_rates = [{**ROWS[4]}]
    v = discounts_view(_metrics(ws, no_rates), {"R1"}, {}, REPS)
    assert v.empty.startswith("Upload order or invoice lines")
    assert v.trends.empty and v.creep_accounts == 0
