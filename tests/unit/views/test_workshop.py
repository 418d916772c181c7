"""reltruth.views.workshop on hand-made rows: the what-if rep's book with the default
accounts from the engine's flag columns, and the slide charts' titles and units."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date

import pandas as pd
import pytest

from reltruth import metrics
from reltruth.views.workshop import SLIDE_LABELS, book, slide
from reltruth.workspace import Workspace

AS_OF = date(2026, 9, 30)
REPS = pd.DataFrame(
    {
        "rep_id": ["R1", "R2"],
        "rep_name": ["Zoe", None],
        "coaching_priority": [2, 1],
        "tier": ["core", "marginal"],
        "tier_measure": ["quota attainment"] * 2,
        "tier_value": [0.9, 0.5],
    }
)
ACCOUNTS = pd.DataFrame(
    {
        "account_id": ["A1", "A2", "A3", "A4"],
        "account_name": ["Contoso", None, "Fabrikam", "Other"],
        "rep_id": ["R1", "R1", "R1", "R2"],
        "is_relationship_trap": [True, False, False, True],
        "is_neglected_potential": [False, True, None, False],
        # the flag lists disagree on purpose: the engine's columns decide
        "flags": [[], ["relationship_trap"], ["neglected_potential"], []],
    }
)


@pytest.fixture
def m() -> Iterator[metrics.Metrics]:
    ws = Workspace.open(memory=True)
    yield dataclasses.replace(
        metrics.compute(ws, metrics.Window(AS_OF, 12)), reps=REPS, accounts=ACCOUNTS
    )
    ws.close()


def test_the_book_and_its_default_accounts(m: metrics.Metrics) -> None:
    b = book(m, "R1")
    assert b.rep_name == "Zoe"
    assert b.names == {"A1": "Contoso", "A2": "A2", "A3": "Fabrikam"}  # no name: the id
    assert b.givers == ["A1"] and b.takers == ["A2"]
    assert book(m, "R2").rep_name == "R2"


def test_slides_say_what_they_show(m: metrics.Metrics) -> None:
    b = book(m, "R1")
    team = slide("team", REPS, b, "EUR")
    # every rep has a quota: the tier chart shows quota attainment, as the Team page does
    assert (team.title, team.unit) == ("Quota attainment, by tier", "% of quota")
    assert team.chart is not None
    assert team.chart.data["Rep"].tolist() == ["R2", "Zoe"]  # by coaching priority
    time = slide("time", REPS, b, "EUR")
    assert (time.title, time.unit) == (
        "Zoe: share of time against share of potential",
        "% of hours, % of potential",
    )
    rating = slide("rating", REPS, b, "EUR")
    assert rating.title == "Zoe: claimed relationship vs penetration"
    assert rating.chart is None  # no ratings or penetration in these rows: nothing to draw
    assert list(SLIDE_LABELS) == ["team", "time", "rating"]
