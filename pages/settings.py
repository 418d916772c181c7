"""Settings: every threshold of the flags and tiers, the tier measure and the default
durations per activity type, with the defaults shown and a reset.

The page only draws ``reltruth.settings_specs.SPECS`` and hands the edited values back to
``settings_specs.from_form``; the CLI ``reltruth settings`` reads and writes the same store.
"""

from __future__ import annotations

import streamlit as st

from reltruth import settings as store
from reltruth import settings_specs as specs
from reltruth.errors import UserError
from reltruth.ui import lifetime, session

SAVED_KEY = "_reltruth_settings_saved"

lifetime.require_entrypoint()
st.title("Settings")
if st.session_state.pop(SAVED_KEY, False):
    st.success("Saved: every page and sheet now uses these values.")
ws = session.open_workspace()
current = session.settings()
st.caption(
    "Stored in this workspace: every page, chart and coaching sheet uses the values in force, "
    "and `reltruth settings get` shows the same ones. Fractions are in per cent."
)
changed = specs.changed_keys(current)
if changed:
    st.caption(
        "Changed from the default: " + ", ".join(specs.SPEC_BY_KEY[k].label for k in changed)
    )

values: dict[str, object] = {}
with st.form("settings_form", border=False):
    for group in dict.fromkeys(spec.group for spec in specs.SPECS):
        st.subheader(group, anchor=False)
        for spec in (s for s in specs.SPECS if s.group == group):
            default = specs.describe_value(spec.key, specs.value_of(store.Settings(), spec.key))
            help_text = f"Default: {default}. {spec.help}".strip()
            value = specs.form_value(current, spec.key)
            key = f"setting_{spec.key}"
            if spec.kind == "choice":
                values[spec.key] = st.selectbox(
                    spec.label,
                    spec.choices,
                    index=spec.choices.index(value),
                    key=key,
                    help=help_text,
                )
            elif spec.kind == "int":
                values[spec.key] = st.number_input(
                    spec.label,
                    min_value=int(spec.low or 0),
                    max_value=int(spec.high or 100),
                    value=int(value),
                    step=1,
                    key=key,
                    help=help_text,
                )
            else:
                percent = spec.kind == "fraction"
                values[spec.key] = st.number_input(
                    spec.label + (" (%)" if percent else ""),
                    min_value=float(spec.low or 0) * (100 if percent else 1),
                    max_value=float(spec.high or 0) * (100 if percent else 1),
                    value=float(value),
                    step=5.0 if percent or spec.kind == "minutes" else 0.1,
                    format="%g",
                    key=key,
                    help=help_text,
                )
    saved = st.form_submit_button("Save settings", type="primary", key="settings_save")

if saved:
    try:
        store.save(ws.con, specs.from_form(current, values))
    except UserError as exc:
        st.error(str(exc))
    else:
        st.session_state[SAVED_KEY] = True
        st.rerun()  # the lines above the form show the values now in force

if st.button("Reset every setting to its default", key="settings_reset"):
    specs.reset(ws.con)
    for spec in specs.SPECS:  # the widgets show the defaults on the next run
        st.session_state.pop(f"setting_{spec.key}", None)
    st.rerun()
