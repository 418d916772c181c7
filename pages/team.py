"""Team: one row per rep, ranked by coaching priority: who to coach first, who to leave alone.

Marginal performers come first and top performers last (docs/metrics.md); the chart shows
each rep's figure on the measure that ranks the tiers (growth against the company or quota
attainment, as the settings and the data decide) coloured by tier, so both ends stand out.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from reltruth import charts
from reltruth import metrics as engine
from reltruth import settings as settings_words
from reltruth.ui import session, widgets
from reltruth.ui.format import (
    TIER_LABELS,
    Col,
    column_config,
    display_frame,
    money_text,
    pct_text,
    pp_text,
    with_unit,
)

FLAG_COLS = [
    Col("n_relationship_trap", "Relationship traps", "int"),
    Col("n_neglected_potential", "Neglected potential", "int"),
    Col("n_claim_gap", "Claim gaps", "int"),
    Col("n_discount_creep", "Discount creep", "int"),
    Col("n_demote", "To demote", "int"),
    Col("n_trade_candidate", "Trade candidates", "int"),
]
CHART_MAX_REPS = 40

session.require_entrypoint()
st.title("Team")
ws = session.workspace()
m = session.metrics()
cur = session.currency()
reps = widgets.team_reps(m.reps)
if reps.empty:
    st.info("No reps in the selected team for this window.")
    st.stop()
if "coaching_priority" in reps.columns:
    reps = reps.sort_values("coaching_priority", kind="stable")
reps = reps.reset_index(drop=True)
widgets.window_caption(m.window.label, f"company growth {pct_text(m.company_growth, 1)}")
widgets.missing_inputs(m.accounts)

s = m.settings
measure = engine.tier_measure(reps)
measure_label = {"quota attainment": "Quota attainment", "mixed": "Tier measure"}.get(
    measure, "Growth vs company"
)
st.caption(engine.tier_measure_sentence(reps, s))
marginal = int((reps.get("tier") == "marginal").sum())
top = int((reps.get("tier") == "top").sum())
c1, c2, c3, c4 = st.columns(4)
c1.metric("Reps", f"{len(reps):,}")
c2.metric(
    "Marginal performers",
    f"{marginal:,}",
    help=f"The {settings_words.bottom_words(s.marginal_tier_quantile)} of the team by "
    f"{settings_words.tier_measure_words(measure)} in this window.",
)
c3.metric(
    "Top performers",
    f"{top:,}",
    help=f"The {settings_words.top_words(s.top_tier_quantile)} of the team by "
    f"{settings_words.tier_measure_words(measure)} in this and the prior window.",
)
c4.metric(
    "Money at stake",
    money_text(pd.to_numeric(reps.get("money_at_stake"), errors="coerce").sum(), cur),
    help="Open potential of trap and claim-gap accounts plus excess discount.",
)

chart_measure = "quota attainment" if measure == "quota attainment" else "relative growth"
chart_title = (
    "Quota attainment, by tier"
    if chart_measure == "quota attainment"
    else "Growth against the company, by tier"
)
st.subheader(chart_title, anchor=False)
if measure == "mixed":
    st.caption(
        "The chart shows growth against the company for every rep; the table gives "
        "each rep's own tier measure."
    )
shown = reps.head(CHART_MAX_REPS)
if len(reps) > CHART_MAX_REPS:
    st.caption(f"The first {CHART_MAX_REPS} reps by coaching priority; all are in the table below.")
widgets.chart(
    charts.team_overview(shown, chart_measure),
    shown,
    [
        Col("rep_name", "Rep", pin=True),
        Col("tier", "Tier"),
        Col("tier_figure", measure_label),
        Col("relative_growth", "Relative growth", "pp"),
        Col("revenue", with_unit("Revenue", cur), "money"),
        Col("money_at_stake", with_unit("Money at stake", cur), "money"),
    ],
    key="team_chart",
    empty=(
        "No rep has a growth figure in this window: growth compares the window's revenue with "
        "the window before it, so it needs orders in both (load older orders, or pick a "
        "shorter window)."
        if m.company_revenue
        else "Upload orders (invoice or order lines) to see how each rep grows against the company."
    ),
    currency=cur,
    file_name="team-growth.csv",
    title=chart_title,
    unit="% of quota" if chart_measure == "quota attainment" else "percentage points",
)

st.subheader(f"Reps by coaching priority ({m.window.label})", anchor=False)
st.caption("Select a rep to open their time page or coaching sheet.")
cols = [
    Col(
        "coaching_priority",
        "Priority",
        "int",
        "1 = coach first: money at stake, marginal performers first.",
    ),
    Col("rep_name", "Rep", pin=True),
    # money first: what a manager ranks by must be on screen without scrolling
    Col("money_at_stake", with_unit("Money at stake", cur), "money"),
    Col("revenue", with_unit("Revenue", cur), "money"),
    Col("tier_label", "Tier"),
    Col(
        "tier_figure",
        measure_label,
        help="The figure that ranks the tiers; the selected rep's box below says why.",
    ),
    Col("team", "Team"),
    Col("growth", "Growth", "pct"),
    Col("relative_growth", "Growth vs company", "pp"),
    Col("weighted_penetration", "Weighted penetration", "pct"),
    Col("hours", "Hours", "hours"),
    Col("hours_estimated_share", "Estimated hours", "pct"),
    Col(
        "alignment_score",
        "Alignment score",
        "pct",
        "100 % = hours exactly in proportion to potential.",
    ),
    Col(
        "misallocated_hours",
        "Misallocated hours",
        "hours",
        "The fewest hours that would have to move to match potential.",
    ),
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
table_frame = reps.assign(
    tier_label=reps.get("tier", pd.Series(dtype=str)).map(lambda t: TIER_LABELS.get(t, t))
)

display = display_frame(table_frame, cols)
config = {k: v for k, v in column_config(cols, cur).items() if k in display.columns}
event = st.dataframe(
    display,
    hide_index=True,
    column_config=config,
    key="team_table",
    on_select="rerun",
    selection_mode="single-row",
)
widgets.download(display, file_name=f"team-{m.window.as_of.isoformat()}.csv", key="team_table_csv")

rows = list(event.selection.rows) if event is not None else []
pick = reps.iloc[rows[0]] if rows else reps.iloc[0]
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
