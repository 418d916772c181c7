"""Time vs potential: for one rep, where the hours go against where the money could be.

Above the dashed line an account gets more of the rep's time than its share of potential
justifies; far below it, a big account is neglected. Headline: alignment score and
misallocated hours; then the hours to shift, the hours by activity type, key-people time.
The figures come from ``reltruth.views.time_vs_potential``; this page only draws them.
"""

from __future__ import annotations

import streamlit as st

from reltruth import charts
from reltruth.ui import lifetime, session, widgets
from reltruth.ui.format import Col, hours_text, money_text, pct_text, with_unit
from reltruth.views import time_vs_potential as view

lifetime.require_entrypoint()
st.title("Time vs potential")
ws = session.workspace()
m = session.metrics()
cur = session.currency()
rep_id = widgets.rep_picker(m.reps, key="time_rep")
if rep_id is None:
    st.info("No reps in the selected team for this window.")
    st.stop()
v = view.time_view(ws, m, rep_id)
if session.selected_rep() == rep_id:  # picked in the sidebar: no picker on the page
    st.text(v.rep_name)
est = v.hours_estimated_share
widgets.window_caption(
    m.window.label,
    f"{pct_text(est)} of the hours estimated from default durations" if est is not None else "",
)

c1, c2, c3, c4 = st.columns(4)
c1.metric(
    "Alignment score",
    pct_text(v.alignment_score),
    help="100 % = hours exactly in proportion to potential (1 − ½ Σ |time share − potential share|).",
)
c2.metric(
    "Misallocated hours",
    hours_text(v.misallocated_hours),
    help="The fewest hours that would have to move to match potential.",
)
c3.metric("Hours with accounts", hours_text(v.hours))
c4.metric("Revenue per hour", money_text(v.revenue_per_hour, cur))

st.subheader("Share of time against share of potential", anchor=False)
st.caption(
    "Each dot is an account: size = revenue, colour = penetration (share of wallet), shape = "
    "its flag. On the dashed line, time is in proportion to potential."
)
widgets.chart(
    charts.time_vs_potential(v.accounts, cur),
    v.accounts,
    [
        Col("account_name", "Account", pin=True),
        widgets.ESTIMATE_COL,
        Col("potential", with_unit("Potential", cur, "/year"), "money"),
        Col("potential_share", "Potential share", "pct"),
        Col("hours", "Hours", "hours"),
        Col("time_share", "Time share", "pct"),
        Col("allocation_ratio", "Allocation ratio", "ratio", "Time share ÷ potential share."),
        Col("revenue", with_unit("Revenue", cur), "money"),
        Col("penetration", "Penetration", "pct"),
        Col("flags", "Flags", "list"),
    ],
    key="time_chart",
    account_col="account_id",
    empty="Upload activities and accounts with their potential to see where time goes.",
    currency=cur,
    file_name=f"time-vs-potential-{rep_id}.csv",
    title=f"{v.rep_name}: share of time against share of potential",
    unit="% of hours, % of potential",
)
widgets.estimate_note(v.accounts, m.potential_rule)

st.subheader("Hours to shift", anchor=False)
widgets.section(
    v.shift,
    [
        Col("from_account_name", "From (over-served)"),
        Col("to_account_name", "To (under-served)"),
        Col("hours_per_month", "Hours per month", "hours_month"),
    ],
    key="time_shift",
    file_name=f"hours-to-shift-{rep_id}.csv",
)

st.subheader("Hours by activity type per month", anchor=False)
widgets.chart(
    charts.hours_by_type_month(v.by_type),
    v.by_type,
    widgets.HOURS_BY_TYPE_COLS,
    key="time_types",
    empty="Upload activities to see where time goes.",
    file_name=f"hours-by-type-{rep_id}.csv",
    title=f"{v.rep_name}: hours by activity type per month",
    unit="hours",
)

if not v.people.empty:
    st.subheader("Time with key people", anchor=False)
    widgets.chart(
        charts.key_people(v.people),
        v.people,
        [
            Col("contact_role", "Role of the person met"),
            Col("hours", "Hours", "hours_month"),
            Col("share", "Share of hours", "pct"),
        ],
        key="time_people",
        empty="Activities carry no contact role.",
        file_name=f"key-people-{rep_id}.csv",
        title=f"{v.rep_name}: time with key people",
        unit="% of hours",
    )

# the rep's numbers since the first kept meeting: did coaching move them?
widgets.coaching_effect(v.effect, v.coached_since, v.rep_name, rep_id, key="time")
