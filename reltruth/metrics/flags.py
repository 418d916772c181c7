"""The six account flags of docs/metrics.md, each with the numbers that raised it, money at stake."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from reltruth import format as fmt
from reltruth import settings as settings_store
from reltruth.metrics.window import Window, add_months
from reltruth.settings import Settings


def _book_quantiles(accounts: pd.DataFrame, q: float) -> pd.Series:
    """Per account, the ``q`` quantile (linear interpolation) of its owner's book potentials;
    null for books with fewer than two accounts with a potential (no quartiles in one)."""
    pot = pd.to_numeric(accounts["potential"], errors="coerce")
    grouped = pot.groupby(accounts["rep_id"])
    value = accounts["rep_id"].map(grouped.quantile(q)).astype(float)
    count = accounts["rep_id"].map(grouped.count()).astype(float)
    return value.where(count >= 2)


def flag_accounts(accounts: pd.DataFrame, s: Settings, window: Window) -> pd.DataFrame:
    """The six flags of docs/metrics.md, vectorised; the reasons are written for flagged rows."""
    a = accounts.copy()
    col = {c: pd.to_numeric(a[c], errors="coerce").to_numpy(dtype=float) for c in _FLAG_INPUTS}
    col["top_q"] = _book_quantiles(a, s.neglect_potential_quantile).to_numpy(dtype=float)
    col["bottom_q"] = _book_quantiles(a, s.demote_potential_quantile).to_numpy(dtype=float)
    owned = a["rep_id"].notna().to_numpy()
    owner_since = pd.to_datetime(a["owner_since"], errors="coerce")
    tenure_cut = pd.Timestamp(_add_years(window.as_of, -s.trade_min_tenure_years))
    # NaN compares False: a missing figure never raises a flag.
    pot, alloc, pen = col["potential"], col["allocation_ratio"], col["penetration"]
    rg, ts, ps = col["relative_growth"], col["time_share"], col["potential_share"]
    low_pen = pen < col["penetration_median"]
    no_growth = rg <= 0
    trap = owned & (alloc >= s.trap_allocation_ratio) & (low_pen | no_growth)
    neglected = owned & (pot >= col["top_q"]) & (alloc <= s.neglect_allocation_ratio)
    claim_low_pen = pen < s.claim_gap_penetration
    claim = owned & (col["relationship_rating"] >= s.claim_gap_rating) & (claim_low_pen | no_growth)
    trend, rate, bench = (
        col["discount_trend_pp_per_year"],
        col["discount_rate"],
        col["discount_benchmark"],
    )
    creep = owned & (trend >= s.creep_slope_pp_per_year) & (rate >= bench)
    # The seeds demote accounts that do not give "sufficient and growing revenue": a small
    # account growing faster than the company keeps its time (null growth is not <= 0).
    demote = owned & (pot <= col["bottom_q"]) & (ts > ps) & no_growth
    tenure_ok = (owner_since.isna() | (owner_since <= tenure_cut)).to_numpy()
    trade = (
        owned
        & (pot >= col["potential_median"])
        & no_growth
        & (col["relative_growth_prior"] <= 0)
        & (claim | trap | creep)
        & tenure_ok
    )
    is_flag = {
        "relationship_trap": trap,
        "neglected_potential": neglected,
        "claim_gap": claim,
        "discount_creep": creep,
        "demote": demote,
        "trade_candidate": trade,
    }
    too_low = pen > 1
    n = len(a)
    flags: list[list[str]] = [[] for _ in range(n)]
    reasons: list[list[str]] = [[] for _ in range(n)]
    any_flag = too_low.copy()
    for mask in is_flag.values():
        any_flag |= mask
    # Plain Python lists: indexing numpy / pandas per row costs more than the formatting.
    values = {k: arr.tolist() for k, arr in col.items()}
    held_list = owner_since.tolist()
    masks = {flag: mask.tolist() for flag, mask in is_flag.items()}
    low_pen_l, no_growth_l, claim_low_l = (
        low_pen.tolist(),
        no_growth.tolist(),
        claim_low_pen.tolist(),
    )
    for i in np.flatnonzero(any_flag).tolist():
        v = _Row(values, i)
        for flag, mask in masks.items():
            if mask[i]:
                flags[i].append(flag)
                why = _reason(
                    flag, v, s, low_pen_l[i], no_growth_l[i], claim_low_l[i], flags[i], held_list[i]
                )
                reasons[i].append(f"{flag}: {why}")
        if too_low[i]:
            reasons[i].append(
                f"potential_too_low: penetration {fmt.pct(v['penetration'])} > {fmt.pct(1)}: "
                "the potential is probably too low"
            )
    a["flags"] = flags
    a["flag_reasons"] = reasons
    for flag, mask in is_flag.items():
        a[f"is_{flag}"] = mask
    a["potential_too_low"] = too_low
    a["money_at_stake"] = account_money_at_stake(a)
    return a


def account_money_at_stake(accounts: pd.DataFrame) -> pd.Series:
    """docs/metrics.md money at stake, per account: its open potential when it is a
    relationship trap or a claim gap, plus its excess discount. A rep's money at stake is the
    sum over the book, so each account counts once, whatever flags it carries."""
    at_stake = (accounts["is_relationship_trap"] | accounts["is_claim_gap"]).astype(bool)
    open_potential = pd.to_numeric(accounts["open_potential"], errors="coerce").fillna(0.0)
    excess = pd.to_numeric(accounts["excess_discount"], errors="coerce").fillna(0.0).clip(lower=0)
    return open_potential.where(at_stake, 0.0).astype(float) + excess.astype(float)


_FLAG_INPUTS = (
    "allocation_ratio",
    "penetration",
    "relative_growth",
    "relative_growth_prior",
    "potential",
    "time_share",
    "potential_share",
    "discount_trend_pp_per_year",
    "discount_rate",
    "discount_benchmark",
    "penetration_median",
    "potential_median",
    "relationship_rating",
)


class _Row:
    """One account's flag inputs, read on demand (NaN -> None): most rows need only a few."""

    __slots__ = ("_i", "_values")

    def __init__(self, values: dict[str, list[float]], i: int) -> None:
        self._values, self._i = values, i

    def __getitem__(self, key: str) -> float | None:
        x = self._values[key][self._i]
        return None if x != x else x


def _reason(
    flag: str,
    v: _Row,
    s: Settings,
    low_pen: bool,
    no_growth: bool,
    claim_low_pen: bool,
    raised: list[str],
    held: object,
) -> str:
    """The numbers that raised ``flag``, in words (shown wherever the flag is explained)."""
    growth = (
        [f"relative growth {fmt.pp_from_fraction(v['relative_growth'])} ≤ 0"] if no_growth else []
    )
    shares = (
        f"time share {fmt.pct(v['time_share'])} ÷ potential share {fmt.pct(v['potential_share'])}"
        f" = {_r(v['allocation_ratio'])}"
    )
    if flag == "relationship_trap":
        why = (
            [
                f"penetration {fmt.pct(v['penetration'])} < company median {fmt.pct(v['penetration_median'])}"
            ]
            if low_pen
            else []
        )
        return f"{shares} ≥ {s.trap_allocation_ratio:g}; " + " and ".join(why + growth)
    if flag == "neglected_potential":
        return (
            f"potential {money(v['potential'])} in the "
            f"{settings_store.top_words(s.neglect_potential_quantile)} of the book "
            f"(≥ {money(v['top_q'])}); {shares} ≤ {s.neglect_allocation_ratio:g}"
        )
    if flag == "claim_gap":
        why = (
            [f"penetration {fmt.pct(v['penetration'])} < {fmt.pct(s.claim_gap_penetration)}"]
            if claim_low_pen
            else []
        )
        return (
            f"relationship rated {v['relationship_rating']:g} of 5 (≥ {s.claim_gap_rating}) but "
            + " and ".join(why + growth)
        )
    if flag == "discount_creep":
        return (
            f"discount trend {fmt.pp(v['discount_trend_pp_per_year'])} per year ≥ "
            f"{fmt.pp(s.creep_slope_pp_per_year)}; discount {fmt.pct(v['discount_rate'], 1)} ≥ "
            f"benchmark {fmt.pct(v['discount_benchmark'], 1)}"
        )
    if flag == "demote":
        return (
            f"potential {money(v['potential'])} in the "
            f"{settings_store.bottom_words(s.demote_potential_quantile)} of the book "
            f"(≤ {money(v['bottom_q'])}); time share {fmt.pct(v['time_share'])} > "
            f"potential share {fmt.pct(v['potential_share'])}; " + growth[0]
        )
    triggers = ", ".join(
        f for f in raised if f in ("claim_gap", "relationship_trap", "discount_creep")
    )
    held_text = "" if pd.isna(held) else f"; owner since {pd.Timestamp(held):%d %b %Y}"  # type: ignore[arg-type]
    return (
        f"potential {money(v['potential'])} ≥ company median {money(v['potential_median'])}; "
        f"relative growth {fmt.pp_from_fraction(v['relative_growth'])} now and {fmt.pp_from_fraction(v['relative_growth_prior'])} "
        f"in the prior window; {triggers}{held_text}"
    )


def _r(value: float | None) -> str:
    return fmt.MISSING if value is None else f"{value:.1f}".replace("-", "−")


def money(value: float | None) -> str:
    """Money in a reason or a terminal table: no currency symbol (the reason is a rule's
    numbers; the currency is the report's), otherwise as every figure writes it."""
    return fmt.money(value, "")


def _add_years(day: date, years: float) -> date:
    return add_months(day, round(years * 12))
