"""The what-if's arithmetic on a hand-made book (expected values computed by hand), the cap
at open potential, the limit of the giving accounts' hours, and its estimate labels."""

from __future__ import annotations

import json
from datetime import date
from types import SimpleNamespace

import pandas as pd
import pytest

from reltruth import cli
from reltruth.metrics import Window
from reltruth.workshop import whatif as wi


def book(open_potential_n1: float = 32_000.0) -> SimpleNamespace:
    """One rep, 120 h in 12 months, potential 100 k:

    | account | potential (share) | hours (share) | revenue | flag |
    | T1 | 10 k (0.1) | 48 (0.4) | 8 k | relationship trap |
    | T2 | 10 k (0.1) | 24 (0.2) | 7 k | relationship trap |
    | N1 | 40 k (0.4) | 12 (0.1) | 8 k | neglected potential |
    | C1 | 20 k (0.2) | 24 (0.2) | 12 k | - (500 per hour) |
    | C2 | 20 k (0.2) | 12 (0.1) | 9 k | - (750 per hour) |

    Alignment = 1 - ½ (0.3 + 0.1 + 0.3 + 0 + 0.1) = 0.6.
    """
    accounts = pd.DataFrame(
        {
            "account_id": ["T1", "T2", "N1", "C1", "C2"],
            "account_name": ["Trap one", "Trap two", "Neglected", "Comp one", "Comp two"],
            "rep_id": ["R"] * 5,
            "segment": ["S"] * 5,
            "potential": [10_000.0, 10_000.0, 40_000.0, 20_000.0, 20_000.0],
            "potential_share": [0.1, 0.1, 0.4, 0.2, 0.2],
            "hours": [48.0, 24.0, 12.0, 24.0, 12.0],
            "time_share": [0.4, 0.2, 0.1, 0.2, 0.1],
            "revenue": [8_000.0, 7_000.0, 8_000.0, 12_000.0, 9_000.0],
            "open_potential": [2_000.0, 3_000.0, open_potential_n1, 8_000.0, 11_000.0],
            "is_relationship_trap": [True, True, False, False, False],
            "is_neglected_potential": [False, False, True, False, False],
        }
    )
    reps = pd.DataFrame(
        {"rep_id": ["R"], "rep_name": ["Rep R"], "hours": [120.0], "alignment_score": [0.6]}
    )
    return SimpleNamespace(reps=reps, accounts=accounts, window=Window(date(2026, 9, 30), 12))


def test_hand_computed_estimate_and_new_alignment():
    r = wi.whatif(book(), "R", 2.0)
    assert r.empty_reason == ""
    assert r.moved_per_month == 2.0
    # Taken in proportion to the traps' hours (48 : 24).
    assert r.givers["hours_per_month"].tolist() == pytest.approx([4 / 3, 2 / 3])
    (n1,) = r.receivers
    assert n1.account_id == "N1" and n1.rate_basis == "same segment, similar potential"
    # C1 and C2 are comparable (segment S, potential 20 k within 20-80 k): 21 k / 36 h.
    # 24 h a year x 583.33 = 14,000; 25th / 75th percentile of (500, 750) = 562.5 / 687.5.
    assert n1.central == pytest.approx(14_000.0)
    assert n1.low == pytest.approx(13_500.0)
    assert n1.high == pytest.approx(16_500.0)
    assert not n1.capped
    assert (r.low, r.central, r.high) == pytest.approx((13_500.0, 14_000.0, 16_500.0))
    # After: T1 48-16, T2 24-8, N1 12+24 of 120 h -> gaps 1/6, 1/30, 0.1, 0, 0.1 -> 0.8.
    assert r.alignment_before == pytest.approx(0.6)
    assert r.alignment_after == pytest.approx(0.8)


def test_no_account_gains_more_than_its_open_potential():
    r = wi.whatif(book(open_potential_n1=10_000.0), "R", 2.0)
    (n1,) = r.receivers
    assert n1.capped
    assert (n1.low, n1.central, n1.high) == (10_000.0, 10_000.0, 10_000.0)
    assert r.high == 10_000.0


def test_the_giving_accounts_hours_are_the_limit():
    r = wi.whatif(book(), "R", 10.0)  # the traps have 72 h in 12 months = 6 h a month
    assert r.hours_per_month == 10.0
    assert r.moved_per_month == pytest.approx(6.0)
    # 72 h a year x 583.33 = 42,000, over N1's open potential of 32,000
    assert r.receivers[0].central == 32_000.0 < 6 * 12 * 21_000 / 36
    assert r.receivers[0].capped


def test_picked_accounts_replace_the_flags():
    r = wi.whatif(book(), "R", 1.0, from_accounts=["C2"], to_accounts=["C1"])
    assert r.givers["account_id"].tolist() == ["C2"]
    assert [x.account_id for x in r.receivers] == ["C1"]


@pytest.mark.parametrize(
    ("hours", "reason"),
    [(0.0, "Choose a number of hours"), (-1.0, "Choose a number of hours")],
)
def test_nothing_to_move_says_why(hours, reason):
    r = wi.whatif(book(), "R", hours)
    assert r.empty_reason.startswith(reason)
    assert r.central == 0.0


def test_no_traps_says_so():
    m = book()
    m.accounts["is_relationship_trap"] = False
    assert "No relationship-trap accounts" in wi.whatif(m, "R", 2.0).empty_reason


def test_labelled_an_estimate_in_text_and_json():
    r = wi.whatif(book(), "R", 2.0)
    assert r.label == "Estimate, not a measurement"
    text = wi.format_text(r, "EUR")
    assert text.startswith("ESTIMATE, NOT A MEASUREMENT")
    assert "central €14\xa0k" in text and "Assumptions:" in text and "open potential" in text
    data = wi.to_json(r, "EUR")
    assert data["kind"] == "estimate"
    assert data["revenue_effect"]["central"] == pytest.approx(14_000.0)
    assert len(data["assumptions"]) == len(r.assumptions) >= 4


def test_cli_text_and_json_on_the_sample(sample_workspace, workspace_path, capsys):
    sample_workspace.close()
    assert cli.main(["whatif", "--rep", "Jonas Weber", "--hours", "10"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ESTIMATE, NOT A MEASUREMENT") and "Jonas Weber" in out
    assert cli.main(["whatif", "--rep", "R05", "--hours", "10", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "estimate" and data["rep_id"] == "R05"
    low, central, high = (data["revenue_effect"][k] for k in ("low", "central", "high"))
    assert 0 < low <= central <= high
    assert data["alignment_score_after"] > data["alignment_score_before"]
    # every receiving account stays within its open potential
    assert all(a["high"] <= a["open_potential"] + 1e-6 for a in data["to_accounts"])


def test_cli_unknown_rep_is_one_line(sample_workspace, workspace_path, capsys):
    sample_workspace.close()
    assert cli.main(["whatif", "--rep", "nobody", "--hours", "5"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("reltruth: No rep 'nobody'") and err.count("\n") == 1
