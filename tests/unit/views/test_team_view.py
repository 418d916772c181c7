"""reltruth.views.team on hand-made rep rows: the order, the tier counts, the money at
stake and what the tier chart shows."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date

import pandas as pd
import pytest

from reltruth import metrics
from reltruth.views import team
from reltruth.views.team import team_chart, team_view
from reltruth.workspace import Workspace

AS_OF = date(2026, 9, 30)


@pytest.fixture
def m() -> Iterator[metrics.Metrics]:
    ws = Workspace.open(memory=True)
    yield metrics.compute(ws, metrics.Window(AS_OF, 12))
    ws.close()


REPS = pd.DataFrame(
    {
        "rep_id": ["R1", "R2", "R3", "R4"],
        "coaching_priority": [3, 1, 4, 2],
        "tier": ["core", "marginal", "top", "marginal"],
        "tier_measure": ["relative growth"] * 4,
        "money_at_stake": [100.0, None, 50.0, 25.5],
    }
)


def test_reps_by_priority_with_tier_counts_and_money_at_stake(m: metrics.Metrics) -> None:
    v = team_view(dataclasses.replace(m, company_revenue=1000.0), REPS)
    assert v.empty == ""
    assert v.reps["rep_id"].tolist() == ["R2", "R4", "R1", "R3"]
    assert v.reps.index.tolist() == [0, 1, 2, 3]  # the table's row positions
    assert (v.marginal, v.top) == (2, 1)
    assert v.money_at_stake == pytest.approx(175.5)  # a missing figure counts as none
    assert v.measure == "relative growth" and v.measure_label == "Growth vs company"
    assert v.chart.measure == "relative growth" and v.chart.unit == "percentage points"
    assert v.chart.notes == ()
    assert v.chart_empty.startswith("No rep has a growth figure")  # orders, but one window
    assert v.marginal_help == (
        "The bottom half of the team by growth against the company in this window."
    )
    assert v.top_help == (
        "The top quartile of the team by growth against the company in this and the prior window."
    )


def test_the_chart_follows_the_measure_that_ranked_the_tiers(m: metrics.Metrics) -> None:
    quota = team_chart(REPS.assign(tier_measure="quota attainment"))
    assert (quota.measure, quota.title, quota.unit) == (
        "quota attainment",
        "Quota attainment, by tier",
        "% of quota",
    )
    mixed = team_view(m, REPS.assign(tier_measure=["quota attainment"] + ["relative growth"] * 3))
    assert mixed.measure == "mixed" and mixed.measure_label == "Tier measure"
    assert mixed.chart.measure == "relative growth"
    assert mixed.chart.notes[0].startswith("The chart shows growth against the company")


def test_more_reps_than_the_chart_holds(
    m: metrics.Metrics, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(team, "CHART_MAX_REPS", 3)
    chart = team_view(m, REPS).chart
    assert chart.reps["rep_id"].tolist() == ["R2", "R4", "R1"]
    assert chart.notes == ("The first 3 reps by coaching priority; all are in the table below.",)


def test_no_reps_and_no_orders(m: metrics.Metrics) -> None:
    assert team_view(m, REPS.iloc[0:0]).empty == team.NO_REPS
    assert team_view(m, REPS).chart_empty.startswith("Upload orders")  # no revenue at all
