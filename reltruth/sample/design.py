"""Each account's design targets: penetration, growth, hours weight, discount, rating."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from reltruth.sample.cast import BUILDER, CAST, PERIOD_ENDS, PERIOD_STARTS, START, TOP
from reltruth.sample.days import day_number
from reltruth.sample.vocabulary import SEGMENTS


def design(rng: np.random.Generator, acc: pd.DataFrame) -> pd.DataFrame:
    """Penetration, growth, hours weights, discounts, ratings and owner dates per account."""
    n = len(acc)
    rep = acc["rep"].to_numpy()
    story = acc["story"].to_numpy()
    pot = acc["potential"].to_numpy()
    newp = acc["new_period"].to_numpy()
    style = np.array([CAST[r].style for r in rep])
    pen_mean = np.array([CAST[r].penetration for r in rep])
    g_sd = np.array([CAST[r].growth_sd for r in rep])
    g1 = np.array([CAST[r].growth[0] for r in rep]) + rng.normal(0, 1, n) * g_sd
    g2 = np.array([CAST[r].growth[1] for r in rep]) + rng.normal(0, 1, n) * g_sd
    pen = np.clip(rng.normal(pen_mean, 0.12), 0.08, 0.92)

    comfort, gap, neglected, small = (
        story == s for s in ("comfort", "claim_gap", "neglected", "small")
    )
    # the builder's comfortable accounts buy most of their small wallet but do not grow;
    # his big "Excellent" accounts buy a fifth to a third of theirs and shrink a little
    top_rep = rep == TOP  # the top performer's accounts buy a good share of their wallet
    pen[top_rep] = np.maximum(pen[top_rep], rng.uniform(0.36, 0.46, top_rep.sum()))
    pen[comfort] = rng.uniform(0.66, 0.84, comfort.sum())
    g1[comfort] = rng.uniform(-0.04, 0.0, comfort.sum())
    g2[comfort] = rng.uniform(-0.04, 0.0, comfort.sum())
    pen[gap] = rng.uniform(0.18, 0.32, gap.sum())
    g1[gap] = rng.uniform(-0.05, -0.01, gap.sum())
    g2[gap] = rng.uniform(-0.05, -0.01, gap.sum())
    pen[neglected] = rng.uniform(0.10, 0.24, neglected.sum())
    # new accounts: a first-year share of wallet, prorated from the first order
    new = newp >= 0
    pen[new] = rng.uniform(0.12, 0.30, new.sum())

    rev = np.zeros((n, 3))
    rev[:, 2] = pot * pen
    rev[:, 1] = rev[:, 2] / (1 + g2)
    rev[:, 0] = rev[:, 1] / (1 + g1)
    first_order = np.full(n, day_number(START))
    for p in (1, 2):
        m = newp == p
        rev[m, :p] = 0.0
        start, end = day_number(PERIOD_STARTS[p]), day_number(PERIOD_ENDS[p])
        first_order[m] = rng.integers(start + 20, end - 60, m.sum())
        if p == 1:  # won last year: full year now, growing into the account
            rev[m, 2] = pot[m] * pen[m]
            rev[m, 1] = rev[m, 2] * 0.6 * (end - first_order[m]) / 365
        else:
            rev[m, 2] = pot[m] * pen[m] * (end - first_order[m]) / 365

    # allocation: hours weight = potential x a ratio; the story accounts are set apart
    ratio_sd = np.array([CAST[r].ratio_sd for r in rep])
    ratio = np.exp(rng.normal(0, 1, n) * ratio_sd)
    ratio[gap] = rng.uniform(1.8, 2.4, gap.sum())
    ratio[neglected] = rng.uniform(0.08, 0.25, neglected.sum())
    ratio[small] = rng.uniform(3.0, 5.0, small.sum())
    top_rep = rep == TOP  # the top performer gives small accounts a little less than their share
    top_small = top_rep & (pot <= np.quantile(pot[top_rep], 0.25))
    ratio[top_small] *= 0.8
    ratio[top_rep] = np.clip(ratio[top_rep], 0.7, 1.15)
    weight = pot * ratio
    builder = rep == BUILDER
    # the comfort accounts take 35 % of the builder's hours between them
    others = weight[builder & ~comfort].sum()
    share = rng.dirichlet(np.full(comfort.sum(), 8.0))
    weight[comfort] = others * (0.35 / 0.65) * share

    # discounts: segment level + account offset; the builder's discounts creep up
    seg_disc = np.array([SEGMENTS[s][1] for s in acc["segment_idx"]])
    base = np.clip(seg_disc + rng.normal(0, 0.02, n), 0.02, 0.30)
    drift = np.zeros(n)
    drift[builder] = rng.uniform(0.008, 0.012, builder.sum())
    story_creep = comfort | gap
    base[story_creep] = seg_disc[story_creep] + rng.uniform(-0.01, 0.01, story_creep.sum())
    drift[story_creep] = rng.uniform(0.022, 0.030, story_creep.sum())
    top = style == "top"
    base[top] = np.clip(seg_disc[top] - 0.01 + rng.normal(0, 0.01, top.sum()), 0.02, 0.3)
    ordinary = style == "ordinary"
    # a little noise: one ordinary account in twenty lets discounts slide
    slide = ordinary & (rng.random(n) < 0.05)
    drift[slide] = rng.uniform(0.012, 0.02, slide.sum())

    rating = _ratings(rng, style, story, pen)
    owner_since = _owner_since(rng, rep, style, first_order, newp)

    out = acc.copy()
    out["rev0"], out["rev1"], out["rev2"] = rev[:, 0], rev[:, 1], rev[:, 2]
    out["weight"] = weight
    out["disc_base"], out["disc_drift"] = base, drift
    out["relationship_rating"] = rating
    out["owner_since_day"] = owner_since
    out["first_order_day"] = first_order
    share_of_revenue = rng.uniform(0.006, 0.02, n)  # industrial MRO spend: 0.6-2 % of revenue
    out["company_revenue"] = np.round(pot / share_of_revenue / 100_000) * 100_000
    out["employees"] = np.maximum(
        5, np.round(out["company_revenue"] / rng.uniform(150e3, 260e3, n))
    )
    return out


def _ratings(
    rng: np.random.Generator, style: np.ndarray, story: np.ndarray, pen: np.ndarray
) -> np.ndarray:
    n = len(style)
    # ordinary reps: the claim loosely follows what the account buys
    score = 3 + (pen - 0.45) * 5 + rng.normal(0, 0.8, n)
    rating = np.clip(np.round(score), 1, 5).astype(int)
    top = style == "top"  # the top performer rates soberly
    rating[top] = np.clip(np.round(3 + (pen[top] - 0.45) * 6 + rng.normal(0, 0.4, top.sum())), 2, 5)
    builder = style == "builder"  # every relationship is great
    rating[builder] = rng.choice([5, 4, 3], size=builder.sum(), p=[0.35, 0.40, 0.25])
    rating[(story == "comfort") | (story == "claim_gap")] = 5
    newcomer = style == "newcomer"  # too new to claim much
    rating[newcomer] = rng.choice([4, 3, 2], size=newcomer.sum(), p=[0.2, 0.6, 0.2])
    return rating


def _owner_since(
    rng: np.random.Generator,
    rep: np.ndarray,
    style: np.ndarray,
    first_order: np.ndarray,
    newp: np.ndarray,
) -> np.ndarray:
    n = len(rep)
    day = rng.integers(day_number(date(2015, 1, 1)), day_number(date(2023, 6, 30)), n)
    builder = style == "builder"  # his accounts for 8+ years
    day[builder] = rng.integers(
        day_number(date(2011, 1, 1)), day_number(date(2018, 6, 30)), builder.sum()
    )
    top = style == "top"
    day[top] = rng.integers(day_number(date(2016, 1, 1)), day_number(date(2022, 6, 30)), top.sum())
    newcomer = style == "newcomer"  # handed over when he joined in October 2025
    day[newcomer] = rng.integers(
        day_number(date(2025, 10, 6)), day_number(date(2026, 1, 30)), newcomer.sum()
    )
    new = newp >= 0  # created in the CRM when prospecting began
    day[new] = first_order[new] - rng.integers(45, 120, new.sum())
    return day
