"""The Relationship truth page's figures: the reps' claimed relationships against what the
accounts buy, the claim gaps, category white space, key people and trade candidates.

Why a view: the page used to re-derive the claim gaps from the flag lists, filter and sort
each list and name the trades' accounts and reps itself; here each list is one ``Section``
(its rows in display order, or the sentence that says which input is missing). The flags are
the engine's ``is_<flag>`` columns. No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import pandas as pd

from reltruth import empty_states
from reltruth import settings as words
from reltruth.metrics import Metrics
from reltruth.views.common import (
    Section,
    account_names,
    flagged,
    in_scope,
    num,
    rep_names,
    section,
    with_estimate_marks,
)

QUESTION = "If your relationships are so great, why aren't they buying everything from you?"
WHITE_SPACE_NOTE = (
    "What the account does not buy from us: the product categories most of its peers (the "
    "other accounts of its segment that bought in this window) buy and it does not. ≈ The "
    "value is an estimate: the account's potential × those categories' share of the peers' "
    "revenue."
)
TRADES_NOTE = (
    "Big accounts that have not grown faster than the company in this or the prior window, "
    "with a claim gap, relationship trap or discount creep. The receiver has fewer hours than "
    "their team's median and the best revenue per hour, same segment and region first, the "
    "owner's team first; nobody receives more than two trades in a window."
)
NO_RATINGS = (
    "Upload accounts with a relationship rating (1–5, or words such as Good / Excellent) "
    "to test the claims against penetration and growth."
)


@dataclass(frozen=True)
class TruthView:
    # the scope's accounts (with the "≈" marks of estimated potentials): the charts' dots
    accounts: pd.DataFrame
    reps: int  # reps in scope
    rated: bool  # some account has a relationship rating: the charts can be drawn
    charts_note: str  # what the dots and colours mean, with the claim-gap rule in force
    key_people_note: str  # which accounts the key-people list covers, with the settings
    gaps: Section  # claim-gap accounts, most open potential first
    gaps_open_potential: float
    white_space: Section  # accounts with categories most peers buy, most white space first
    key_people: Section  # high-potential accounts, those without decision-maker contact first
    trades: Section  # trade candidates with account_name, from_rep_name, to_rep_name


def truth_view(m: Metrics, rep_ids: Collection[str], team: pd.DataFrame) -> TruthView:
    """The accounts of ``rep_ids`` (the reps of ``team`` or the one picked) in the window
    of ``m``."""
    accounts = with_estimate_marks(in_scope(m.accounts, rep_ids))
    gaps = accounts[flagged(accounts, "claim_gap")].sort_values("open_potential", ascending=False)
    return TruthView(
        accounts=accounts,
        reps=len(set(rep_ids)),
        rated="relationship_rating" in accounts
        and bool(accounts["relationship_rating"].notna().any()),
        charts_note=(
            "Each dot is an account, by the rep's own rating of the relationship. Red: a claim "
            f"gap ({empty_states.claim_gap_rule(m.settings)}). Penetration above 150 % and "
            "growth beyond ±100 pp sit on the edge."
        ),
        key_people_note=(
            f"Accounts in the {words.top_words(m.settings.key_people_potential_quantile)} of "
            "their owner's book: the share of the owner's hours there spent with decision "
            "makers and the last decision-maker contact. First: those with no decision-maker "
            f"contact for more than {m.settings.key_people_max_days} days (a setting)."
        ),
        gaps=section(gaps, empty_states.claim_gaps(accounts, m.settings)),
        gaps_open_potential=float(num(gaps, "open_potential").sum()),
        white_space=_white_space(accounts),
        key_people=_key_people(accounts, m.missing_fields),
        trades=_trades(m, rep_ids, team, accounts),
    )


def _white_space(accounts: pd.DataFrame) -> Section:
    missing = accounts.get("missing_categories", pd.Series(None, index=accounts.index))
    white = accounts[missing.map(lambda c: isinstance(c, list) and len(c) > 0)]
    white = white.sort_values("white_space_potential", ascending=False, na_position="last")
    return section(white, empty_states.white_space(accounts))


def _key_people(accounts: pd.DataFrame, missing_fields: tuple[str, ...]) -> Section:
    high = accounts[flagged(accounts, "high_potential")]
    if empty := empty_states.key_people(missing_fields, len(high)):
        return Section(high.iloc[0:0], empty)
    quiet = high["no_decision_maker_contact"].fillna(False).astype(bool)
    # the accounts without a decision maker first: they are what the section is for
    high = high.assign(quiet=quiet.map({True: "no contact", False: ""}), _quiet=quiet).sort_values(
        ["_quiet", "potential"], ascending=[False, False]
    )
    return Section(high.drop(columns="_quiet"))


def _trades(
    m: Metrics, rep_ids: Collection[str], team: pd.DataFrame, accounts: pd.DataFrame
) -> Section:
    trades = m.trades
    if trades is not None and not trades.empty:
        trades = trades[trades["from_rep_id"].astype(str).isin(set(rep_ids))]
    if trades is None or trades.empty:
        return Section(pd.DataFrame(), empty_states.trade_candidates(team, accounts))
    names = account_names(m.accounts)
    who = rep_names(m.reps)
    return Section(
        trades.assign(
            account_name=trades["account_id"].astype(str).map(lambda i: names.get(i, i)),
            from_rep_name=trades["from_rep_id"].astype(str).map(lambda i: who.get(i, i)),
            to_rep_name=trades["to_rep_name"].map(lambda n: n if isinstance(n, str) else "none"),
        )
    )
