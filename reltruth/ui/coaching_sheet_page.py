"""The Coaching sheet page's widgets: the history of kept meetings, the downloads, the sheet
drawn with native elements, the commitments with their form, and today's notes.

Why a module of its own: these sections are drawn with Streamlit and hold widget state, so
they cannot live in ``reltruth.views.coaching_sheet``, which computes what they show; the
page script stays a list of sections. CRM text goes through the Markdown escaper, never
through ``unsafe_allow_html``.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

import streamlit as st

from reltruth import coaching
from reltruth.coaching import chart as sheet_chart
from reltruth.coaching import commitments as cm
from reltruth.coaching.model import Sheet
from reltruth.coaching.render_markdown import md
from reltruth.errors import UserError
from reltruth.metrics import Metrics
from reltruth.views import coaching_sheet as view
from reltruth.workspace import Workspace

DOWNLOADS = (("html", "HTML (print)"), ("pdf", "PDF"), ("md", "Markdown"))  # today's sheet
KEPT_DOWNLOADS = (("html", "HTML"), ("pdf", "PDF"), ("md", "Markdown"))  # a kept meeting's


def pick_rep(reps: view.RepChoices, preferred: str | None) -> str:
    """The rep picker, following the sidebar's rep when it changes (the Team page links
    here through it)."""
    ids = list(reps.ids)
    if preferred in ids and st.session_state.get("_sheet_sidebar_rep") != preferred:
        st.session_state["sheet_rep"] = preferred
    st.session_state["_sheet_sidebar_rep"] = preferred
    if st.session_state.get("sheet_rep") not in ids:
        st.session_state["sheet_rep"] = ids[0]
    return str(st.selectbox("Rep", ids, format_func=lambda r: reps.labels[r], key="sheet_rep"))


def history_section(
    ws: Workspace, h: view.History, rep_id: str, as_of: date, currency: str, paper: str
) -> None:
    """The kept meetings, the last one first: notes, the commitments agreed then with what
    the data says now, its sheet as it was (downloads, and on screen)."""
    st.subheader("History", anchor=False)
    if not h.past:
        st.caption(
            "No meeting with this rep kept yet: write the notes at the bottom of today's sheet "
            "and save the meeting, and the next sheet opens on them."
        )
        return
    with st.container(border=True, key="sheet_history"):
        labels = h.labels
        chosen = st.selectbox(
            "Meeting (the last one first)",
            list(labels),
            format_func=lambda d: labels[d],
            key=f"sheet_meeting_{rep_id}",
        )
        meeting = h.meeting(chosen)
        st.caption("Notes")
        st.text(meeting.notes or "(no notes were kept)")  # plain text: never Markdown
        agreed = view.agreed_then(ws, meeting, as_of, currency)
        st.caption(f"Commitments agreed then ({len(agreed)}), with what the data says now")
        for a in agreed:
            st.markdown(f"- {md(a.text)} — {md(a.line)}" if a.measurable else f"- {md(a.line)}")
        for col, (fmt, label) in zip(st.columns(3), KEPT_DOWNLOADS, strict=True):
            col.download_button(
                f"That meeting's sheet ({label})",
                data=partial(coaching.render, meeting.sheet, fmt, paper),
                file_name=view.meeting_file_name(meeting, fmt),
                mime=coaching.MIME[fmt],
                key=f"sheet_meeting_download_{fmt}",
                on_click="ignore",
            )
        if st.toggle("Show that meeting's sheet as it was", key="sheet_meeting_show"):
            # the stored sheet through the Markdown renderer, which escapes all CRM text
            st.markdown(coaching.render_markdown(meeting.sheet))


def downloads(
    ws: Workspace,
    sheet: Sheet,
    m: Metrics,
    rep_ids: list[str],
    team: str | None,
    paper: str,
    *,
    self_audit: bool,
) -> None:
    """Today's sheet as files, rendered only when clicked (the model is already built), and
    the team's sheets as one ZIP."""
    cols = st.columns(4)
    for col, (fmt, label) in zip(cols, DOWNLOADS, strict=False):
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
                team_sheets = coaching.build_sheets(ws, m, rep_ids, self_audit=self_audit)
            st.download_button(
                "Download ZIP",
                data=partial(coaching.zip_sheets, team_sheets, zip_fmt, paper),
                file_name=view.zip_file_name(team, m.window.as_of),
                mime="application/zip",
                key="sheet_zip_download",
                on_click="ignore",
            )


def sheet_body(sheet: Sheet, lab: dict[str, str]) -> None:
    """The sheet as printed: heading, tier, scoreboard and chart, prompts, actions, advice."""
    st.header(md(sheet.title), anchor=False)
    st.caption(" · ".join(md(x) for x in (sheet.window_label, sheet.manager, sheet.team) if x))
    st.markdown(
        f"**{md(lab['tier'])}: {md(sheet.tier_label)}**"
        + (f" — {md(sheet.tier_reason)}" if sheet.tier_reason else "")
    )
    st.markdown(f"*{md(sheet.intro)}*")
    st.subheader(f"{lab['scoreboard']} ({sheet.window_label})", anchor=False)
    st.dataframe(
        view.scoreboard(sheet, lab),
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
    lists = view.action_lists(sheet, lab)
    if lists:
        st.subheader(lab["actions"], anchor=False)
        for heading, items in lists:
            st.markdown(f"**{md(heading)}**\n\n" + "\n".join(f"- {md(i)}" for i in items))
    if sheet.advice:
        st.subheader(lab["advice"], anchor=False)
        st.markdown("\n".join(f"{i}. {md(x)}" for i, x in enumerate(sheet.advice, 1)))


def commitments_section(
    ws: Workspace, rows: tuple[view.CommitmentRow, ...], as_of: date, none_text: str
) -> None:
    """Today's sheet's commitments; a free-text one gets the manager's verdict beside it."""

    def mark(commitment_id: str, key: str) -> None:
        cm.set_status(ws, commitment_id, st.session_state[key], as_of)

    statuses = list(view.STATUS_LABELS)
    for r in rows:
        said = md(r.text) + f" — {md(r.line)}" if r.verdict else md(r.line)
        if not r.free_text:
            st.markdown(f"- {r.agreed_on.isoformat()}: {said}")
            continue
        text_col, status_col = st.columns([3, 1])
        text_col.markdown(f"- {r.agreed_on.isoformat()}: {said}")
        status_key = f"sheet_commit_status_{r.commitment_id}"
        status_col.selectbox(
            "How did it go?",
            statuses,
            index=statuses.index(r.marked),
            format_func=lambda v: view.STATUS_LABELS[v],
            key=status_key,
            on_change=mark,
            args=(r.commitment_id, status_key),
            label_visibility="collapsed",
        )
    if not rows:
        st.caption(none_text)


def commitment_form(
    prefix: str, existing: cm.Commitment | None, accounts: dict[str, str], as_of: date
) -> dict[str, Any] | None:
    """The fields of a commitment; returns them when the form is submitted."""
    d = view.form_defaults(existing, as_of)
    account_ids = list(accounts)
    with st.form(f"{prefix}_form", clear_on_submit=existing is None):
        text = st.text_area("What was agreed", value=d.text, key=f"{prefix}_text")
        c1, c2 = st.columns(2)
        kinds = list(view.KIND_LABELS)
        kind = c1.selectbox(
            "Measurable target",
            kinds,
            index=kinds.index(d.kind),
            format_func=lambda k: view.KIND_LABELS[k],
            key=f"{prefix}_kind",
        )
        account_id = c2.selectbox(
            "Account",
            account_ids or [""],
            index=account_ids.index(d.account_id) if d.account_id in account_ids else 0,
            format_func=lambda i: accounts.get(i, i),
            key=f"{prefix}_account",
        )
        ops = list(view.OP_LABELS)
        op = c2.selectbox(
            "Direction",
            ops,
            index=ops.index(d.op),
            format_func=lambda o: view.OP_LABELS[o],
            key=f"{prefix}_op",
            help="The usual way: hours, revenue, penetration and alignment at least; "
            "discount at most.",
        )
        value = c1.number_input(
            "Target (hours, % or amount)", min_value=0.0, value=d.value, key=f"{prefix}_value"
        )
        due = c2.date_input("By", value=d.due, key=f"{prefix}_due")
        agreed = c1.date_input("Agreed on", value=d.agreed_on, key=f"{prefix}_agreed")
        if not st.form_submit_button("Save", key=f"{prefix}_save"):
            return None
    return view.commitment_fields(
        text=text,
        kind=kind,
        account_id=account_id,
        op=op,
        value=value,
        due=due,
        agreed_on=agreed,  # type: ignore[arg-type]
    )


def edit_commitments(ws: Workspace, rep_id: str, accounts: dict[str, str], as_of: date) -> None:
    """Record a new commitment; edit or delete the rep's earlier ones."""
    with st.expander("Record a commitment", expanded=False, key="sheet_commit_new"):
        fields = commitment_form("sheet_commit_new", None, accounts, as_of)
        if fields is not None:
            try:
                cm.add(ws, rep_id, fields.pop("text"), **fields)
                st.rerun()
            except UserError as exc:
                st.error(str(exc))
    for c in cm.list_for_rep(ws, rep_id):
        with st.expander(
            f"Edit: {c.agreed_on.isoformat()} {md(c.text[:60])}",
            key=f"sheet_commit_{c.commitment_id}",
        ):
            fields = commitment_form(f"sheet_commit_{c.commitment_id}", c, accounts, as_of)
            if fields is not None:
                try:
                    cm.update(ws, c.commitment_id, **fields)
                    st.rerun()
                except UserError as exc:
                    st.error(str(exc))
            if st.button("Delete this commitment", key=f"sheet_commit_delete_{c.commitment_id}"):
                cm.delete(ws, c.commitment_id)
                st.rerun()
