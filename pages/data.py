"""Data: upload exports, check the proposed mapping and preview, load, read the report.

The page reads widgets and calls ``reltruth.ingest``; uploads are staged in this session's
staging folder of the workspace (never a shared path), the mapping is edited in a table,
and the load report says for every file what was loaded, skipped and rejected (with lines).
What each section computes is ``reltruth.views.data``; its widgets are
``reltruth.ui.data_page``.
"""

from __future__ import annotations

import streamlit as st

from reltruth.coaching.render_markdown import md
from reltruth.errors import UserError
from reltruth.ingest import guard
from reltruth.ui import data_page, lifetime, session
from reltruth.views import data as view

lifetime.require_entrypoint()
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
    data_page.load_sample_button("Load the sample data", key="data_load_sample_first", primary=True)

# --- upload -------------------------------------------------------------------------------
st.subheader("Upload exports", anchor=False)
uploads = st.file_uploader(
    "CSV, Excel (.xlsx) or Parquet; several files at once (monthly exports are appended, "
    "rows already loaded are skipped)",
    type=["csv", "txt", "tsv", "xlsx", "parquet"],
    accept_multiple_files=True,
    key="data_upload",
)
planned: dict[str, view.Planned] = {}
if uploads:
    try:
        guard.check_batch([(u.name, u.size) for u in uploads])
    except UserError as exc:
        st.error(md(str(exc)))
        uploads = []
    loaded: set[str] = st.session_state.get(data_page.LOADED_KEY, set())
    if said := view.loaded_caption(sum(u.file_id in loaded for u in uploads)):
        st.caption(said)
    for i, upload in enumerate(uploads):
        if upload.file_id not in loaded and (plan := data_page.plan_upload(ws, i, upload)):
            planned[upload.file_id] = plan
    if planned:
        accept_partial = st.checkbox(
            "Load the good rows even if more than 5 % of a file's rows cannot be read",
            key="data_accept_partial",
        )
        if st.button(view.load_label(len(planned)), key="data_load", type="primary"):
            try:
                data_page.load(ws, list(planned.values()), accept_partial)
            except UserError as exc:
                st.error(md(str(exc)))
            else:
                report = session.last_report()
                if report is not None and not report.refused:
                    st.session_state.setdefault(data_page.LOADED_KEY, set()).update(planned)
                st.rerun()

report = session.last_report()
if report is not None:
    data_page.show_report(report)
data_page.imports_section(ws)

# --- health ---------------------------------------------------------------------------------
if not ws.is_empty():
    health = view.health_view(ws)
    data_page.health_section(health)
    if health.offers_estimate:
        data_page.estimate_section(ws)

    # --- sample and clear ---------------------------------------------------------------------
    st.subheader("Workspace", anchor=False)
    left, right = st.columns(2)
    with left:
        data_page.load_sample_button("Load the sample data", key="data_load_sample")
    with right.popover("Clear the workspace", key="data_clear_popover"):
        st.write(
            "This deletes every loaded row and the recorded commitments. Saved mappings "
            "and settings stay."
        )
        if st.button("Yes, delete all data", key="data_clear_confirm", type="primary"):
            session.clear_workspace()
            st.rerun()
