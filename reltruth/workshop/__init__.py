"""The trainer's tools (docs/workshop.md): the sample's stories as a guided tour, the
what-if of moving hours, an anonymised copy of the workspace for projecting, and charts
exported at slide size. No Streamlit here; ``pages/workshop.py`` draws them.
"""
