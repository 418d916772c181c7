"""The Workshop page's widgets that hold state across runs: the anonymise switch and the
story tour's cards (``pages/workshop.py`` draws them in order)."""

from __future__ import annotations

import streamlit as st

from reltruth.metrics import Metrics
from reltruth.ui import session
from reltruth.workshop import anonymise, stories


def _apply_anonymise() -> None:
    """The toggle's callback: the whole app reads the anonymised copy from the next run."""
    state = st.session_state
    on = bool(state.get("workshop_anonymise"))
    options = anonymise.Options(
        scale_money=bool(state.get("workshop_anon_scale", True)),
        round_money=bool(state.get("workshop_anon_round", False)),
    )
    session.set_anonymise(options if on else None)


def anonymise_box() -> None:
    """The switch and its two options, showing what is in force (also after a page switch,
    which starts a run without the widgets' values)."""
    with st.container(border=True, key="workshop_anonymise_box"):
        st.subheader("Anonymise for projecting", anchor=False)
        st.caption(
            "Reps, managers, teams and accounts get plausible aliases (the same name always "
            "gets the same alias, on every page, chart, download and sheet, in every session on "
            "the same data); money can be scaled by an undisclosed factor so that no real "
            "revenue can be read off a slide. The real data is never changed."
        )
        current = session.anonymise_options()
        st.session_state["workshop_anonymise"] = current is not None
        defaults = current or anonymise.Options()
        for key, value in (
            ("workshop_anon_scale", defaults.scale_money),
            ("workshop_anon_round", defaults.round_money),
        ):
            if current is not None or key not in st.session_state:
                st.session_state[key] = value
        st.toggle("Anonymise", key="workshop_anonymise", on_change=_apply_anonymise)
        left, right = st.columns(2)
        left.checkbox(
            "Scale money by an undisclosed factor",
            key="workshop_anon_scale",
            on_change=_apply_anonymise,
        )
        right.checkbox(
            "Round plan figures (potential, quota) to two digits",
            key="workshop_anon_round",
            on_change=_apply_anonymise,
        )


def tour(m: Metrics) -> None:
    """The sample's stories, each with the number that proves it and a button to its page.
    Names reach the screen as plain text (st.text), never inside Markdown."""
    found = stories.tour(m)
    if not found:
        st.info(
            "No story in this data: no rep has claim gaps, a top tier or neglected potential "
            "in this window. Load the sample data to see the tour."
        )
    for i, story in enumerate(found, start=1):
        with st.container(border=True, key=f"tour_{story.key}"):
            st.subheader(f"{i}. {story.title}", anchor=False)
            st.text(story.rep_name)
            st.markdown(story.paragraph)
            st.metric(story.number_label, stories.number_text(story))
            if story.account_name:
                st.caption("Account")
                st.text(story.account_name)
            if st.button(
                story.button, key=f"tour_open_{story.key}", icon=":material/arrow_forward:"
            ):
                session.select_rep(story.rep_id)
                st.switch_page(story.page)
