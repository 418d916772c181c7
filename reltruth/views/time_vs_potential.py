"""The Time vs potential page's figures, for one rep: where the hours go against where the
money could be.

Why a view: the page used to pick the rep's row and accounts, mark the estimated
potentials and run four engine queries between its widgets; here they are gathered once
for the rep, with the headline figures as floats (None where the input is missing) and
every list in the order the page shows it. No Streamlit here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from reltruth import empty_states
from reltruth import metrics as engine
from reltruth.coaching import effect as coaching_effect
from reltruth.coaching.model import EffectRow
from reltruth.metrics import Metrics
from reltruth.views.common import Section, num, section, with_estimate_marks
from reltruth.workspace import Workspace


@dataclass(frozen=True)
class TimeView:
    rep_id: str
    rep_name: str  # the id where the name is missing
    # headline figures of the window, None where the input is missing
    alignment_score: float | None
    misallocated_hours: float | None
    hours: float | None
    revenue_per_hour: float | None
    hours_estimated_share: float | None
    # the rep's accounts (with the "≈" marks of estimated potentials), most time first
    accounts: pd.DataFrame
    shift: Section  # from_account_name, to_account_name, hours_per_month
    by_type: pd.DataFrame  # month, activity_type, hours, estimated_hours
    people: pd.DataFrame  # contact_role, hours, share (empty: no contact roles)
    effect: tuple[EffectRow, ...]  # the quarters since the first kept meeting
    coached_since: date | None


def time_view(ws: Workspace, m: Metrics, rep_id: str) -> TimeView:
    """Everything the page shows about ``rep_id`` in the window of ``m``."""
    reps = m.reps[m.reps["rep_id"].astype(str) == rep_id]
    rep = reps.iloc[0]
    name = rep.get("rep_name")
    accounts = with_estimate_marks(m.accounts[m.accounts["rep_id"].astype(str) == rep_id])
    if "time_share" in accounts:
        accounts = accounts.sort_values("time_share", ascending=False)
    shift = engine.hours_to_shift(m, rep_id)
    people = engine.key_people_time(ws, rep_id, m.window)
    effect, since = coaching_effect.timeline(ws, rep_id, m.window.as_of)
    return TimeView(
        rep_id=rep_id,
        rep_name=str(name) if isinstance(name, str) and name else rep_id,
        alignment_score=_figure(reps, "alignment_score"),
        misallocated_hours=_figure(reps, "misallocated_hours"),
        hours=_figure(reps, "hours"),
        revenue_per_hour=_figure(reps, "revenue_per_hour"),
        hours_estimated_share=_figure(reps, "hours_estimated_share"),
        accounts=accounts,
        shift=section(shift, empty_states.hours_to_shift(rep, accounts)),
        by_type=engine.hours_by_type_month(ws, rep_id, m.window),
        people=people if people is not None else pd.DataFrame(),
        effect=tuple(effect),
        coached_since=since,
    )


def _figure(reps: pd.DataFrame, column: str) -> float | None:
    value = num(reps, column).iloc[0]
    return None if pd.isna(value) else float(value)
