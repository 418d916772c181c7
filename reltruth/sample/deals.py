"""One copy's deals as a Salesforce opportunities report lists them, and the won ones as orders."""

from __future__ import annotations

import numpy as np
import pandas as pd

from reltruth.sample.accounts import copy_rep_ids, rep_names
from reltruth.sample.cast import (
    AS_OF,
    CAST,
    NEWCOMER,
    NEWCOMER_PREDECESSORS,
    STALLED_DEAL_SHARE,
    STALLED_DEAL_SINCE,
    START,
    WHITE_SPACE_CATEGORY,
)
from reltruth.sample.days import dates, day_number, weekday, workday
from reltruth.sample.vocabulary import PRODUCT_GROUPS

# Deals, as a Salesforce opportunities report lists them: the median days from engagement to
# close and the share of closed deals won, per rep style (the builder's offers wait longest).
DEAL_CYCLE_DAYS = {"builder": 70.0, "top": 35.0, "ordinary": 50.0, "newcomer": 45.0}
DEAL_WIN_RATE = {"builder": 0.30, "top": 0.55, "ordinary": 0.40, "newcomer": 0.30}
# A deal engaged longer ago than this share of its owner's planned median is closed by as_of,
# so that STALLED_DEAL_SINCE's offer is the one open past a median (docs/sample.md).
OPEN_DEAL_AGE = 0.6
OPEN_STAGES = (  # Salesforce's default stages and probabilities, in order
    ("Qualification", 10),
    ("Needs Analysis", 20),
    ("Value Proposition", 50),
    ("Proposal/Price Quote", 75),
    ("Negotiation/Review", 90),
)
DEAL_SUBJECTS = ("framework agreement", "retrofit", "line equipment", "spare parts stock")


def make_deals(rng: np.random.Generator, acc: pd.DataFrame, copy: int) -> pd.DataFrame:
    """Won, lost and open deals per account, owned by whoever owned the account when the deal
    was engaged; the builder's offer at the stalled-deal account is added as written."""
    rep = acc["rep"].to_numpy()
    pot = acc["potential"].to_numpy()
    new = acc["new_period"].to_numpy() >= 0
    own_day = acc["owner_since_day"].to_numpy()
    newcomer_acc = rep == NEWCOMER
    pred = np.array(NEWCOMER_PREDECESSORS)[np.cumsum(newcomer_acc) % len(NEWCOMER_PREDECESSORS)]
    as_of = day_number(AS_OF)
    # a new account's deals start when prospecting does (its owner_since)
    lo = np.where(new, own_day, day_number(START))
    per_year = np.minimum(0.6 + pot / 120_000, 4.0)  # bigger accounts ask for more offers
    count = rng.poisson(per_year * (as_of - lo + 1) / 365.25)
    a = np.repeat(np.arange(len(acc)), count)
    engage = workday(
        lo[a] + (rng.random(len(a)) * (as_of - lo[a] + 1)).astype(np.int64),
        lo[a],
        np.full(len(a), as_of),
    )
    owner = np.where(newcomer_acc[a] & (engage < own_day[a]), pred[a], rep[a])
    style = np.array([CAST[r].style for r in owner], dtype=object)
    median = np.array([DEAL_CYCLE_DAYS[x] for x in style])
    cycle = np.maximum(7, np.round(median * np.exp(rng.normal(0, 0.5, len(a))))).astype(np.int64)
    won = rng.random(len(a)) < np.array([DEAL_WIN_RATE[x] for x in style])
    age = as_of - engage
    # open at as_of only if engaged recently; an older deal closed somewhere in between
    is_open = (engage + cycle > as_of) & (age <= OPEN_DEAL_AGE * median)
    late = (engage + cycle > as_of) & ~is_open
    cycle[late] = np.maximum(1, (rng.uniform(0.5, 1.0, late.sum()) * age[late]).astype(np.int64))
    close = engage + cycle
    close = np.where(is_open, weekday(close), workday(close, engage + 1, np.full(len(a), as_of)))
    value = np.maximum(2000.0, np.round(pot[a] * rng.uniform(0.03, 0.12, len(a)) / 500) * 500)
    stage_no = np.minimum(
        (age / np.maximum(cycle, 1) * len(OPEN_STAGES)).astype(int), len(OPEN_STAGES) - 1
    )

    # the builder's offer, open since February (the close date he expected: end of March)
    st = np.flatnonzero(acc["evidence_story"].to_numpy() == "stalled_deal")
    a = np.r_[a, st]
    engage = np.r_[engage, np.full(len(st), day_number(STALLED_DEAL_SINCE))]
    owner = np.r_[owner, rep[st]]
    close = np.r_[close, np.full(len(st), day_number(STALLED_DEAL_SINCE) + 56)]
    value = np.r_[value, np.round(pot[st] * STALLED_DEAL_SHARE / 500) * 500]
    won = np.r_[won, np.zeros(len(st), bool)]
    is_open = np.r_[is_open, np.ones(len(st), bool)]
    stage_no = np.r_[stage_no, np.full(len(st), 3)]  # Proposal/Price Quote

    stage = np.where(is_open, "open", np.where(won, "won", "lost"))
    stage_raw = np.where(
        is_open,
        np.array([x for x, _ in OPEN_STAGES], dtype=object)[stage_no],
        np.where(won, "Closed Won", "Closed Lost"),
    )
    probability = np.where(
        is_open, np.array([p for _, p in OPEN_STAGES])[stage_no], np.where(won, 100, 0)
    )
    groups = np.array([g for g, _, _ in PRODUCT_GROUPS], dtype=object)
    group = rng.integers(0, len(groups), len(a))
    white = acc["evidence_story"].to_numpy()[a] == "white_space"  # Hansa buys no hydraulics
    group = np.where(white & (groups[group] == WHITE_SPACE_CATEGORY), 0, group)
    subject = np.array(DEAL_SUBJECTS, dtype=object)[rng.integers(0, len(DEAL_SUBJECTS), len(a))]
    order = np.lexsort((a, engage))
    ids = [f"006{copy:03d}{i:09d}" for i in range(1, len(a) + 1)]
    names = acc["account_name"].to_numpy()[a][order]
    first_deal = new[a] & (engage < acc["first_order_day"].to_numpy()[a])
    rep_ids = np.array(copy_rep_ids(copy))
    return pd.DataFrame(
        {
            "row_key": [f"id:{i}" for i in ids],  # the deal id is the key (schema.sql)
            "deal_id": ids,
            "account_id": acc["account_id"].to_numpy()[a][order],
            "rep_id": rep_ids[owner[order]],
            "product": None,
            "stage": stage[order],
            "stage_raw": stage_raw[order],
            "engage_date": dates(engage[order]),
            "close_date": dates(close[order]),
            "value": value[order],
            "list_amount": np.nan,
            "source_file": "opportunities.csv",
            "deal_name": [
                f"{n} - {g} {t}"
                for n, g, t in zip(names, groups[group][order], subject[order], strict=True)
            ],
            "account_name": names,
            "rep_name": np.array(rep_names(copy)[:8], dtype=object)[owner[order]],
            "probability": probability[order],
            "deal_type": np.where(first_deal[order], "New Business", "Existing Business"),
        }
    )


def won_orders(deals: pd.DataFrame) -> pd.DataFrame:
    """The won deals as ingestion also files them under orders (source 'deals'): revenue only
    at an account no invoice covers, so in the sample, where every account is invoiced, none."""
    won = deals[deals["stage"] == "won"]
    return pd.DataFrame(
        {
            "row_key": won["row_key"],
            "order_id": won["deal_id"],
            "line_no": None,
            "order_date": won["close_date"],
            "account_id": won["account_id"],
            "rep_id": won["rep_id"],
            "net_amount": won["value"],
            "list_amount": np.nan,
            "product": None,
            "product_category": None,
            "quantity": np.nan,
            "currency": None,
            "source": "deals",
            "source_file": won["source_file"],
        }
    ).reset_index(drop=True)
