"""Hand-made, Metrics-shaped frames: a small book whose flags are known by construction.

Frank-like rep R01 owns four accounts:
- A1 "Northwind" (rated 5): claim gap + relationship trap + discount creep + trade candidate
- A2 "Contoso" (big, few hours): neglected potential
- A3 "Fabrikam" (small, many hours): demote
- A4 "Quiet GmbH": no flag
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from reltruth.coaching.inputs import DiscountChange, SheetInputs

WINDOW = "12 months to 30 Sep 2026"


def rep_row(**changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "rep_id": "R01",
        "rep_name": "Frank Berger",
        "manager": "Maria Keller",
        "team": "North",
        "tier": "marginal",
        "tier_reason": "bottom half of the team by growth against the company",
        "revenue": 800_000.0,
        "growth": 0.01,
        "relative_growth": -0.05,
        "weighted_penetration": 0.2,
        "hours": 900.0,
        "revenue_per_hour": 889.0,
        "new_accounts": 1,
        "discount_rate": 0.12,
        "discount_trend_pp_per_year": 1.8,
        "alignment_score": 0.6,
        "misallocated_hours": 360.0,
        "hours_estimated_share": 0.1,
    }
    row.update(changes)
    return row


def team_frame(rep: dict[str, object]) -> pd.DataFrame:
    others = [
        {
            **rep,
            "rep_id": "R02",
            "rep_name": "Lena Vogt",
            "tier": "top",
            "revenue": 1_500_000.0,
            "growth": 0.15,
            "relative_growth": 0.09,
            "new_accounts": 5,
            "hours": 800.0,
        },
        {
            **rep,
            "rep_id": "R03",
            "rep_name": "Tom Brandt",
            "tier": "core",
            "revenue": 1_000_000.0,
            "growth": 0.06,
            "relative_growth": 0.0,
            "new_accounts": 3,
            "hours": 850.0,
        },
    ]
    return pd.DataFrame([rep, *others])


def account(account_id: str, name: str, **values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "account_id": account_id,
        "account_name": name,
        "rep_id": "R01",
        "rep_name": "Frank Berger",
        "potential": 100_000.0,
        "potential_estimated": False,
        "revenue": 20_000.0,
        "revenue_prior": 20_000.0,
        "growth": 0.0,
        "relative_growth": -0.06,
        "penetration": 0.2,
        "open_potential": 80_000.0,
        "hours": 100.0,
        "time_share": 0.1,
        "potential_share": 0.1,
        "allocation_ratio": 1.0,
        "revenue_per_hour": 200.0,
        "discount_rate": 0.1,
        "discount_trend_pp_per_year": 0.0,
        "excess_discount": 0.0,
        "relationship_rating": 3,
        "owner_since": date(2015, 3, 1),
        "segment": "Industry",
        "region": "North",
        "flags": [],
        "flag_reasons": [],
    }
    row.update(values)
    if "money_at_stake" not in values:
        # as the engine has it (metrics.flags.account_money_at_stake): open potential of a trap or
        # claim gap + excess discount
        flags = set(row["flags"])  # type: ignore[call-overload]
        trap_or_gap = bool(flags & {"relationship_trap", "claim_gap"})
        open_part = float(row["open_potential"]) if trap_or_gap else 0.0  # type: ignore[arg-type]
        row["money_at_stake"] = open_part + max(float(row["excess_discount"]), 0.0)  # type: ignore[arg-type]
    return row


def book() -> pd.DataFrame:
    """The four accounts with the engine's money at stake (metrics.flags.account_money_at_stake):
    open potential of a trap or claim gap + excess discount. Northwind: 123,000 + 4,000."""
    return pd.DataFrame(
        [
            account(
                "A1",
                "Northwind",
                potential=150_000.0,
                revenue=27_000.0,
                penetration=0.18,
                open_potential=123_000.0,
                hours=300.0,
                time_share=0.33,
                potential_share=0.06,
                allocation_ratio=5.5,
                relationship_rating=5,
                discount_rate=0.14,
                discount_trend_pp_per_year=3.0,
                excess_discount=4_000.0,
                flags=["relationship_trap", "claim_gap", "discount_creep", "trade_candidate"],
            ),
            account(
                "A2",
                "Contoso",
                potential=1_200_000.0,
                revenue=100_000.0,
                penetration=0.083,
                open_potential=1_100_000.0,
                hours=50.0,
                time_share=0.055,
                potential_share=0.48,
                allocation_ratio=0.11,
                relationship_rating=3,
                flags=["neglected_potential"],
            ),
            account(
                "A3",
                "Fabrikam",
                potential=20_000.0,
                revenue=15_000.0,
                penetration=0.75,
                open_potential=5_000.0,
                hours=250.0,
                time_share=0.28,
                potential_share=0.008,
                allocation_ratio=35.0,
                relationship_rating=4,
                flags=["demote"],
            ),
            account(
                "A4",
                "Quiet GmbH",
                potential=1_130_000.0,
                revenue=658_000.0,
                penetration=0.58,
                open_potential=472_000.0,
                hours=300.0,
                time_share=0.33,
                potential_share=0.45,
                allocation_ratio=0.73,
                relationship_rating=3,
                relative_growth=0.02,
            ),
        ]
    )


def inputs(**changes: object) -> SheetInputs:
    rep = rep_row()
    values: dict[str, object] = dict(
        rep=rep,
        team=team_frame(rep),
        accounts=book(),
        trades=pd.DataFrame(
            [
                {
                    "account_id": "A1",
                    "from_rep_id": "R01",
                    "to_rep_id": "R02",
                    "to_rep_name": "Lena Vogt",
                    "reason": "faster growth",
                }
            ]
        ),
        company_growth=0.06,
        window_label=WINDOW,
        as_of=date(2026, 9, 30),
        currency="€",
        shifts=pd.DataFrame(
            [
                {
                    "from_account_id": "A3",
                    "from_account_name": "Fabrikam",
                    "to_account_id": "A2",
                    "to_account_name": "Contoso",
                    "hours_per_month": 12.0,
                },
                {
                    "from_account_id": "A1",
                    "from_account_name": "Northwind",
                    "to_account_id": "A2",
                    "to_account_name": "Contoso",
                    "hours_per_month": 8.5,
                },
            ]
        ),
        discount_history={"A1": DiscountChange(0.08, 0.14, "Q4 2024–Q3 2025", "Q4 2025–Q3 2026")},
    )
    values.update(changes)
    return SheetInputs(**values)  # type: ignore[arg-type]


@pytest.fixture
def frank_inputs() -> SheetInputs:
    return inputs()
