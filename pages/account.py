"""Account: one account's own story. Orders and discount by quarter, hours by month and
type, the roles of the people met, its flags with the numbers behind them, who owned and
worked it. Opened by choosing an account here or from a row of another page's table
(``/account?account=<id>``); the sections come from ``reltruth.views.account``.
"""

from __future__ import annotations

import streamlit as st

from reltruth import charts
from reltruth.ui import lifetime, session, widgets
from reltruth.ui.format import Col, hours_text, money_text, pct_text, with_unit
from reltruth.views import account as view

lifetime.require_entrypoint()
st.title("Account")
ws = session.workspace()
m = session.metrics()
cur = session.currency()
account_id = widgets.account_picker(view.account_choices(m), key="account_pick")
if account_id is None:
    st.info(view.NO_ACCOUNTS)
    st.stop()
v = view.account_view(ws, m, account_id)
h = v.headline
widgets.window_caption(m.window.label)
widgets.missing_inputs(m.accounts)
for note in v.notes:
    st.info(note)

c1, c2, c3, c4, c5 = st.columns(5)
c1.metric("Revenue", money_text(h.get("revenue"), cur), help=f"Net, {m.window.label}.")
c2.metric("Potential per year", money_text(h.get("potential"), cur))
c3.metric("Penetration", pct_text(h.get("penetration")), help="Revenue ÷ potential, annualised.")
c4.metric("Hours", hours_text(h.get("hours")), help="The owner's hours in the window.")
c5.metric("Money at stake", money_text(h.get("money_at_stake"), cur))

st.subheader("Flags and their numbers", anchor=False)
widgets.flag_reasons(v.flags, file_name=f"account-flags-{account_id}.csv", key="account_flags_csv")

st.subheader("Orders and discount by quarter", anchor=False)
st.caption(f"Calendar quarters from {v.span_start:%-d %b %Y} to {v.as_of:%-d %b %Y}.")
orders = v.orders.rows
order_cols = [
    Col("quarter_start", "Quarter from", "date"),
    Col("revenue", with_unit("Revenue", cur), "money"),
    Col("order_lines", "Order lines", "int"),
    Col("list_amount", with_unit("Value at list price", cur), "money"),
    Col("discount_rate", "Discount", "pct"),
]
widgets.chart(
    charts.revenue_by_quarter(orders, cur),
    orders,
    order_cols,
    key="account_revenue",
    empty=v.orders.missing,
    currency=cur,
    file_name=f"account-orders-{account_id}.csv",
    title=f"{v.account_name}: revenue by quarter",
    unit=cur or "revenue",
)
if not orders.empty:
    widgets.chart(
        charts.discount_trend(orders, {account_id: v.account_name}),
        orders,
        order_cols,
        key="account_discount",
        empty=v.orders.missing,
        currency=cur,
        file_name=f"account-discount-{account_id}.csv",
        title=f"{v.account_name}: discount by quarter",
        unit="% off list price",
    )

st.subheader("Hours by month and activity type", anchor=False)
widgets.chart(
    charts.hours_by_type_month(v.hours.rows),
    v.hours.rows,
    widgets.HOURS_BY_TYPE_COLS,
    key="account_hours",
    empty=v.hours.missing,
    file_name=f"account-hours-{account_id}.csv",
    title=f"{v.account_name}: hours by activity type per month",
    unit="hours",
)

st.subheader("Who was met", anchor=False)
widgets.section(
    v.contact_roles,
    [
        Col("contact_role", "Role of the person met"),
        Col("activities", "Activities", "int"),
        Col("hours", "Hours", "hours"),
        Col("first_met", "First met", "date"),
        Col("last_met", "Last met", "date"),
    ],
    key="account_roles",
    file_name=f"account-contact-roles-{account_id}.csv",
)

st.subheader("Key people", anchor=False)
kp = v.key_people_words
if kp is None:
    st.info(v.key_people.missing)
else:
    k1, k2, k3 = st.columns(3)
    k1.metric("Hours with decision makers", pct_text(kp.share), help=kp.share_help)
    k2.metric("Last decision-maker contact", kp.last_contact)
    k3.metric("High potential", kp.high_potential, help=kp.high_potential_help)
    if kp.warning:
        st.warning(kp.warning)

st.subheader("Category white space", anchor=False)
st.caption(view.WHITE_SPACE_NOTE)
widgets.section(
    v.white_space,
    [
        Col("category", "Category it does not buy"),
        Col("peers_buying", "Peers buying it", "int"),
        Col("peers", "Peers", "int"),
        Col("peer_segment", "Peers' segment"),
        Col("estimated_value", with_unit("≈ Value", cur, "/year"), "money"),
    ],
    key="account_white_space",
    currency=cur,
    file_name=f"account-white-space-{account_id}.csv",
)

st.subheader("Owner and who worked it", anchor=False)
st.text(v.owner.text)  # plain text: the owner's name is CRM text
st.caption(view.REPS_NOTE)
widgets.section(
    v.reps,
    [
        Col("rep_name", "Rep"),
        Col("owner_now", "Owner now"),
        Col("hours", "Hours", "hours"),
        Col("revenue", with_unit("Revenue", cur), "money"),
        Col("first_day", "First seen", "date"),
        Col("last_day", "Last seen", "date"),
    ],
    key="account_reps",
    currency=cur,
    file_name=f"account-reps-{account_id}.csv",
)
