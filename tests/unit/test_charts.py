"""Charts: empty frames give None (the page shows its empty state); built charts carry
titles with units, percent axes and tooltips with the numbers."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from reltruth import charts


def accounts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": ["A1", "A2", "A3"],
            "account_name": ["Northwind", None, "<b>x</b>"],
            "potential_share": [0.06, 0.48, 0.46],
            "time_share": [0.33, 0.05, 0.62],
            "hours": [300.0, 50.0, 560.0],
            "revenue": [27_000.0, 100_000.0, -5.0],
            "potential": [150_000.0, 1_200_000.0, 1_150_000.0],
            "penetration": [0.18, 0.08, 1.3],
            "allocation_ratio": [5.5, 0.1, 1.35],
            "flags": [["claim_gap", "relationship_trap"], ["neglected_potential"], []],
            "relationship_rating": [5, 3, None],
            "relative_growth": [-0.05, 0.02, 0.0],
            "rep_id": ["R01"] * 3,
            "rep_name": ["Frank Berger"] * 3,
        }
    )


def spec(chart) -> dict:
    return json.loads(chart.to_json())


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (["claim_gap", "relationship_trap"], "relationship trap"),  # time flags win on this chart
        (["discount_creep"], "discount creep"),
        (["trade_candidate"], "other flag"),
        ([], "no flag"),
        (None, "no flag"),
        (float("nan"), "no flag"),
        ("demote, claim_gap", "demote"),
    ],
)
def test_main_flag(flags, expected):
    assert charts.main_flag(flags) == expected


def test_time_vs_potential_has_the_proportional_line_and_tooltips():
    chart = charts.time_vs_potential(accounts(), "€")
    s = spec(chart)
    layers = s["layer"]
    assert len(layers) == 3  # the line, its label, the accounts
    points = layers[2]["encoding"]
    assert points["x"]["title"] == "Share of the rep's potential (%)"
    assert points["y"]["axis"]["format"] == ".1~%"
    assert {t["field"] for t in points["tooltip"]} >= {"Account", "Hours", "Revenue", "Penetration"}
    data = next(iter(s["datasets"].values())) if "datasets" in s else None
    assert data is not None
    names = {row.get("Account") for d in s["datasets"].values() for row in d}
    assert {"Northwind", "A2", "<b>x</b>"} <= names  # missing name -> id; HTML stays text
    revenue = [row["Revenue"] for d in s["datasets"].values() for row in d if "Revenue" in row]
    assert min(revenue) == 0  # a credit-note balance cannot be a negative dot size


def test_the_diagonal_spans_the_larger_share():
    s = spec(charts.time_vs_potential(accounts()))
    line = [row for d in s["datasets"].values() for row in d if set(row) == {"x", "y"}]
    assert max(r["x"] for r in line) == pytest.approx(0.62 * 1.05)


@pytest.mark.parametrize(
    "build",
    [
        lambda: charts.time_vs_potential(pd.DataFrame(columns=["potential_share"])),
        lambda: charts.team_overview(pd.DataFrame(columns=["relative_growth"])),
        lambda: charts.rating_vs(
            accounts().assign(relationship_rating=None), "penetration", "P", ".0%"
        ),
        lambda: charts.discount_trend(pd.DataFrame(columns=["account_id", "quarter_start"]), {}),
        lambda: charts.bars(pd.DataFrame({"n": ["a"], "v": [0.0]}), "n", "v", title="t"),
        lambda: charts.hours_by_type_month(
            pd.DataFrame(columns=["month", "activity_type", "hours"])
        ),
        lambda: charts.key_people(pd.DataFrame(columns=["contact_role", "hours", "share"])),
    ],
)
def test_nothing_to_draw_gives_none(build):
    assert build() is None


def test_team_overview_keeps_coaching_priority_order_and_tier_colours():
    reps = pd.DataFrame(
        {
            "rep_id": ["R05", "R01", "R02"],
            "rep_name": ["Jonas Weber", "Frank Berger", "Lena Vogt"],
            "tier": ["marginal", "marginal", "top"],
            "relative_growth": [-0.08, -0.05, 0.09],
        }
    )
    s = spec(charts.team_overview(reps))
    assert s["encoding"]["y"]["sort"] == ["Jonas Weber", "Frank Berger", "Lena Vogt"]
    colour = s["encoding"]["color"]["scale"]
    assert dict(zip(colour["domain"], colour["range"], strict=True))["top performer"] == "#1b9e77"
    # growth against the company is in percentage points, not per cent
    assert "' pp'" in s["encoding"]["x"]["axis"]["labelExpr"]
    assert "format" not in s["encoding"]["x"]["axis"]


def test_rating_chart_marks_claim_gaps():
    s = spec(charts.rating_vs(accounts(), "penetration", "Penetration (%)", ".0%"))
    rows = [row for d in s["datasets"].values() for row in d]
    assert {r["Account"]: r["Claim gap"] for r in rows} == {
        "Northwind": "claim gap",
        "A2": "no claim gap",
    }  # the unrated account is left out
    assert s["encoding"]["x"]["title"].startswith("Claimed relationship")
