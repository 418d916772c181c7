"""Window and period arithmetic: months, quarters, the data's span and coverage, resolve_window."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd

from reltruth import settings as settings_store
from reltruth.errors import UserError
from reltruth.metrics.query import run
from reltruth.workspace import Workspace


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months, clamped to the end of a shorter month
    (31 Mar - 1 month = 28/29 Feb), the way DuckDB's ``date - interval`` does it."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def trend_start(as_of: date, quarters: int) -> date:
    """First day of the earliest of the ``quarters`` calendar quarters ending with the one
    that holds ``as_of``."""
    return add_months(quarter_start(as_of), -3 * (quarters - 1))


_ONE_DAY = timedelta(days=1)

MAX_TREND_QUARTERS = 8  # quarter columns of marts/account_rep_orders.sql (the documented 8)


def check_trend_quarters(quarters: int) -> None:
    if not 2 <= quarters <= MAX_TREND_QUARTERS:
        raise UserError(
            f"The discount trend can use 2 to {MAX_TREND_QUARTERS} quarters, not {quarters}."
        )


@dataclass(frozen=True)
class Window:
    """The current window ``(as_of - months, as_of]`` and the prior one just before it."""

    as_of: date
    months: int = 12

    @property
    def start(self) -> date:
        """Exclusive: a date exactly ``months`` before ``as_of`` belongs to the prior window."""
        return add_months(self.as_of, -self.months)

    @property
    def prior_end(self) -> date:
        return self.start

    @property
    def prior_start(self) -> date:
        return add_months(self.as_of, -2 * self.months)

    @property
    def prior2_start(self) -> date:
        """Start of the window before the prior one (for 'both windows' rules)."""
        return add_months(self.as_of, -3 * self.months)

    @property
    def label(self) -> str:
        return f"{self.months} months to {self.as_of.day} {self.as_of:%b %Y}"

    @property
    def prior_label(self) -> str:
        end = self.prior_end
        return f"{self.months} months to {end.day} {end:%b %Y}"

    def params(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of,
            "window_start": self.start,
            "prior_start": self.prior_start,
            "prior2_start": self.prior2_start,
            "months": self.months,
        }


def latest_date(ws: Workspace) -> date | None:
    span = data_span(ws)
    return span[1] if span else None


def data_span(ws: Workspace) -> tuple[date, date] | None:
    """(earliest, latest) order or activity date in the workspace; None without dated rows."""
    rows = run(ws.con, "marts/data_dates").fetchall()
    if not rows or rows[0][0] is None or rows[0][1] is None:
        return None
    return _as_date(rows[0][1]), _as_date(rows[0][0])


def check_as_of(as_of: date, span: tuple[date, date] | None) -> None:
    """An as-of date outside the data gives every rep a revenue of 0 (after it) or a window
    of nothing (before it): refused in one line instead of computed as if it meant something."""
    if span is None:
        return
    first, last = span
    if as_of > last:
        raise UserError(
            f"As of {as_of.isoformat()} is after the last date in the data ({last.isoformat()}): "
            f"choose a date from {first.isoformat()} to {last.isoformat()}."
        )
    if as_of < first:
        raise UserError(
            f"As of {as_of.isoformat()} is before the first date in the data ({first.isoformat()}): "
            f"choose a date from {first.isoformat()} to {last.isoformat()}."
        )


WINDOW_NAMES = ("current", "prior", "prior2")


def coverage(window: Window, span: tuple[date, date] | None) -> dict[str, dict[str, Any]]:
    """Per window (current, prior, the one before): its bounds, the part of it the data cover
    and that part's share of its days. The data are taken to cover every day from the
    earliest to the latest date in the workspace."""
    bounds = {
        "current": (window.start, window.as_of),
        "prior": (window.prior_start, window.prior_end),
        "prior2": (window.prior2_start, window.prior_start),
    }
    out: dict[str, dict[str, Any]] = {}
    for name, (start, end) in bounds.items():
        days = (end - start).days
        covered, first, last = 0, None, None
        if span is not None:
            # (start, end] holds the days start+1 .. end; the data the days first .. last.
            lo = max(start, _day_before(span[0]))
            hi = min(end, span[1])
            covered = max((hi - lo).days, 0)
            if covered:
                first, last = (lo + _ONE_DAY).isoformat(), hi.isoformat()
        out[name] = {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "covered_from": first,
            "covered_to": last,
            "share": round(covered / days, 4) if days else 0.0,
        }
    return out


def _day_before(day: date) -> date:
    return day - _ONE_DAY


def resolve_window(
    ws: Workspace, as_of: date | str | None = None, months: int | None = None
) -> Window:
    """The window to report: ``as_of`` defaults to the latest order or activity date."""
    if months is None:
        months = settings_store.load(ws.con).window_months
    if months not in (3, 6, 12):
        raise UserError(f"The window must be 3, 6 or 12 months, not {months}.")
    span = data_span(ws)
    if as_of is None:
        if span is None:
            raise UserError(
                "The workspace holds no orders or activities yet: load some exports first."
            )
        return Window(span[1], int(months))
    day = _as_date(as_of)
    if not 1900 <= day.year <= 2200:  # the years ingestion reads; a window needs 2 years before
        raise UserError(
            f"{day.isoformat()} is not a usable as-of date: use a date from 1900 to 2200."
        )
    check_as_of(day, span)
    return Window(day, int(months))


def _as_date(value: object) -> date:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value if type(value) is date else date(value.year, value.month, value.day)
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise UserError(
            f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-09-30."
        ) from None
