"""Coaching effect per rep: did the rep's numbers move since coaching began?

Why: a manager who meets a rep every few weeks wants to see, on one line per quarter,
whether the time follows potential better, the book is penetrated deeper, the rep grows
against the company and gives away less, and whether the rep keeps what was agreed. The
timeline starts with the quarter before the rep's first recorded meeting (where coaching
started from) and runs to the window's end; the last quarter stops at ``as_of``.

Per quarter (definitions in docs/metrics.md, "Coaching effect"): the alignment score, the
weighted penetration (annualised by days), the relative growth (the rep's growth against the
same days a year earlier minus the company's), the list-weighted discount rate, and the
commitments agreed in the quarter with how many were kept (measured) or done (the manager's
verdict). Every figure comes from ``reltruth.metrics`` measures over ``(start, end]``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from reltruth import format as fmt
from reltruth.coaching import commitments as store
from reltruth.coaching.model import EffectRow
from reltruth.workspace import Workspace

MAX_QUARTERS = 12  # three years of meetings: the oldest quarters beyond it are left out


def first_meeting(ws: Workspace, rep_id: str) -> date | None:
    rows = ws.con.execute(
        "select min(met_on) from meetings where rep_id = $rep_id", {"rep_id": str(rep_id)}
    ).fetchall()
    return rows[0][0] if rows and rows[0][0] is not None else None


def first_meetings(ws: Workspace) -> dict[str, date]:
    """``first_meeting`` of every rep with a meeting, one query (a whole team's sheets)."""
    rows = ws.con.execute("select rep_id, min(met_on) from meetings group by rep_id").fetchall()
    return {str(r): d for r, d in rows if d is not None}


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _next_quarter(day: date) -> date:
    return date(day.year + (day.month > 9), (day.month + 2) % 12 + 1, 1)


def _previous_quarter(day: date) -> date:
    return date(day.year - (day.month < 4), (day.month - 4) % 12 + 1, 1)


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 Feb
        return day.replace(year=day.year - 1, day=28)


def periods(first: date, as_of: date) -> list[tuple[date, date, bool]]:
    """(start, end, before) per quarter: the quarter before ``first``'s, then each quarter
    to ``as_of`` (the last cut there); periods are (start, end] as every measure."""
    if as_of < first:
        return []
    q = _previous_quarter(_quarter_start(first))
    out: list[tuple[date, date, bool]] = []
    while q <= as_of:
        nxt = _next_quarter(q)
        out.append((q - timedelta(days=1), min(nxt - timedelta(days=1), as_of), not out))
        q = nxt
    return out[:1] + out[1:][-MAX_QUARTERS:]


def timeline(ws: Workspace, rep_id: str, as_of: date) -> tuple[tuple[EffectRow, ...], date | None]:
    """The rep's coaching timeline to ``as_of`` and the first meeting's date; empty without
    a meeting on or before ``as_of``."""
    first = first_meeting(ws, rep_id)
    if first is None or first > as_of:
        return (), None
    return timeline_from(ws, rep_id, first, as_of, store.list_for_rep(ws, rep_id), {})


def timeline_from(
    ws: Workspace,
    rep_id: str,
    first: date | None,
    as_of: date,
    made: list[store.Commitment],
    company: dict[tuple[date, date], float],
) -> tuple[tuple[EffectRow, ...], date | None]:
    """``timeline`` from the first meeting and the commitments already read; ``company``
    keeps the company's revenue per period, the same for every rep of a team."""
    if first is None or first > as_of:
        return (), None
    from reltruth import metrics  # the engine owns the definitions

    rows = []
    for start, end, before in periods(first, as_of):
        rows.append(_row(ws, metrics, rep_id, start, end, before, made, as_of, company))
    return tuple(rows), first


def _row(
    ws: Workspace,
    metrics: Any,
    rep_id: str,
    start: date,
    end: date,
    before: bool,
    made: list[store.Commitment],
    as_of: date,
    company: dict[tuple[date, date], float],
) -> EffectRow:
    alignment = metrics.measure_rep(ws, "alignment", rep_id, start, end)
    penetration = metrics.measure_rep(ws, "penetration", rep_id, start, end)
    discount = metrics.measure_rep(ws, "discount", rep_id, start, end)
    growth = _relative_growth(ws, metrics, rep_id, start, end, company)
    agreed = [c for c in made if start < c.agreed_on <= end]
    kept = sum(store.evaluate(ws, c, as_of).status in ("kept", "done") for c in agreed)
    first_day = start + timedelta(days=1)
    label = f"Q{(first_day.month - 1) // 3 + 1} {first_day.year}"
    if before:
        label += " (before)"
    elif end < _next_quarter(first_day) - timedelta(days=1):
        label += f" to {fmt.short_day(end)}"
    return EffectRow(
        label=label,
        start=start,
        end=end,
        before=before,
        alignment=alignment,
        weighted_penetration=penetration,
        relative_growth=growth,
        discount_rate=discount,
        commitments_made=len(agreed),
        commitments_kept=int(kept),
        texts=(
            fmt.pct(alignment),
            fmt.pct(penetration),
            fmt.pp_from_fraction(growth),
            fmt.pct(discount, 1),
            f"{kept} of {len(agreed)}" if agreed else fmt.MISSING,
        ),
    )


def _relative_growth(
    ws: Workspace,
    metrics: Any,
    rep_id: str,
    start: date,
    end: date,
    company: dict[tuple[date, date], float],
) -> float | None:
    """The rep's growth over the same days a year earlier minus the company's; None when
    either had no revenue a year earlier (no base to grow from)."""
    s0, e0 = _year_before(start), _year_before(end)
    rep_now = metrics.measure_rep(ws, "revenue", rep_id, start, end)
    rep_then = metrics.measure_rep(ws, "revenue", rep_id, s0, e0)
    for period in ((start, end), (s0, e0)):
        if period not in company:
            company[period] = metrics.measure_company_revenue(ws, *period)
    co_now, co_then = company[(start, end)], company[(s0, e0)]
    if not rep_then or rep_then <= 0 or not co_then or co_then <= 0:
        return None
    return float((rep_now / rep_then - 1) - (co_now / co_then - 1))
