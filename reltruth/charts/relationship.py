"""The relationship-truth chart: the rating a rep claims against what the account buys.

Why a module of its own: the claim-gap chart is the Relationship truth page's argument and the
workshop's slide of it; it reads the accounts' flags and ratings, nothing else.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from reltruth.charts.common import PP_LABEL, PP_TEXT, WIDTH, flag_list, labels, numeric


def rating_vs(
    accounts: pd.DataFrame,
    measure: str,
    title: str,
    fmt: str,
    clip: tuple[float, float] | None = None,
) -> alt.Chart | None:
    """Claimed relationship rating (1-5) against a measure (penetration or relative
    growth; ``fmt`` a d3 format, or "pp" for percentage points); claim-gap accounts in red. Jittered so that accounts with one rating spread.

    ``clip``: the y range shown; values beyond it sit on the edge (the tooltip keeps the
    true value), so that one small account growing +600 % does not flatten the rest."""
    if accounts.empty or "relationship_rating" not in accounts.columns:
        return None
    rated = accounts[numeric(accounts, "relationship_rating").notna()]
    if rated.empty or numeric(rated, measure).notna().sum() == 0:
        return None
    data = pd.DataFrame(
        {
            "Account": labels(rated, "account_name", "account_id"),
            "Rep": labels(rated, "rep_name", "rep_id") if "rep_id" in rated.columns else "",
            "Rating": numeric(rated, "relationship_rating").round(0),
            "Value": numeric(rated, measure),
            "Claim gap": [
                "claim gap" if "claim_gap" in flag_list(f) else "no claim gap"
                for f in rated.get("flags", [None] * len(rated))
            ],
            "Potential": numeric(rated, "potential"),
        }
    ).dropna(subset=["Value"])
    return (
        alt.Chart(data)
        .mark_circle(opacity=0.7, size=60)
        .encode(
            x=alt.X(
                "Rating:O",
                title="Claimed relationship (1 = poor … 5 = excellent)",
                scale=alt.Scale(domain=[1, 2, 3, 4, 5]),
                axis=alt.Axis(labelAngle=0),
            ),
            xOffset=alt.XOffset("jitter:Q"),
            y=alt.Y(
                "Value:Q",
                title=title,
                axis=alt.Axis(labelExpr=PP_LABEL) if fmt == "pp" else alt.Axis(format=fmt),
                scale=alt.Scale(domain=list(clip), clamp=True) if clip else alt.Undefined,
            ),
            color=alt.Color(
                "Claim gap:N",
                scale=alt.Scale(domain=["claim gap", "no claim gap"], range=["#d62728", "#9ecae1"]),
                legend=alt.Legend(orient="bottom", title=None),
            ),
            tooltip=[
                alt.Tooltip("Account:N"),
                alt.Tooltip("Rep:N"),
                alt.Tooltip("Rating:O", title="Claimed rating"),
                alt.Tooltip("value_pp:N", title=title)
                if fmt == "pp"
                else alt.Tooltip("Value:Q", title=title, format=fmt.replace(".0", ".1")),
                alt.Tooltip("Potential:Q", format=",.0f"),
                alt.Tooltip("Claim gap:N"),
            ],
        )
        .transform_calculate(
            jitter="sqrt(-2*log(random()))*cos(2*PI*random())",
            value_pp=PP_TEXT.format(field="Value"),
        )
        .properties(width=WIDTH, height=340)
    )
