"""What if a rep moved N hours a month from relationship-trap accounts to neglected ones?

Why a module of its own: the estimate must never mix with the measured numbers, and its
assumptions must be written beside it, so it is one pure function of the metrics returning
one frozen value (``WhatIf``) that the Workshop page and ``reltruth whatif`` both show.

The arithmetic (written down in ``docs/workshop.md``):

- hours moved per month ``N`` are taken from the giving accounts in proportion to their
  hours (never more than they have) and given to the receiving accounts in proportion to
  their open potential;
- each receiving account earns the moved hours x the rep's own revenue per hour at
  comparable accounts (same segment, potential between half and twice the account's; the
  receiving and the neglected accounts themselves excluded), over the next 12 months,
  capped at the account's open potential (potential - annualised revenue);
- low / central / high use the 25th percentile, the pooled rate (revenue / hours) and the
  75th percentile of those accounts' revenue per hour;
- the giving accounts are assumed to keep their revenue (they were over-served);
- the new alignment score is the engine's formula on the window's hours after the move.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

ESTIMATE_LABEL = "Estimate, not a measurement"
HORIZON_MONTHS = 12
SIMILAR_POTENTIAL = 2.0  # comparable: potential within x0.5 .. x2 of the receiving account


@dataclass(frozen=True)
class Receiver:
    account_id: str
    account_name: str
    hours_per_month: float
    open_potential: float
    rate_basis: str  # which accounts the revenue per hour comes from
    low: float
    central: float
    high: float
    capped: bool  # the central estimate hit the open potential


@dataclass(frozen=True)
class WhatIf:
    rep_id: str
    rep_name: str
    hours_per_month: float  # asked for
    moved_per_month: float  # possible (the giving accounts' hours are the limit)
    givers: pd.DataFrame  # account_id, account_name, hours_per_month (taken)
    receivers: tuple[Receiver, ...]
    low: float
    central: float
    high: float
    alignment_before: float | None
    alignment_after: float | None
    window_label: str
    empty_reason: str = ""
    assumptions: tuple[str, ...] = field(default=())
    label: str = ESTIMATE_LABEL


def _f(value: Any) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return math.nan
    return out


def _text(value: Any, fallback: str) -> str:
    """A name, or ``fallback`` where the optional field is missing (None / NaN / empty)."""
    return value if isinstance(value, str) and value else fallback


def _rep_accounts(m: Any, rep_id: str) -> pd.DataFrame:
    acc = m.accounts
    return acc[acc["rep_id"].astype(str) == str(rep_id)].copy()


def _flag(frame: pd.DataFrame, flag: str) -> pd.Series:
    col = f"is_{flag}"
    if col in frame:
        return frame[col].fillna(False).astype(bool)
    return pd.Series(False, index=frame.index)


def _pick(frame: pd.DataFrame, ids: list[str] | None, flag: str) -> pd.DataFrame:
    if ids:
        wanted = {str(i) for i in ids}
        return frame[frame["account_id"].astype(str).isin(wanted)]
    return frame[_flag(frame, flag)]


def comparable_rates(
    book: pd.DataFrame, account: pd.Series, exclude: set[str]
) -> tuple[pd.DataFrame, str]:
    """The rep's accounts like ``account`` with hours and revenue (and the basis, in words)."""
    pool = book[
        ~book["account_id"].astype(str).isin(exclude)
        & (pd.to_numeric(book["hours"], errors="coerce") > 0)
        & pd.to_numeric(book["revenue"], errors="coerce").notna()
    ]
    potential = _f(account.get("potential"))
    similar = pd.Series(True, index=pool.index)
    if not math.isnan(potential) and potential > 0:
        p = pd.to_numeric(pool["potential"], errors="coerce")
        similar = (p >= potential / SIMILAR_POTENTIAL) & (p <= potential * SIMILAR_POTENTIAL)
    segment = account.get("segment")
    same_segment = (
        pool["segment"].astype(str) == str(segment)
        if isinstance(segment, str) and "segment" in pool
        else pd.Series(False, index=pool.index)
    )
    for mask, basis in (
        (same_segment & similar, "same segment, similar potential"),
        (similar, "similar potential, any segment"),
        (pd.Series(True, index=pool.index), "all the rep's other accounts"),
    ):
        chosen = pool[mask]
        if not chosen.empty:
            return chosen, basis
    return pool, "no comparable account"


def rates(comparable: pd.DataFrame) -> tuple[float, float, float]:
    """Low (25th percentile), central (pooled: revenue / hours), high (75th percentile)
    revenue per hour of the comparable accounts."""
    if comparable.empty:
        return 0.0, 0.0, 0.0
    hours = pd.to_numeric(comparable["hours"], errors="coerce").astype(float)
    revenue = pd.to_numeric(comparable["revenue"], errors="coerce").astype(float)
    per = (revenue / hours).to_numpy()
    central = float(revenue.sum() / hours.sum())
    low = float(np.percentile(per, 25))
    high = float(np.percentile(per, 75))
    return max(0.0, min(low, central)), max(0.0, central), max(0.0, high, central)


def alignment(book: pd.DataFrame, hours: pd.Series, rep_hours: float) -> float | None:
    """1 - ½ Σ |time share - potential share| over the accounts with a potential; the time
    share's denominator is all the rep's hours (as in ``sql/marts/rep_window.sql``)."""
    has_potential = book["potential_share"].notna()
    if rep_hours <= 0 or not has_potential.any():
        return None
    share = hours[has_potential].astype(float) / rep_hours
    gap = (share - book.loc[has_potential, "potential_share"].astype(float)).abs().sum()
    return float(1 - 0.5 * gap)


def whatif(
    m: Any,
    rep_id: str,
    hours_per_month: float,
    *,
    from_accounts: list[str] | None = None,
    to_accounts: list[str] | None = None,
) -> WhatIf:
    """Move ``hours_per_month`` from the rep's relationship traps (or ``from_accounts``) to
    their neglected-potential accounts (or ``to_accounts``) and estimate 12 months' revenue."""
    reps = m.reps[m.reps["rep_id"].astype(str) == str(rep_id)]
    rep_name = _text(reps["rep_name"].iloc[0], str(rep_id)) if not reps.empty else str(rep_id)
    rep_hours = _f(reps["hours"].iloc[0]) if not reps.empty else math.nan
    before = _f(reps["alignment_score"].iloc[0]) if not reps.empty else math.nan
    months = int(m.window.months)
    book = _rep_accounts(m, rep_id)
    givers = _pick(book, from_accounts, "relationship_trap")
    takers = _pick(book, to_accounts, "neglected_potential")
    takers = takers[~takers["account_id"].isin(givers["account_id"])]
    assumptions = (
        f"Hours moved over the next {HORIZON_MONTHS} months: the hours per month × "
        f"{HORIZON_MONTHS}; the giving accounts give in proportion to their hours and are "
        "assumed to keep their revenue (they were over-served).",
        "The receiving accounts get the hours in proportion to their open potential.",
        "Each hour there earns the rep's own revenue per hour at comparable accounts (same "
        "segment, potential between half and twice the account's; the neglected accounts "
        "themselves left out) in this window: low = 25th percentile, central = their revenue "
        "÷ their hours, high = 75th percentile.",
        "No account gains more than its open potential (potential − annualised revenue).",
        "The new alignment score moves the same hours within this window's hours.",
    )
    empty = WhatIf(
        rep_id=str(rep_id),
        rep_name=rep_name,
        hours_per_month=float(hours_per_month),
        moved_per_month=0.0,
        givers=pd.DataFrame(columns=["account_id", "account_name", "hours_per_month"]),
        receivers=(),
        low=0.0,
        central=0.0,
        high=0.0,
        alignment_before=None if math.isnan(before) else before,
        alignment_after=None if math.isnan(before) else before,
        window_label=m.window.label,
        assumptions=assumptions,
    )
    if reps.empty:
        return _with(empty, f"No rep {rep_id!r} in {m.window.label}.")
    if not hours_per_month or hours_per_month <= 0:
        return _with(empty, "Choose a number of hours a month to move.")
    giver_hours = pd.to_numeric(givers["hours"], errors="coerce").fillna(0.0).astype(float)
    if givers.empty or giver_hours.sum() <= 0:
        return _with(empty, "No relationship-trap accounts with hours to give: pick accounts.")
    open_potential = (
        pd.to_numeric(takers["open_potential"], errors="coerce").fillna(0.0).clip(lower=0.0)
    )
    if takers.empty or open_potential.sum() <= 0:
        return _with(empty, "No neglected accounts with open potential to receive: pick accounts.")

    moved = min(float(hours_per_month), float(giver_hours.sum()) / months)
    taken = moved * giver_hours / giver_hours.sum()
    given = moved * open_potential / open_potential.sum()
    exclude = set(takers["account_id"].astype(str)) | set(
        book.loc[_flag(book, "neglected_potential"), "account_id"].astype(str)
    )
    receivers = []
    for (_, account), per_month in zip(takers.iterrows(), given, strict=True):
        comparable, basis = comparable_rates(book, account, exclude)
        low, central, high = rates(comparable)
        cap = float(open_potential.loc[account.name])
        hours_year = per_month * HORIZON_MONTHS
        receivers.append(
            Receiver(
                account_id=str(account["account_id"]),
                account_name=_text(account.get("account_name"), str(account["account_id"])),
                hours_per_month=float(per_month),
                open_potential=cap,
                rate_basis=basis,
                low=min(hours_year * low, cap),
                central=min(hours_year * central, cap),
                high=min(hours_year * high, cap),
                capped=hours_year * central > cap,
            )
        )
    hours_after = pd.to_numeric(book["hours"], errors="coerce").fillna(0.0).astype(float)
    hours_after = hours_after.sub(taken * months, fill_value=0.0).add(
        given * months, fill_value=0.0
    )
    after = alignment(book, hours_after, rep_hours)
    return WhatIf(
        rep_id=str(rep_id),
        rep_name=rep_name,
        hours_per_month=float(hours_per_month),
        moved_per_month=moved,
        givers=pd.DataFrame(
            {
                "account_id": givers["account_id"].astype(str),
                "account_name": givers["account_name"],
                "hours_per_month": taken,
            }
        ).reset_index(drop=True),
        receivers=tuple(receivers),
        low=sum(r.low for r in receivers),
        central=sum(r.central for r in receivers),
        high=sum(r.high for r in receivers),
        alignment_before=None if math.isnan(before) else before,
        alignment_after=after,
        window_label=m.window.label,
        assumptions=assumptions,
    )


def _with(result: WhatIf, reason: str) -> WhatIf:
    return replace(result, empty_reason=reason)


def receivers_frame(result: WhatIf) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "account_id": r.account_id,
                "account_name": r.account_name,
                "hours_per_month": r.hours_per_month,
                "open_potential": r.open_potential,
                "low": r.low,
                "central": r.central,
                "high": r.high,
                "capped": r.capped,
                "rate_basis": r.rate_basis,
            }
            for r in result.receivers
        ],
        columns=[
            "account_id",
            "account_name",
            "hours_per_month",
            "open_potential",
            "low",
            "central",
            "high",
            "capped",
            "rate_basis",
        ],
    )


# ---------------------------------------------------------------------------------------
# The command line: ``reltruth whatif --rep R --hours N [--format text|json]``


def to_json(result: WhatIf, currency: str | None = None) -> dict[str, object]:
    """The estimate as plain JSON; ``kind`` says it is an estimate before anything else."""
    return {
        "kind": "estimate",
        "label": result.label,
        "rep_id": result.rep_id,
        "rep_name": result.rep_name,
        "window": result.window_label,
        "horizon_months": HORIZON_MONTHS,
        "currency": currency or None,
        "hours_per_month_asked": result.hours_per_month,
        "hours_per_month_moved": result.moved_per_month,
        "revenue_effect": {"low": result.low, "central": result.central, "high": result.high},
        "alignment_score_before": result.alignment_before,
        "alignment_score_after": result.alignment_after,
        "from_accounts": [
            {"account_id": a, "account_name": n, "hours_per_month": float(h)}
            for a, n, h in zip(
                result.givers["account_id"],
                result.givers["account_name"],
                result.givers["hours_per_month"],
                strict=True,
            )
        ],
        "to_accounts": receivers_frame(result).to_dict("records"),
        "assumptions": list(result.assumptions),
        "note": result.empty_reason or None,
    }


def _plain(value: object) -> object:
    """JSON-safe: numpy scalars as Python numbers, NaN as null."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


def format_text(result: WhatIf, currency: str | None = None) -> str:
    from reltruth import format as fmt

    symbol = fmt.currency_symbol(currency or "")

    def money(v: float) -> str:
        return str(fmt.money(v, symbol))

    def pct(v: float | None) -> str:
        return "–" if v is None else f"{v * 100:.0f} %"

    head = [
        f"{result.label.upper()}: what if {result.rep_name} moved "
        f"{result.hours_per_month:g} h a month ({result.window_label})",
    ]
    if result.empty_reason:
        return "\n".join([*head, "", result.empty_reason])
    lines = [
        *head,
        "",
        f"Hours moved: {result.moved_per_month:.1f} h a month",
        f"Estimated extra revenue over the next {HORIZON_MONTHS} months: low "
        f"{money(result.low)}, central {money(result.central)}, high {money(result.high)}",
        f"Alignment score: {pct(result.alignment_before)} -> {pct(result.alignment_after)} "
        "(estimate)",
        "",
        "From:",
        *(
            f"  {n}: {h:.1f} h a month"
            for n, h in zip(
                result.givers["account_name"], result.givers["hours_per_month"], strict=True
            )
        ),
        "To:",
        *(
            f"  {r.account_name}: {r.hours_per_month:.1f} h a month, central "
            f"{money(r.central)} (open potential {money(r.open_potential)}"
            + (", capped" if r.capped else "")
            + f"; rate from {r.rate_basis})"
            for r in result.receivers
        ),
        "",
        "Assumptions:",
        *(f"  - {a}" for a in result.assumptions),
    ]
    return "\n".join(lines)


def _account_ids(book: pd.DataFrame, wanted: list[str] | None) -> list[str] | None:
    """Account ids of the rep's book named by id or by name (case and spaces ignored)."""
    from reltruth.errors import UserError
    from reltruth.workspace import name_key

    if not wanted:
        return None
    ids = book["account_id"].astype(str)
    keys = book["account_name"].map(lambda n: name_key(n) if isinstance(n, str) else None)
    out = []
    for w in wanted:
        hit = ids[(ids == w) | (keys == name_key(w))]
        if hit.empty:
            raise UserError(f"No account {w!r} in this rep's book.")
        out.append(str(hit.iloc[0]))
    return out


def cli_whatif(args: Any) -> int:
    """``reltruth whatif``: the estimate for one rep as text or JSON."""
    import json
    import sys

    from reltruth import metrics as engine
    from reltruth.coaching.gather import find_rep, reporting_currency
    from reltruth.errors import UserError
    from reltruth.workspace import Workspace

    if args.hours is None or args.hours <= 0:
        raise UserError("--hours must be a positive number of hours a month.")
    ws = Workspace.open(getattr(args, "workspace", None))
    try:
        if ws.is_empty():
            raise UserError("The workspace is empty: load exports first (reltruth ingest FILE…).")
        window = engine.resolve_window(
            ws, getattr(args, "as_of", None), getattr(args, "window_months", None)
        )
        m = engine.compute(ws, window)
        currency = reporting_currency(ws)
    finally:
        ws.close()
    rep_id = str(find_rep(m, args.rep)["rep_id"])
    book = _rep_accounts(m, rep_id)
    result = whatif(
        m,
        rep_id,
        float(args.hours),
        from_accounts=_account_ids(book, getattr(args, "from_accounts", None)),
        to_accounts=_account_ids(book, getattr(args, "to_accounts", None)),
    )
    if getattr(args, "format", "text") == "json":
        json.dump(_plain(to_json(result, currency)), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(format_text(result, currency))
    return 0
