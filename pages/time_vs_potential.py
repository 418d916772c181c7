"""Time vs potential: for one rep, where the hours go against where the money could be.

Above the dashed line an account gets more of the rep's time than its share of potential
justifies; far below it, a big account is neglected. Headline: alignment score and
misallocated hours; then the hours to shift, the hours by activity type, key-people time.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from reltruth import charts, empty_states
from reltruth import metrics as engine
from reltruth.coaching import effect as coaching_effect
from reltruth.ui import session, widgets
from reltruth.ui.format import Col, hours_text, money_text, pct_text, with_unit
from reltruth.views.common import with_estimate_marks

session.require_entrypoint()
st.title("Time vs potential")
ws = session.workspace()
m = session.metrics()
cur = session.currency()
rep_id = widgets.rep_picker(m.reps, key="time_rep")
if rep_id is None:
    st.info("No reps in the selected team for this window.")
    st.stop()
rep = m.reps[m.reps["rep_id"].astype(str) == rep_id].iloc[0]
rep_name = str(rep.get("rep_name") or rep_id)
if session.selected_rep() == rep_id:  # picked in the sidebar: no picker on the page
    st.text(str(rep.get("rep_name") or rep_id))
est = rep.get("hours_estimated_share")
widgets.window_caption(
    m.window.label,
    f"{pct_text(est)} of the hours estimated from default durations" if pd.notna(est) else "",
)

c1, c2, c3, c4 = st.columns(4)
c1.metric(
    "Alignment score",
    pct_text(rep.get("alignment_score")),
    help="100 % = hours exactly in proportion to potential (1 − ½ Σ |time share − potential share|).",
)
c2.metric(
    "Misallocated hours",
    hours_text(rep.get("misallocated_hours")),
    help="The fewest hours that would have to move to match potential.",
)
c3.metric("Hours with accounts", hours_text(rep.get("hours")))
c4.metric("Revenue per hour", money_text(rep.get("revenue_per_hour"), cur))

accounts = with_estimate_marks(m.accounts[m.accounts["rep_id"].astype(str) == rep_id])
st.subheader("Share of time against share of potential", anchor=False)
st.caption(
    "Each dot is an account: size = revenue, colour = penetration (share of wallet), shape = "
    "its flag. On the dashed line, time is in proportion to potential."
)
widgets.chart(
    charts.time_vs_potential(accounts, cur),
    accounts.sort_values("time_share", ascending=False) if "time_share" in accounts else accounts,
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
    title=f"{rep_name}: share of time against share of potential",
    unit="% of hours, % of potential",
)

widgets.estimate_note(accounts, m.potential_rule)

st.subheader("Hours to shift", anchor=False)
shift = engine.hours_to_shift(m, rep_id)
if shift is None or shift.empty:
    st.info(empty_states.hours_to_shift(rep, accounts))
else:
    widgets.table(
        shift,
        [
            Col("from_account_name", "From (over-served)"),
            Col("to_account_name", "To (under-served)"),
            Col("hours_per_month", "Hours per month", "hours_month"),
        ],
        key="time_shift",
        file_name=f"hours-to-shift-{rep_id}.csv",
    )

st.subheader("Hours by activity type per month", anchor=False)
by_type = engine.hours_by_type_month(ws, rep_id, m.window)
widgets.chart(
    charts.hours_by_type_month(by_type),
    by_type,
    [
        Col("month", "Month", "date"),
        Col("activity_type", "Activity type"),
        Col("hours", "Hours", "hours_month"),
        Col("estimated_hours", "of which estimated", "hours_month"),
    ],
    key="time_types",
    empty="Upload activities to see where time goes.",
    file_name=f"hours-by-type-{rep_id}.csv",
    title=f"{rep_name}: hours by activity type per month",
    unit="hours",
)

people = engine.key_people_time(ws, rep_id, m.window)
if people is not None and not people.empty:
    st.subheader("Time with key people", anchor=False)
    widgets.chart(
        charts.key_people(people),
        people,
        [
            Col("contact_role", "Role of the person met"),
            Col("hours", "Hours", "hours_month"),
            Col("share", "Share of hours", "pct"),
        ],
        key="time_people",
        empty="Activities carry no contact role.",
        file_name=f"key-people-{rep_id}.csv",
        title=f"{rep_name}: time with key people",
        unit="% of hours",
    )

# the rep's numbers since the first kept meeting: did coaching move them?
effect_rows, since = coaching_effect.timeline(ws, rep_id, m.window.as_of)
widgets.coaching_effect(effect_rows, since, rep_name, rep_id, key="time")
