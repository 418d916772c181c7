"""Discounts: is the price of the "great relationship" a discount that creeps up every year?

The trend per account (the creep list by default, any account selectable), the slope table
behind the creep flag, and the excess discount (above the segment's median) by rep and by
account.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from reltruth import charts, empty_states
from reltruth import metrics as engine
from reltruth.ui import session, widgets
from reltruth.ui.format import Col, money_text, with_unit

session.require_entrypoint()
MAX_OPTIONS = 2000

st.title("Discounts")
ws = session.workspace()
m = session.metrics()
cur = session.currency()
reps = widgets.team_reps(m.reps)
rep_filter = session.selected_rep()
rep_ids = {str(r) for r in reps["rep_id"]} if rep_filter is None else {rep_filter}
accounts = m.accounts[m.accounts["rep_id"].astype(str).isin(rep_ids)]
priced = accounts[pd.to_numeric(accounts.get("discount_rate"), errors="coerce").notna()]
widgets.window_caption(
    m.window.label,
    f"trend over the last {m.settings.creep_quarters} calendar quarters to "
    f"{m.window.as_of:%-d %b %Y}",
)
if priced.empty:
    st.info(empty_states.discounts(ws.counts()))
    st.stop()

flags = priced.get("flags", pd.Series([[]] * len(priced), index=priced.index))
creep = priced[flags.map(lambda f: "discount_creep" in charts.flag_list(f))]
c1, c2, c3 = st.columns(3)
c1.metric("Accounts with discount creep", f"{len(creep):,}")
c2.metric(
    "Excess discount",
    money_text(pd.to_numeric(priced.get("excess_discount"), errors="coerce").sum(), cur),
    help="Σ list value × (discount rate − the segment's median discount), where above it.",
)
c3.metric(
    "Excess discount at creep accounts",
    money_text(pd.to_numeric(creep.get("excess_discount"), errors="coerce").sum(), cur),
)

st.subheader("Discount per quarter", anchor=False)
names = {
    str(i): str(n) if isinstance(n, str) and n else str(i)
    for i, n in zip(priced["account_id"], priced["account_name"], strict=True)
}
default = [
    str(i) for i in creep.sort_values("discount_trend_pp_per_year", ascending=False)["account_id"]
][:8]
# A picker with tens of thousands of names is unusable (and slow to send): offer the
# accounts with the most list value, plus the creep list; the sidebar narrows the scope.
by_value = priced.sort_values("list_amount", ascending=False) if "list_amount" in priced else priced
offered = set(by_value["account_id"].astype(str).head(MAX_OPTIONS)) | set(default)
options = sorted(offered, key=lambda i: names[i].lower())
if len(names) > MAX_OPTIONS:
    st.caption(
        f"Showing the {MAX_OPTIONS:,} accounts with the most list value of {len(names):,}; "
        "pick a team or rep in the sidebar to choose among all of theirs."
    )
chosen = st.multiselect(
    "Accounts (the creep list by default)",
    options,
    default=default,
    format_func=lambda i: names.get(i, i),
    key="discount_accounts",
    max_selections=12,
)
if chosen:
    quarters = engine.discount_quarters(
        ws, chosen, m.window.as_of, quarters=m.settings.creep_quarters
    )
    widgets.chart(
        charts.discount_trend(quarters, names),
        quarters.assign(account_name=quarters["account_id"].astype(str).map(names)),
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
widgets.table(
    priced.sort_values("discount_trend_pp_per_year", ascending=False, na_position="last"),
    [
        Col("account_name", "Account", pin=True),
        Col("rep_name", "Rep"),
        Col("segment", "Segment"),
        Col("discount_rate", "Discount now", "pct"),
        Col("discount_trend_pp_per_year", "Trend", "pp_year"),
        Col("excess_discount", with_unit("Excess discount", cur), "money"),
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
by_rep = (
    priced.assign(excess=pd.to_numeric(priced["excess_discount"], errors="coerce"))
    .groupby("rep_id", as_index=False)["excess"]
    .sum()
)
rep_names = widgets.rep_names(m.reps)
by_rep = by_rep.assign(rep_name=by_rep["rep_id"].astype(str).map(lambda i: rep_names.get(i, i)))
with left:
    st.caption(f"By rep ({m.window.label})")
    widgets.chart(
        charts.bars(by_rep, "rep_name", "excess", title=with_unit("Excess discount", cur)),
        by_rep.sort_values("excess", ascending=False),
        [Col("rep_name", "Rep"), Col("excess", with_unit("Excess discount", cur), "money")],
        key="discount_by_rep",
        empty="No discount above the segment medians.",
        currency=cur,
        file_name="excess-discount-by-rep.csv",
        title="Excess discount by rep",
        unit=with_unit("Excess discount", cur),
    )
with right:
    st.caption(f"By account, the 15 largest ({m.window.label})")
    by_account = priced.assign(label=priced["account_id"].astype(str).map(names))
    widgets.chart(
        charts.bars(
            by_account, "label", "excess_discount", title=with_unit("Excess discount", cur)
        ),
        by_account.sort_values("excess_discount", ascending=False),
        [
            Col("account_name", "Account", pin=True),
            Col("rep_name", "Rep"),
            Col("excess_discount", with_unit("Excess discount", cur), "money"),
        ],
        key="discount_by_account",
        empty="No discount above the segment medians.",
        currency=cur,
        file_name="excess-discount-by-account.csv",
        title="Excess discount by account",
        unit=with_unit("Excess discount", cur),
    )
