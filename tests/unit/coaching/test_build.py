"""The wording rules of the sheet, on hand-made frames (see conftest.py for the book)."""

from __future__ import annotations

import pandas as pd
import pytest
from coaching_helpers import account, book, inputs, rep_row, team_frame

from reltruth.coaching.build import assemble
from reltruth.coaching.cells import normalise_tier
from reltruth.coaching.render_html import render_html
from reltruth.coaching.render_markdown import render_markdown


def test_prompts_are_ranked_by_the_money_behind_them_worked_out_by_hand() -> None:
    sheet = assemble(inputs())
    # The money behind each finding ranks the prompts:
    # Contoso (neglected): open potential 1,100,000.
    # Northwind (trap, claim gap, creep, trade): open 123,000 + excess discount 4,000
    #   + excess hours (33 % - 6 %) x 900 h = 243 h at 889 an hour = 216,027 -> 343,027.
    # Fabrikam (demote): (28 % - 0.8 %) x 900 h = 244.8 h at 889 = 217,627.2.
    assert [p.account_names for p in sheet.prompts] == [("Contoso",), ("Northwind",), ("Fabrikam",)]
    assert [p.rank for p in sheet.prompts] == [1, 2, 3]
    # "At stake" is each prompt's share of the engine's money at stake (docs/metrics.md):
    # Northwind, a trap and claim gap, 123,000 open + 4,000 excess; the others none.
    assert [p.money_at_stake for p in sheet.prompts] == pytest.approx([0.0, 127_000.0, 0.0])
    assert [p.money_text for p in sheet.prompts] == ["", "€127\u00a0k", ""]


def test_prompts_never_add_up_to_more_than_the_reps_money_at_stake() -> None:
    # Northwind again as a second prompt's account: counted once, by the first prompt
    sheet = assemble(inputs())
    total = float(book()["money_at_stake"].sum())
    assert sum(p.money_at_stake for p in sheet.prompts) <= total + 1e-6


def test_flags_on_one_account_merge_into_one_prompt() -> None:
    northwind = assemble(inputs()).prompts[1]
    # the flag with the most money behind it leads: trap 216 k > claim gap = trade 123 k
    # (tie: claim gap first, as ordered in prompts.toml) > discount creep 4 k
    assert northwind.flags == (
        "relationship_trap",
        "claim_gap",
        "trade_candidate",
        "discount_creep",
    )
    assert northwind.kind == "relationship_trap"
    assert northwind.question == (
        "Northwind took 33\u00a0% of your hours for 6.0\u00a0% of your book's potential. "
        "What did those hours produce?"
    )
    # the follow-up comes from the second flag
    assert (
        northwind.follow_up
        == "What does Northwind buy from competitors today, and who decides that?"
    )
    assert "also claim gap, trade candidate, discount creep" in northwind.title
    assert 1 <= len(northwind.evidence) <= 5
    assert any(
        "243\u00a0h beyond its share of potential: about €216\u00a0k" in e
        for e in northwind.evidence
    )
    assert any(
        "8.0\u00a0% (Q4 2024–Q3 2025) → 14.0\u00a0% (Q4 2025–Q3 2026)" in e
        for e in northwind.evidence
    )


def test_the_claim_gap_question_is_the_seeds_question() -> None:
    frame = pd.DataFrame(
        [account("A1", "Northwind", flags=["claim_gap"], relationship_rating=5, penetration=0.18)]
    )
    p = assemble(inputs(accounts=frame)).prompts[0]
    assert p.question == (
        "You rate your relationship with Northwind as excellent. "
        "Why are they buying only 18\u00a0% of what they could buy from us?"
    )


def test_no_two_prompts_say_the_same_thing() -> None:
    sheet = assemble(inputs())
    accounts = [a for p in sheet.prompts for a in p.account_ids]
    assert len(accounts) == len(set(accounts))
    for field in ("question", "follow_up", "action", "title"):
        texts = [getattr(p, field) for p in sheet.prompts]
        assert len(texts) == len(set(texts)), field


def test_evidence_names_the_window() -> None:
    for p in assemble(inputs()).prompts:
        assert any("12 months to 30 Sep 2026" in e for e in p.evidence), p.title


def test_accounts_with_the_same_finding_share_one_prompt() -> None:
    many = pd.DataFrame(
        [
            account(
                f"X{i}",
                f"Account {i}",
                open_potential=10_000.0 * (i + 1),
                relationship_rating=5,
                penetration=0.2,
                flags=["claim_gap"],
            )
            for i in range(10)
        ]
    )
    sheet = assemble(inputs(accounts=many))
    gap = sheet.prompts[0]
    assert gap.kind == "claim_gap" and gap.title == "Claim gap: Account 9 and 9 more"
    assert gap.account_names[:3] == ("Account 9", "Account 8", "Account 7")
    assert len(gap.account_ids) == 10
    assert gap.money_at_stake == 550_000.0  # 10 k + 20 k + ... + 100 k
    assert gap.evidence[-1] == (
        "Also rated high with a low share of wallet or no growth: "
        "Account 8 (20\u00a0%, €90\u00a0k open); Account 7 (20\u00a0%, €80\u00a0k open); "
        "Account 6 (20\u00a0%, €70\u00a0k open) and 6 more."
    )
    assert [p.kind for p in sheet.prompts].count("claim_gap") == 1
    assert len(sheet.prompts) == 3  # filled up with rep-level prompts


def test_fewer_than_three_flags_are_filled_with_rep_level_prompts() -> None:
    one = pd.DataFrame(
        [
            account("A1", "Northwind", flags=["claim_gap"], relationship_rating=5),
            account("A2", "Big One", potential=900_000.0, open_potential=700_000.0),
        ]
    )
    sheet = assemble(inputs(accounts=one, shifts=pd.DataFrame()))
    assert [p.kind for p in sheet.prompts] == ["claim_gap", "alignment", "largest_open"]
    assert sheet.prompts[2].account_names == ("Big One",)


def test_time_alignment_filler_is_skipped_when_a_time_flag_already_asks_it() -> None:
    one = pd.DataFrame([account("A3", "Fabrikam", flags=["demote"])])
    kinds = [p.kind for p in assemble(inputs(accounts=one)).prompts]
    assert kinds == ["demote", "new_accounts"]  # no open potential left for largest_open
    assert "alignment" not in kinds


def test_top_performer_gets_the_short_sheet() -> None:
    rep = rep_row(tier="top performer", tier_reason="top quarter of the team, both windows")
    sheet = assemble(inputs(rep=rep, team=team_frame(rep)))
    assert sheet.variant == "short"
    assert sheet.tier == "top" and sheet.tier_label == "Consistent top performer"
    assert len(sheet.prompts) == 1
    assert sheet.prompts[0].question == "What is working, and what can the team learn from it?"
    assert sheet.actions.empty
    assert "leave the accounts alone" in sheet.intro
    assert "top quarter of the team, both windows" in render_markdown(sheet)


def test_marginal_performer_gets_the_full_sheet_with_tier_and_reason() -> None:
    sheet = assemble(inputs())
    assert sheet.variant == "full" and sheet.tier_label == "Marginal performer"
    assert "bottom half of the team" in sheet.tier_reason
    assert 3 <= len(sheet.prompts) <= 7


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("top performer", "top"),
        ("top", "top"),
        ("marginal performer", "marginal"),
        ("Marginal", "marginal"),
        ("core", "core"),
        (None, "core"),
    ],
)
def test_tier_spellings(value: object, expected: str) -> None:
    assert normalise_tier(value) == expected


def test_suggested_actions() -> None:
    a = assemble(inputs()).actions
    assert [s.text for s in a.shifts] == [
        "Move 12\u00a0h a month from Fabrikam to Contoso.",
        "Move 8.5\u00a0h a month from Northwind to Contoso.",
    ]
    assert [d.account_name for d in a.demotions] == ["Fabrikam"]
    assert [(t.account_name, t.to_rep_name) for t in a.trades] == [("Northwind", "Lena Vogt")]
    # flags per account: claim gap 1, discount creep 1, misallocation (trap/neglected/demote) 3
    assert [t.topic for t in a.training] == ["Account planning and prioritisation"]


@pytest.mark.parametrize(
    ("flag_sets", "topics"),
    [
        (
            [["claim_gap"], ["claim_gap"], ["claim_gap"], ["demote"]],
            ["Needs discovery and questioning"],
        ),
        (
            [["discount_creep"], ["discount_creep"], ["claim_gap"]],
            ["Value selling and negotiation", "Needs discovery and questioning"],
        ),
        (
            [["relationship_trap"], ["neglected_potential"], ["discount_creep"]],
            ["Account planning and prioritisation", "Value selling and negotiation"],
        ),
        ([[]], []),
    ],
)
def test_training_topic_follows_the_dominant_flag(
    flag_sets: list[list[str]], topics: list[str]
) -> None:
    frame = pd.DataFrame([account(f"A{i}", f"Acc {i}", flags=f) for i, f in enumerate(flag_sets)])
    assert [t.topic for t in assemble(inputs(accounts=frame)).actions.training] == topics


def test_self_audit_names_no_colleague_and_speaks_to_you() -> None:
    sheet = assemble(inputs(self_audit=True))
    assert sheet.self_audit and sheet.variant == "full"
    assert sheet.title == "Self-audit: Frank Berger"
    html, md = render_html(sheet, charts=False), render_markdown(sheet)
    for colleague in ("Lena Vogt", "Tom Brandt", "Lena", "R02", "R03"):
        assert colleague not in html and colleague not in md
    assert all(t.to_rep_name is None for t in sheet.actions.trades)
    assert len(sheet.advice) == 4
    assert sheet.advice[0].startswith("Rank your accounts by potential")
    assert "Contoso, Quiet GmbH, Northwind, Fabrikam" in sheet.advice[0]
    assert "Team median" in md and "| You |" in md


def test_self_audit_of_a_top_performer_is_still_the_full_audit() -> None:
    rep = rep_row(tier="top")
    sheet = assemble(inputs(rep=rep, team=team_frame(rep), self_audit=True))
    assert sheet.variant == "full" and len(sheet.prompts) >= 3


def test_scoreboard_has_units_and_team_medians() -> None:
    stats = {s.key: s for s in assemble(inputs()).scoreboard}
    assert stats["revenue"].text == "€800\u00a0k"
    assert stats["revenue"].team_median_text == "€1.0\u00a0M"  # median of 0.8, 1.5, 1.0 M
    assert stats["growth"].company_text == "+6.0\u00a0%"
    assert stats["relative_growth"].text == "−5.0\u00a0pp"
    assert stats["hours"].text == "900\u00a0h"
    assert stats["hours"].team_median_text == "850\u00a0h"  # median of 900, 800, 850
    assert stats["discount_trend_pp_per_year"].text == "+1.8\u00a0pp"
    assert stats["new_accounts"].team_median_text == "3"


def test_discount_creep_without_history_still_asks() -> None:
    frame = pd.DataFrame(
        [
            account(
                "A1",
                "Northwind",
                flags=["discount_creep"],
                discount_rate=0.14,
                discount_trend_pp_per_year=2.5,
                excess_discount=3000.0,
            )
        ]
    )
    p = assemble(inputs(accounts=frame, discount_history={})).prompts[0]
    assert p.question == (
        "Discounts at Northwind are rising by +2.5\u00a0pp a year, now "
        "14.0\u00a0%. What did we get in exchange?"
    )
    assert p.money_at_stake == 3000.0


def test_a_rep_without_accounts_gets_a_sheet() -> None:
    empty = book().iloc[0:0]
    sheet = assemble(inputs(accounts=empty, shifts=pd.DataFrame()))
    assert sheet.chart == ()
    assert [p.kind for p in sheet.prompts] == ["alignment", "new_accounts"]


def test_the_tier_reason_does_not_repeat_the_tier() -> None:
    rep = rep_row(tier="marginal", tier_reason="marginal: quota attainment 83 % in the bottom half")
    sheet = assemble(inputs(rep=rep, team=team_frame(rep)))
    assert sheet.tier_reason == "quota attainment 83 % in the bottom half"
