"""The building blocks every page uses: tables, charts, downloads, pickers.

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
