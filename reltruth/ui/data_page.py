"""The Data page's widgets: the mapping editor of one upload, the load report, the import log
with undo, the potential estimate and the data health tables.

Why a module of its own: these sections are drawn with Streamlit and keep session state
(staged uploads, remembered proposals), so they cannot live in ``reltruth.views.data``; the
page script stays a list of sections. Everything computed (which table, what the edits
mean, how reports merge, what a sentence says) comes from ``reltruth.views.data``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from reltruth import ingest
from reltruth.coaching.render_markdown import md
from reltruth.errors import UserError
from reltruth.ingest import guard, potential, undo
from reltruth.ingest.detect import Unrecognised
from reltruth.ingest.read import sheet_names
from reltruth.schema import TABLES
from reltruth.ui import session, widgets
from reltruth.ui.format import Col, pct_text
from reltruth.views import data as view
from reltruth.workspace import Workspace

LOADED_KEY = "_data_loaded"  # upload file_ids already loaded: not offered again
STAGED_KEY = "_data_staged"  # upload file_id -> staged path, for this session only
PROPOSAL_KEY = "_data_proposals"  # (file_id, sheet, table, overrides) -> Proposal
SHEETS_KEY = "_data_sheets"  # staged path -> the workbook's sheet names
UNDONE_KEY = "_data_undone"  # the last undo's message, shown once
ESTIMATED_KEY = "_data_potentials_estimated"  # the last estimate's message, shown once


def stage_upload(ws: Workspace, upload: UploadedFile) -> Path:
    """The upload saved inside this session's staging folder of the workspace (deleted with
    the session), checked by the guard before any reader touches it."""
    staged: dict[str, Path] = st.session_state.setdefault(STAGED_KEY, {})
    path = staged.get(upload.file_id)
    if path is not None and path.exists():
        return path
    # A sub-folder: ingestion links what it reads into the staging folder itself.
    folder = ws.staging_dir / "uploads"
    folder.mkdir(mode=0o700, exist_ok=True)
    path = folder / f"{len(staged):03d}-{view.safe_name(upload.name)}"
    path.write_bytes(upload.getbuffer())
    guard.check_file(path, name=upload.name)
    staged[upload.file_id] = path
    return path


def _proposal(
    ws: Workspace,
    file_id: str,
    path: Path,
    table: str | None,
    overrides: dict[str, str | None],
    *,
    name: str,
    sheet: str | None,
) -> ingest.Proposal:
    """``ingest.propose``, remembered for this session (reading a big file takes a while)."""
    cache = st.session_state.setdefault(PROPOSAL_KEY, {})
    key = (file_id, sheet, table, tuple(sorted(overrides.items(), key=lambda kv: kv[0])))
    if key not in cache:
        cache[key] = ingest.propose(
            ws, path, table=table, overrides=overrides or None, sheet=sheet, name=name
        )
    return cache[key]  # type: ignore[no-any-return]


def _sheets(path: Path, name: str) -> list[str]:
    """The sheets of an uploaded workbook, remembered for the session."""
    cache = st.session_state.setdefault(SHEETS_KEY, {})
    if str(path) not in cache:
        cache[str(path)] = sheet_names(path, name=name)
    return list(cache[str(path)])


def plan_upload(ws: Workspace, i: int, upload: UploadedFile) -> view.Planned | None:
    """One upload staged, mapped by the user and, when a file of its name was loaded
    before, with their answer to replacing it; None while it cannot load as is."""
    try:
        path = stage_upload(ws, upload)
    except UserError as exc:
        st.error(md(str(exc)))
        return None
    plan = mapping_editor(ws, i, upload, path)
    if plan is None:
        return None
    return replace(plan, replace=ask_replace(ws, i, upload.name))


def mapping_editor(ws: Workspace, i: int, upload: UploadedFile, path: Path) -> view.Planned | None:
    """Per file: the sheet (Excel), the table, the editable mapping with why each column maps
    so, and the first rows as they will load. A file recognition cannot place is mapped by
    hand; a weak recognition waits for the user's confirmation.

    Returns the file's plan for the load, or None while the file cannot load as is.
    """
    name, file_id = upload.name, upload.file_id
    with st.container(border=True, key=f"data_file_{i}"):
        st.markdown(f"**{i + 1}. {md(name)}**")  # the user's file name, escaped: text only
        try:
            sheets = _sheets(path, name)
        except UserError as exc:
            st.error(md(str(exc)))
            return None
        sheet = st.selectbox("Sheet", sheets, key=f"data_sheet_{i}") if len(sheets) > 1 else None
        try:
            base: ingest.Proposal | None = _proposal(
                ws, file_id, path, None, {}, name=name, sheet=sheet
            )
        except Unrecognised:
            base = None
            st.info(
                "reltruth does not recognise these columns. Choose what the file holds, then "
                "say what each column means in the table below."
            )
        except UserError as exc:
            st.error(md(str(exc)))
            return None
        tables = list(TABLES)
        recognised = base.table if base is not None else None
        table = st.selectbox(
            "Recognised as" if base is not None else "The file holds",
            tables,
            index=tables.index(recognised) if recognised in tables else None,
            placeholder="Choose a table…",
            format_func=lambda t: view.table_choice(str(t), recognised),
            key=f"data_table_{i}",
        )
        if table is None:
            return None
        try:
            if base is None or table != base.table:
                base = _proposal(ws, file_id, path, table, {}, name=name, sheet=sheet)
            editor = view.mapping_table(base, table, recognised)
            st.caption(editor.how)
            edit = view.read_mapping(_edit(editor, key=f"data_mapping_{i}_{table}"), base)
            if edit.error:
                st.error(edit.error)
                return None
            shown = base
            if edit.overrides:
                shown = _proposal(ws, file_id, path, table, edit.overrides, name=name, sheet=sheet)
        except UserError as exc:
            st.error(md(str(exc)))
            return None
        for note in shown.notes:
            st.caption(f"Note: {md(note)}")
        if shown.preview.empty:
            st.warning(
                "Required fields are not mapped yet, so nothing would load: "
                "pick them in the table above."
            )
            return None
        st.caption("The first rows as they will load:")
        preview_table(shown.preview, key=f"data_preview_{i}")
        if view.needs_confirmation(base, table, recognised, edit.overrides):
            what = view.TABLE_NAMES[table].lower()
            st.warning(
                f"Only part of this file was recognised as {what}. "
                "Check the mapping and the rows above before loading it."
            )
            if not st.checkbox(f"Yes, this file holds {what}", key=f"data_confirm_{i}"):
                return None
        return view.Planned(path, table, dict(shown.mapping), name, sheet)


def _edit(editor: view.MappingTable, *, key: str) -> pd.DataFrame:
    return st.data_editor(
        editor.frame,
        hide_index=True,
        disabled=["Column in the file", "Why"],
        column_config={
            "Column in the file": st.column_config.TextColumn("Column in the file"),
            "Loads as": st.column_config.SelectboxColumn(
                "Loads as (reltruth field)",
                options=editor.choices,
                required=True,
                format_func=lambda f: str(f) if f == view.IGNORED else view.field_label(str(f)),
            ),
            "Why": st.column_config.TextColumn("Why"),
        },
        key=key,
        num_rows="fixed",
    )


def ask_replace(ws: Workspace, i: int, name: str) -> bool:
    """A file of this name was loaded before: replace what that import loaded (a re-import
    with a corrected mapping), or skip the rows already loaded (the next month's export)."""
    earlier = ingest.earlier_import(ws, name)
    if earlier is None:
        return False
    return st.checkbox(
        f"{md(name)} was loaded before ({earlier[1]:%d %b %Y, %H:%M}): replace what that import "
        "loaded with this file's rows",
        key=f"data_replace_{i}",
        help="Tick it after correcting the mapping of a file you loaded before. Unticked, "
        "rows already loaded are skipped and only new rows are added.",
    )


def preview_table(preview: pd.DataFrame, *, key: str) -> None:
    config: dict[str, Any] = {}  # Streamlit's column types are not public names
    for col in preview.columns:
        label = view.field_label(str(col))
        if pd.api.types.is_datetime64_any_dtype(preview[col]):
            config[label] = st.column_config.DateColumn(format="D MMM YYYY")
        elif str(col) in view.PREVIEW_FORMATS:
            config[label] = st.column_config.NumberColumn(format=view.PREVIEW_FORMATS[str(col)])
        elif pd.api.types.is_float_dtype(preview[col]):
            config[label] = st.column_config.NumberColumn(format="localized")
    shown = preview.rename(columns=lambda c: view.field_label(str(c)))
    st.dataframe(shown, hide_index=True, key=key, column_config=config)


def load(ws: Workspace, planned: list[view.Planned], accept_partial: bool) -> None:
    """Load the planned files, one call per table; each file with the table, mapping and
    sheet the user saw. The merged report is the session's last report."""
    bar = st.progress(0.0, text="Starting…")

    def progress(fraction: float, message: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=message)

    reports = [
        ingest.ingest_files(
            ws,
            b.paths,
            table=b.table,
            mappings=b.mappings,
            names=b.names,
            sheets=b.sheets,
            replace=b.replace,
            accept_partial=accept_partial,
            progress=progress,
        )
        for b in view.batches(planned)
    ]
    bar.empty()
    session.set_last_report(view.merge_reports(reports))
    session.bump_data_version()


def show_report(report: ingest.LoadReport) -> None:
    v = view.report_view(report)
    st.subheader("Load report", anchor=False)
    if v.refused:
        st.error(md(v.refused))
    st.dataframe(
        v.frame,
        hide_index=True,
        key="data_report_table",
        column_config={
            c: st.column_config.NumberColumn(format="localized") for c in view.REPORT_COUNTS
        },
    )
    widgets.download(v.frame, file_name="load-report.csv", key="data_report_csv")
    for note in v.notes:
        st.caption(md(note))
    for d in v.details:
        with st.expander(d.label, key=f"data_report_{d.number - 1}", expanded=d.expanded):
            file_details(d.file, key=str(d.number - 1), number=d.number)


def file_details(f: ingest.FileReport, *, key: str, number: int) -> None:
    """One file's report: its notes, rejected lines, unmatched account names and the reps it
    named that no reps export has brought (this load's report, or one from the import log)."""
    d = view.file_details(f)
    st.text(d.file)
    for note in d.notes:
        st.caption(md(note))
    if not d.rejects.empty:
        st.dataframe(
            d.rejects,
            hide_index=True,
            key=f"data_rejects_{key}",
            height=240 if len(d.rejects) > 6 else "auto",
        )
        widgets.download(
            d.rejects, file_name=f"rejected-lines-{number}.csv", key=f"data_rejects_{key}_csv"
        )
    if not d.unmatched.empty:
        st.caption("Rows naming these accounts are kept aside; they load when the accounts do:")
        st.dataframe(
            d.unmatched,
            hide_index=True,
            key=f"data_unmatched_{key}",
            height=200 if len(d.unmatched) > 5 else "auto",
        )
    if not d.unknown_reps.empty:
        st.caption(
            "Reps this file names that no reps export has brought: they are counted as reps "
            "of their own until a reps (users) export with them is loaded:"
        )
        st.dataframe(
            d.unknown_reps,
            hide_index=True,
            key=f"data_unknown_reps_{key}",
            height=200 if len(d.unknown_reps) > 5 else "auto",
        )


def imports_section(ws: Workspace) -> None:
    """The import log, and undo: every table as it was before the chosen import (the
    imports after it are taken back too, since their rows may build on it)."""
    log = undo.imports(ws)
    v = view.build_imports_view(log, ingest.past_reports(ws)) if log else None
    done = st.session_state.pop(UNDONE_KEY, None)
    if v is None and not done:
        return
    st.subheader("Imports", anchor=False)
    if done:
        st.success(done)
    if v is None:
        return
    st.dataframe(
        v.frame,
        hide_index=True,
        key="data_imports_table",
        column_config={
            "Loaded at": st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm"),
            **{c: st.column_config.NumberColumn(format="localized") for c in view.IMPORT_COUNTS},
        },
    )
    # every import's report stays in the workspace: reopen it in any later session
    with st.expander("Report of an earlier import", key="data_past_report"):
        chosen_report = st.selectbox(
            "Import",
            list(v.labels),
            format_func=lambda i: v.labels[i],
            key="data_past_report_choice",
        )
        past = v.reports.get(str(chosen_report))
        if past is None:
            st.caption("This import was logged before reports were kept with it.")
        else:
            counts, nothing_else = view.past_summary(past)
            st.caption(counts)
            if nothing_else:
                st.caption(nothing_else)
            file_details(past, key=f"past_{str(chosen_report)[:8]}", number=1)
    if not v.undoable:
        return
    chosen = st.selectbox(
        "Import to undo",
        list(v.undoable),
        format_func=lambda k: v.undoable[k],
        key="data_undo_choice",
    )
    with st.popover("Undo this import", key="data_undo_popover"):
        st.write(view.undo_warning(log, chosen))
        if st.button("Yes, undo it", key="data_undo_confirm", type="primary"):
            try:
                undone = undo.undo(ws, chosen)
            except UserError as exc:
                st.error(md(str(exc)))
            else:
                session.set_last_report(None)
                st.session_state.pop(LOADED_KEY, None)
                session.bump_data_version()
                st.session_state[UNDONE_KEY] = view.undone_message(undone)
                st.rerun()


def estimate_section(ws: Workspace) -> None:
    """docs/ingest.md: the user picks one rule; estimates fill only accounts without a stated
    potential, replace earlier estimates and are marked as estimated everywhere."""
    st.subheader("Estimate potentials", anchor=False)
    done = st.session_state.pop(ESTIMATED_KEY, None)
    if done:
        st.success(done)
    st.caption(
        "Penetration, time vs potential and every flag need each account's annual potential. "
        "Where the export has none, pick one rule. Stated potentials are never changed; "
        "estimates replace earlier estimates and are marked as estimated on every page and sheet."
    )
    rule = st.radio(
        "Rule",
        list(potential.RULE_LABELS),
        format_func=lambda r: potential.RULE_LABELS[r],
        horizontal=True,
        key="data_potential_rule",
    )
    value: float | dict[str, float]
    if rule == "share_of_company_revenue":
        share = st.number_input(
            "Share of the customer's own revenue we could sell them (%)",
            min_value=0.0001,
            value=2.0,
            step=0.5,
            format="%.4g",
            key="data_potential_share",
            help="Check the unit of company revenue first: some exports (Maven's) state it "
            "in millions.",
        )
        value = share / 100
    elif rule == "per_employee":
        value = st.number_input(
            "Spend per employee per year",
            min_value=0.01,
            value=500.0,
            step=50.0,
            key="data_potential_per_employee",
        )
    else:
        edited = st.data_editor(
            view.segment_frame(potential.segments(ws)),
            column_config={
                "segment": st.column_config.TextColumn("Segment", disabled=True),
                "accounts": st.column_config.NumberColumn("Accounts to estimate", disabled=True),
                "potential": st.column_config.NumberColumn("Potential per account", min_value=0),
            },
            hide_index=True,
            key="data_potential_segments",
        )
        value = view.segment_values(edited)
    if st.button("Estimate potentials", key="data_potential_go"):
        try:
            n = session.estimate_potentials(rule, value)
        except UserError as exc:
            st.error(md(str(exc)))
        else:
            st.session_state[ESTIMATED_KEY] = (
                f"{n:,} accounts got an estimated potential "
                f"({potential.RULE_LABELS[rule].lower()})."
            )
            st.rerun()


def health_section(v: view.HealthView) -> None:
    """The checklist of what the data unlocks, the health figures and the table of tables."""
    st.subheader("What the data unlocks", anchor=False)
    st.dataframe(v.checklist, hide_index=True, key="data_checklist")
    st.subheader("Data health", anchor=False)
    h = v.figures
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Reps found", f"{h.reps:,}")
    c2.metric("Accounts found", f"{h.accounts:,}")
    c3.metric(
        "Activities matched to an account",
        pct_text(h.activities_matched_share, 1),
        help="Rows whose account could not be found are kept aside and load when it arrives.",
    )
    c4.metric(
        "Estimated durations",
        pct_text(h.durations_estimated_share, 1),
        help="Activities without a duration get the default for their type.",
    )
    c5, c6, c7, _ = st.columns(4)
    c5.metric("Estimated potentials", pct_text(h.potentials_estimated_share, 1))
    c6.metric("Accounts without a potential", f"{h.accounts_without_potential:,}")
    c7.metric("Order lines without a list value", f"{h.orders_without_list_value:,}")
    widgets.table(
        v.tables.assign(estimated=[pct_text(s, 1) for s in v.tables["estimated_share"]]),
        [
            Col("table_label", "Table"),
            Col("row_count", "Rows", "int"),
            Col("dates", "Dates (for accounts: owner since)"),
            Col("estimated", "Estimated values"),
            Col("unmatched_rows", "Rows kept aside (unmatched)", "int"),
        ],
        key="data_health_table",
        file_name="data-health.csv",
    )


def load_sample_button(label: str, *, key: str, primary: bool = False) -> None:
    """Load the built-in sample; a failure is one line, success reruns the app."""
    if st.button(label, key=key, type="primary" if primary else "secondary"):
        try:
            session.load_sample()
        except UserError as exc:
            st.error(md(str(exc)))
        else:
            st.rerun()
