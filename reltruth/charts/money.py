"""The money charts: revenue and discount rates per quarter, the largest excess discounts.

Why a module of its own: the Account and Discounts pages draw money over calendar quarters
and rankings of amounts; those share quarter labels and number formats, not the scatter's.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from reltruth.charts.common import WIDTH, numeric


def revenue_by_quarter(quarters: pd.DataFrame, currency: str = "") -> alt.Chart | None:
    """One account's revenue per calendar quarter (credit notes count against it)."""
    if quarters.empty:
        return None
    data = pd.DataFrame(
        {
            "Quarter start": pd.to_datetime(quarters["quarter_start"]),
            "Revenue": numeric(quarters, "revenue"),
            "Order lines": numeric(quarters, "order_lines"),
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


def discount_trend(quarters: pd.DataFrame, names: dict[str, str]) -> alt.Chart | None:
    """Quarterly discount rate per account: the creep shows as a line going up."""
    if quarters.empty:
        return None
    data = pd.DataFrame(
        {
            "Account": quarters["account_id"].astype(str).map(lambda i: names.get(i, i)),
            "Quarter start": pd.to_datetime(quarters["quarter_start"]),
            "Discount rate": numeric(quarters, "discount_rate"),
            "List value": numeric(quarters, "list_amount"),
            "Net value": numeric(quarters, "net_amount"),
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
    if frame.empty or numeric(frame, value_col).fillna(0).abs().sum() == 0:
        return None
    data = pd.DataFrame({"Label": frame[label_col].astype(str), "Value": numeric(frame, value_col)})
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
