"""Metric frames -> Altair charts, with labels, units and tooltips (no Streamlit here).

Why a module of its own: the charts are the argument of the product ("your hours went
here, the money is there"), so they are built in one place, from the metrics engine's
frames, testable without a browser and reusable by any front end. Every function returns
``None`` when the frame holds nothing to draw, so that the page shows its empty state
instead of an empty box.

Fractions stay fractions in the data; axes and tooltips format them as percent. CRM names
reach Vega only as data values (rendered as text, tooltips escaped by vega-tooltip).
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from reltruth import format as fmt

TIER_COLOURS = {"marginal performer": "#d95f02", "core": "#9e9e9e", "top performer": "#1b9e77"}
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
WIDTH = "container"


def main_flag(flags: object) -> str:
    """The one flag an account is marked with on the scatter ("no flag" when none)."""
    items = flag_list(flags)
    for f in FLAG_ORDER:
        if f in items:
            return FLAG_NAMES[f]
    return "other flag" if items else "no flag"


def flag_list(flags: object) -> list[str]:
    if flags is None or (isinstance(flags, float) and math.isnan(flags)):
        return []
    if isinstance(flags, str):
        return [f.strip() for f in flags.split(",") if f.strip()]
    return [str(f) for f in flags]  # type: ignore[attr-defined]


def _num(frame: pd.DataFrame, col: str) -> pd.Series:
    if col not in frame.columns:
        return pd.Series([float("nan")] * len(frame), index=frame.index, dtype="float64")
    return pd.to_numeric(frame[col], errors="coerce").astype("float64")


def _text(frame: pd.DataFrame, col: str, fallback: str) -> pd.Series:
    src = frame[col] if col in frame.columns else frame[fallback]
    alt_src = frame[fallback].astype(str)
    return src.astype("object").where(src.notna(), alt_src).astype(str)


def time_vs_potential(accounts: pd.DataFrame, currency: str = "") -> alt.LayerChart | None:
    """Potential share (x) against time share (y) for one rep's accounts.

    Points on the diagonal get time in proportion to potential; above it, more time than
    the potential justifies. Size = revenue, colour = penetration, shape = the main flag.
    """
    if accounts.empty or _num(accounts, "potential_share").notna().sum() == 0:
        return None
    data = pd.DataFrame(
        {
            "Account": _text(accounts, "account_name", "account_id"),
            "Potential share": _num(accounts, "potential_share"),
            "Time share": _num(accounts, "time_share").fillna(0.0),
            "Hours": _num(accounts, "hours").fillna(0.0),
            "Revenue": _num(accounts, "revenue").fillna(0.0).clip(lower=0),
            "Potential": _num(accounts, "potential"),
            "Penetration": _num(accounts, "penetration"),
            "Allocation ratio": _num(accounts, "allocation_ratio"),
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


# Relative growth is a difference of two fractions: axes and tooltips say "+6 pp", not "+6%".
PP_LABEL = "(datum.value > 0 ? '+' : '') + format(datum.value * 100, '.0f') + ' pp'"
PP_TEXT = "(datum['{field}'] > 0 ? '+' : '') + format(datum['{field}'] * 100, '.1f') + ' pp'"


def team_overview(reps: pd.DataFrame, measure: str = "relative growth") -> alt.Chart | None:
    """The measure that ranks the tiers per rep (relative growth, or quota attainment where
    the tiers come from it), coloured by tier, in coaching-priority order: the marginal
    performers (orange) and the top performers (green) stand out at a glance."""
    quota = measure == "quota attainment"
    column = "tier_value" if quota else "relative_growth"
    if reps.empty or _num(reps, column).notna().sum() == 0:
        return None
    order = _text(reps, "rep_name", "rep_id").tolist()
    data = pd.DataFrame(
        {
            "Rep": order,
            "Relative growth": _num(reps, "relative_growth"),
            "Quota attainment": _num(reps, "tier_value") if quota else math.nan,
            "Tier": reps.get("tier", pd.Series(["core"] * len(reps)))
            .map(
                lambda t: {"top": "top performer", "marginal": "marginal performer"}.get(t, "core")
            )
            .tolist(),
            "Revenue": _num(reps, "revenue"),
            "Money at stake": _num(reps, "money_at_stake"),
            "Alignment": _num(reps, "alignment_score"),
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
    rated = accounts[_num(accounts, "relationship_rating").notna()]
    if rated.empty or _num(rated, measure).notna().sum() == 0:
        return None
    data = pd.DataFrame(
        {
            "Account": _text(rated, "account_name", "account_id"),
            "Rep": _text(rated, "rep_name", "rep_id") if "rep_id" in rated.columns else "",
            "Rating": _num(rated, "relationship_rating").round(0),
            "Value": _num(rated, measure),
            "Claim gap": [
                "claim gap" if "claim_gap" in flag_list(f) else "no claim gap"
                for f in rated.get("flags", [None] * len(rated))
            ],
            "Potential": _num(rated, "potential"),
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


def discount_trend(quarters: pd.DataFrame, names: dict[str, str]) -> alt.Chart | None:
    """Quarterly discount rate per account: the creep shows as a line going up."""
    if quarters.empty:
        return None
    data = pd.DataFrame(
        {
            "Account": quarters["account_id"].astype(str).map(lambda i: names.get(i, i)),
            "Quarter start": pd.to_datetime(quarters["quarter_start"]),
            "Discount rate": _num(quarters, "discount_rate"),
            "List value": _num(quarters, "list_amount"),
            "Net value": _num(quarters, "net_amount"),
        }
    ).dropna(subset=["Discount rate"])
    if data.empty:
        return None
    data["Quarter"] = [f"Q{(d.month - 1) // 3 + 1} {d.year}" for d in data["Quarter start"]]
    order = list(dict.fromkeys(data.sort_values("Quarter start")["Quarter"]))
    return (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("Quarter:O", title="Calendar quarter", sort=order, axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                "Discount rate:Q", title="Discount off list price (%)", axis=alt.Axis(format=".0%")
            ),
            color=alt.Color(
                "Account:N", legend=alt.Legend(orient="bottom", columns=3, labelLimit=200)
            ),
            tooltip=[
                alt.Tooltip("Account:N"),
                alt.Tooltip("Quarter:O"),
                alt.Tooltip("Discount rate:Q", format=".1%"),
                alt.Tooltip("List value:Q", format=",.0f"),
                alt.Tooltip("Net value:Q", format=",.0f"),
            ],
        )
        .properties(width=WIDTH, height=360)
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


def revenue_by_quarter(quarters: pd.DataFrame, currency: str = "") -> alt.Chart | None:
    """One account's revenue per calendar quarter (credit notes count against it)."""
    if quarters.empty:
        return None
    data = pd.DataFrame(
        {
            "Quarter start": pd.to_datetime(quarters["quarter_start"]),
            "Revenue": _num(quarters, "revenue"),
            "Order lines": _num(quarters, "order_lines"),
        }
    )
    data["Quarter"] = [f"Q{(d.month - 1) // 3 + 1} {d.year}" for d in data["Quarter start"]]
    order = list(dict.fromkeys(data.sort_values("Quarter start")["Quarter"]))
    title = f"Revenue ({currency})" if currency else "Revenue"
    return (
        alt.Chart(data)
        .mark_bar(color="#4c78a8")
        .encode(
            x=alt.X("Quarter:O", title="Calendar quarter", sort=order, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("Revenue:Q", title=title, axis=alt.Axis(format="~s")),
            tooltip=[
                alt.Tooltip("Quarter:O"),
                alt.Tooltip("Revenue:Q", title=title, format=",.0f"),
                alt.Tooltip("Order lines:Q", format=",.0f"),
            ],
        )
        .properties(width=WIDTH, height=280)
    )


def bars(
    frame: pd.DataFrame,
    label_col: str,
    value_col: str,
    *,
    title: str,
    fmt: str = ",.0f",
    limit: int = 15,
    colour: str = "#4c78a8",
) -> alt.Chart | None:
    """Horizontal bars, largest first (excess discount by rep or by account)."""
    if frame.empty or _num(frame, value_col).fillna(0).abs().sum() == 0:
        return None
    data = pd.DataFrame({"Label": frame[label_col].astype(str), "Value": _num(frame, value_col)})
    data = data.sort_values("Value", ascending=False).head(limit)
    return (
        alt.Chart(data)
        .mark_bar(color=colour)
        .encode(
            y=alt.Y("Label:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220)),
            x=alt.X("Value:Q", title=title, axis=alt.Axis(format="~s" if fmt == ",.0f" else fmt)),
            tooltip=[
                alt.Tooltip("Label:N", title="Name"),
                alt.Tooltip("Value:Q", title=title, format=fmt),
            ],
        )
        .properties(width=WIDTH, height=alt.Step(26))
    )


def hours_by_type_month(frame: pd.DataFrame) -> alt.Chart | None:
    """Stacked monthly hours by activity type: where the week goes, month after month."""
    if frame.empty or _num(frame, "hours").fillna(0).sum() == 0:
        return None
    data = pd.DataFrame(
        {
            "Month": pd.to_datetime(frame["month"]),
            "Activity type": frame["activity_type"].fillna("other").astype(str),
            "Hours": _num(frame, "hours"),
            "Estimated hours": _num(frame, "estimated_hours").fillna(0.0),
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
    if frame.empty or _num(frame, "hours").fillna(0).sum() == 0:
        return None
    data = pd.DataFrame(
        {
            "Role": frame["contact_role"].fillna("not recorded").astype(str),
            "Hours": _num(frame, "hours"),
            "Share": _num(frame, "share"),
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
