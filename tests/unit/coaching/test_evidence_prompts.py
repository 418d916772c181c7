"""Issue 20's evidence on the sheet, on the hand-made book of coaching_helpers: the white-space
question, what the discount bought, key people, stalled offers, win rates on the scoreboard
and newcomers measured from the takeover."""

from __future__ import annotations

from datetime import date

import pandas as pd
from coaching_helpers import book, inputs, rep_row, team_frame

from reltruth.coaching.build import assemble

WHITE_SPACE = {
    "categories_bought": ["Bearings", "Fasteners"],
    "missing_categories": ["Hydraulics"],
    "missing_categories_detail": [
        {
            "category": "Hydraulics",
            "peers_buying": 7,
            "peers": 10,
            "peer_segment": "Distribution",
            "category_share": 0.3,
        }
    ],
    "white_space_potential": 45_000.0,
}


def _book(account_id: str, **values: object) -> pd.DataFrame:
    frame = book()
    for key, value in values.items():
        if key not in frame.columns:
            frame[key] = None
        frame[key] = frame[key].astype(object)
        frame.loc[frame["account_id"] == account_id, key] = pd.Series(
            [value], index=frame.index[frame["account_id"] == account_id]
        )
    return frame


def _prompt(sheet: object, kind: str) -> object:
    return next(p for p in sheet.prompts if p.kind == kind)  # type: ignore[attr-defined]


def test_claim_gap_asks_about_the_category_the_peers_buy() -> None:
    accounts = _book("A1", flags=["claim_gap"], **WHITE_SPACE)
    sheet = assemble(inputs(accounts=accounts))
    claim = next(p for p in sheet.prompts if "Northwind" in p.account_names)
    # the seeds' question, with the issue's figures: 7 of 10 Distribution accounts
    assert claim.question == (
        "You rate Northwind as excellent. They buy Bearings and Fasteners from us, none of our "
        "Hydraulics, which 7 of 10 Distribution accounts buy. If the relationship is that good, "
        "why aren't they buying everything from us?"
    )
    assert any("White space: no Hydraulics" in e and "≈€45" in e for e in claim.evidence)


def test_without_white_space_the_claim_gap_keeps_its_question() -> None:
    accounts = _book("A1", flags=["claim_gap"], missing_categories=[], missing_categories_detail=[])
    claim = next(p for p in assemble(inputs(accounts=accounts)).prompts if p.kind == "claim_gap")
    assert claim.question.endswith("of what they could buy from us?")


def test_what_the_discount_bought() -> None:
    bought = {
        "discount_change": 0.06,
        "volume_at_list_change": -0.04,
        "orders_early": 12,
        "orders_late": 9,
        "categories_early": 5,
        "categories_late": 4,
    }
    # Northwind leads with its claim gap: the discount's first line is what it bought
    sheet = assemble(inputs(accounts=_book("A1", **bought)))
    lines = [e for p in sheet.prompts for e in p.evidence]
    assert (
        "Discount up 6.0\u00a0pp in two years while volume at list fell 4.0\u00a0%; orders 12 → 9, "
        "categories 5 → 4." in lines
    )
    # a creep that leads its prompt asks it
    only_creep = _book("A1", flags=["discount_creep"], **bought)
    creep = _prompt(assemble(inputs(accounts=only_creep)), "discount_creep")
    assert creep.question == (  # type: ignore[attr-defined]
        "Discount at Northwind up 6.0\u00a0pp in two years while volume at list fell 4.0\u00a0%. "
        "What did we get in exchange?"
    )


def test_key_people_prompt_for_a_high_potential_account_without_a_decision_maker() -> None:
    accounts = _book(
        "A4",
        no_decision_maker_contact=True,
        last_decision_maker_contact=date(2026, 3, 18),
        days_without_decision_maker=196,
        decision_maker_hours_share=0.058,
    )
    sheet = assemble(inputs(accounts=accounts))
    p = _prompt(sheet, "key_people")
    assert p.account_names == ("Quiet GmbH",)  # type: ignore[attr-defined]
    assert p.evidence[0] == (  # type: ignore[attr-defined]
        "Quiet GmbH could buy €1.1\u00a0M a year, in the top quarter of the book; last meeting "
        "with a decision maker: 18 Mar 2026, 196 days before 30 Sep 2026 (12 months to 30 Sep "
        "2026)."
    )
    assert "5.8\u00a0% of the rep's 300\u00a0h there went to decision makers." in p.evidence  # type: ignore[attr-defined]
    # the self-audit says it to the rep, in the seeds' words
    audit = assemble(inputs(accounts=accounts, self_audit=True))
    assert "Build a relationship with the key people at Quiet GmbH" in (
        _prompt(audit, "key_people").action  # type: ignore[attr-defined]
    )
    assert any(
        "No decision maker met for more than 90 days at: Quiet GmbH." in a for a in audit.advice
    )


def test_no_key_people_prompt_where_the_neglected_prompt_asks_it() -> None:
    accounts = _book("A2", no_decision_maker_contact=True)  # Contoso: neglected potential
    assert not [p for p in assemble(inputs(accounts=accounts)).prompts if p.kind == "key_people"]


def test_stalled_offer_at_a_great_relationship() -> None:
    accounts = _book(
        "A1",
        is_stalled_great_relationship=True,
        stalled_deals=1,
        stalled_days_open=140,
        stalled_value=25_000.0,
        median_cycle_days=60,
    )
    rep = rep_row(win_rate=0.4, win_rate_value=0.35, open_pipeline=90_000.0)
    sheet = assemble(inputs(accounts=accounts, rep=rep, team=team_frame(rep), has_deals=True))
    p = _prompt(sheet, "stalled_deal")
    assert p.question == (  # type: ignore[attr-defined]
        "You rate Northwind as excellent, and the offer has been open for 140 days. Have you "
        "asked them for a decision?"
    )
    assert p.evidence[0].startswith("1 offer(s) at Northwind open for 140 days (€25\u00a0k)")  # type: ignore[attr-defined]
    assert "win rate 40\u00a0%" in p.evidence[1]  # type: ignore[attr-defined]
    labels = {s.key: s.text for s in sheet.scoreboard}
    assert labels["win_rate"] == "40\u00a0%" and labels["open_pipeline"] == "€90\u00a0k"
    assert [s.key for s in sheet.scoreboard][-1] == "money_at_stake"


def test_no_win_rates_without_a_deals_export() -> None:
    keys = [s.key for s in assemble(inputs()).scoreboard]
    assert "win_rate" not in keys and "open_pipeline" not in keys


def test_a_new_owner_is_measured_from_the_takeover() -> None:
    accounts = _book(
        "A1",
        flags=["claim_gap"],
        is_takeover=True,
        takeover_date=date(2026, 1, 7),
        held_days=266,
        company_growth_since_takeover=0.074,
    )
    sheet = assemble(inputs(accounts=accounts))
    lines = [e for p in sheet.prompts for e in p.evidence]
    assert (
        "Owner since 7 Jan 2026: growth is measured over the 266 days since, against as many "
        "days before (+7.4\u00a0% for the company), not over the predecessor's year." in lines
    )
    # the growth line compares with the company over the same days, not the window's +6 %
    assert any("against the company's +7.4\u00a0%" in e for e in lines)
    assert any(n.startswith("Taken over in this or the prior window") for n in sheet.notes)
    assert any("Northwind (7 Jan 2026)" in n for n in sheet.notes)
