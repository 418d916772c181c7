"""One copy's activities: how many, of which type, with whom, on which day, for how long."""

from __future__ import annotations

import numpy as np
import pandas as pd

from reltruth.sample.accounts import KIND_COMFORT, KIND_ORDINARY, KIND_TOP, copy_rep_ids, rep_names
from reltruth.sample.cast import (
    CAST,
    NEWCOMER,
    NEWCOMER_PREDECESSORS,
    NO_DECISION_MAKER_SINCE,
    PERIOD_ENDS,
    PERIOD_STARTS,
)
from reltruth.sample.days import dates, day_number, workday
from reltruth.sample.vocabulary import ACTIVITY_TYPES, ROLES
from reltruth.settings import DEFAULT_DURATIONS

DEFAULT_MINUTES = np.array([DEFAULT_DURATIONS[t] for t in ACTIVITY_TYPES])  # docs/ingest.md
# Activity mixes by account kind: type probabilities (visit, meeting, call, email, other),
# role probabilities, and the share of blank durations per type.
TYPE_MIX = np.array(
    [
        [0.15, 0.12, 0.38, 0.30, 0.05],
        [0.45, 0.25, 0.20, 0.05, 0.05],  # comfort: long visits, lunches
        [0.03, 0.04, 0.33, 0.55, 0.05],  # neglected: the odd call and email
        [0.22, 0.20, 0.33, 0.20, 0.05],
    ]
)
ROLE_MIX = np.array(
    [
        [0.25, 0.25, 0.25, 0.25],
        [0.08, 0.32, 0.45, 0.15],  # the builder's friends, not the buyers of the future
        [0.10, 0.15, 0.20, 0.55],
        [0.42, 0.25, 0.13, 0.20],
    ]
)
BLANK_DURATION = np.array([0.04, 0.06, 0.12, 0.15, 0.10])
MEAN_MINUTES = np.array([[80.0, 50.0, 12.0, 5.5, 15.0], [115.0, 60.0, 12.0, 5.5, 15.0]])
ON_SITE_MEETING_TRAVEL = 40.0  # minutes, for the three meetings in ten held on site
MEAN_TRAVEL = np.array([[50.0, 12.0, 0.0, 0.0, 0.0], [35.0, 12.0, 0.0, 0.0, 0.0]])


def make_activities(rng: np.random.Generator, acc: pd.DataFrame, copy: int) -> pd.DataFrame:
    """Activities per account and period, hours set by the design weights."""
    n = len(acc)
    rep = acc["rep"].to_numpy()
    weight = acc["weight"].to_numpy()
    kind = acc["kind"].to_numpy()
    newcomer_acc = rep == NEWCOMER
    own_day = acc["owner_since_day"].to_numpy()
    pot = acc["potential"].to_numpy()

    seg_rep: list[np.ndarray] = []
    seg_acc: list[np.ndarray] = []
    seg_hours: list[np.ndarray] = []
    seg_lo: list[np.ndarray] = []
    seg_hi: list[np.ndarray] = []
    seg_kind: list[np.ndarray] = []
    # predecessor of each newcomer account: the South colleagues in turn
    pred = np.array(NEWCOMER_PREDECESSORS)[np.cumsum(newcomer_acc) % len(NEWCOMER_PREDECESSORS)]
    # hours per euro of potential of an ordinary South rep, for the predecessors' time
    south_rate = (
        np.mean([CAST[i].hours for i in NEWCOMER_PREDECESSORS])
        / pot[np.isin(rep, NEWCOMER_PREDECESSORS)].sum()
    )

    for p in range(3):
        p_lo, p_hi = day_number(PERIOD_STARTS[p]), day_number(PERIOD_ENDS[p])
        lo = np.maximum(p_lo, np.where(acc["new_period"].to_numpy() >= 0, own_day, p_lo))
        hi = np.full(n, p_hi)
        active = np.clip((hi - lo + 1) / (p_hi - p_lo + 1), 0, 1)
        # winning a new account takes a full share of time in the months it is worked on
        active = np.where((acc["new_period"].to_numpy() >= 0) & (active > 0), 1.0, active)
        # the newcomer works only from the day he took each account over
        lo_new = np.where(newcomer_acc, np.maximum(lo, own_day), lo)
        active_new = np.clip((hi - lo_new + 1) / (p_hi - p_lo + 1), 0, 1)
        for r, prof in enumerate(CAST):
            m = rep == r
            eff = weight[m] * (active_new[m] if r == NEWCOMER else active[m])
            total = prof.hours * (0.0 if (r == NEWCOMER and p < 2) else 1.0)
            if r == NEWCOMER and p == 2:
                total = prof.hours * 0.85  # joined in October, ramping up
            hours = total * eff / eff.sum() if eff.sum() > 0 else np.zeros(m.sum())
            idx = np.flatnonzero(m)
            seg_rep.append(np.full(len(idx), r))
            seg_acc.append(idx)
            seg_hours.append(hours)
            seg_lo.append(lo_new[idx])
            seg_hi.append(hi[idx])
            seg_kind.append(kind[idx])
        # the predecessors' time on the newcomer's accounts before the handover
        idx = np.flatnonzero(newcomer_acc)
        pre_hi = np.minimum(p_hi, own_day[idx] - 1)
        frac = np.clip((pre_hi - lo[idx] + 1) / (p_hi - p_lo + 1), 0, 1)
        keep = frac > 0
        idx = idx[keep]
        noise = np.exp(rng.normal(0, 0.35, len(idx)))
        seg_rep.append(pred[np.flatnonzero(newcomer_acc)][keep])
        seg_acc.append(idx)
        seg_hours.append(pot[idx] * south_rate * noise * frac[keep])
        seg_lo.append(lo[idx])
        seg_hi.append(pre_hi[keep])
        seg_kind.append(np.full(len(idx), KIND_ORDINARY))

    s_rep = np.concatenate(seg_rep)
    s_acc = np.concatenate(seg_acc)
    s_hours = np.concatenate(seg_hours)
    s_lo = np.concatenate(seg_lo)
    s_hi = np.concatenate(seg_hi)
    s_kind = np.concatenate(seg_kind)
    comfort_kind = (s_kind == KIND_COMFORT).astype(int)
    mean_h = (TYPE_MIX[s_kind] * (MEAN_MINUTES[comfort_kind] + MEAN_TRAVEL[comfort_kind])).sum(
        1
    ) / 60
    # the top performer plans her calls: her hours track the plan without Poisson scatter
    count = np.where(s_kind == KIND_TOP, np.round(s_hours / mean_h), rng.poisson(s_hours / mean_h))
    count = count.astype(np.int64)

    a_seg = np.repeat(np.arange(len(count)), count)
    total = len(a_seg)
    k = s_kind[a_seg]
    comfort = comfort_kind[a_seg]
    # systematic sampling of the type mix within each account-period: the mix (and so the
    # hours) comes out as planned, while which visit falls on which day stays random
    j = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
    u = (j + rng.random(len(count))[a_seg]) / np.maximum(count, 1)[a_seg]
    atype = (u[:, None] > np.cumsum(TYPE_MIX[k], axis=1)[:, :-1]).sum(1)
    u = rng.random(total)
    role = (u[:, None] > np.cumsum(ROLE_MIX[k], axis=1)[:, :-1]).sum(1)
    span = s_hi[a_seg] - s_lo[a_seg] + 1
    day = s_lo[a_seg] + (rng.random(total) * span).astype(np.int64)
    day = workday(day, s_lo[a_seg], s_hi[a_seg])

    mean_min = MEAN_MINUTES[comfort, atype]
    minutes = np.where(
        atype == 3,
        np.where(rng.random(total) < 0.8, 5.0, 10.0),
        np.maximum(5.0, np.round(rng.normal(mean_min, mean_min * 0.3) / 5) * 5),
    )
    # travel: every visit; a meeting on site three times in ten (the rest are online)
    on_site = (atype == 0) | ((atype == 1) & (rng.random(total) < 0.3))
    trip = np.where(atype == 0, MEAN_TRAVEL[comfort, 0], ON_SITE_MEETING_TRAVEL)
    travel = np.where(on_site, np.maximum(10.0, np.round(rng.normal(trip, 12) / 5) * 5), 0.0)
    blank = rng.random(total) < BLANK_DURATION[atype]
    role_blank = (atype == 3) & (rng.random(total) < 0.2)
    quiet = (acc["evidence_story"].to_numpy()[s_acc[a_seg]] == "no_decision_maker") & (
        day > day_number(NO_DECISION_MAKER_SINCE)
    )
    role = np.where(
        quiet & (role == ROLES.index("Decision maker")), ROLES.index("Influencer"), role
    )

    order = np.lexsort((s_acc[a_seg], s_rep[a_seg], day))
    frame = pd.DataFrame(
        {
            "day": day[order],
            "rep": s_rep[a_seg][order],
            "acc": s_acc[a_seg][order],
            "atype": atype[order],
            # a blank duration loads as the per-type default, marked estimated (docs/ingest.md)
            "minutes": np.where(blank, DEFAULT_MINUTES[atype], minutes)[order],
            "blank": blank[order],
            "travel": travel[order],
            "role": np.where(role_blank, -1, role)[order],
        }
    )
    return _activities_frame(frame, acc, copy)


def _activities_frame(f: pd.DataFrame, acc: pd.DataFrame, copy: int) -> pd.DataFrame:
    total = len(f)
    ids = pd.Series(np.arange(1, total + 1)).map(lambda i: f"00T{copy:03d}{i:09d}")
    rep_ids = np.array(copy_rep_ids(copy))
    names = np.array(rep_names(copy)[:8], dtype=object)
    roles = np.array((*ROLES, None), dtype=object)
    return pd.DataFrame(
        {
            "row_key": None,  # the activity id is the key (schema.sql)
            "activity_id": ids.to_numpy(),
            "activity_date": dates(f["day"].to_numpy()),
            "rep_id": rep_ids[f["rep"].to_numpy()],
            "account_id": acc["account_id"].to_numpy()[f["acc"].to_numpy()],
            "activity_type": np.array(ACTIVITY_TYPES, dtype=object)[f["atype"].to_numpy()],
            "duration_minutes": f["minutes"].to_numpy(),
            "duration_estimated": f["blank"].to_numpy(),
            "travel_minutes": f["travel"].to_numpy(),
            "contact_role": roles[f["role"].to_numpy()],
            "source_file": "activities.csv",
            "rep_name": names[f["rep"].to_numpy()],
            "account_name": acc["account_name"].to_numpy()[f["acc"].to_numpy()],
        }
    )
