"""The Workshop page's figures: the what-if rep's book with the accounts it proposes to
move hours between, and the charts offered for slides.

Why a view: the page used to cut the rep's book, pick the default accounts from the flags
and build the slide charts between its widgets (repeating which measure the Team page
charts); here each is a pure function of the metrics and the choices made. The tour and
the estimate itself are ``reltruth.workshop`` (stories, whatif). No Streamlit here.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from reltruth import charts
from reltruth.metrics import Metrics
from reltruth.views.common import account_names, flagged, rep_names
from reltruth.views.team import by_priority, team_chart


@dataclass(frozen=True)
class Book:
    """One rep's accounts for the what-if."""

    rep_name: str  # the id where the name is missing
    accounts: pd.DataFrame
    names: dict[str, str]  # account_id -> name (the id where the name is missing)
    givers: list[str]  # default "from": the relationship traps
    takers: list[str]  # default "to": the accounts with neglected potential


def book(m: Metrics, rep_id: str) -> Book:
    """The book of ``rep_id`` in the window of ``m``."""
    accounts = m.accounts[m.accounts["rep_id"].astype(str) == rep_id]
    ids = accounts["account_id"].astype(str)
    return Book(
        rep_name=rep_names(m.reps[m.reps["rep_id"].astype(str) == rep_id]).get(rep_id, rep_id),
        accounts=accounts,
        names=account_names(accounts),
        givers=ids[flagged(accounts, "relationship_trap")].tolist(),
        takers=ids[flagged(accounts, "neglected_potential")].tolist(),
    )


@dataclass(frozen=True)
class Slide:
    title: str
    unit: str
    chart: alt.Chart | alt.LayerChart | None  # None: nothing to draw for this data


SLIDE_LABELS = {
    "team": "Team: the tier measure by rep",
    "time": "The what-if rep: time vs potential",
    "rating": "The what-if rep: claimed relationship vs penetration",
}


def slide(which: str, team: pd.DataFrame, rep: Book, currency: str) -> Slide:
    """The chart ``which`` (a key of ``SLIDE_LABELS``) as the page that shows it draws it:
    the tier chart of ``team`` (the sidebar's reps), or one of the what-if rep's."""
    if which == "team":
        tiers = team_chart(by_priority(team))
        return Slide(tiers.title, tiers.unit, charts.team_overview(tiers.reps, tiers.measure))
    if which == "time":
        return Slide(
            f"{rep.rep_name}: share of time against share of potential",
            "% of hours, % of potential",
            charts.time_vs_potential(rep.accounts, currency),
        )
    return Slide(
        f"{rep.rep_name}: claimed relationship vs penetration",
        "rating 1–5, % of potential bought",
        charts.rating_vs(
            rep.accounts, "penetration", "Penetration (share of wallet, %)", ".0%", clip=(0.0, 1.5)
        ),
    )
