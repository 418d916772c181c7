"""Team mode's sign-in gate, the pages each role gets, and the audit of what was opened.

Why a module of its own: in team mode (``RELTRUTH_MODE=team``) nothing may run for a visitor
who has not signed in, however the run started. ``gate()`` is called by ``app.py`` before
``st.navigation``; every page starts with ``lifetime.require_entrypoint()``, which runs
``app.py`` when a page was run without it (a fresh server's first request to a page URL),
so every run passes here first. A visitor who is not signed in gets a navigation of one
hidden page, the sign-in button, and the run stops: no workspace is opened, no name or
workspace name is computed, so nothing of them can reach the browser.

Sign-in is Streamlit's own OIDC (``st.login`` / ``st.user`` / ``st.logout``), configured in
``.streamlit/secrets.toml`` (SECURITY.md). Membership and roles come from
``reltruth.team``; rows are cut for reps by ``reltruth.access`` through ``session``.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from reltruth import team
from reltruth.team import Membership, Principal
from reltruth.ui import session

WORKSPACE_KEY = "team_workspace"  # the manager's workspace picker in the sidebar
AUDITED_KEY = "_reltruth_audited"
# The pages (by their file under pages/) each role gets; admins get the Admin page too.
# the Account page too: a rep's workspace copy holds only their own accounts, and the
# time page's table links to it
REP_PAGES = ("pages/time_vs_potential.py", "pages/account.py", "pages/coaching_sheet.py")
ADMIN_PAGES = ("pages/admin.py",)


def gate() -> None:
    """Team mode: stop the run unless a member has signed in; set the session's principal."""
    # Outside a Streamlit runtime there is no browser to answer: a process that imports
    # app.py as its __main__ (a multiprocessing worker started from an AppTest run) must
    # not fail here; it has no session, so the pages below it show nothing to anyone.
    if session.mode() != "team" or not st.runtime.exists():
        return
    if not st.user.is_logged_in:
        _only(_sign_in, "Sign in")
    email = team.normalise_email(st.user.get("email"))
    # A provider that says the address is not verified does not vouch for who this is.
    verified = st.user.get("email_verified", True) not in (False, "false")
    rows = team.memberships(email) if email and verified else []
    names = team.workspaces_of(rows)
    if not names and not team.is_admin(rows):
        _only(_ask_for_access, "Access")
    session.set_principal(_choose(email, rows, names))


def _only(page: object, title: str) -> None:
    """Navigation of one hidden page: whatever URL was asked for, this page runs; then stop."""
    st.navigation([st.Page(page, title=title, default=True)], position="hidden").run()  # type: ignore[arg-type]
    st.stop()


def _sign_in() -> None:
    st.title("reltruth")
    st.write("Sign in with your company account to see your team's numbers.")
    st.button("Sign in", key="sign_in", type="primary", on_click=st.login)


def _ask_for_access() -> None:
    st.title("Ask your manager for access")
    st.write(
        "You are signed in, but this reltruth server does not list you as a member. "
        "Ask your manager (or the server's admin) to add you."
    )
    st.text(f"Signed in as {st.user.get('email') or 'an account without an e-mail address'}")
    st.button("Sign out", key="sign_out", on_click=st.logout)


def _choose(email: str, rows: list[Membership], names: list[str]) -> Principal | None:
    """The member's principal in the workspace picked in the sidebar (names from the store
    only; the browser picks among them, it never names a file)."""
    with st.sidebar:
        st.text(f"Signed in as {email}")  # text, not Markdown: an address is not a link
        st.button("Sign out", key="sign_out", on_click=st.logout)
        if not names:
            return team.principal(email, None, rows)
        if st.session_state.get(WORKSPACE_KEY) not in names:
            st.session_state[WORKSPACE_KEY] = names[0]
        if len(names) > 1:
            st.selectbox("Workspace", names, key=WORKSPACE_KEY)
        else:
            st.text(f"Workspace: {names[0]}")
    return team.principal(email, str(st.session_state[WORKSPACE_KEY]), rows)


def allowed_pages(pages: Mapping[str, st.Page]) -> list[st.Page]:
    """The pages this session may open, from app.py's ``{file: page}``; all outside team mode."""
    if session.mode() != "team":
        return [p for f, p in pages.items() if f not in ADMIN_PAGES]
    p = session.principal()
    if p is None:
        return []
    files: list[str] = []
    if p.role == "manager":
        files = [f for f in pages if f not in ADMIN_PAGES]
    elif p.role == "rep":
        files = list(REP_PAGES)
    if p.is_admin:
        files += list(ADMIN_PAGES)
    return [pages[f] for f in files if f in pages]


def audit_page(page: object) -> None:
    """Team mode: log the opening of a page (once per page and workspace, not every rerun)."""
    if session.mode() != "team" or not st.runtime.exists():
        return
    p = session.principal()
    title = str(getattr(page, "title", "") or "")
    if p is None:
        return
    seen = (p.workspace, title)
    if st.session_state.get(AUDITED_KEY) == seen:
        return
    team.audit(p.email, p.workspace, f"page: {title}")
    st.session_state[AUDITED_KEY] = seen


def audit_download(file_name: str) -> None:
    """Team mode: log a download (called by the download buttons' on_click)."""
    p = session.principal()
    if session.mode() == "team" and p is not None:
        team.audit(p.email, p.workspace, f"download: {file_name}")
