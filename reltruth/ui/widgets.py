"""The shared sidebar and the building blocks every page uses: tables, charts, downloads.

Why a module of its own: every chart must come with the numbers behind it and a sanitised
CSV download, every table must carry human labels and units, and every number must say its
window. Doing that once here keeps the pages thin and the rules impossible to forget.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Literal

import altair as alt
import pandas as pd
import streamlit as st

from reltruth import charts
from reltruth import format as fmt
from reltruth.coaching.model import EffectRow
from reltruth.coaching.render_markdown import md
from reltruth.coaching.templates import fill, templates
from reltruth.export import to_csv_bytes
from reltruth.ui import auth, session
from reltruth.ui.format import Col, column_config, display_frame, flag_label
from reltruth.views.common import ESTIMATE_MARK, Section, estimated_count, rep_names
from reltruth.workshop import slides

ICON = Path(__file__).with_name("icon.png")  # the tab icon: served by this server, not fetched

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


def team_reps(reps: pd.DataFrame) -> pd.DataFrame:
    """The reps of the sidebar's team (all reps when no team is picked)."""
    team = session.selected_team()
    if team is None or "team" not in reps.columns:
        return reps
    return reps[reps["team"].astype(str) == team]


def scope(reps: pd.DataFrame) -> tuple[pd.DataFrame, set[str]]:
    """The sidebar's team (its reps) and the rep ids the pages about many reps show: the
    team's, or the one rep picked in the sidebar."""
    team = team_reps(reps)
    rep = session.selected_rep()
    return team, ({str(r) for r in team["rep_id"]} if rep is None else {rep})


def rep_picker(reps: pd.DataFrame, *, key: str) -> str | None:
    """One rep for pages about one rep: the sidebar's rep, or a choice on the page."""
    scope = team_reps(reps)
    names = rep_names(scope)
    if not names:
        return None
    chosen = session.selected_rep()
    if chosen in names:
        return chosen
    ids = list(names)
    if st.session_state.get(key) not in ids:
        # the rep to coach first (the metrics come in coaching-priority order)
        st.session_state[key] = str(scope["rep_id"].iloc[0])
    return st.selectbox("Rep", ids, key=key, format_func=lambda r: names[r])


def table(
    frame: pd.DataFrame,
    cols: Sequence[Col],
    *,
    key: str,
    currency: str | None = None,
    file_name: str | None = None,
    height: int | Literal["auto"] = "auto",
    account_col: str | None = None,
) -> pd.DataFrame:
    """A formatted dataframe and a CSV download of exactly what it shows. With
    ``account_col`` (the column of ``frame`` holding account ids) a row can be selected and
    a button opens that account's page."""
    if account_col is None or account_col not in frame.columns:
        shown = display_frame(frame, cols)
        config = {k: v for k, v in column_config(cols, currency).items() if k in shown.columns}
        st.dataframe(shown, hide_index=True, column_config=config, key=key, height=height)
        if file_name:
            download(shown, file_name=file_name, key=f"{key}_csv")
        return shown
    row, shown = pick_row(frame, cols, key=key, currency=currency, height=height)
    if row is not None:
        open_account(str(frame[account_col].iloc[row]), key=f"{key}_open")
    else:
        st.caption("Select a row to open the account's page.")
    if file_name:
        download(shown, file_name=file_name, key=f"{key}_csv")
    return shown


def pick_row(
    frame: pd.DataFrame,
    cols: Sequence[Col],
    *,
    key: str,
    currency: str | None = None,
    height: int | Literal["auto"] = "auto",
) -> tuple[int | None, pd.DataFrame]:
    """A formatted dataframe where one row can be selected: the selected row's position in
    ``frame`` (None: none) and the frame as shown (for its download)."""
    shown = display_frame(frame, cols)
    config = {k: v for k, v in column_config(cols, currency).items() if k in shown.columns}
    event = st.dataframe(
        shown,
        hide_index=True,
        column_config=config,
        key=key,
        height=height,
        on_select="rerun",
        selection_mode="single-row",
    )
    rows = list(event.selection.rows) if event is not None else []
    # display_frame keeps the rows in order: position i is frame's row i
    return (rows[0] if rows else None), shown


def section(
    part: Section,
    cols: Sequence[Col],
    *,
    key: str,
    currency: str | None = None,
    file_name: str | None = None,
    account_col: str | None = None,
) -> None:
    """A view's ``Section``: its table, or the sentence that says what is missing."""
    if part.is_empty:
        st.info(part.missing)
    else:
        table(
            part.rows,
            cols,
            key=key,
            currency=currency,
            file_name=file_name,
            account_col=account_col,
        )


ACCOUNT_PAGE = "pages/account.py"
ACCOUNT_PARAM = "account"  # /account?account=<id> opens the page on that account


def open_account(account_id: str, *, key: str) -> None:
    """A button that opens the Account page on ``account_id`` (through the page's query
    parameter, so the address can be kept and shared)."""
    if st.button("Open the account page", key=key, icon=":material/domain:"):
        st.switch_page(ACCOUNT_PAGE, query_params={ACCOUNT_PARAM: account_id})


def account_picker(choices: dict[str, str], *, key: str) -> str | None:
    """The account of the Account page: the one in the address (``?account=<id>``, as the
    other pages' links set it) or a choice here, which the address then follows."""
    if not choices:
        return None
    ids = list(choices)
    wanted = st.query_params.get(ACCOUNT_PARAM)
    if wanted in choices:
        st.session_state[key] = wanted
    elif st.session_state.get(key) not in choices:
        st.session_state[key] = ids[0]

    def follow() -> None:
        st.query_params[ACCOUNT_PARAM] = str(st.session_state[key])

    return st.selectbox("Account", ids, key=key, format_func=lambda a: choices[a], on_change=follow)


def flag_reasons(part: Section, *, file_name: str, key: str) -> None:
    """Flags with the numbers that raised them (rows of ``flag``, ``why``) as a list, not a
    table: the numbers behind a flag run longer than a table cell shows; and their download.
    Without flags, the sentence that says why there are none."""
    if part.is_empty:
        st.info(part.missing)
        return
    rows = part.rows
    flags = rows.assign(flag=rows["flag"].map(flag_label))
    st.markdown(
        "\n".join(f"- **{md(r['flag'])}**: {md(r['why'])}" for r in flags.to_dict("records"))
    )
    download(
        flags.rename(columns={"flag": "Flag", "why": "The numbers"}), file_name=file_name, key=key
    )


def download(frame: pd.DataFrame, *, file_name: str, key: str, label: str = "Download CSV") -> None:
    """A CSV of ``frame`` through the one sanitiser (no formula survives into Excel), made
    only when the button is clicked: building every table's CSV on every run was a third
    of a page's time (issue 19)."""
    st.download_button(
        label,
        data=lambda: to_csv_bytes(frame),
        file_name=file_name,
        mime="text/csv",
        key=key,
        on_click=(lambda: auth.audit_download(file_name)) if session.mode() == "team" else "ignore",
        icon=":material/download:",
    )


def chart(
    chart_obj: alt.Chart | alt.LayerChart | None,
    numbers: pd.DataFrame,
    cols: Sequence[Col],
    *,
    key: str,
    empty: str,
    currency: str | None = None,
    file_name: str,
    title: str | None = None,
    unit: str = "",
    account_col: str | None = None,
) -> None:
    """An Altair chart, or its empty state, with the numbers behind it one click away, and
    the chart as a slide (PNG / SVG with ``title``, the window, ``unit`` and the source)."""
    if chart_obj is None or numbers.empty:
        st.info(empty)
        return
    st.altair_chart(chart_obj, key=key)
    with st.expander("The numbers behind this chart", key=f"{key}_numbers"):
        table(
            numbers,
            cols,
            key=f"{key}_table",
            currency=currency,
            file_name=file_name,
            account_col=account_col,
        )
        slide_downloads(chart_obj, title or file_name.rsplit(".", 1)[0], unit, key=key)


SLIDE_SIZES = {f"{w}×{h}": (w, h) for w, h in slides.SIZES}


def slide(title: str, unit: str) -> slides.Slide:
    """The slide's title block: the sidebar's window and what the data is."""
    m = session.metrics()
    names = {str(n) for n in m.reps.get("rep_name", pd.Series(dtype=str)).dropna()}
    label = slides.data_label(names, anonymised=session.anonymise_options() is not None)
    return slides.Slide(title=title, window_label=m.window.label, unit=unit, data_label=label)


def slide_downloads(
    chart_obj: alt.Chart | alt.LayerChart, title: str, unit: str, *, key: str
) -> None:
    """PNG and SVG of the chart at slide size, drawn when a button is clicked."""
    sheet = slide(title, unit)
    left, mid, right = st.columns([2, 1, 1], vertical_alignment="bottom")
    size_label = left.segmented_control(
        "Slide size", list(SLIDE_SIZES), default=next(iter(SLIDE_SIZES)), key=f"{key}_slide_size"
    )
    size = SLIDE_SIZES.get(str(size_label), slides.SIZES[0])
    stem = f"{slides.file_stem(title)}-{size[0]}x{size[1]}"
    mid.download_button(
        "PNG for slides",
        data=lambda: slides.png(chart_obj, sheet, size),
        file_name=f"{stem}.png",
        mime="image/png",
        key=f"{key}_png",
        on_click="ignore",
        icon=":material/image:",
    )
    right.download_button(
        "SVG for slides",
        data=lambda: slides.svg(chart_obj, sheet, size),
        file_name=f"{stem}.svg",
        mime="image/svg+xml",
        key=f"{key}_svg",
        on_click="ignore",
        icon=":material/image:",
    )


# hours by activity type per month (charts.hours_by_type_month), as the Account and Time pages show them
HOURS_BY_TYPE_COLS = (
    Col("month", "Month", "date"),
    Col("activity_type", "Activity type"),
    Col("hours", "Hours", "hours_month"),
    Col("estimated_hours", "of which estimated", "hours_month"),
)
ESTIMATE_COL = Col("potential_mark", ESTIMATE_MARK, "text", "≈ = estimated potential (see below).")


def estimate_note(frame: pd.DataFrame, rule: str) -> None:
    """The footnote of the "≈" marks: the rule actually used, with its value."""
    n = estimated_count(frame)
    if n:
        used = rule or "by an estimation rule that was not recorded"
        st.caption(
            f"{ESTIMATE_MARK} {n:,} estimated potential{'s' if n != 1 else ''}: {md(used)}, "
            "not a figure from the CRM; shares and flags built on them are estimates too."
        )


def coaching_effect(
    rows: Sequence[EffectRow], since: date | None, rep_name: str, rep_id: str, *, key: str
) -> None:
    """The rep's timeline since coaching began (``coaching/effect.py``): a chart of the
    quarters and the numbers, or how the timeline starts."""
    lab = templates()["labels"]
    st.subheader(lab["effect"], anchor=False)
    if not rows:
        st.caption(
            "The timeline starts with the first meeting kept with this rep (save it on the "
            "Coaching sheet page): from then on, alignment, penetration, growth, discount and "
            "commitments kept per quarter."
        )
        return
    st.caption(fill(lab["effect_intro"], {"since": fmt.day(since)}))
    frame = pd.DataFrame([asdict(r) for r in rows])
    chart(
        charts.coaching_effect(frame),
        frame.assign(kept=[r.texts[-1] for r in rows]),
        [
            Col("label", "Quarter"),
            Col("alignment", "Alignment score", "pct"),
            Col("weighted_penetration", "Weighted penetration", "pct"),
            Col("relative_growth", "Growth vs company", "pp"),
            Col("discount_rate", "Discount", "pct"),
            Col("kept", "Commitments kept"),
        ],
        key=f"{key}_effect",
        empty="No figures yet for the quarters since the first meeting.",
        file_name=f"coaching-effect-{rep_id}.csv",
        title=f"{rep_name}: since coaching began",
        unit="% (growth vs company: pp)",
    )


def missing_inputs(accounts: pd.DataFrame) -> None:
    """One note per input the whole workspace lacks (``empty_states.missing_inputs``)."""
    from reltruth import empty_states

    for line in empty_states.missing_inputs(session.workspace().counts(), accounts):
        st.info(line)


def window_caption(label: str, extra: str = "") -> None:
    """Every number says which window it covers."""
    st.caption(f"Window: {label}" + (f" · {extra}" if extra else ""))
