"""The six account flags of docs/metrics.md, each with the numbers that raised it, money at stake."""

from __future__ import annotations

from collections.abc import Callable
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
    a = accounts.copy(deep=False)  # copy on write: only the columns set here are new
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
    conditions = {
        **is_flag,
        "low_pen": low_pen,
        "no_growth": no_growth,
        "claim_low_pen": claim_low_pen,
    }
    flags, reasons = _flag_reasons(col, conditions, owner_since, too_low, s)

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


class _Rows:
    """The rows one flag raised: its inputs there as plain lists, formatted a column at a time."""

    def __init__(
        self,
        col: dict[str, np.ndarray],
        conditions: dict[str, np.ndarray],
        owner_since: pd.Series,
        s: Settings,
        rows: np.ndarray,
    ) -> None:
        self._col, self._conditions, self.owner_since = col, conditions, owner_since
        self.s, self.rows = s, rows

    def values(self, key: str) -> list[float | None]:
        """The column at these rows as plain floats, NaN as None (the formatters' "no value")."""
        arr = self._col[key][self.rows]
        out: list[float | None] = arr.tolist()
        for j in np.flatnonzero(np.isnan(arr)).tolist():
            out[j] = None
        return out

    def text(self, fn: Callable[[float | None], str], key: str) -> list[str]:
        return [fn(x) for x in self.values(key)]

    def text_where(
        self, fn: Callable[[float | None], str], key: str, condition: str
    ) -> list[str | None]:
        """The column formatted where ``condition`` holds (the words that use it), else None."""
        return [
            fn(x) if on else None
            for x, on in zip(self.values(key), self.holds(condition), strict=True)
        ]

    def holds(self, condition: str) -> list[bool]:
        """A condition of the rules (``low_pen``, ``no_growth``, a flag) at these rows."""
        return self._conditions[condition][self.rows].tolist()  # type: ignore[no-any-return]


def _flag_reasons(
    col: dict[str, np.ndarray],
    conditions: dict[str, np.ndarray],
    owner_since: pd.Series,
    too_low: np.ndarray,
    s: Settings,
) -> tuple[list[list[str]], list[list[str]]]:
    """Per account, its flags and "flag: the numbers that raised it" (shown wherever the flag
    is explained), the potential-too-low warning last. Written flag by flag over the rows
    that flag raised, each number formatted once per reason: row by row, every figure of
    every reason formatted for each flag, this was most of the flags' time at scale 100
    (issue 19)."""
    n = len(too_low)
    flags: list[list[str]] = [[] for _ in range(n)]
    reasons: list[list[str]] = [[] for _ in range(n)]
    for flag, write in _REASONS.items():
        rows = np.flatnonzero(conditions[flag])
        if not len(rows):
            continue
        for i, text in zip(
            rows.tolist(), write(_Rows(col, conditions, owner_since, s, rows)), strict=True
        ):
            flags[i].append(flag)
            reasons[i].append(f"{flag}: {text}")
    rows = np.flatnonzero(too_low)
    hundred = fmt.pct(1)
    for i, pen in zip(
        rows.tolist(),
        _Rows(col, conditions, owner_since, s, rows).text(fmt.pct, "penetration"),
        strict=True,
    ):
        reasons[i].append(
            f"potential_too_low: penetration {pen} > {hundred}: the potential is probably too low"
        )
    return flags, reasons


def _growth(r: _Rows) -> list[str | None]:
    return [
        None if text is None else f"relative growth {text} ≤ 0"
        for text in r.text_where(fmt.pp_from_fraction, "relative_growth", "no_growth")
    ]


def _shares(r: _Rows) -> list[str]:
    return [
        f"time share {ts} ÷ potential share {ps} = {_r(alloc)}"
        for ts, ps, alloc in zip(
            r.text(fmt.pct, "time_share"),
            r.text(fmt.pct, "potential_share"),
            r.values("allocation_ratio"),
            strict=True,
        )
    ]


def _and(*parts: str | None) -> str:
    return " and ".join(p for p in parts if p is not None)


def _trap(r: _Rows) -> list[str]:
    low = [
        None if pen is None else f"penetration {pen} < company median {median}"
        for pen, median in zip(
            r.text_where(fmt.pct, "penetration", "low_pen"),
            r.text_where(fmt.pct, "penetration_median", "low_pen"),
            strict=True,
        )
    ]
    cut = f"{r.s.trap_allocation_ratio:g}"
    return [
        f"{shares} ≥ {cut}; " + _and(why, growth)
        for shares, why, growth in zip(_shares(r), low, _growth(r), strict=True)
    ]


def _neglected(r: _Rows) -> list[str]:
    words = settings_store.top_words(r.s.neglect_potential_quantile)
    cut = f"{r.s.neglect_allocation_ratio:g}"
    return [
        f"potential {pot} in the {words} of the book (≥ {top}); {shares} ≤ {cut}"
        for pot, top, shares in zip(
            r.text(money, "potential"), r.text(money, "top_q"), _shares(r), strict=True
        )
    ]


def _claim(r: _Rows) -> list[str]:
    below = fmt.pct(r.s.claim_gap_penetration)
    low = [
        None if pen is None else f"penetration {pen} < {below}"
        for pen in r.text_where(fmt.pct, "penetration", "claim_low_pen")
    ]
    # a claim gap needs a rating at or above the setting: never missing here
    return [
        f"relationship rated {rating:g} of 5 (≥ {r.s.claim_gap_rating}) but " + _and(why, growth)
        for rating, why, growth in zip(
            r.values("relationship_rating"), low, _growth(r), strict=True
        )
    ]


def _creep(r: _Rows) -> list[str]:
    cut = fmt.pp(r.s.creep_slope_pp_per_year)
    return [
        f"discount trend {trend} per year ≥ {cut}; discount {fmt.pct(rate, 1)} ≥ "
        f"benchmark {fmt.pct(bench, 1)}"
        for trend, rate, bench in zip(
            r.text(fmt.pp, "discount_trend_pp_per_year"),
            r.values("discount_rate"),
            r.values("discount_benchmark"),
            strict=True,
        )
    ]


def _demote(r: _Rows) -> list[str]:
    words = settings_store.bottom_words(r.s.demote_potential_quantile)
    # demote needs no growth: its words are always there
    return [
        f"potential {pot} in the {words} of the book (≤ {bottom}); time share {ts} > "
        f"potential share {ps}; {growth}"
        for pot, bottom, ts, ps, growth in zip(
            r.text(money, "potential"),
            r.text(money, "bottom_q"),
            r.text(fmt.pct, "time_share"),
            r.text(fmt.pct, "potential_share"),
            _growth(r),
            strict=True,
        )
    ]


def _trade(r: _Rows) -> list[str]:
    # the flags that made the candidate, in the order flags are listed, then the owner's start
    raised = [(f, r.holds(f)) for f in ("relationship_trap", "claim_gap", "discount_creep")]
    triggers = [", ".join(f for f, on in raised if on[j]) for j in range(len(r.rows))]
    since = r.owner_since.iloc[r.rows]
    held = since.dt.strftime("; owner since %d %b %Y").where(since.notna(), "").tolist()
    return [
        f"potential {pot} ≥ company median {median}; relative growth {now} now and {prior} "
        f"in the prior window; {why}{when}"
        for pot, median, now, prior, why, when in zip(
            r.text(money, "potential"),
            r.text(money, "potential_median"),
            r.text(fmt.pp_from_fraction, "relative_growth"),
            r.text(fmt.pp_from_fraction, "relative_growth_prior"),
            triggers,
            held,
            strict=True,
        )
    ]


# the order a row lists its flags in
_REASONS: dict[str, Callable[[_Rows], list[str]]] = {
    "relationship_trap": _trap,
    "neglected_potential": _neglected,
    "claim_gap": _claim,
    "discount_creep": _creep,
    "demote": _demote,
    "trade_candidate": _trade,
}


def _r(value: float | None) -> str:
    return fmt.MISSING if value is None else f"{value:.1f}".replace("-", "−")


def money(value: float | None) -> str:
    """Money in a reason or a terminal table: no currency symbol (the reason is a rule's
    numbers; the currency is the report's), otherwise as every figure writes it."""
    return fmt.money(value, "")


def _add_years(day: date, years: float) -> date:
    return add_months(day, round(years * 12))
