"""Account: one account's own story. Orders and discount by quarter, hours by month and
type, the roles of the people met, its flags with the numbers behind them, who owned and
worked it. Opened by choosing an account here or from a row of another page's table
(``/account?account=<id>``); the sections come from ``reltruth.views.account``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from reltruth import charts
from reltruth import settings as words
from reltruth.coaching.render_markdown import md
from reltruth.ui import session, widgets
from reltruth.ui.format import Col, flag_label, hours_text, money_text, pct_text, with_unit
from reltruth.views import account as view

session.require_entrypoint()
st.title("Account")
ws = session.workspace()
m = session.metrics()
cur = session.currency()
account_id = widgets.account_picker(view.account_choices(m), key="account_pick")
if account_id is None:
    st.info(
        "No accounts in this window: upload accounts (or orders and activities that name "
        "them) on the Data page."
    )
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
if v.flags.is_empty:
    st.info(v.flags.missing)
else:
    # a list, not a table: the numbers behind a flag run longer than a table cell shows
    flags = v.flags.rows.assign(flag=v.flags.rows["flag"].map(flag_label))
    st.markdown(
        "\n".join(f"- **{md(r['flag'])}**: {md(r['why'])}" for r in flags.to_dict("records"))
    )
    widgets.download(
        flags.rename(columns={"flag": "Flag", "why": "The numbers"}),
        file_name=f"account-flags-{account_id}.csv",
        key="account_flags_csv",
    )

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
    priced = orders.assign(account_id=account_id, net_amount=orders["revenue"])
    widgets.chart(
        charts.discount_trend(priced, {account_id: v.account_name}),
        priced,
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
    [
        Col("month", "Month", "date"),
        Col("activity_type", "Activity type"),
        Col("hours", "Hours", "hours_month"),
        Col("estimated_hours", "of which estimated", "hours_month"),
    ],
    key="account_hours",
    empty=v.hours.missing,
    file_name=f"account-hours-{account_id}.csv",
    title=f"{v.account_name}: hours by activity type per month",
    unit="hours",
)

st.subheader("Who was met", anchor=False)
if v.contact_roles.is_empty:
    st.info(v.contact_roles.missing)
else:
    widgets.table(
        v.contact_roles.rows,
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
if v.key_people.is_empty:
    st.info(v.key_people.missing)
else:
    kp = v.key_people.rows.iloc[0]
    k1, k2, k3 = st.columns(3)
    k1.metric(
        "Hours with decision makers",
        pct_text(kp["decision_maker_hours_share"]),
        help="The owner's hours here with a decision maker ÷ all the owner's hours here, "
        f"{m.window.label}.",
    )
    last = kp["last_decision_maker_contact"]
    k2.metric(
        "Last decision-maker contact",
        f"{pd.Timestamp(last):%-d %b %Y}" if last is not None and pd.notna(last) else "none",
    )
    k3.metric(
        "High potential",
        "yes" if kp["is_high_potential"] else "no",
        help=f"In the {words.top_words(m.settings.key_people_potential_quantile)} of the "
        "owner's book by potential.",
    )
    if kp["no_decision_maker_contact"]:
        st.warning(
            f"No decision maker met for more than {m.settings.key_people_max_days} days at "
            "this high-potential account: build relationships with the key people in the "
            "higher-potential accounts."
        )

st.subheader("Category white space", anchor=False)
st.caption(
    "The product categories most of its peers (the other accounts of its segment that bought "
    "in this window) buy and it does not; ≈ the value is its potential × the category's share "
    "of the peers' revenue, an estimate."
)
if v.white_space.is_empty:
    st.info(v.white_space.missing)
else:
    widgets.table(
        v.white_space.rows,
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
o = v.owner
basis = {
    None: "as the accounts export names it",
    "revenue": "inferred by reltruth: the rep with the most revenue here",
    "hours": "inferred by reltruth: the rep with the most hours here",
}
since = f" since {o.since:%-d %b %Y}" if o.since is not None and pd.notna(o.since) else ""
# plain text: the owner's name is CRM text
st.text(
    f"Owner now: {o.rep_name}{since} ({basis.get(o.inferred_from, o.inferred_from)})"
    if o.rep_id
    else "No owner: the accounts export names none and no rep sold or logged hours here."
)
st.caption(
    "The exports carry only today's owner; the reps below logged hours or sold here in the "
    "two years to the window's end, which shows who worked the account before."
)
if v.reps.is_empty:
    st.info(v.reps.missing)
else:
    widgets.table(
        v.reps.rows.assign(is_owner=v.reps.rows["is_owner"].map({True: "owner", False: ""})),
        [
            Col("rep_name", "Rep"),
            Col("is_owner", "Owner now"),
            Col("hours", "Hours", "hours"),
            Col("revenue", with_unit("Revenue", cur), "money"),
            Col("first_day", "First seen", "date"),
            Col("last_day", "Last seen", "date"),
        ],
        key="account_reps",
        currency=cur,
        file_name=f"account-reps-{account_id}.csv",
    )
