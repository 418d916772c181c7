"""The shared sidebar (workspace, window, team and rep) and the banners above every page.

Why a module of its own: ``app.py`` draws these once per run, around whichever page runs;
every page reads the choices made here through ``session`` (the window, the team, the rep),
and the sidebar keeps its own copy of them so that they survive ``st.switch_page``.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from reltruth.coaching.render_markdown import md
from reltruth.ui import session
from reltruth.views.common import rep_names

TABLE_LABELS = {
    "reps": "reps",
    "accounts": "accounts",
    "activities": "activities",
    "orders": "order lines",
    "pipeline": "deals (won, lost and open)",  # every deal; won ones are order lines too
    "price_list": "price list items",
    "unmatched": "unmatched rows kept aside",
}


def sidebar() -> None:
    """Workspace status, the window, and the team / rep pickers every page respects."""
    with st.sidebar:
        if not session.has_workspace():
            return  # team mode: an admin outside any workspace
        try:
            ws = session.open_workspace()
        except Exception as exc:  # noqa: BLE001 - a UserError or a locked file: say it plainly
            st.error(md(str(exc)))
            return
        session.follow_data_version()
        counts = ws.counts()
        st.subheader("Workspace", anchor=False)
        where = session.workspace_label(ws)
        if session.anonymise_options() is not None:
            where = "anonymised copy in memory"  # a path can name the client
        st.caption(f"Data: {where}")
        if ws.is_empty():
            st.caption("Empty: load exports or the sample on the Data page.")
            return
        # Counts and fixed labels only: no CRM text goes through Markdown here.
        st.markdown(
            "\n".join(
                f"- **{counts[t]:,}** {label}" for t, label in TABLE_LABELS.items() if counts.get(t)
            )
        )
        _window_pickers()
        _rep_pickers()
        _window_warnings()


def banners() -> None:
    """Above every page: the demo welcome (first visit) and the anonymise banner (while on)."""
    if session.mode() == "demo" and not st.session_state.get(WELCOME_KEY):
        _demo_welcome()
    options = session.anonymise_options()
    if options is not None:
        money = (
            "money is scaled by an undisclosed factor"
            + (" and rounded" if options.round_money else "")
            + " (ratios, shares and growth are unchanged)"
            if options.scale_money
            else "money shows the real amounts"
        )
        st.warning(
            f"**Anonymised for projecting**: reps, managers, teams and accounts are aliases; "
            f"{money}. The real data is untouched. Turn it off on the Workshop page.",
            icon=":material/visibility_off:",
        )


WELCOME_KEY = "_reltruth_welcome_seen"


def _demo_welcome() -> None:
    with st.container(border=True, key="demo_welcome"):
        st.markdown(
            "**Welcome to reltruth.** Your data stays private to this browser tab: nothing is "
            "stored on the server, and it **disappears when you close or reload the tab**."
        )
        left, mid, right = st.columns([2, 2, 1])
        if left.button(
            "Load the sample and take the tour",
            key="welcome_tour",
            type="primary",
            icon=":material/school:",
        ):
            st.session_state[WELCOME_KEY] = True
            if session.open_workspace().is_empty():
                session.load_sample()
            st.switch_page("pages/workshop.py")
        if mid.button("Upload my own exports", key="welcome_data", icon=":material/upload:"):
            st.session_state[WELCOME_KEY] = True
            st.switch_page("pages/data.py")
        if right.button("Close", key="welcome_close"):
            st.session_state[WELCOME_KEY] = True
            st.rerun()


def _window_pickers() -> None:
    st.subheader("Window", anchor=False)
    try:
        default = session.default_window()
    except Exception as exc:  # noqa: BLE001 - no dated rows yet
        st.caption(str(exc))
        return
    first, last = session.data_span() or (default.as_of, default.as_of)
    if st.session_state.get(session.AS_OF_KEY) is None:
        st.session_state[session.AS_OF_KEY] = _kept(session.AS_OF_KEY) or default.as_of
    chosen = st.session_state.get(session.AS_OF_KEY)
    if isinstance(chosen, date) and not first <= chosen <= last:
        # a date kept from other data: outside this data's span it would mean nothing
        st.session_state[session.AS_OF_KEY] = default.as_of
    if st.session_state.get(session.MONTHS_KEY) not in session.WINDOW_MONTHS:
        # first run, a page switch, or a click on the selected option (which unselects it)
        months = _kept(session.MONTHS_KEY)
        if months not in session.WINDOW_MONTHS:
            months = default.months if default.months in session.WINDOW_MONTHS else 12
        st.session_state[session.MONTHS_KEY] = months
    st.date_input(
        "As of",
        key=session.AS_OF_KEY,
        # Bounded by the data: after the last date every rep would have revenue 0, before the
        # first there is nothing to measure (docs/metrics.md, As-of bounds).
        max_value=last,
        min_value=first,
        help=(
            "The last day of the window, from the first to the last date in the data; "
            "defaults to the latest."
        ),
        format="YYYY-MM-DD",
    )
    st.segmented_control(
        "Months",
        session.WINDOW_MONTHS,
        key=session.MONTHS_KEY,
        format_func=lambda m: f"{m} months",
        help="Revenue is annualised before it is compared with annual potential.",
    )
    _keep(session.AS_OF_KEY, session.MONTHS_KEY)
    st.caption(session.window().label)


def _window_warnings() -> None:
    """A window the data cover only in part, said where every page shows it."""
    try:
        warnings = session.metrics().warnings
    except Exception:  # noqa: BLE001 - _rep_pickers has said it already
        return
    for text in warnings:
        st.warning(text, icon=":material/warning:")


def _rep_pickers() -> None:
    try:
        reps = session.metrics().reps
    except Exception as exc:  # noqa: BLE001 - shown, not raised: the sidebar must not break a page
        st.caption(f"Metrics unavailable: {exc}")
        return
    session.apply_pending_selection()
    st.subheader("Who", anchor=False)
    teams = sorted({str(t) for t in reps.get("team", pd.Series(dtype=str)).dropna()})
    if st.session_state.get(session.TEAM_KEY) not in (session.ALL, *teams):
        kept = _kept(session.TEAM_KEY)
        st.session_state[session.TEAM_KEY] = kept if kept in teams else session.ALL
    st.selectbox(
        "Team",
        [session.ALL, *teams],
        key=session.TEAM_KEY,
        format_func=lambda t: "All teams" if t == session.ALL else t,
    )
    team = session.selected_team()
    shown = reps if team is None else reps[reps["team"].astype(str) == team]
    names = rep_names(shown)
    if st.session_state.get(session.REP_KEY) not in (session.ALL, *names):
        kept = _kept(session.REP_KEY)
        st.session_state[session.REP_KEY] = kept if kept in names else session.ALL
    st.selectbox(
        "Rep",
        [session.ALL, *names],
        key=session.REP_KEY,
        format_func=lambda r: "All reps" if r == session.ALL else names.get(r, r),
        help="Pages about one rep show this rep; with all reps they show the first one.",
    )
    _keep(session.TEAM_KEY, session.REP_KEY)


# st.switch_page (the Team page's links) starts the next run without the widgets' values;
# the sidebar keeps its own copy so that the window, team and rep survive the switch.
KEEP = "_reltruth_kept_"


def _kept(key: str) -> object:
    return st.session_state.get(KEEP + key)


def _keep(*keys: str) -> None:
    for key in keys:
        st.session_state[KEEP + key] = st.session_state.get(key)
