"""Where the hours go: time against potential (the scatter), hours by activity type and role.

Why a module of its own: the scatter is the product's first argument ("your hours went here,
the money is there"); its flag shapes and the hours charts of the Time and Account pages
belong together.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from reltruth import format as fmt
from reltruth.charts.common import WIDTH, flag_list, labels, numeric

FLAG_SHAPES = {
    "relationship trap": "triangle-up",
    "neglected potential": "diamond",
    "claim gap": "square",
    "discount creep": "cross",
    "demote": "triangle-down",
    "other flag": "wedge",
    "no flag": "circle",
}
# Which flag marks an account on the time-vs-potential scatter when it has several:
# the ones about time come first, that is what the chart is about.
FLAG_ORDER = (
    "relationship_trap",
    "neglected_potential",
    "demote",
    "claim_gap",
    "discount_creep",
)
FLAG_NAMES = {f: f.replace("_", " ") for f in FLAG_ORDER}


def main_flag(flags: object) -> str:
    """The one flag an account is marked with on the scatter ("no flag" when none)."""
    items = flag_list(flags)
    for f in FLAG_ORDER:
        if f in items:
            return FLAG_NAMES[f]
    return "other flag" if items else "no flag"


def time_vs_potential(accounts: pd.DataFrame, currency: str = "") -> alt.LayerChart | None:
    """Potential share (x) against time share (y) for one rep's accounts.

    Points on the diagonal get time in proportion to potential; above it, more time than
    the potential justifies. Size = revenue, colour = penetration, shape = the main flag.
    """
    if accounts.empty or numeric(accounts, "potential_share").notna().sum() == 0:
        return None
    data = pd.DataFrame(
        {
            "Account": labels(accounts, "account_name", "account_id"),
            "Potential share": numeric(accounts, "potential_share"),
            "Time share": numeric(accounts, "time_share").fillna(0.0),
            "Hours": numeric(accounts, "hours").fillna(0.0),
            "Revenue": numeric(accounts, "revenue").fillna(0.0).clip(lower=0),
            "Potential": numeric(accounts, "potential"),
            "Penetration": numeric(accounts, "penetration"),
            "Allocation ratio": numeric(accounts, "allocation_ratio"),
            "Flag": [main_flag(f) for f in accounts.get("flags", [None] * len(accounts))],
        }
    )
    present = set(data["Flag"])
    top = float(max(data["Potential share"].max(), data["Time share"].max(), 0.01)) * 1.05
    line = (
        alt.Chart(pd.DataFrame({"x": [0.0, top], "y": [0.0, top]}))
        .mark_line(strokeDash=[6, 4], color="#555555")
        .encode(x="x:Q", y="y:Q")
    )
    label = (
        alt.Chart(pd.DataFrame({"x": [top * 0.97], "y": [top * 0.97], "t": ["time = potential"]}))
        .mark_text(align="right", baseline="bottom", dy=-4, color="#555555")
        .encode(x="x:Q", y="y:Q", text="t:N")
    )
    points = (
        alt.Chart(data)
        .mark_point(filled=True, opacity=0.8, stroke="#333333", strokeWidth=0.6)
        .encode(
            x=alt.X(
                "Potential share:Q",
                title="Share of the rep's potential (%)",
                axis=alt.Axis(format=".1~%"),
                scale=alt.Scale(domain=[0, top], nice=False),
            ),
            y=alt.Y(
                "Time share:Q",
                title="Share of the rep's hours (%)",
                axis=alt.Axis(format=".1~%"),
                scale=alt.Scale(domain=[0, top], nice=False),
            ),
            size=alt.Size(
                "Revenue:Q",
                title=fmt.with_unit("Revenue", currency),
                scale=alt.Scale(range=[30, 900]),
                legend=alt.Legend(format="~s", tickCount=3),
            ),
            color=alt.Color(
                "Penetration:Q",
                title="Penetration (%)",
                scale=alt.Scale(scheme="viridis", domain=[0, 1], clamp=True),
                legend=alt.Legend(format=".0%"),
            ),
            shape=alt.Shape(
                "Flag:N",
                title="Flag",
                # only the flags present, so that the legend fits beside the other two
                scale=alt.Scale(
                    domain=[f for f in FLAG_SHAPES if f in present],
                    range=[FLAG_SHAPES[f] for f in FLAG_SHAPES if f in present],
                ),
                legend=alt.Legend(columns=2),
            ),
            tooltip=[
                alt.Tooltip("Account:N"),
                alt.Tooltip("Potential share:Q", format=".1%"),
                alt.Tooltip("Time share:Q", format=".1%"),
                alt.Tooltip("Allocation ratio:Q", format=".2f"),
                alt.Tooltip("Hours:Q", format=",.0f", title="Hours (h)"),
                alt.Tooltip("Revenue:Q", format=",.0f", title=fmt.with_unit("Revenue", currency)),
                alt.Tooltip(
                    "Potential:Q",
                    format=",.0f",
                    title=fmt.with_unit("Potential", currency, "/year"),
                ),
                alt.Tooltip("Penetration:Q", format=".1%"),
                alt.Tooltip("Flag:N"),
            ],
        )
    )
    return (
        (line + label + points)
        .properties(width=WIDTH, height=460)
        .configure_legend(orient="bottom", direction="horizontal", titleOrient="top")
    )


def hours_by_type_month(frame: pd.DataFrame) -> alt.Chart | None:
    """Stacked monthly hours by activity type: where the week goes, month after month."""
    if frame.empty or numeric(frame, "hours").fillna(0).sum() == 0:
        return None
    data = pd.DataFrame(
        {
            "Month": pd.to_datetime(frame["month"]),
            "Activity type": frame["activity_type"].fillna("other").astype(str),
            "Hours": numeric(frame, "hours"),
            "Estimated hours": numeric(frame, "estimated_hours").fillna(0.0),
        }
    )
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "yearmonth(Month):O", title="Month", axis=alt.Axis(format="%b %Y", labelAngle=-40)
            ),
            y=alt.Y("sum(Hours):Q", title="Hours (h)"),
            color=alt.Color("Activity type:N", legend=alt.Legend(orient="bottom")),
            tooltip=[
                alt.Tooltip("yearmonth(Month):O", title="Month", format="%b %Y"),
                alt.Tooltip("Activity type:N"),
                alt.Tooltip("sum(Hours):Q", title="Hours (h)", format=",.1f"),
                alt.Tooltip(
                    "sum(Estimated hours):Q", title="of which estimated (h)", format=",.1f"
                ),
            ],
        )
        .properties(width=WIDTH, height=300)
    )


def key_people(frame: pd.DataFrame) -> alt.Chart | None:
    """Hours by the role of the person met (decision maker, influencer, user …)."""
    if frame.empty or numeric(frame, "hours").fillna(0).sum() == 0:
        return None
    data = pd.DataFrame(
        {
            "Role": frame["contact_role"].fillna("not recorded").astype(str),
            "Hours": numeric(frame, "hours"),
            "Share": numeric(frame, "share"),
        }
    )
    return (
        alt.Chart(data)
        .mark_bar(color="#7570b3")
        .encode(
            y=alt.Y("Role:N", sort="-x", title=None),
            x=alt.X("Hours:Q", title="Hours (h)"),
            tooltip=[
                alt.Tooltip("Role:N"),
                alt.Tooltip("Hours:Q", format=",.1f", title="Hours (h)"),
                alt.Tooltip("Share:Q", format=".1%", title="Share of hours"),
            ],
        )
        .properties(width=WIDTH, height=alt.Step(30))
    )
