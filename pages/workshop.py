"""Workshop: the trainer's page. The sample's stories as a guided tour (each with the number
that proves it and a button to the page that shows it) and the what-if of moving hours.

The stories and the estimate come from ``reltruth.workshop``; this page only draws them.
Names reach the screen as plain text (st.text, tables), never inside Markdown.
"""

from __future__ import annotations

import streamlit as st

from reltruth import charts
from reltruth import metrics as engine
from reltruth.ui import session, widgets
from reltruth.ui.format import Col, money_text, pct_text, with_unit
from reltruth.workshop import anonymise, stories
from reltruth.workshop import whatif as wi

session.require_entrypoint()


def _apply_anonymise() -> None:
    """The toggle's callback: the whole app reads the anonymised copy from the next run."""
    state = st.session_state
    on = bool(state.get("workshop_anonymise"))
    options = anonymise.Options(
        scale_money=bool(state.get("workshop_anon_scale", True)),
        round_money=bool(state.get("workshop_anon_round", False)),
    )
    session.set_anonymise(options if on else None)


st.title("Workshop")
ws = session.workspace()

# --- anonymise ------------------------------------------------------------------------------
with st.container(border=True, key="workshop_anonymise_box"):
    st.subheader("Anonymise for projecting", anchor=False)
    st.caption(
        "Reps, managers, teams and accounts get plausible aliases (the same name always gets "
        "the same alias, on every page, chart, download and sheet, in every session on the "
        "same data); money can be scaled by an undisclosed factor so that no real revenue "
        "can be read off a slide. The real data is never changed."
    )
    current = session.anonymise_options()
    st.session_state["workshop_anonymise"] = current is not None
    defaults = current or anonymise.Options()
    for key, value in (
        ("workshop_anon_scale", defaults.scale_money),
        ("workshop_anon_round", defaults.round_money),
    ):
        if current is not None or key not in st.session_state:
            st.session_state[key] = value
    st.toggle("Anonymise", key="workshop_anonymise", on_change=_apply_anonymise)
    left, right = st.columns(2)
    left.checkbox(
        "Scale money by an undisclosed factor",
        key="workshop_anon_scale",
        on_change=_apply_anonymise,
    )
    right.checkbox(
        "Round plan figures (potential, quota) to two digits",
        key="workshop_anon_round",
        on_change=_apply_anonymise,
    )

m = session.metrics()
cur = session.currency()

# --- the tour -------------------------------------------------------------------------------
st.header("The story tour", anchor=False)
widgets.window_caption(m.window.label)
st.caption(
    "Each story is found in the metrics by a rule (most claim gaps; the consistent top "
    "performer; most neglected potential), so the tour follows the data it is shown on."
)
tour = stories.tour(m)
if not tour:
    st.info(
        "No story in this data: no rep has claim gaps, a top tier or neglected potential in "
        "this window. Load the sample data to see the tour."
    )
for i, story in enumerate(tour, start=1):
    with st.container(border=True, key=f"tour_{story.key}"):
        st.subheader(f"{i}. {story.title}", anchor=False)
        st.text(story.rep_name)
        st.markdown(story.paragraph)
        st.metric(story.number_label, stories.number_text(story))
        if story.account_name:
            st.caption("Account")
            st.text(story.account_name)
        if st.button(story.button, key=f"tour_open_{story.key}", icon=":material/arrow_forward:"):
            session.select_rep(story.rep_id)
            st.switch_page(story.page)

# --- what if --------------------------------------------------------------------------------
st.header("What if: move hours to where the money is", anchor=False)
st.warning(
    f"**{wi.ESTIMATE_LABEL}.** The effect below is estimated from the rep's own revenue per "
    "hour; it is never added to the measured numbers on the other pages.",
    icon=":material/science:",
)
rep_id = widgets.rep_picker(m.reps, key="whatif_rep")
if rep_id is None:
    st.info("No reps in the selected team for this window.")
    st.stop()
book = m.accounts[m.accounts["rep_id"].astype(str) == rep_id]
# An account without a name (an optional field) is shown by its id.
names = dict(
    zip(
        book["account_id"].astype(str),
        book["account_name"].fillna(book["account_id"]).astype(str),
        strict=True,
    )
)
hours = st.number_input(
    "Hours a month to move",
    min_value=0.0,
    max_value=200.0,
    value=8.0,
    step=1.0,
    key="whatif_hours",
)
left, right = st.columns(2)
givers = left.multiselect(
    "From (default: relationship traps)",
    list(names),
    default=[a for a in book.loc[book["is_relationship_trap"].fillna(False), "account_id"]],
    format_func=lambda a: names.get(a, a),
    key=f"whatif_from_{rep_id}",
)
takers = right.multiselect(
    "To (default: neglected potential)",
    list(names),
    default=[a for a in book.loc[book["is_neglected_potential"].fillna(False), "account_id"]],
    format_func=lambda a: names.get(a, a),
    key=f"whatif_to_{rep_id}",
)
result = wi.whatif(m, rep_id, hours, from_accounts=givers or None, to_accounts=takers or None)
if result.empty_reason:
    st.info(result.empty_reason)
else:
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Estimate, low", money_text(result.low, cur))
    c2.metric("Estimate, central", money_text(result.central, cur))
    c3.metric("Estimate, high", money_text(result.high, cur))
    c4.metric(
        "Alignment score after (estimate)",
        pct_text(result.alignment_after),
        delta=f"from {pct_text(result.alignment_before)}",
        delta_color="off",
    )
    st.caption(
        f"Estimated extra revenue over the next {wi.HORIZON_MONTHS} months from moving "
        f"{result.moved_per_month:.1f} h a month (asked: {result.hours_per_month:.1f} h); "
        f"rates from {m.window.label}."
    )
    widgets.table(
        wi.receivers_frame(result),
        [
            Col("account_name", "Receives", pin=True),
            Col("hours_per_month", "Hours per month", "hours_month"),
            Col("open_potential", with_unit("Open potential", cur, "/year"), "money"),
            Col("low", with_unit("Estimate low", cur), "money"),
            Col("central", with_unit("Estimate central", cur), "money"),
            Col("high", with_unit("Estimate high", cur), "money"),
            Col("rate_basis", "Revenue per hour from"),
        ],
        key="whatif_receivers",
        currency=cur,
        file_name=f"whatif-estimate-{rep_id}.csv",
    )
    widgets.table(
        result.givers,
        [
            Col("account_name", "Gives", pin=True),
            Col("hours_per_month", "Hours per month", "hours_month"),
        ],
        key="whatif_givers",
    )
with st.expander("Assumptions of this estimate", expanded=True, key="whatif_assumptions"):
    st.markdown("\n".join(f"- {a}" for a in result.assumptions))

# --- charts for slides ----------------------------------------------------------------------
st.header("Charts for slides", anchor=False)
st.caption(
    "PNG or SVG at slide size with the chart's title, the window, the unit and a source line "
    "on the image. Every chart's numbers panel on the other pages offers the same."
)
rep_name = str(m.reps.loc[m.reps["rep_id"].astype(str) == rep_id, "rep_name"].iloc[0])
team_reps = widgets.team_reps(m.reps)
if "coaching_priority" in team_reps:
    team_reps = team_reps.sort_values("coaching_priority", kind="stable")
quota = engine.tier_measure(team_reps) == "quota attainment"  # as the Team page draws it
SLIDE_CHARTS = {
    "team": (
        "Quota attainment, by tier" if quota else "Growth against the company, by tier",
        "% of quota" if quota else "percentage points",
        lambda: charts.team_overview(
            team_reps.head(40), "quota attainment" if quota else "relative growth"
        ),
    ),
    "time": (
        f"{rep_name}: share of time against share of potential",
        "% of hours, % of potential",
        lambda: charts.time_vs_potential(book, cur),
    ),
    "rating": (
        f"{rep_name}: claimed relationship vs penetration",
        "rating 1–5, % of potential bought",
        lambda: charts.rating_vs(
            book, "penetration", "Penetration (share of wallet, %)", ".0%", clip=(0.0, 1.5)
        ),
    ),
}
LABELS = {
    "team": "Team: the tier measure by rep",
    "time": "The what-if rep: time vs potential",
    "rating": "The what-if rep: claimed relationship vs penetration",
}
which = st.selectbox(
    "Chart", list(SLIDE_CHARTS), format_func=lambda k: LABELS[k], key="workshop_slide_chart"
)
title, unit, make = SLIDE_CHARTS[str(which)]
chart_obj = make()
if chart_obj is None:
    st.info("This chart has nothing to draw for this data and window.")
else:
    st.altair_chart(chart_obj, key="workshop_slide_preview")
    widgets.slide_downloads(chart_obj, title, unit, key="workshop")
