"""reltruth: the entry point routes to the pages and draws the shared sidebar, nothing else.

Run with ``streamlit run app.py`` (``make app``). Pages live in ``pages/``; the sidebar
(workspace status, window, team and rep) is drawn here so that every page respects it.
"""

import streamlit as st

from reltruth.ui import session, widgets

st.set_page_config(page_title="reltruth", page_icon=":material/handshake:", layout="wide")

navigation = st.navigation(
    [
        st.Page("pages/data.py", title="Data", icon=":material/upload_file:", default=True),
        st.Page("pages/team.py", title="Team", icon=":material/groups:"),
        st.Page(
            "pages/time_vs_potential.py", title="Time vs potential", icon=":material/schedule:"
        ),
        st.Page(
            "pages/relationship_truth.py", title="Relationship truth", icon=":material/handshake:"
        ),
        st.Page("pages/discounts.py", title="Discounts", icon=":material/percent:"),
        st.Page("pages/coaching_sheet.py", title="Coaching sheet", icon=":material/assignment:"),
        st.Page("pages/workshop.py", title="Workshop", icon=":material/school:"),
        st.Page("pages/settings.py", title="Settings", icon=":material/tune:"),
    ]
)
widgets.sidebar()
widgets.banners()
with session.routed():
    navigation.run()
