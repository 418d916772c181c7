"""The team's charts: reps on the measure that ranks the tiers, a rep's coaching effect.

Why a module of its own: these charts are about reps rather than accounts; the tier colours
come from the one naming of the tiers (``reltruth.format.TIER_LABELS``).
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from reltruth.charts.common import PP_LABEL, PP_TEXT, WIDTH, labels, numeric
from reltruth.format import TIER_LABELS

# legend order: the marginal performers (orange) first, the top performers (green) last
TIER_COLOURS = {
    TIER_LABELS["marginal"]: "#d95f02",
    TIER_LABELS["core"]: "#9e9e9e",
    TIER_LABELS["top"]: "#1b9e77",
}


def team_overview(reps: pd.DataFrame, measure: str = "relative growth") -> alt.Chart | None:
    """The measure that ranks the tiers per rep (relative growth, or quota attainment where
    the tiers come from it), coloured by tier, in coaching-priority order: the marginal
    performers (orange) and the top performers (green) stand out at a glance."""
    quota = measure == "quota attainment"
    column = "tier_value" if quota else "relative_growth"
    if reps.empty or numeric(reps, column).notna().sum() == 0:
        return None
    order = labels(reps, "rep_name", "rep_id").tolist()
    data = pd.DataFrame(
        {
            "Rep": order,
            "Relative growth": numeric(reps, "relative_growth"),
            "Quota attainment": numeric(reps, "tier_value") if quota else math.nan,
            "Tier": reps.get("tier", pd.Series(["core"] * len(reps)))
            .map(lambda t: TIER_LABELS.get(t, TIER_LABELS["core"]))
            .tolist(),
            "Revenue": numeric(reps, "revenue"),
            "Money at stake": numeric(reps, "money_at_stake"),
            "Alignment": numeric(reps, "alignment_score"),
        }
    )
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("Rep:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)),
            x=(
                alt.X(
                    "Quota attainment:Q",
                    title="Quota attainment (revenue ÷ the window's share of the quota)",
                    axis=alt.Axis(format=".0%"),
                )
                if quota
                else alt.X(
                    "Relative growth:Q",
                    title="Growth against the company (percentage points)",
                    axis=alt.Axis(labelExpr=PP_LABEL),
                )
            ),
            color=alt.Color(
                "Tier:N",
                scale=alt.Scale(domain=list(TIER_COLOURS), range=list(TIER_COLOURS.values())),
                legend=alt.Legend(orient="bottom", title="Tier"),
            ),
            tooltip=[
                alt.Tooltip("Rep:N"),
                alt.Tooltip("Tier:N"),
                *([alt.Tooltip("Quota attainment:Q", format=".0%")] if quota else []),
                alt.Tooltip("growth_pp:N", title="Growth against the company"),
                alt.Tooltip("Revenue:Q", format=",.0f"),
                alt.Tooltip("Money at stake:Q", format=",.0f"),
                alt.Tooltip("Alignment:Q", format=".0%", title="Alignment score"),
            ],
        )
        .transform_calculate(growth_pp=PP_TEXT.format(field="Relative growth"))
        .properties(width=WIDTH, height=alt.Step(30))
    )


EFFECT_MEASURES = {
    "alignment": "Alignment score",
    "weighted_penetration": "Weighted penetration",
    "relative_growth": "Growth vs company",
    "discount_rate": "Discount",
}


def coaching_effect(rows: pd.DataFrame) -> alt.Chart | None:
    """The rep's figures per quarter since coaching began, one line each; the quarter before
    the first meeting is where the lines start from."""
    if rows.empty:
        return None
    long = rows.melt(
        id_vars=["label"], value_vars=list(EFFECT_MEASURES), var_name="key", value_name="Value"
    ).dropna(subset=["Value"])
    if long.empty:
        return None
    long["Measure"] = long["key"].map(EFFECT_MEASURES)
    order = list(dict.fromkeys(rows["label"]))
    return (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("label:O", title="Quarter", sort=order, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("Value:Q", title="% (growth vs company: pp)", axis=alt.Axis(format=".0%")),
            color=alt.Color("Measure:N", legend=alt.Legend(orient="bottom")),
            tooltip=[
                alt.Tooltip("label:O", title="Quarter"),
                alt.Tooltip("Measure:N"),
                alt.Tooltip("Value:Q", format=".1%"),
            ],
        )
        .properties(width=WIDTH, height=260)
    )
