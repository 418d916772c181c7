"""reltruth: the entry point routes to the pages and draws the shared sidebar, nothing else.

Run with ``streamlit run app.py`` (``make app``). Pages live in ``pages/``; the sidebar
(workspace status, window, team and rep) is drawn here so that every page respects it.
In team mode the sign-in gate comes first: every run, however it started, passes it
before any page or workspace is touched (docs/app.md, "Team mode").
"""

import streamlit as st

from reltruth.ui import auth, lifetime, sidebar, widgets


def main() -> None:
    # The tab icon is a file of ours: a ":material/...:" or emoji icon is fetched by the browser
    # from an outside server, and nothing may leave the machine.
    st.set_page_config(page_title="reltruth", page_icon=str(widgets.ICON), layout="wide")
    auth.gate()  # team mode: nothing below runs for a visitor who has not signed in

    pages = {
        "pages/data.py": st.Page(
            "pages/data.py", title="Data", icon=":material/upload_file:", default=True
        ),
        "pages/team.py": st.Page("pages/team.py", title="Team", icon=":material/groups:"),
        "pages/time_vs_potential.py": st.Page(
            "pages/time_vs_potential.py", title="Time vs potential", icon=":material/schedule:"
        ),
        "pages/relationship_truth.py": st.Page(
            "pages/relationship_truth.py", title="Relationship truth", icon=":material/handshake:"
        ),
        "pages/discounts.py": st.Page(
            "pages/discounts.py", title="Discounts", icon=":material/percent:"
        ),
        "pages/account.py": st.Page("pages/account.py", title="Account", icon=":material/domain:"),
        "pages/coaching_sheet.py": st.Page(
            "pages/coaching_sheet.py", title="Coaching sheet", icon=":material/assignment:"
        ),
        "pages/workshop.py": st.Page(
            "pages/workshop.py", title="Workshop", icon=":material/school:"
        ),
        "pages/settings.py": st.Page("pages/settings.py", title="Settings", icon=":material/tune:"),
        "pages/admin.py": st.Page(
            "pages/admin.py", title="Admin", icon=":material/admin_panel_settings:"
        ),
    }
    navigation = st.navigation(auth.allowed_pages(pages))
    with lifetime.routed():  # the run holds the session's workspace: not released while idle
        sidebar.sidebar()
        sidebar.banners()
        auth.audit_page(navigation)
        navigation.run()


# Run by Streamlit as the main script only. A worker process that multiprocessing starts
# while this script is __main__ (the file reader's fork server) imports it as __mp_main__:
# the guard keeps it from drawing pages there ("safe importing of the main module").
if __name__ == "__main__":
    main()
