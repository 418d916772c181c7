"""The Team page's figures: one row per rep, ranked by coaching priority, and the chart of
the measure that ranks the tiers.

Why a view: the page used to sort the reps, count the tiers, sum the money at stake and
work out which measure the chart shows (and the workshop's slide repeated that choice);
here it is done once, and ``TeamChart`` is the one place that says what the chart shows.
No Streamlit here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from reltruth import metrics as engine
from reltruth import settings as words
from reltruth.metrics import Metrics
from reltruth.views.common import num

CHART_MAX_REPS = 40  # more bars than this are unreadable; the table holds every rep
NO_REPS = "No reps in the selected team for this window."


@dataclass(frozen=True)
class TeamChart:
    """What the tier chart shows: quota attainment where it ranks every tier, else growth
    against the company (also for a mix of both, which the table then spells out)."""

    measure: str  # "quota attainment" | "relative growth" (charts.team_overview's measures)
    title: str
    unit: str
    reps: pd.DataFrame  # the first CHART_MAX_REPS by coaching priority
    notes: tuple[str, ...]  # what the chart leaves out, said under its title


@dataclass(frozen=True)
class TeamView:
    empty: str  # why there is nothing to show ("" when there is)
    reps: pd.DataFrame  # by coaching priority, numbered from 0 as the table shows them
    measure: str  # the measure that ranked the tiers: quota attainment | relative growth | mixed
    measure_label: str  # its column label
    measure_sentence: str  # what ranks the tiers and where the lines are
    marginal: int
    top: int
    money_at_stake: float
    marginal_help: str
    top_help: str
    chart: TeamChart
    chart_empty: str  # why the chart has no bars


def by_priority(reps: pd.DataFrame) -> pd.DataFrame:
    """The reps by coaching priority (the rep to coach first at the top)."""
    if "coaching_priority" in reps.columns:
        reps = reps.sort_values("coaching_priority", kind="stable")
    return reps.reset_index(drop=True)


def team_chart(reps: pd.DataFrame) -> TeamChart:
    """The tier chart of ``reps`` (in coaching-priority order)."""
    measure = engine.tier_measure(reps)
    quota = measure == "quota attainment"
    notes = []
    if measure == "mixed":
        notes.append(
            "The chart shows growth against the company for every rep; the table gives "
            "each rep's own tier measure."
        )
    if len(reps) > CHART_MAX_REPS:
        notes.append(
            f"The first {CHART_MAX_REPS} reps by coaching priority; all are in the table below."
        )
    return TeamChart(
        measure="quota attainment" if quota else "relative growth",
        title="Quota attainment, by tier" if quota else "Growth against the company, by tier",
        unit="% of quota" if quota else "percentage points",
        reps=reps.head(CHART_MAX_REPS),
        notes=tuple(notes),
    )


def team_view(m: Metrics, team: pd.DataFrame) -> TeamView:
    """The reps of ``team`` (the sidebar's team, or every rep) in the window of ``m``."""
    reps = by_priority(team)
    s = m.settings
    measure = engine.tier_measure(reps)
    tiers = reps["tier"] if "tier" in reps.columns else pd.Series(dtype=str)
    return TeamView(
        empty="" if not reps.empty else NO_REPS,
        reps=reps,
        measure=measure,
        measure_label={"quota attainment": "Quota attainment", "mixed": "Tier measure"}.get(
            measure, "Growth vs company"
        ),
        measure_sentence=engine.tier_measure_sentence(reps, s),
        marginal=int((tiers == "marginal").sum()),
        top=int((tiers == "top").sum()),
        money_at_stake=float(num(reps, "money_at_stake").sum()),
        marginal_help=f"The {words.bottom_words(s.marginal_tier_quantile)} of the team by "
        f"{words.tier_measure_words(measure)} in this window.",
        top_help=f"The {words.top_words(s.top_tier_quantile)} of the team by "
        f"{words.tier_measure_words(measure)} in this and the prior window.",
        chart=team_chart(reps),
        chart_empty=(
            "No rep has a growth figure in this window: growth compares the window's revenue "
            "with the window before it, so it needs orders in both (load older orders, or pick "
            "a shorter window)."
            if m.company_revenue
            else "Upload orders (invoice or order lines) to see how each rep grows against the "
            "company."
        ),
    )
