"""Coaching sheet: the rep's history of one-on-ones first (the last meeting's notes and
commitments, any earlier meeting reopened as it was), then today's prompt sheet, its
downloads, the commitments, and the notes kept with today's meeting.

The page reads widgets, asks ``reltruth.coaching`` for the sheet model and draws it with
native Streamlit elements. CRM text goes through the Markdown escaper, never through
``unsafe_allow_html``.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import pandas as pd
import streamlit as st

from reltruth import coaching
from reltruth.coaching import chart as sheet_chart
from reltruth.coaching import commitments as cm
from reltruth.coaching import meetings as mt
from reltruth.coaching.model import Sheet
from reltruth.coaching.render_markdown import md
from reltruth.coaching.templates import templates
from reltruth.errors import UserError
from reltruth.ui import session, widgets

KIND_LABELS = {
    None: "free text (you mark it done, not done or partly)",
    "hours": "hours at an account",
    "discount": "discount at an account (%)",
    "revenue": "revenue at an account",
    "penetration": "penetration at an account (%)",
    "alignment": "the rep's alignment score (%)",
}
OP_LABELS = {None: "the usual way", ">=": "at least", "<=": "at most"}
STATUS_LABELS = {None: "not marked yet", "done": "done", "not_done": "not done", "partly": "partly"}

session.require_entrypoint()
st.title("Coaching sheet")
ws = session.workspace()
m = session.metrics()
reps = m.reps
team = session.selected_team()
if team and "team" in reps.columns:
    reps = reps[reps["team"] == team]
if reps.empty:
    st.info("No reps in the selected team for this window.")
    st.stop()

rep_ids = [str(r) for r in reps["rep_id"]]
names = dict(zip(rep_ids, reps.get("rep_name", reps["rep_id"]).astype(str), strict=True))
tiers = dict(zip(rep_ids, reps.get("tier", pd.Series([""] * len(reps))).astype(str), strict=True))
preferred = session.selected_rep()
# follow the sidebar's rep when it changes (the Team page links here through it)
if preferred in rep_ids and st.session_state.get("_sheet_sidebar_rep") != preferred:
    st.session_state["sheet_rep"] = preferred
st.session_state["_sheet_sidebar_rep"] = preferred
if st.session_state.get("sheet_rep") not in rep_ids:
    st.session_state["sheet_rep"] = rep_ids[0]
left, right = st.columns([3, 2])
rep_id = left.selectbox(
    "Rep", rep_ids, format_func=lambda r: f"{names[r]} · {tiers[r]}", key="sheet_rep"
)
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
kept_today = next((k for k in mt.history(ws, rep_id) if k.met_on == met_on), None)
sheet = replace(sheet, meeting_notes=kept_today.notes if kept_today else "")
past = mt.history(ws, rep_id)
st.subheader("History", anchor=False)
if not past:
    st.caption(
        "No meeting with this rep kept yet: write the notes at the bottom of today's sheet and "
        "save the meeting, and the next sheet opens on them."
    )
else:
    with st.container(border=True, key="sheet_history"):
        dates = [k.met_on for k in past]
        chosen = st.selectbox(
            "Meeting (the last one first)",
            dates,
            format_func=lambda d: next(k.label for k in past if k.met_on == d),
            key=f"sheet_meeting_{rep_id}",
        )
        meeting = next(k for k in past if k.met_on == chosen)
        st.caption("Notes")
        st.text(meeting.notes or "(no notes were kept)")  # plain text: never Markdown
        agreed = mt.agreed_at(ws, meeting)
        st.caption(f"Commitments agreed then ({len(agreed)}), with what the data says now")
        for c in agreed:
            ev = cm.evaluate(ws, c, m.window.as_of)
            kept = cm.line(c, ev, cm.account_name(ws, c.account_id), sheet.currency)
            st.markdown(
                f"- {md(c.text)} — {md(kept.line)}" if c.measurable else f"- {md(kept.line)}"
            )
        hcols = st.columns(3)
        for col, (fmt, label) in zip(
            hcols, (("html", "HTML"), ("pdf", "PDF"), ("md", "Markdown")), strict=True
        ):
            col.download_button(
                f"That meeting's sheet ({label})",
                data=partial(coaching.render, meeting.sheet, fmt, paper),
                file_name=coaching.file_name(meeting.sheet, fmt).replace(
                    f".{fmt}", f"-meeting-{meeting.met_on.isoformat()}.{fmt}"
                ),
                mime=coaching.MIME[fmt],
                key=f"sheet_meeting_download_{fmt}",
                on_click="ignore",
            )
        if st.toggle("Show that meeting's sheet as it was", key="sheet_meeting_show"):
            # the stored sheet through the Markdown renderer, which escapes all CRM text
            st.markdown(coaching.render_markdown(meeting.sheet))
widgets.coaching_effect(sheet.effect, sheet.effect_since, sheet.rep_name, rep_id, key="sheet")
st.subheader("Today's sheet", anchor=False)

# --- downloads: rendered only when clicked (the sheet model is already built) ----------
cols = st.columns(4)
for col, (fmt, label) in zip(
    cols, (("html", "HTML (print)"), ("pdf", "PDF"), ("md", "Markdown")), strict=False
):
    col.download_button(
        f"Download {label}",
        data=partial(coaching.render, sheet, fmt, paper),
        file_name=coaching.file_name(sheet, fmt),
        mime=coaching.MIME[fmt],
        key=f"sheet_download_{fmt}",
        on_click="ignore",
    )
with cols[3].popover("Team ZIP", key="sheet_zip_popover"):
    zip_fmt = st.radio("Format", ("pdf", "html", "md"), horizontal=True, key="sheet_zip_format")
    if st.button(f"Prepare {len(rep_ids)} sheets", key="sheet_zip_prepare"):
        with st.spinner(f"Preparing {len(rep_ids)} sheets…"):
            team_sheets = [coaching.build_sheet(ws, m, r, self_audit=self_audit) for r in rep_ids]
        st.download_button(
            "Download ZIP",
            data=partial(coaching.zip_sheets, team_sheets, zip_fmt, paper),
            file_name=f"sheets-{team or 'all'}-{m.window.as_of.isoformat()}.zip".replace(" ", "-"),
            mime="application/zip",
            key="sheet_zip_download",
            on_click="ignore",
        )

# --- the sheet -------------------------------------------------------------------------
lab = templates()["labels"]
st.header(md(sheet.title), anchor=False)
st.caption(" · ".join(md(x) for x in (sheet.window_label, sheet.manager, sheet.team) if x))
st.markdown(
    f"**{md(lab['tier'])}: {md(sheet.tier_label)}**"
    + (f" — {md(sheet.tier_reason)}" if sheet.tier_reason else "")
)
st.markdown(f"*{md(sheet.intro)}*")

st.subheader(f"{lab['scoreboard']} ({sheet.window_label})", anchor=False)
who = lab["rep_value_self_audit"] if sheet.self_audit else lab["rep_value"]
st.dataframe(
    pd.DataFrame(
        {
            lab["stat"]: [
                s.label + (f" (company {s.company_text})" if s.company_text else "")
                for s in sheet.scoreboard
            ],
            who: [s.text for s in sheet.scoreboard],
            lab["team_median"]: [s.team_median_text for s in sheet.scoreboard],
        }
    ),
    hide_index=True,
    key="sheet_scoreboard",
    # every line on screen: the default height scrolled the last one out of sight
    height=(len(sheet.scoreboard) + 1) * 35 + 3,
)
# below the scoreboard at full width: beside it, long account names left the bars a strip
chart = sheet_chart.chart(sheet, in_app=True)
if chart is not None:
    st.caption(sheet.chart_title)
    st.altair_chart(chart, key="sheet_chart")

for note in sheet.notes:  # caveats about the numbers, next to them
    st.caption(md(note))
st.subheader(lab["prompts_self_audit"] if sheet.self_audit else lab["prompts"], anchor=False)
for p in sheet.prompts:
    with st.container(border=True, key=f"sheet_prompt_{p.rank}"):
        stake = f" — {md(p.money_text)} {md(lab['money_at_stake'])}" if p.money_text else ""
        st.markdown(f"**{p.rank}\\. {md(p.title)}**{stake}")
        st.markdown("\n".join(f"- {md(e)}" for e in p.evidence))
        st.markdown(f"**{md(lab['question'])}:** {md(p.question)}")
        st.markdown(f"{md(lab['follow_up'])}: {md(p.follow_up)}")
        st.markdown(f"{md(lab['action'])}: {md(p.action)}")

a = sheet.actions
if not a.empty:
    st.subheader(lab["actions"], anchor=False)
    for heading, items in (
        (lab["shifts"], [s.text for s in a.shifts]),
        (lab["demotions"], [d.text for d in a.demotions]),
        (lab["trades"], [t.text for t in a.trades]),
        (lab["training"], [f"{t.topic}: {t.reason}" for t in a.training]),
    ):
        if items:
            st.markdown(f"**{md(heading)}**\n\n" + "\n".join(f"- {md(i)}" for i in items))
if sheet.advice:
    st.subheader(lab["advice"], anchor=False)
    st.markdown("\n".join(f"{i}. {md(x)}" for i, x in enumerate(sheet.advice, 1)))

# --- commitments -----------------------------------------------------------------------
st.subheader(lab["commitments"], anchor=False)
free_text = {c.commitment_id for c in cm.list_for_rep(ws, rep_id) if not c.measurable}


def mark(commitment_id: str, key: str) -> None:
    cm.set_status(ws, commitment_id, st.session_state[key], m.window.as_of)


for item in sheet.commitments:
    verdict = f" — {md(item.line)}" if item.target_text else ""
    said = md(item.text) + verdict if item.target_text else md(item.line)
    if item.commitment_id not in free_text:
        st.markdown(f"- {item.agreed_on.isoformat()}: {said}")
        continue
    text_col, status_col = st.columns([3, 1])
    text_col.markdown(f"- {item.agreed_on.isoformat()}: {said}")
    status_key = f"sheet_commit_status_{item.commitment_id}"
    statuses = list(STATUS_LABELS)
    status_col.selectbox(
        "How did it go?",
        statuses,
        index=statuses.index(cm.status_of(ws, item.commitment_id)),
        format_func=lambda v: STATUS_LABELS[v],
        key=status_key,
        on_change=mark,
        args=(item.commitment_id, status_key),
        label_visibility="collapsed",
    )
if not sheet.commitments:
    st.caption(lab["commitments_none"])

accounts = m.accounts[m.accounts["rep_id"].astype(str) == rep_id]
account_names = dict(
    zip(
        accounts["account_id"].astype(str),
        accounts["account_name"].fillna(accounts["account_id"]).astype(str),
        strict=True,
    )
)
# the accounts the prompts are about come first: that is what commitments are made on
prompted = [a for p in sheet.prompts for a in p.account_ids if a in account_names]
account_ids = list(dict.fromkeys(prompted)) + sorted(
    set(account_names) - set(prompted), key=lambda i: account_names[i].lower()
)
next_quarter_end = (pd.Timestamp(m.window.as_of) + pd.offsets.QuarterEnd(1)).date()


def commitment_form(prefix: str, existing: cm.Commitment | None) -> dict | None:
    """The fields of a commitment; returns them when the form is submitted."""
    e = existing
    with st.form(f"{prefix}_form", clear_on_submit=e is None):
        text = st.text_area("What was agreed", value=e.text if e else "", key=f"{prefix}_text")
        c1, c2 = st.columns(2)
        kinds = list(KIND_LABELS)
        kind = c1.selectbox(
            "Measurable target",
            kinds,
            index=kinds.index(e.target_kind) if e else 0,
            format_func=lambda k: KIND_LABELS[k],
            key=f"{prefix}_kind",
        )
        acc_index = account_ids.index(e.account_id) if e and e.account_id in account_ids else 0
        account_id = c2.selectbox(
            "Account",
            account_ids or [""],
            index=acc_index,
            format_func=lambda i: account_names.get(i, i),
            key=f"{prefix}_account",
        )
        ops = list(OP_LABELS)
        op = c2.selectbox(
            "Direction",
            ops,
            index=ops.index(e.target_op) if e and e.target_op in ops else 0,
            format_func=lambda o: OP_LABELS[o],
            key=f"{prefix}_op",
            help="The usual way: hours, revenue, penetration and alignment at least; "
            "discount at most.",
        )
        percent = e is not None and e.target_kind in cm.FRACTION_KINDS
        value_default = float(e.target_value or 0) * (100 if percent else 1) if e else 0.0
        value = c1.number_input(
            "Target (hours, % or amount)", min_value=0.0, value=value_default, key=f"{prefix}_value"
        )
        due = c2.date_input(
            "By",
            value=e.due_date if e and e.due_date else next_quarter_end,
            key=f"{prefix}_due",
        )
        agreed = c1.date_input(
            "Agreed on", value=e.agreed_on if e else m.window.as_of, key=f"{prefix}_agreed"
        )
        if not st.form_submit_button("Save", key=f"{prefix}_save"):
            return None
    return {
        "text": text,
        "target_kind": kind,
        "account_id": account_id if kind and kind not in cm.REP_KINDS else None,
        "target_op": op if kind else None,
        "target_value": value if kind else None,
        "due_date": due if kind else None,
        "agreed_on": agreed,
    }


with st.expander("Record a commitment", expanded=False, key="sheet_commit_new"):
    fields = commitment_form("sheet_commit_new", None)
    if fields is not None:
        try:
            cm.add(ws, rep_id, fields.pop("text"), **fields)
            st.rerun()
        except UserError as exc:
            st.error(str(exc))

for c in cm.list_for_rep(ws, rep_id):
    with st.expander(
        f"Edit: {c.agreed_on.isoformat()} {md(c.text[:60])}", key=f"sheet_commit_{c.commitment_id}"
    ):
        fields = commitment_form(f"sheet_commit_{c.commitment_id}", c)
        if fields is not None:
            try:
                if fields["target_kind"] is None:
                    fields["due_date"] = None
                cm.update(ws, c.commitment_id, **fields)
                st.rerun()
            except UserError as exc:
                st.error(str(exc))
        if st.button("Delete this commitment", key=f"sheet_commit_delete_{c.commitment_id}"):
            cm.delete(ws, c.commitment_id)
            st.rerun()

st.subheader(lab["notes"], anchor=False)
notes_key = f"sheet_notes_{rep_id}_{met_on.isoformat()}"
if notes_key not in st.session_state:
    st.session_state[notes_key] = kept_today.notes if kept_today else ""
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
if kept_today is not None:
    st.caption(
        f"Kept: the meeting of {kept_today.met_on:%-d %b %Y}. Saving again replaces its notes "
        "and its sheet with today's."
    )
