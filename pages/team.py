"""Team: one row per rep, ranked by coaching priority: who to coach first, who to leave alone.

Marginal performers come first and top performers last (docs/metrics.md); the chart shows
each rep's figure on the measure that ranks the tiers (growth against the company or quota
attainment, as the settings and the data decide) coloured by tier, so both ends stand out.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from reltruth import charts
from reltruth.format import TIER_LABELS
from reltruth.ui import lifetime, session, widgets
from reltruth.ui.format import (
    Col,
    money_text,
    pct_text,
    pp_text,
    with_unit,
)
from reltruth.views import team as view

FLAG_COLS = [
    Col("n_relationship_trap", "Relationship traps", "int"),
    Col("n_neglected_potential", "Neglected potential", "int"),
    Col("n_claim_gap", "Claim gaps", "int"),
    Col("n_discount_creep", "Discount creep", "int"),
    Col("n_demote", "To demote", "int"),
    Col("n_trade_candidate", "Trade candidates", "int"),
]
PRIORITY_HELP = "1 = coach first: money at stake, marginal performers first."
TIER_FIGURE_HELP = "The figure that ranks the tiers; the selected rep's box below says why."
ALIGNMENT_HELP = "100 % = hours exactly in proportion to potential."
MISALLOCATED_HELP = "The fewest hours that would have to move to match potential."

lifetime.require_entrypoint()
st.title("Team")
session.workspace()  # stops the page with a friendly note while the workspace is empty
m = session.metrics()
cur = session.currency()
v = view.team_view(m, widgets.team_reps(m.reps))
if v.empty:
    st.info(v.empty)
    st.stop()
reps = v.reps
widgets.window_caption(m.window.label, f"company growth {pct_text(m.company_growth, 1)}")
widgets.missing_inputs(m.accounts)

st.caption(v.measure_sentence)
c1, c2, c3, c4 = st.columns(4)
c1.metric("Reps", f"{len(reps):,}")
c2.metric("Marginal performers", f"{v.marginal:,}", help=v.marginal_help)
c3.metric("Top performers", f"{v.top:,}", help=v.top_help)
c4.metric(
    "Money at stake",
    money_text(v.money_at_stake, cur),
    help="Open potential of trap and claim-gap accounts plus excess discount.",
)

chart = v.chart
st.subheader(chart.title, anchor=False)
for note in chart.notes:
    st.caption(note)
widgets.chart(
    charts.team_overview(chart.reps, chart.measure),
    chart.reps,
    [
        Col("rep_name", "Rep", pin=True),
        Col("tier", "Tier"),
        Col("tier_figure", v.measure_label),
        Col("relative_growth", "Relative growth", "pp"),
        Col("revenue", with_unit("Revenue", cur), "money"),
        Col("money_at_stake", with_unit("Money at stake", cur), "money"),
    ],
    key="team_chart",
    empty=v.chart_empty,
    currency=cur,
    file_name="team-growth.csv",
    title=chart.title,
    unit=chart.unit,
)

st.subheader(f"Reps by coaching priority ({m.window.label})", anchor=False)
st.caption("Select a rep to open their time page or coaching sheet.")
cols = [
    Col("coaching_priority", "Priority", "int", PRIORITY_HELP),
    Col("rep_name", "Rep", pin=True),
    # money first: what a manager ranks by must be on screen without scrolling
    Col("money_at_stake", with_unit("Money at stake", cur), "money"),
    Col("revenue", with_unit("Revenue", cur), "money"),
    Col("tier_label", "Tier"),
    Col("tier_figure", v.measure_label, help=TIER_FIGURE_HELP),
    Col("team", "Team"),
    Col("growth", "Growth", "pct"),
    Col("relative_growth", "Growth vs company", "pp"),
    Col("weighted_penetration", "Weighted penetration", "pct"),
    Col("hours", "Hours", "hours"),
    Col("hours_estimated_share", "Estimated hours", "pct"),
    Col("alignment_score", "Alignment score", "pct", ALIGNMENT_HELP),
    Col("misallocated_hours", "Misallocated hours", "hours", MISALLOCATED_HELP),
    Col("discount_rate", "Discount", "pct"),
    Col("discount_trend_pp_per_year", "Discount trend", "pp_year"),
    Col("new_accounts", "New accounts", "int"),
    # from a deals export only (without one a win rate would read as 0 %)
    *(
        [
            Col("win_rate", "Win rate", "pct", "Deals won ÷ won and lost, closed in the window."),
            Col("win_rate_value", "Win rate (value)", "pct", "Value won ÷ won and lost."),
            Col("open_pipeline", with_unit("Open pipeline", cur), "money"),
        ]
        if m.has_deals
        else []
    ),
    *FLAG_COLS,
    Col("tier_reason", "Why this tier"),  # long: last, and wrapped in the selected rep's box
]
tiers = reps.get("tier", pd.Series(dtype=str))
table_frame = reps.assign(tier_label=tiers.map(lambda t: TIER_LABELS.get(t, t)))

row, shown = widgets.pick_row(table_frame, cols, key="team_table", currency=cur)
widgets.download(shown, file_name=f"team-{m.window.as_of}.csv", key="team_table_csv")
pick = reps.iloc[row if row is not None else 0]
rep_id, rep_name = str(pick["rep_id"]), str(pick.get("rep_name") or pick["rep_id"])
with st.container(border=True, key="team_selected"):
    st.caption("Selected rep")
    st.text(rep_name)
    st.caption(
        f"{TIER_LABELS.get(str(pick.get('tier')), pick.get('tier'))} · "
        f"growth vs company {pp_text(pick.get('relative_growth'))} · "
        f"alignment {pct_text(pick.get('alignment_score'))}"
    )
    # plain text: the reason names the team, which is CRM text
    st.text(f"Why this tier: {pick.get('tier_reason') or 'n/a'}")
    left, right = st.columns(2)
    if left.button("Open the time page", key="team_open_time", icon=":material/schedule:"):
        session.select_rep(rep_id)
        st.switch_page("pages/time_vs_potential.py")
    if right.button("Open the coaching sheet", key="team_open_sheet", icon=":material/assignment:"):
        session.select_rep(rep_id)
        st.switch_page("pages/coaching_sheet.py")
