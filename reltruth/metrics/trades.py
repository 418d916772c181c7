"""Trades: one receiving rep per trade candidate, or the reason there is none."""

from __future__ import annotations

from typing import Any

import pandas as pd

from reltruth.metrics.query import num
from reltruth.metrics.tiers import team_key
from reltruth.settings import Settings

TRADE_COLUMNS = [
    "account_id",
    "account_name",
    "from_rep_id",
    "to_rep_id",
    "to_rep_name",
    "to_rep_team",
    "to_rep_tier",
    "to_rep_hours",
    "account_hours",
    "reason",
]


def match_trades(accounts: pd.DataFrame, reps: pd.DataFrame, s: Settings) -> pd.DataFrame:
    """One receiving rep per trade candidate, or a row saying why there is none.

    Receivers are reps with fewer hours than their team's median (time to take an account
    on), best revenue per hour first, those sharing the account's segment (owning an account
    of it) first, then its region; the owner's team first, the whole company when no one in
    the team qualifies; never the owner. A receiver gets at most ``trade_max_receivers``
    trades in one window, then the next one in line does, so trades spread. Candidates are
    served largest potential first. A top performer may receive: the row carries their hours
    and the account's so the sheet can say what the hours would become.
    """
    candidates = accounts[accounts["is_trade_candidate"]]
    if candidates.empty or reps.empty:
        return pd.DataFrame(columns=TRADE_COLUMNS)
    r = reps.assign(_team=team_key(reps))
    rph = pd.to_numeric(r["revenue_per_hour"], errors="coerce")
    hours = pd.to_numeric(r["hours"], errors="coerce")
    r = r.assign(
        _rph=rph, _hours=hours, _hours_median=hours.groupby(r["_team"]).transform("median")
    )
    able = r[(r["_hours"] < r["_hours_median"]) & r["_rph"].notna()]
    able = able.sort_values(["_rph", "rep_id"], ascending=[False, True]).to_dict("records")
    owned = accounts.dropna(subset=["rep_id", "segment"])
    segments = set(zip(owned["rep_id"].tolist(), owned["segment"].tolist(), strict=True))
    team_of = dict(zip(r["rep_id"], r["_team"], strict=False))
    able_count: dict[str, int] = {}
    for rec in able:
        able_count[rec["rep_id"]] = able_count.get(rec["rep_id"], 0) + 1
    # in line: revenue per hour first, the whole company and each team; a receiver leaves
    # both lines at the cap
    free = list(able)
    free_in: dict[str, list[dict[str, Any]]] = {}
    for rec in able:
        free_in.setdefault(rec["_team"], []).append(rec)
    load: dict[str, int] = {}
    cap = max(int(s.trade_max_receivers), 1)
    order = candidates.assign(_pot=pd.to_numeric(candidates["potential"], errors="coerce"))
    order = order.sort_values(["_pot", "account_id"], ascending=[False, True], na_position="last")
    # plain column lists: a dict per candidate row (every account column) cost more than the
    # matching (issue 19)
    n = len(order)
    columns = [
        order[c].tolist() if c in order.columns else [None] * n
        for c in ("account_id", "account_name", "rep_id", "segment", "region", "hours")
    ]
    rows = []
    for account_id, account_name, owner, seg, reg, account_hours in zip(*columns, strict=True):
        team = team_of.get(owner, "")
        segment = seg if isinstance(seg, str) else None
        region = reg if isinstance(reg, str) else None
        row = {
            "account_id": account_id,
            "account_name": account_name,
            "from_rep_id": owner,
            "to_rep_id": None,
            "to_rep_name": None,
            "to_rep_team": None,
            "to_rep_tier": None,
            "to_rep_hours": None,
            "account_hours": num(account_hours),
        }
        # the owner's team first, the whole company when no one in the team is free
        rec = _first_in_line(free_in.get(team, []), owner, segment, region, segments)
        if rec is None:
            rec = _first_in_line(free, owner, segment, region, segments)
        if rec is None:
            row["reason"] = (
                f"every colleague with fewer hours than their team's median already receives "
                f"{cap} trades in this window"
                if len(able) > able_count.get(owner, 0)
                else "no colleague has fewer hours than their team's median"
            )
            rows.append(row)
            continue
        load[rec["rep_id"]] = load.get(rec["rep_id"], 0) + 1
        if load[rec["rep_id"]] >= cap:
            free = [other for other in free if other["rep_id"] != rec["rep_id"]]
            free_in[rec["_team"]] = [
                other for other in free_in[rec["_team"]] if other["rep_id"] != rec["rep_id"]
            ]
        same = "same team" if rec["_team"] == team else f"team {rec['_team'] or 'none'}"
        row.update(
            to_rep_id=rec["rep_id"],
            to_rep_name=rec["rep_name"],
            to_rep_team=rec["_team"] or None,
            to_rep_tier=rec.get("tier"),
            to_rep_hours=rec["_hours"],
            reason=(
                f"{same}; revenue per hour {rec['_rph']:,.0f}; hours {rec['_hours']:,.0f} "
                f"< team median {rec['_hours_median']:,.0f}"
                + ("; same segment" if segment and (rec["rep_id"], segment) in segments else "")
                + ("; same region" if region and rec.get("region") == region else "")
            ),
        )
        rows.append(row)
    return pd.DataFrame(rows, columns=TRADE_COLUMNS)


def _first_in_line(
    line: list[dict[str, Any]],
    owner: object,
    segment: str | None,
    region: str | None,
    segments: set[tuple[Any, Any]],
) -> dict[str, Any] | None:
    """The first in ``line`` (below the cap, best revenue per hour first) sharing the segment
    and the region, else the segment, else the region, else the first; never the owner. One
    pass, stopping at the first sharing both."""
    best: dict[str, Any] | None = None
    best_rank = 4
    for rec in line:
        if rec["rep_id"] == owner:
            continue
        rank = (0 if segment is not None and (rec["rep_id"], segment) in segments else 2) + (
            0 if region is not None and rec.get("region") == region else 1
        )
        if rank < best_rank:
            best, best_rank = rec, rank
            if rank == 0:
                break
    return best
