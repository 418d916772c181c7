"""The tour's rules on hand-made metrics: who each story picks, and that a story whose rule
finds nobody is left out (the tour follows the data it is shown on)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pandas as pd

from reltruth.metrics import Window
from reltruth.settings import Settings
from reltruth.workshop import stories


def metrics(*, claim: bool = True, top: bool = True, neglected: bool = True) -> SimpleNamespace:
    reps = pd.DataFrame(
        {
            "rep_id": ["A", "B"],
            "rep_name": ["Ann", None],  # B has no name: shown by its id
            "tier": ["marginal", "top" if top else "core"],
            "coaching_priority": [1, 2],
            "alignment_score": [0.5, 0.9],
            "n_claim_gap": [2 if claim else 0, 0],
            "n_neglected_potential": [0, 1 if neglected else 0],
        }
    )
    accounts = pd.DataFrame(
        {
            "account_id": ["a1", "a2", "b1"],
            "account_name": ["Small", "Big", float("nan")],
            "rep_id": ["A", "A", "B"],
            "potential": [10.0, 100.0, 50.0],
            "penetration": [0.2, 0.6, 0.1],
            "allocation_ratio": [1.0, 1.0, 0.2],
            "is_claim_gap": [claim, claim, False],
            "is_neglected_potential": [False, False, neglected],
        }
    )
    return SimpleNamespace(
        reps=reps, accounts=accounts, settings=Settings(), window=Window(date(2026, 9, 30))
    )


def test_each_story_picks_its_rep_and_number():
    builder, top, newcomer = stories.tour(metrics())
    assert (builder.rep_id, builder.account_id) == ("A", "a1")  # the biggest one buying < 50 %
    assert stories.number_text(builder) == "20\u00a0%"
    assert (top.rep_id, top.rep_name, stories.number_text(top)) == ("B", "B", "90\u00a0%")
    assert (newcomer.rep_id, newcomer.account_name, stories.number_text(newcomer)) == (
        "B",
        "b1",
        "0.20",
    )


def test_stories_without_a_rep_are_left_out():
    assert [s.key for s in stories.tour(metrics(claim=False))] == ["top_performer", "newcomer"]
    assert stories.tour(metrics(claim=False, top=False, neglected=False)) == []
