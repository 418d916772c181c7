"""One copy's people and accounts: rep names, ids, quotas; account names, stories, segments."""

from __future__ import annotations

import unicodedata
from typing import Any

import numpy as np
import pandas as pd

from reltruth.sample.cast import (
    CAST,
    CLAIM_GAP_NAMES,
    COMFORT_NAMES,
    NAMED_SEGMENTS,
    NEGLECTED_NAMES,
    NEGLECTED_TOP_POTENTIAL,
    OTHER_NAMED,
    UNMATCHED,
)
from reltruth.sample.vocabulary import (
    CITIES,
    FIRST_NAMES,
    FORMS,
    LAST_NAMES,
    SEGMENTS,
    STEMS,
    TRADES,
)

# Account kinds: each has its own activity mix (activities.py)
KIND_ORDINARY, KIND_COMFORT, KIND_NEGLECTED, KIND_TOP = 0, 1, 2, 3


def rep_names(copy: int) -> list[str]:
    """Eight rep names and two manager names for a copy; copy 0 is the fixed cast."""
    if copy == 0:
        return [p.name for p in CAST] + ["Maria Keller", "Paul Schneider"]
    pool = len(FIRST_NAMES) * len(LAST_NAMES)
    out = []
    for k in range(10):
        i = (copy - 1) * 10 + k
        # a stride coprime with the pool walks it without repeats; beyond one pass a middle
        # initial keeps names unique (scale > 160)
        j = (i * 7919) % pool
        first, last = FIRST_NAMES[j // len(LAST_NAMES)], LAST_NAMES[j % len(LAST_NAMES)]
        middle = f" {chr(65 + (i // pool - 1) % 26)}." if i >= pool else ""
        out.append(f"{first}{middle} {last}")
    return out


def _email(name: str) -> str:
    ascii_name = name.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    ascii_name = unicodedata.normalize("NFKD", ascii_name).encode("ascii", "ignore").decode()
    parts = ascii_name.lower().replace(".", "").split()
    return f"{'.'.join(parts)}@nordtec-industrie.de"  # a middle initial keeps it unique


def copy_rep_ids(copy: int) -> list[str]:
    return [f"R{copy * len(CAST) + i + 1:02d}" for i in range(len(CAST))]


def make_reps(acc: pd.DataFrame, copy: int) -> pd.DataFrame:
    names = rep_names(copy)
    managers = {"North": names[8], "South": names[9]}
    suffix = "" if copy == 0 else f" {copy + 1}"
    planned = acc.groupby("rep")["rev2"].sum()
    rows = []
    for i, prof in enumerate(CAST):
        # the quota follows from the planned current revenue and the planned attainment
        quota = round(planned[i] / prof.attainment / 10_000) * 10_000
        rows.append(
            {
                "rep_id": copy_rep_ids(copy)[i],
                "rep_name": names[i],
                "manager": managers[prof.team],
                "team": prof.team + suffix,
                "region": prof.region,
                "email": _email(names[i]),
                "quota": float(quota),
                "is_implicit": False,
            }
        )
    return pd.DataFrame(rows)


def _account_names(rng: np.random.Generator, copy: int, n: int, taken: set[str]) -> list[str]:
    """``n`` distinct generated company names; later copies add a city so names never clash."""
    space = len(STEMS) * len(TRADES) * len(FORMS)
    picks = rng.permutation(space)
    out: list[str] = []
    city = CITIES[(copy - 1) % len(CITIES)] if copy else ""
    suffix = f" {city}" if copy else ""
    if copy > len(CITIES):
        suffix += f" {(copy - 1) // len(CITIES) + 1}"
    for p in picks:
        stem = STEMS[p // (len(TRADES) * len(FORMS))]
        trade = TRADES[(p // len(FORMS)) % len(TRADES)][0]
        form = FORMS[p % len(FORMS)]
        name = f"{stem} {trade} {form}{suffix}"
        if name not in taken:
            taken.add(name)
            out.append(name)
            if len(out) == n:
                break
    return out


def _trade_segment(name: str) -> int:
    if name in NAMED_SEGMENTS:
        return NAMED_SEGMENTS[name]
    for trade, seg in TRADES:
        if f" {trade} " in f" {name} ":
            return seg
    return -1


def make_accounts(rng: np.random.Generator, copy: int) -> pd.DataFrame:
    """The accounts of one copy with their story roles and design targets (hidden columns)."""
    rows: list[dict[str, Any]] = []
    for r, prof in enumerate(CAST):
        n_new1, n_new2 = prof.new_accounts
        n = prof.n_existing + n_new1 + n_new2
        pot = np.exp(rng.normal(np.log(110_000), 0.85, n))
        pot = np.clip(np.round(pot / 5000) * 5000, 20_000, 2_000_000)
        new_period = np.array([-1] * prof.n_existing + [1] * n_new1 + [2] * n_new2)
        order = np.argsort(pot[: prof.n_existing], kind="stable")
        kind = np.full(n, KIND_TOP if prof.style == "top" else KIND_ORDINARY)
        story = np.full(n, "", dtype=object)
        if prof.style == "builder":
            story[order[:5]] = "comfort"
            story[order[[-2, -3, -5, -7]]] = "claim_gap"
            kind[order[:5]] = KIND_COMFORT
        if prof.style == "newcomer":
            # the quartiles of his book, ties at the cut included
            existing = pot[: prof.n_existing]
            big = np.flatnonzero(existing >= np.quantile(existing, 0.75))
            small = np.flatnonzero(existing <= np.quantile(existing, 0.25))
            story[big] = "neglected"
            story[small] = "small"
            kind[big] = KIND_NEGLECTED
            pot[order[-1]] = NEGLECTED_TOP_POTENTIAL
        for i in range(n):
            rows.append(
                {
                    "rep": r,
                    "potential": float(pot[i]),
                    "new_period": int(new_period[i]),
                    "story": story[i],
                    "kind": int(kind[i]),
                }
            )
    acc = pd.DataFrame(rows)
    n = len(acc)
    acc["account_id"] = [f"C{copy:03d}{i + 1:04d}" if copy else f"C{10001 + i}" for i in range(n)]

    # names: story accounts get their written names in copy 0, the rest are generated
    names = np.full(n, "", dtype=object)
    if copy == 0:
        for label, pool in (
            ("comfort", COMFORT_NAMES),
            ("claim_gap", CLAIM_GAP_NAMES),
            ("neglected", NEGLECTED_NAMES),
        ):
            idx = acc.index[acc["story"] == label]
            # the biggest neglected account is Rheinstahl: order by potential, largest first
            idx = acc.loc[idx].sort_values("potential", ascending=False, kind="stable").index
            idx = idx[: len(pool)]  # more than written names: the rest get generated ones
            names[idx] = pool[: len(idx)]
        free = acc.index[(names == "") & (acc["new_period"] < 0)]
        spots = rng.choice(free, size=len(OTHER_NAMED), replace=False)
        names[np.sort(spots)] = OTHER_NAMED
    taken = set(names[names != ""]) | {u[2] for u in UNMATCHED}
    blank = names == ""
    names[blank] = _account_names(rng, copy, int(blank.sum()), taken)
    acc["account_name"] = names
    gaps = acc[acc["story"] == "claim_gap"].sort_values("potential", ascending=False, kind="stable")
    acc["evidence_story"] = ""
    stories = ["white_space", "no_decision_maker", "stalled_deal"]
    acc.loc[gaps.index[:3], "evidence_story"] = stories[: min(3, len(gaps))]

    seg = np.array([_trade_segment(str(x)) for x in names])
    fallback = rng.integers(0, len(SEGMENTS), n)
    seg = np.where(seg < 0, fallback, seg)
    acc["segment_idx"] = seg
    acc["segment"] = [SEGMENTS[s][0] for s in seg]
    acc["region"] = [CAST[r].region for r in acc["rep"]]
    return acc
