"""Data: upload exports, check the proposed mapping and preview, load, read the report.

The page reads widgets and calls ``reltruth.ingest``; uploads are staged in this session's
staging folder of the workspace (never a shared path), the mapping is edited in a table,
and the load report says for every file what was loaded, skipped and rejected (with lines).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from reltruth import ingest
from reltruth.coaching.render_markdown import md
from reltruth.errors import UserError
from reltruth.ingest import guard, potential, undo
from reltruth.ingest.detect import Unrecognised
from reltruth.ingest.read import sheet_names
from reltruth.ingest.synonyms import IGNORE, TABLES, fields_of
from reltruth.ui import health, session, widgets
from reltruth.ui.format import Col, pct_text

TABLE_NAMES = {
    "reps": "Reps (users)",
    "accounts": "Accounts",
    "activities": "Activities",
    "orders": "Orders / invoice lines",
    "deals": "Deals / opportunities",
    "price_list": "Price list",
}
IGNORED = "(ignore this column)"
FIELD_LABELS = {
    "line": "Line in the file",
    "rep_id": "Rep ID",
    "account_id": "Account ID",
    "activity_id": "Activity ID",
    "order_id": "Order ID",
    "owner_rep_id": "Owner (rep ID)",
    "owner_rep_name": "Owner (rep name)",
    "line_no": "Line number",
    "discount_pct": "Discount (%)",
}
LOADED_KEY = "_data_loaded"  # upload file_ids already loaded: not offered again
STAGED_KEY = "_data_staged"  # upload file_id -> staged path, for this session only
PROPOSAL_KEY = "_data_proposals"  # (file_id, sheet, table, overrides) -> Proposal
SHEETS_KEY = "_data_sheets"  # staged path -> the workbook's sheet names

HEALTH_TABLES = {
    "reps": "Reps",
    "accounts": "Accounts (estimated: potentials)",
    "activities": "Activities (estimated: durations)",
    "orders": "Order lines",
}

session.require_entrypoint()
st.title("Data")
if session.anonymise_options() is not None:
    # Uploads, previews and load reports quote the files as they are: real names.
    st.info(
        "Anonymise is on. The Data page shows your files as they are (real names), so it is "
        "closed until you turn anonymise off on the Workshop page."
    )
    st.page_link("pages/workshop.py", label="Go to the Workshop page", icon=":material/school:")
    st.stop()
ws = session.open_workspace()

if ws.is_empty():
    st.info(
        "reltruth compares where your reps' hours go with where the money could be. "
        "Upload your CRM and ERP exports below (users, accounts with their potential, "
        "activities, invoice or order lines; CSV, Excel or Parquet), or start with the "
        "built-in sample of two teams and about 300 accounts."
    )
    if st.button("Load the sample data", key="data_load_sample_first", type="primary"):
        try:
            session.load_sample()
        except UserError as exc:
            st.error(md(str(exc)))
        else:
            st.rerun()


def _safe_name(name: str) -> str:
    """A file name safe inside the staging folder (the user's name is shown, not this)."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name).strip("._") or "upload"
    return stem[:120]


def stage_upload(upload: st.runtime.uploaded_file_manager.UploadedFile) -> Path:
    """The upload saved inside this session's staging folder of the workspace (deleted with
    the session), checked by the guard before any reader touches it."""
    staged: dict[str, Path] = st.session_state.setdefault(STAGED_KEY, {})
    path = staged.get(upload.file_id)
    if path is not None and path.exists():
        return path
    # A sub-folder: ingestion links what it reads into the staging folder itself.
    folder = ws.staging_dir / "uploads"
    folder.mkdir(mode=0o700, exist_ok=True)
    path = folder / f"{len(staged):03d}-{_safe_name(upload.name)}"
    path.write_bytes(upload.getbuffer())
    guard.check_file(path, name=upload.name)
    staged[upload.file_id] = path
    return path


def proposal(
    file_id: str,
    path: Path,
    table: str | None,
    overrides: dict[str, str | None],
    *,
    name: str,
    sheet: str | None = None,
) -> ingest.Proposal:
    """``ingest.propose``, remembered for this session (reading a big file takes a while)."""
    cache = st.session_state.setdefault(PROPOSAL_KEY, {})
    key = (file_id, sheet, table, tuple(sorted(overrides.items(), key=lambda kv: kv[0])))
    if key not in cache:
        cache[key] = ingest.propose(
            ws, path, table=table, overrides=overrides or None, sheet=sheet, name=name
        )
    return cache[key]


Plan = tuple[str, dict[str, str | None], str | None]  # table, mapping, sheet


def mapping_editor(i: int, file_id: str, path: Path, name: str) -> Plan | None:
    """Per file: the sheet (Excel), the table, the editable mapping with why each column maps
    so, and the first rows as they will load. A file recognition cannot place is mapped by
    hand; a weak recognition waits for the user's confirmation.

    Returns (table, mapping, sheet) for the load, or None while the file cannot load as is.
    """
    with st.container(border=True, key=f"data_file_{i}"):
        st.markdown(f"**{i + 1}. {md(name)}**")  # the user's file name, escaped: text only
        try:
            sheets = read_sheets(path, name)
        except UserError as exc:
            st.error(md(str(exc)))
            return None
        sheet = None
        if len(sheets) > 1:
            sheet = st.selectbox("Sheet", sheets, key=f"data_sheet_{i}")
        try:
            base: ingest.Proposal | None = proposal(file_id, path, None, {}, name=name, sheet=sheet)
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
            format_func=lambda t: (
                TABLE_NAMES.get(str(t), str(t)) + (" (recognised)" if t == recognised else "")
            ),
            key=f"data_table_{i}",
        )
        if table is None:
            return None
        if base is None or table != base.table:
            try:
                base = proposal(file_id, path, table, {}, name=name, sheet=sheet)
            except UserError as exc:
                st.error(md(str(exc)))
                return None
        if base.saved:
            how = "the mapping saved for files with these columns"
        elif table != recognised:
            how = "your choice of table"
        else:
            how = f"recognised with {base.confidence:.0%} of the columns understood"
        st.caption(f"Mapping: {how}. Change a field, or ignore a column, in the table below.")
        choices = [IGNORED, *[f for f in fields_of(table) if f != IGNORE]]
        editor_frame = pd.DataFrame(
            {
                "Column in the file": list(base.mapping),
                "Loads as": [IGNORED if f in (None, IGNORE) else f for f in base.mapping.values()],
                "Why": [base.reasons.get(h, "") for h in base.mapping],
            }
        )
        edited = st.data_editor(
            editor_frame,
            hide_index=True,
            disabled=["Column in the file", "Why"],
            column_config={
                "Column in the file": st.column_config.TextColumn("Column in the file"),
                "Loads as": st.column_config.SelectboxColumn(
                    "Loads as (reltruth field)",
                    options=choices,
                    required=True,
                    format_func=lambda f: str(f) if f == IGNORED else field_label(str(f)),
                ),
                "Why": st.column_config.TextColumn("Why"),
            },
            key=f"data_mapping_{i}_{table}",
            num_rows="fixed",
        )
        mapping = {
            str(h): (None if f in (None, IGNORED) else str(f))
            for h, f in zip(edited["Column in the file"], edited["Loads as"], strict=True)
        }
        twice = _mapped_twice(mapping)
        if twice:
            st.error(
                "Each field can come from one column only: "
                + "; ".join(
                    f"{' and '.join(md(h) for h in cols)} are all mapped to {field_label(f)}"
                    for f, cols in twice.items()
                )
                + ". Set all but one of them to another field or to ignore."
            )
            return None
        overrides = {h: f for h, f in mapping.items() if f != _field(base.mapping.get(h))}
        shown = base
        if overrides:
            try:
                shown = proposal(
                    file_id,
                    path,
                    table,
                    {h: f or IGNORE for h, f in overrides.items()},
                    name=name,
                    sheet=sheet,
                )
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
        # A weak recognition the user has not touched waits for their word (docs/ingest.md).
        if base.needs_confirmation and table == recognised and not overrides:
            st.warning(
                f"Only part of this file was recognised as {TABLE_NAMES[table].lower()}. "
                "Check the mapping and the rows above before loading it."
            )
            if not st.checkbox(
                f"Yes, this file holds {TABLE_NAMES[table].lower()}", key=f"data_confirm_{i}"
            ):
                return None
        return table, dict(shown.mapping), sheet


def ask_replace(i: int, name: str) -> bool:
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


def read_sheets(path: Path, name: str) -> list[str]:
    """The sheets of an uploaded workbook, remembered for the session."""
    cache = st.session_state.setdefault(SHEETS_KEY, {})
    if str(path) not in cache:
        cache[str(path)] = sheet_names(path, name=name)
    return list(cache[str(path)])


def _mapped_twice(mapping: dict[str, str | None]) -> dict[str, list[str]]:
    by_field: dict[str, list[str]] = {}
    for header, fld in mapping.items():
        if fld:
            by_field.setdefault(fld, []).append(header)
    return {f: cols for f, cols in by_field.items() if len(cols) > 1}


def field_label(field: str) -> str:
    """ "owner_rep_name" -> "Owner rep name": the canonical field as a person reads it."""
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())


# How preview values show, so that they read as they will load (0.085 is a discount of 8.5 %).
PREVIEW_FORMATS = {
    "discount_pct": "percent",
    "duration_minutes": "%.1f min",
    "duration_seconds": "%.1f min",
    "duration_ms": "%.1f min",
    "travel_minutes": "%.1f min",
}


def preview_table(preview: pd.DataFrame, *, key: str) -> None:
    config: dict[str, Any] = {}  # Streamlit's column types are not public names
    for col in preview.columns:
        if pd.api.types.is_datetime64_any_dtype(preview[col]):
            config[field_label(str(col))] = st.column_config.DateColumn(format="D MMM YYYY")
        elif str(col) in PREVIEW_FORMATS:
            config[field_label(str(col))] = st.column_config.NumberColumn(
                format=PREVIEW_FORMATS[str(col)]
            )
        elif pd.api.types.is_float_dtype(preview[col]):
            config[field_label(str(col))] = st.column_config.NumberColumn(format="localized")
    shown = preview.rename(columns=lambda c: field_label(str(c)))
    st.dataframe(shown, hide_index=True, key=key, column_config=config)


def _field(value: str | None) -> str | None:
    return None if value in (None, IGNORE) else value


def show_report(report: ingest.LoadReport) -> None:
    st.subheader("Load report", anchor=False)
    if report.refused:
        st.error(md(report.refused))
    rows = [
        {
            "File": f.file,
            "Table": TABLE_NAMES.get(f.table or "", f.table or "–"),
            "Rows read": f.rows_read,
            "Loaded": f.rows_loaded,
            "Already loaded (skipped)": f.rows_duplicate,
            "Rejected": f.rows_rejected,
            "Unmatched accounts": len(f.unmatched_accounts),
        }
        for f in report.files
    ]
    frame = pd.DataFrame(rows)
    counts = ["Rows read", "Loaded", "Already loaded (skipped)", "Rejected", "Unmatched accounts"]
    st.dataframe(
        frame,
        hide_index=True,
        key="data_report_table",
        column_config={c: st.column_config.NumberColumn(format="localized") for c in counts},
    )
    widgets.download(frame, file_name="load-report.csv", key="data_report_csv")
    for note in report.notes:
        st.caption(md(note))
    for n, f in enumerate(report.files):
        if not (f.rejects or f.unmatched_accounts or f.notes or f.unknown_reps):
            continue
        with st.expander(
            f"Details: file {n + 1} ({f.rows_rejected:,} rejected)",
            key=f"data_report_{n}",
            expanded=bool(f.rejects),  # rejected lines are what the user must act on
        ):
            file_details(f, key=str(n), number=n + 1)


def file_details(f: ingest.FileReport, *, key: str, number: int) -> None:
    """One file's report: its notes, rejected lines, unmatched account names and the reps it
    named that no reps export has brought (this load's report, or one from the import log)."""
    st.text(f.file)
    for note in f.notes:
        st.caption(md(note))
    if f.rejects:
        rejects = pd.DataFrame(
            {"Line": [r.line for r in f.rejects], "Reason": [r.reason for r in f.rejects]}
        )
        st.dataframe(
            rejects,
            hide_index=True,
            key=f"data_rejects_{key}",
            height=240 if len(rejects) > 6 else "auto",
        )
        widgets.download(
            rejects, file_name=f"rejected-lines-{number}.csv", key=f"data_rejects_{key}_csv"
        )
    if f.unmatched_accounts:
        st.caption("Rows naming these accounts are kept aside; they load when the accounts do:")
        st.dataframe(
            pd.DataFrame({"Account name in the file": f.unmatched_accounts}),
            hide_index=True,
            key=f"data_unmatched_{key}",
            height=200 if len(f.unmatched_accounts) > 5 else "auto",
        )
    if f.unknown_reps:
        st.caption(
            "Reps this file names that no reps export has brought: they are counted as reps "
            "of their own until a reps (users) export with them is loaded:"
        )
        st.dataframe(
            pd.DataFrame({"Rep name in the file": f.unknown_reps}),
            hide_index=True,
            key=f"data_unknown_reps_{key}",
            height=200 if len(f.unknown_reps) > 5 else "auto",
        )


# path, table, mapping, the user's file name, sheet, whether to replace an earlier import of it
Planned = tuple[Path, str, dict[str, str | None], str, str | None, bool]


def load(planned: dict[str, Planned], accept_partial: bool) -> None:
    """Load the planned files, one call per table (``ingest_files`` takes one table per
    call); each file with the table, mapping and sheet the user saw."""
    bar = st.progress(0.0, text="Starting…")

    def progress(fraction: float, message: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=message)

    groups: dict[str, list[Planned]] = {}
    for plan in planned.values():
        groups.setdefault(plan[1], []).append(plan)
    reports = []
    for table, files in groups.items():
        reports.append(
            ingest.ingest_files(
                ws,
                [p for p, *_ in files],
                table=table,
                mappings={str(p): m for p, _, m, _, _, _ in files},
                names={str(p): n for p, _, _, n, _, _ in files},
                sheets={str(p): sh for p, _, _, _, sh, _ in files if sh},
                replace={str(p) for p, *_, again in files if again},
                accept_partial=accept_partial,
                progress=progress,
            )
        )
    bar.empty()
    merged = ingest.LoadReport(
        [f for r in reports for f in r.files], [n for r in reports for n in r.notes]
    )
    session.set_last_report(merged)
    session.bump_data_version()


UNDONE_KEY = "_data_undone"  # the last undo's message, shown once


def imports_section() -> None:
    """The import log, and undo: every table as it was before the chosen import (the
    imports after it are taken back too, since their rows may build on it)."""
    log = undo.imports(ws)
    done = st.session_state.pop(UNDONE_KEY, None)
    if not log and not done:
        return
    st.subheader("Imports", anchor=False)
    if done:
        st.success(done)
    if not log:
        return
    reports = ingest.past_reports(ws)
    empty = ingest.FileReport("", None, 0, 0, 0, 0)
    kept = [reports.get(i.import_id, empty) for i in log]
    frame = pd.DataFrame(
        {
            "Loaded at": [i.loaded_at for i in log],
            "File": [i.file for i in log],
            "Table": [TABLE_NAMES.get(i.table or "", i.table or "–") for i in log],
            "Rows read": [i.rows_read for i in log],
            "Loaded": [i.rows_loaded for i in log],
            "Rejected": [i.rows_rejected for i in log],
            "Unmatched accounts": [len(r.unmatched_accounts) for r in kept],
            "Unknown reps": [len(r.unknown_reps) for r in kept],
            "Can be undone": [i.can_undo for i in log],
        }
    )
    counts = ["Rows read", "Loaded", "Rejected", "Unmatched accounts", "Unknown reps"]
    st.dataframe(
        frame,
        hide_index=True,
        key="data_imports_table",
        column_config={
            "Loaded at": st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm"),
            **{c: st.column_config.NumberColumn(format="localized") for c in counts},
        },
    )
    # every import's report stays in the workspace: reopen it in any later session
    labels = {i.import_id: f"{i.file} ({i.loaded_at:%d %b %Y, %H:%M})" for i in log}
    with st.expander("Report of an earlier import", key="data_past_report"):
        chosen_report = st.selectbox(
            "Import",
            list(labels),
            format_func=lambda i: labels[i],
            key="data_past_report_choice",
        )
        past = reports.get(str(chosen_report))
        if past is None:
            st.caption("This import was logged before reports were kept with it.")
        else:
            st.caption(
                f"{past.rows_read:,} rows read, {past.rows_loaded:,} loaded, "
                f"{past.rows_duplicate:,} already loaded (skipped), {past.rows_rejected:,} rejected."
            )
            if not (past.rejects or past.unmatched_accounts or past.notes or past.unknown_reps):
                st.caption(
                    "Nothing else to report: no rejected lines, unmatched names or unknown reps."
                )
            file_details(past, key=f"past_{str(chosen_report)[:8]}", number=1)
    undoable = [i for i in log if i.can_undo]
    if not undoable:
        return
    labels = {i.import_id: f"{i.file} ({i.loaded_at:%d %b %Y, %H:%M})" for i in undoable}
    chosen = st.selectbox(
        "Import to undo",
        list(labels),
        format_func=lambda k: labels[k],
        key="data_undo_choice",
    )
    later = [
        i for i in log if i.loaded_at > next(u for u in undoable if u.import_id == chosen).loaded_at
    ]
    with st.popover("Undo this import", key="data_undo_popover"):
        st.write(
            f"Every table goes back to what it was before {labels[chosen]} was loaded"
            + (
                f", and the {len(later)} import{'s' if len(later) > 1 else ''} after it "
                "are taken back too."
                if later
                else "."
            )
        )
        if st.button("Yes, undo it", key="data_undo_confirm", type="primary"):
            try:
                undone = undo.undo(ws, chosen)
            except UserError as exc:
                st.error(md(str(exc)))
            else:
                session.set_last_report(None)
                st.session_state.pop(LOADED_KEY, None)
                session.bump_data_version()
                st.session_state[UNDONE_KEY] = "Undone: " + ", ".join(
                    f"{i.file} ({i.loaded_at:%d %b %Y, %H:%M})" for i in undone
                )
                st.rerun()


ANY_SEGMENT = "(any other segment)"
ESTIMATED_KEY = "_data_potentials_estimated"  # the last estimate's message, shown once


def estimate_section() -> None:
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
        found = potential.segments(ws)
        # Accounts without a segment take the "any other" row; offer it even when there are
        # none, for accounts that arrive later.
        if all(name for name, _ in found):
            found.append(("", 0))
        frame = pd.DataFrame(
            {
                "segment": [name or ANY_SEGMENT for name, _ in found],
                "accounts": [n for _, n in found],
                "potential": [None] * len(found),
            }
        )
        edited = st.data_editor(
            frame,
            column_config={
                "segment": st.column_config.TextColumn("Segment", disabled=True),
                "accounts": st.column_config.NumberColumn("Accounts to estimate", disabled=True),
                "potential": st.column_config.NumberColumn("Potential per account", min_value=0),
            },
            hide_index=True,
            key="data_potential_segments",
        )
        value = {
            ("*" if str(r["segment"]) == ANY_SEGMENT else str(r["segment"])): float(r["potential"])
            for r in edited.to_dict("records")
            if pd.notna(r["potential"])
        }
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


# --- upload -------------------------------------------------------------------------------
st.subheader("Upload exports", anchor=False)
uploads = st.file_uploader(
    "CSV, Excel (.xlsx) or Parquet; several files at once (monthly exports are appended, "
    "rows already loaded are skipped)",
    type=["csv", "txt", "tsv", "xlsx", "parquet"],
    accept_multiple_files=True,
    key="data_upload",
)
planned: dict[str, Planned] = {}
if uploads:
    try:
        guard.check_batch([(u.name, u.size) for u in uploads])
    except UserError as exc:
        st.error(md(str(exc)))
        uploads = []
    loaded: set[str] = st.session_state.get(LOADED_KEY, set())
    done = [u for u in uploads if u.file_id in loaded]
    if done:
        st.caption(
            f"{len(done)} of the files above {'is' if len(done) == 1 else 'are'} loaded "
            "(see the report below); add more files, or remove them from the list."
        )
    for i, upload in enumerate(uploads):
        if upload.file_id in loaded:
            continue
        try:
            path = stage_upload(upload)
        except UserError as exc:
            st.error(md(str(exc)))
            continue
        plan = mapping_editor(i, upload.file_id, path, upload.name)
        if plan is not None:
            planned[upload.file_id] = (
                path,
                plan[0],
                plan[1],
                upload.name,
                plan[2],
                ask_replace(i, upload.name),
            )
    if planned:
        accept_partial = st.checkbox(
            "Load the good rows even if more than 5 % of a file's rows cannot be read",
            key="data_accept_partial",
        )
        if st.button(
            f"Load {len(planned)} file{'s' if len(planned) > 1 else ''}",
            key="data_load",
            type="primary",
        ):
            try:
                load(planned, accept_partial)
            except UserError as exc:
                st.error(md(str(exc)))
            else:
                report = session.last_report()
                if report is not None and not report.refused:
                    st.session_state.setdefault(LOADED_KEY, set()).update(planned)
                st.rerun()

report = session.last_report()
if report is not None:
    show_report(report)
imports_section()

# --- health ---------------------------------------------------------------------------------
if not ws.is_empty():
    st.subheader("What the data unlocks", anchor=False)
    checks = health.checklist(ws)
    st.dataframe(
        pd.DataFrame(
            {
                "": ["✓" if c.ok else "–" for c in checks],
                "Part": [c.name for c in checks],
                "Loaded": [c.have for c in checks],
                "Still missing? Load": [c.how for c in checks],
                "Unlocks": [c.unlocks for c in checks],
            }
        ),
        hide_index=True,
        key="data_checklist",
    )
    st.subheader("Data health", anchor=False)
    h = health.data_health(ws)
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
    records = h.tables.to_dict("records")
    tables = h.tables.assign(
        table_label=[HEALTH_TABLES.get(str(r["table_name"]), r["table_name"]) for r in records],
        dates=[health.date_range(r) for r in records],
        estimated=[pct_text(r["estimated_share"], 1) for r in records],
    )
    widgets.table(
        tables,
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

    # --- potentials ---------------------------------------------------------------------------
    if h.accounts_without_potential or h.potentials_estimated_share:
        estimate_section()

    # --- sample and clear ---------------------------------------------------------------------
    st.subheader("Workspace", anchor=False)
    left, right = st.columns(2)
    if left.button("Load the sample data", key="data_load_sample"):
        try:
            session.load_sample()
        except UserError as exc:
            st.error(md(str(exc)))
        else:
            st.rerun()
    with right.popover("Clear the workspace", key="data_clear_popover"):
        st.write(
            "This deletes every loaded row and the recorded commitments. Saved mappings "
            "and settings stay."
        )
        if st.button("Yes, delete all data", key="data_clear_confirm", type="primary"):
            session.clear_workspace()
            st.rerun()
