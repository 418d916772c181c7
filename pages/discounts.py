"""Discounts: is the price of the "great relationship" a discount that creeps up every year?

The trend per account (the creep list by default, any account selectable), the slope table
behind the creep flag, and the excess discount (above the segment's median) by rep and by
account. The figures come from ``reltruth.views.discounts``; this page only draws them.
"""

from __future__ import annotations

import streamlit as st

from reltruth import charts
from reltruth.ui import lifetime, session, widgets
from reltruth.ui.format import Col, money_text, with_unit
from reltruth.views import discounts as view

lifetime.require_entrypoint()
st.title("Discounts")
ws = session.workspace()
m = session.metrics()
cur = session.currency()
_, rep_ids = widgets.scope(m.reps)
counts = ws.counts()
v = session.kept_view(
    "discounts",
    m,
    (tuple(rep_ids), tuple(sorted(counts.items()))),
    lambda: view.discounts_view(m, rep_ids, counts, m.reps),
)
widgets.window_caption(
    m.window.label,
    f"trend over the last {m.settings.creep_quarters} calendar quarters to "
    f"{m.window.as_of:%-d %b %Y}",
)
if v.empty:
    st.info(v.empty)
    st.stop()

c1, c2, c3 = st.columns(3)
c1.metric("Accounts with discount creep", f"{v.creep_accounts:,}")
c2.metric(
    "Excess discount",
    money_text(v.excess_discount, cur),
    help="Σ list value × (discount rate − the segment's median discount), where above it.",
)
c3.metric("Excess discount at creep accounts", money_text(v.excess_at_creep, cur))

st.subheader("Discount per quarter", anchor=False)
if v.more_than_offered:
    st.caption(
        f"Showing the {view.MAX_OPTIONS:,} accounts with the most list value of "
        f"{len(v.names):,}; pick a team or rep in the sidebar to choose among all of theirs."
    )
chosen = st.multiselect(
    "Accounts (the creep list by default)",
    v.options,
    default=v.default_accounts,
    format_func=lambda i: v.names.get(i, i),
    key="discount_accounts",
    max_selections=12,
)
if chosen:
    quarters = session.kept_view(
        "discount_quarters",
        m,
        tuple(chosen),
        lambda: view.discount_quarters(ws, m, chosen, v.names),
    )
    widgets.chart(
        charts.discount_trend(quarters, v.names),
        quarters,
        [
            Col("account_name", "Account", pin=True),
            Col("quarter_start", "Quarter starting", "date"),
            Col("list_amount", with_unit("List value", cur), "money"),
            Col("net_amount", with_unit("Net value", cur), "money"),
            Col("discount_rate", "Discount", "pct"),
        ],
        key="discount_trend",
        empty="No order lines with a list value for these accounts in the last quarters.",
        currency=cur,
        file_name="discount-per-quarter.csv",
        title="Discount per quarter",
        unit="% off list price",
    )
else:
    st.info("Pick accounts above to see their discount per quarter.")

st.subheader("Discount trend per account", anchor=False)
st.caption(
    "Least-squares slope of the quarterly discount, in percentage points per year; steepest first."
)
excess_col = Col("excess_discount", with_unit("Excess discount", cur), "money")
widgets.table(
    v.trends,
    [
        Col("account_name", "Account", pin=True),
        Col("rep_name", "Rep"),
        Col("segment", "Segment"),
        Col("discount_rate", "Discount now", "pct"),
        Col("discount_trend_pp_per_year", "Trend", "pp_year"),
        excess_col,
        Col("revenue", with_unit("Revenue", cur), "money"),
        Col("flags", "Flags", "list"),
    ],
    key="discount_slopes",
    account_col="account_id",
    currency=cur,
    file_name=f"discount-trends-{m.window.as_of.isoformat()}.csv",
    height=380,
)

st.subheader("Excess discount", anchor=False)
left, right = st.columns(2)
by_rep_cols = [Col("rep_name", "Rep"), Col("excess", excess_col.label, "money")]
by_account_cols = [Col("account_name", "Account", pin=True), Col("rep_name", "Rep"), excess_col]
for where, what, frame, label, value, cols in (
    (left, "rep", v.by_rep, "rep_name", "excess", by_rep_cols),
    (right, "account", v.by_account, "label", "excess_discount", by_account_cols),
):
    with where:
        largest = f", the {view.TOP_ACCOUNTS} largest" if what == "account" else ""
        st.caption(f"By {what}{largest} ({m.window.label})")
        widgets.chart(
            charts.bars(frame, label, value, title=excess_col.label, limit=view.TOP_ACCOUNTS),
            frame,
            cols,
            key=f"discount_by_{what}",
            empty="No discount above the segment medians.",
            currency=cur,
            file_name=f"excess-discount-by-{what}.csv",
            title=f"Excess discount by {what}",
            unit=excess_col.label,
        )
