"""Workshop: the trainer's page. The sample's stories as a guided tour (each with the number
that proves it and a button to the page that shows it) and the what-if of moving hours.

The stories and the estimate come from ``reltruth.workshop``, the rep's book and the slide
charts from ``reltruth.views.workshop``; this page only draws them. Names reach the screen
as plain text (st.text, tables), never inside Markdown.
"""

from __future__ import annotations

import streamlit as st

from reltruth.ui import lifetime, session, widgets, workshop_page
from reltruth.ui.format import Col, money_text, pct_text, with_unit
from reltruth.views import workshop as view
from reltruth.workshop import whatif as wi

lifetime.require_entrypoint()
st.title("Workshop")
session.workspace()  # stops the page with a friendly note while the workspace is empty
workshop_page.anonymise_box()
m = session.metrics()
cur = session.currency()

st.header("The story tour", anchor=False)
widgets.window_caption(m.window.label)
st.caption(
    "Each story is found in the metrics by a rule (most claim gaps; the consistent top "
    "performer; most neglected potential), so the tour follows the data it is shown on."
)
workshop_page.tour(m)

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
book = view.book(m, rep_id)
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
    list(book.names),
    default=book.givers,
    format_func=lambda a: book.names.get(a, a),
    key=f"whatif_from_{rep_id}",
)
takers = right.multiselect(
    "To (default: neglected potential)",
    list(book.names),
    default=book.takers,
    format_func=lambda a: book.names.get(a, a),
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
which = st.selectbox(
    "Chart",
    list(view.SLIDE_LABELS),
    format_func=lambda k: view.SLIDE_LABELS[k],
    key="workshop_slide_chart",
)
slide = view.slide(str(which), widgets.team_reps(m.reps), book, cur)
if slide.chart is None:
    st.info("This chart has nothing to draw for this data and window.")
else:
    st.altair_chart(slide.chart, key="workshop_slide_preview")
    widgets.slide_downloads(slide.chart, slide.title, slide.unit, key="workshop")
