"""Admin (team mode): who may sign in, with which role, in which workspace; the audit log.

Only an admin's navigation lists this page, and the page checks again (a page must not
rely on the navigation alone). Workspaces come into being here: adding a manager of a new
workspace name creates it on first use.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from reltruth import team
from reltruth.errors import UserError
from reltruth.ui import lifetime, session

lifetime.require_entrypoint()
st.title("Admin")
p = session.principal()
if session.mode() != "team" or p is None or not p.is_admin:
    st.info("This page is for the admin of a team-mode server.")
    st.stop()

st.subheader("Members", anchor=False)
rows = team.members()
st.dataframe(
    pd.DataFrame(
        [(m.email, m.role, m.workspace, m.rep_id) for m in rows],
        columns=["E-mail", "Role", "Workspace", "Rep id"],
    ),
    hide_index=True,
    key="admin_members",
)

with st.form("admin_add", clear_on_submit=True):
    st.caption("Add a member, or change a member's role or rep link in a workspace.")
    c1, c2, c3, c4 = st.columns(4)
    email = c1.text_input("E-mail", key="admin_email")
    role = c2.selectbox("Role", team.ROLES, index=1, key="admin_role")
    workspace = c3.text_input("Workspace", key="admin_workspace", help="e.g. north")
    rep_id = c4.text_input("Rep id (reps)", key="admin_rep_id", help="empty: matched by e-mail")
    if st.form_submit_button("Add member"):
        try:
            team.add_member(email, role, workspace or None, rep_id or None)
            st.rerun()
        except UserError as exc:
            st.error(str(exc))

if rows:
    labels = {f"{m.email} · {m.role} · {m.workspace or '-'}": m for m in rows}
    left, right = st.columns([3, 1])
    chosen = left.selectbox("Remove a member", list(labels), key="admin_remove_choice")
    if right.button("Remove", key="admin_remove"):
        m = labels[chosen]
        team.remove_member(m.email, m.workspace)
        st.rerun()

st.subheader("Audit log", anchor=False)
st.caption("Every page and download opened in a workspace: who, when, what (newest first).")
st.dataframe(
    pd.DataFrame(team.audit_log(), columns=["When", "Who", "Workspace", "What"]),
    hide_index=True,
    key="admin_audit",
)
