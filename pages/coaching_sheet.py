"""Coaching sheet: the rep's history of one-on-ones first (the last meeting's notes and
commitments, any earlier meeting reopened as it was), then today's prompt sheet, its
downloads, the commitments, and the notes kept with today's meeting.

The page reads widgets, asks ``reltruth.coaching`` for the sheet model and
``reltruth.views.coaching_sheet`` for what surrounds it, and draws them with native
Streamlit elements (``reltruth.ui.coaching_sheet_page``). CRM text goes through the
Markdown escaper, never through ``unsafe_allow_html``.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from reltruth import coaching
from reltruth.coaching import meetings as mt
from reltruth.coaching.model import Sheet
from reltruth.coaching.templates import templates
from reltruth.errors import UserError
from reltruth.ui import coaching_sheet_page as ui
from reltruth.ui import lifetime, session, widgets
from reltruth.views import coaching_sheet as view

lifetime.require_entrypoint()
st.title("Coaching sheet")
ws = session.workspace()
m = session.metrics()
team = session.selected_team()
reps = view.rep_choices(m.reps, team)
if not reps.ids:
    st.info(reps.empty)
    st.stop()

left, right = st.columns([3, 2])
with left:
    rep_id = ui.pick_rep(reps, session.selected_rep())
self_audit = right.toggle(
    "Self-audit (written to the rep, no colleague named)", key="sheet_self_audit"
)

try:
    sheet: Sheet = coaching.build_sheet(ws, m, rep_id, self_audit=self_audit)
except UserError as exc:
    st.error(str(exc))
    st.stop()

# PDF paper for every download on the page (today's sheet, a kept meeting's, the ZIP)
paper = (
    st.segmented_control(
        "PDF paper", coaching.PAPERS, default="A4", key="sheet_paper", help="A4 or US Letter"
    )
    or "A4"
)

widgets.missing_inputs(m.accounts)

# --- history: the last meeting first, then today's sheet -----------------------------
met_on = st.session_state.get("sheet_meeting_date") or m.window.as_of
history = view.history(ws, rep_id, met_on)
sheet = replace(sheet, meeting_notes=history.today.notes if history.today else "")
ui.history_section(ws, history, rep_id, m.window.as_of, sheet.currency, paper)
widgets.coaching_effect(sheet.effect, sheet.effect_since, sheet.rep_name, rep_id, key="sheet")
st.subheader("Today's sheet", anchor=False)
ui.downloads(ws, sheet, m, list(reps.ids), team, paper, self_audit=self_audit)

# --- the sheet -------------------------------------------------------------------------
lab = templates()["labels"]
ui.sheet_body(sheet, lab)

# --- commitments -----------------------------------------------------------------------
st.subheader(lab["commitments"], anchor=False)
ui.commitments_section(
    ws, view.commitment_rows(ws, sheet, rep_id), m.window.as_of, lab["commitments_none"]
)
accounts = view.commitment_accounts(m.accounts, rep_id, sheet)
ui.edit_commitments(ws, rep_id, accounts, m.window.as_of)

st.subheader(lab["notes"], anchor=False)
notes_key = f"sheet_notes_{rep_id}_{met_on.isoformat()}"
if notes_key not in st.session_state:
    st.session_state[notes_key] = history.today.notes if history.today else ""
notes = st.text_area(
    "Notes of this meeting (kept with the sheet as it is now; they go into its downloads)",
    key=notes_key,
)
left, right = st.columns([1, 2])
left.date_input("Meeting on", value=m.window.as_of, key="sheet_meeting_date")
if right.button("Save this meeting", key="sheet_meeting_save", type="primary"):
    try:
        mt.save(ws, sheet, met_on=met_on, window_months=m.window.months, notes=notes)
    except UserError as exc:
        st.error(str(exc))
    else:
        st.rerun()
if history.today is not None:
    st.caption(
        f"Kept: the meeting of {history.today.met_on:%-d %b %Y}. Saving again replaces its "
        "notes and its sheet with today's."
    )
