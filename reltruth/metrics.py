"""The metrics engine: docs/metrics.md as SQL over the workspace, plus the flag and tier rules.

Why a module of its own: every page, chart and coaching sheet stands on these numbers, so
they are defined once. The aggregation lives in ``reltruth/sql/staging`` and
``reltruth/sql/marts`` (one query per file, values bound); this module binds the window,
runs the marts once for all reps and accounts, applies the thresholds of
``reltruth.settings`` and returns plain frames. No Streamlit here. The choices made where
no rule is given are written down in ``docs/metrics.md``.
"""

from __future__ import annotations

import argparse
import calendar
import json
import math
import re
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from reltruth import evidence, sql
from reltruth import format as fmt
from reltruth import settings as settings_store
from reltruth.errors import UserError
from reltruth.settings import Settings
from reltruth.workspace import Workspace

FLAGS = (
    "relationship_trap",
    "neglected_potential",
    "claim_gap",
    "discount_creep",
    "demote",
    "trade_candidate",
)
TIERS = ("marginal", "core", "top")

# The keys of docs/metrics.md ('Machine-readable output'), in order.
REP_KEYS = (
    "rep_id",
    "rep_name",
    "tier",
    "coaching_priority",
    "revenue",
    "growth",
    "relative_growth",
    "weighted_penetration",
    "hours",
    "revenue_per_hour",
    "new_accounts",
    "discount_rate",
    "discount_trend_pp_per_year",
    "alignment_score",
    "misallocated_hours",
    "money_at_stake",
    # issue 20's evidence (docs/metrics.md, Evidence); null without a deals export
    "deals_won",
    "deals_lost",
    "win_rate",
    "win_rate_value",
    "open_pipeline",
    "median_cycle_days",
)
ACCOUNT_KEYS = (
    "account_id",
    "account_name",
    "rep_id",
    "rep_name",
    "potential",
    "potential_estimated",
    "revenue",
    "revenue_prior",
    "growth",
    "relative_growth",
    "penetration",
    "open_potential",
    "hours",
    "time_share",
    "potential_share",
    "allocation_ratio",
    "revenue_per_hour",
    "discount_rate",
    "discount_trend_pp_per_year",
    "excess_discount",
    "money_at_stake",
    "flags",
    # issue 20's evidence (docs/metrics.md, Evidence)
    "categories_bought",
    "missing_categories",
    "missing_categories_share",
    "white_space_potential",
    "is_high_potential",
    "decision_maker_hours_share",
    "last_decision_maker_contact",
    "no_decision_maker_contact",
    "deals_won",
    "deals_lost",
    "win_rate",
    "win_rate_value",
    "open_pipeline",
    "stalled_deals",
    "is_stalled_great_relationship",
    "discount_change",
    "volume_at_list_change",
    "orders_early",
    "orders_late",
    "categories_early",
    "categories_late",
    "takeover_date",
    "growth_window",
    "relative_growth_window",
)


# ---------------------------------------------------------------------------------------
# The window


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


# Growth is null where prior revenue is 0; a float sum of lines that cancel out
# (an invoice and its full credit note) is 0 up to rounding noise, hence half a cent.
ZERO_REVENUE = 0.005
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


# ---------------------------------------------------------------------------------------
# The result


@dataclass(frozen=True)
class Metrics:
    window: Window
    settings: Settings
    company_revenue: float
    company_revenue_prior: float
    company_growth: float | None
    reps: pd.DataFrame
    accounts: pd.DataFrame
    trades: pd.DataFrame
    company_growth_prior: float | None = None
    penetration_median: float | None = None
    potential_median: float | None = None
    # per window (current, prior, prior2): bounds, covered part and its share (``coverage``)
    coverage: dict[str, dict[str, Any]] | None = None
    # why growth (or growth in the prior window) is null for everyone, "" when it is not
    growth_note: str = ""
    growth_prior_note: str = ""
    # optional fields no row of the data carries (OPTIONAL_FIELDS), for "could not show" notes
    missing_fields: tuple[str, ...] = ()
    # the rule that estimated the potentials marked potential_estimated, in words, or ""
    potential_rule: str = ""
    excess_discount_threshold: float | None = None  # the reps' top-quartile cut
    has_deals: bool = False  # a deals export is loaded: win rates are shown

    @property
    def warnings(self) -> tuple[str, ...]:
        """What a reader must know before trusting the numbers (partial windows)."""
        out = []
        cov = self.coverage or {}
        for name, label in (("current", "this window"), ("prior", "the prior window")):
            c = cov.get(name)
            if c and c["share"] < self.settings.min_window_coverage:
                out.append(
                    f"The data cover {c['share'] * 100:.0f} % of {label} "
                    f"({c['start']} to {c['end']}): "
                    + (
                        "its figures are partial."
                        if name == "current"
                        else "growth needs it whole."
                    )
                )
        if self.growth_note:
            out.append(self.growth_note)
        elif self.growth_prior_note:
            out.append(self.growth_prior_note)
        return tuple(out)


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None) -> Any:
    """Run query file ``name`` binding only the parameters it names (DuckDB refuses extras)."""
    text = sql.load(name)
    wanted = set(_PARAM.findall(_COMMENT.sub("", text)))
    missing = wanted - set(params or {})
    if missing:
        raise ValueError(f"{name}: parameters not given: {sorted(missing)}")
    return con.execute(text, {k: v for k, v in (params or {}).items() if k in wanted})


_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")


def prepare(ws: Workspace, settings: Settings) -> None:
    """Create this connection's staging views (temp objects: per session, nothing stored)."""
    con = ws.con
    con.execute(sql.load("staging/duration_defaults"))
    defaults = {**settings_store.DEFAULT_DURATIONS, **(settings.default_durations or {})}
    con.executemany(
        "insert into stg_duration_defaults values ($1, $2)",
        [[str(k).strip().lower(), float(v)] for k, v in defaults.items()],
    )
    for name in ("activities", "orders", "accounts", "deals"):
        con.execute(sql.load(f"staging/{name}"))


# Optional fields of the canonical tables (docs/ingest.md) whose absence the pages and sheets
# must survive and name: keys of marts/field_coverage.sql.
OPTIONAL_FIELDS = (
    "owner_since",
    "relationship_rating",
    "segment",
    "region",
    "contact_role",
    "travel_minutes",
    "list_amount",
    "quota",
    "team",
)


# The temp tables compute builds, in order (each reads the ones before it).
MARTS = (
    "account_rep_orders",
    "account_orders",
    "rep_orders",
    "rep_account_hours",
    "account_window",
    "account_rep_quarter",
    "account_quarter",
    "account_categories",
)


def compute(
    ws: Workspace, window: Window | None = None, settings: Settings | None = None
) -> Metrics:
    """Every rep and account metric of docs/metrics.md for one window, flags and tiers applied."""
    settings = settings or settings_store.load(ws.con)
    window = window or resolve_window(ws, None, settings.window_months)
    check_trend_quarters(settings.creep_quarters)
    # An as-of outside the data is refused where a person chooses it (resolve_window, the
    # app's bounded picker); here it shows as a window the data do not cover.
    span = data_span(ws)
    cover = coverage(window, span)
    prepare(ws, settings)
    con = ws.con
    params = {
        **window.params(),
        "trend_start": trend_start(window.as_of, settings.creep_quarters),
        "zero_revenue": ZERO_REVENUE,
    }
    trend_params = {"min_quarters": settings.creep_min_quarters}
    # Each mart runs once for every rep and account; the temp tables are this connection's.
    for mart in MARTS:
        run(con, f"marts/{mart}", params)
    accounts = con.execute("select * from mart_account_window").df()
    account_trend = run(con, "marts/account_discount_trend", trend_params).df()
    bench = run(con, "marts/account_benchmark").df()
    reps = run(con, "marts/rep_window", params).df()
    rep_trend = run(con, "marts/rep_discount_trend", trend_params).df()
    company = run(con, "marts/company_window").fetchone() or (0.0, 0.0, 0.0)
    fields = run(con, "marts/field_coverage").fetchall()
    missing = tuple(
        f for f, n in zip(OPTIONAL_FIELDS, fields[0] if fields else (), strict=False) if not n
    )

    def query(name: str, bound: dict[str, Any]) -> pd.DataFrame:
        return run(con, name, bound).df()  # type: ignore[no-any-return]

    revenue, revenue_prior, revenue_prior2 = (float(v or 0.0) for v in company)
    company_growth = revenue / revenue_prior - 1 if abs(revenue_prior) >= ZERO_REVENUE else None
    company_growth_prior = (
        revenue_prior / revenue_prior2 - 1 if abs(revenue_prior2) >= ZERO_REVENUE else None
    )
    growth_note = _partial_note(cover, "prior", window.prior_label, settings, "growth")
    growth_prior_note = _partial_note(
        cover, "prior2", "the window before it", settings, "growth in the prior window"
    )
    if growth_note:
        company_growth = None
        accounts = _null_growth(accounts, "growth", "relative_growth")
        reps = _null_growth(reps, "growth")
    if growth_prior_note:
        company_growth_prior = None
        accounts = _null_growth(accounts, "growth_prior", "relative_growth_prior")
        reps = _null_growth(reps, "growth_prior")

    accounts = accounts.merge(account_trend, on="account_id", how="left").merge(
        bench, on="account_id", how="left"
    )
    reps = reps.merge(rep_trend, on="rep_id", how="left")
    # A new owner is measured from the takeover (docs/metrics.md, Evidence), before the
    # flags read growth; never against a partial prior window.
    accounts = evidence.takeover(query, params, accounts)
    if growth_note:
        accounts = _null_growth(accounts, "growth", "relative_growth")
    accounts = evidence.add_white_space(accounts, evidence.white_space(query, params, settings))
    con.execute(sql.load("drop_marts"))
    accounts = evidence.key_people(
        query, params, accounts, settings, window.as_of, "contact_role" not in missing
    )
    rep_wins, account_wins = evidence.win_rates(query, params)
    has_deals = not rep_wins.empty  # without a deals export no win rate is shown, not 0 %
    if has_deals:
        accounts = evidence.add_win_rates(accounts, account_wins)
        reps = evidence.add_win_rates(reps, rep_wins, key="rep_id")
    # A fixed row order (DuckDB's is whatever its threads produced): the same data give the
    # same frames, tables and downloads, row for row.
    accounts = accounts.sort_values(["rep_id", "account_id"], na_position="last", kind="stable")
    accounts = accounts.reset_index(drop=True)
    accounts = _account_metrics(accounts, reps)
    accounts = _flag_accounts(accounts, settings, window)
    accounts = evidence.stalled_deals(query, params, accounts, reps, settings)
    half = settings.creep_quarters // 2
    accounts = evidence.discount_bought(
        query,
        accounts,
        params["trend_start"],
        add_months(quarter_start(window.as_of), -3 * (half - 1)),
        window.as_of,
    )
    reps = _rep_rollup(reps, accounts, company_growth, company_growth_prior)
    reps = _tiers(reps, settings, window, "prior" if growth_note else "")
    reps = _coaching_priority(reps)
    reps, threshold = _excess_discount_quartile(reps, settings)
    trades = _trades(accounts, reps, settings)
    return Metrics(
        window=window,
        settings=settings,
        company_revenue=revenue,
        company_revenue_prior=revenue_prior,
        company_growth=company_growth,
        reps=reps,
        accounts=accounts,
        trades=trades,
        company_growth_prior=company_growth_prior,
        penetration_median=_first(bench, "penetration_median"),
        potential_median=_first(bench, "potential_median"),
        coverage=cover,
        growth_note=growth_note,
        growth_prior_note=growth_prior_note,
        missing_fields=missing,
        potential_rule=potential_rule(ws),
        excess_discount_threshold=threshold,
        has_deals=has_deals,
    )


def _partial_note(
    cover: dict[str, dict[str, Any]], name: str, label: str, s: Settings, what: str
) -> str:
    """Why ``what`` is null for everyone: the window it compares with is not covered whole."""
    c = cover[name]
    if c["share"] >= s.min_window_coverage:
        return ""
    told = "has no data" if not c["covered_from"] else f"is only {c['share'] * 100:.0f} % covered"
    return (
        f"No {what}: {label} ({c['start']} to {c['end']}) {told} "
        f"(the data start {c['covered_from'] or 'after it'}); a partial window would read as a "
        "fall in revenue."
    )


def _null_growth(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Growth columns emptied (the prior window is partial): never a partial comparison."""
    out = frame.copy()
    for col in columns:
        if col in out.columns:
            out[col] = np.nan
    return out


POTENTIAL_RULE_KEY = "potential_estimate"  # settings-table key: the last estimation rule used


def potential_rule(ws: Workspace) -> str:
    """The estimation rule behind the potentials marked as estimated, in words ("" when none
    is recorded): "3 % of company revenue", "€600 per employee", "a constant per segment
    (Retail 50,000; others 20,000)"."""
    rows = ws.con.execute(
        "select value from settings where key = $key", {"key": POTENTIAL_RULE_KEY}
    ).fetchall()
    if not rows:
        return ""
    try:
        stored = json.loads(rows[0][0])
        return str(stored.get("text", ""))
    except (ValueError, AttributeError):
        return ""


def _first(frame: pd.DataFrame, column: str) -> float | None:
    if frame.empty or column not in frame:
        return None
    return _num(frame[column].iloc[0])


def _num(value: object) -> float | None:
    """A float, or None for null / NaN."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out


def _account_metrics(accounts: pd.DataFrame, reps: pd.DataFrame) -> pd.DataFrame:
    names = dict(zip(reps["rep_id"], reps["rep_name"], strict=False))
    out = accounts.copy()
    out["rep_name"] = out["rep_id"].map(names)
    rate = pd.to_numeric(out["discount_rate"], errors="coerce")
    bench = pd.to_numeric(out["discount_benchmark"], errors="coerce")
    gap = (rate - bench).clip(lower=0)
    out["excess_discount"] = pd.to_numeric(out["list_amount"], errors="coerce") * gap
    return out


# ---------------------------------------------------------------------------------------
# Flags: each with the numbers that raised it


def _book_quantiles(accounts: pd.DataFrame, q: float) -> pd.Series:
    """Per account, the ``q`` quantile (linear interpolation) of its owner's book potentials;
    null for books with fewer than two accounts with a potential (no quartiles in one)."""
    pot = pd.to_numeric(accounts["potential"], errors="coerce")
    grouped = pot.groupby(accounts["rep_id"])
    value = accounts["rep_id"].map(grouped.quantile(q)).astype(float)
    count = accounts["rep_id"].map(grouped.count()).astype(float)
    return value.where(count >= 2)


def _flag_accounts(accounts: pd.DataFrame, s: Settings, window: Window) -> pd.DataFrame:
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
            f"potential {_money(v['potential'])} in the "
            f"{settings_store.top_words(s.neglect_potential_quantile)} of the book "
            f"(≥ {_money(v['top_q'])}); {shares} ≤ {s.neglect_allocation_ratio:g}"
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
            f"potential {_money(v['potential'])} in the "
            f"{settings_store.bottom_words(s.demote_potential_quantile)} of the book "
            f"(≤ {_money(v['bottom_q'])}); time share {fmt.pct(v['time_share'])} > "
            f"potential share {fmt.pct(v['potential_share'])}; " + growth[0]
        )
    triggers = ", ".join(
        f for f in raised if f in ("claim_gap", "relationship_trap", "discount_creep")
    )
    held_text = "" if pd.isna(held) else f"; owner since {pd.Timestamp(held):%d %b %Y}"  # type: ignore[arg-type]
    return (
        f"potential {_money(v['potential'])} ≥ company median {_money(v['potential_median'])}; "
        f"relative growth {fmt.pp_from_fraction(v['relative_growth'])} now and {fmt.pp_from_fraction(v['relative_growth_prior'])} "
        f"in the prior window; {triggers}{held_text}"
    )


def _r(value: float | None) -> str:
    return fmt.MISSING if value is None else f"{value:.1f}".replace("-", "−")


def _money(value: float | None) -> str:
    """Money in a reason or a terminal table: no currency symbol (the reason is a rule's
    numbers; the currency is the report's), otherwise as every figure writes it."""
    return fmt.money(value, "")


def _add_years(day: date, years: float) -> date:
    return add_months(day, round(years * 12))


# ---------------------------------------------------------------------------------------
# Trades, rep roll-up, tiers, coaching priority


def _team_key(reps: pd.DataFrame) -> pd.Series:
    team = reps["team"] if "team" in reps else pd.Series(None, index=reps.index)
    return team.where(team.notna() & (team.astype(str).str.strip() != ""), "")


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


def _trades(accounts: pd.DataFrame, reps: pd.DataFrame, s: Settings) -> pd.DataFrame:
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
    r = reps.assign(_team=_team_key(reps))
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
    load: dict[str, int] = {}
    cap = max(int(s.trade_max_receivers), 1)
    order = candidates.assign(_pot=pd.to_numeric(candidates["potential"], errors="coerce"))
    order = order.sort_values(["_pot", "account_id"], ascending=[False, True], na_position="last")
    rows = []
    for acc in order.to_dict("records"):
        owner = acc["rep_id"]
        team = team_of.get(owner, "")
        segment = acc["segment"] if isinstance(acc.get("segment"), str) else None
        region = acc["region"] if isinstance(acc.get("region"), str) else None
        others = [rec for rec in able if rec["rep_id"] != owner]
        free = [rec for rec in others if load.get(rec["rep_id"], 0) < cap]
        pool = [rec for rec in free if rec["_team"] == team] or free
        row = {
            "account_id": acc["account_id"],
            "account_name": acc["account_name"],
            "from_rep_id": owner,
            "to_rep_id": None,
            "to_rep_name": None,
            "to_rep_team": None,
            "to_rep_tier": None,
            "to_rep_hours": None,
            "account_hours": _num(acc.get("hours")),
        }
        if not pool:
            row["reason"] = (
                f"every colleague with fewer hours than their team's median already receives "
                f"{cap} trades in this window"
                if others
                else "no colleague has fewer hours than their team's median"
            )
            rows.append(row)
            continue
        pool.sort(
            key=lambda rec: (
                not (segment is not None and (rec["rep_id"], segment) in segments),
                not (region is not None and rec.get("region") == region),
            )
        )  # stable: revenue per hour order within each preference
        rec = pool[0]
        load[rec["rep_id"]] = load.get(rec["rep_id"], 0) + 1
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


def _excess_discount_quartile(reps: pd.DataFrame, s: Settings) -> tuple[pd.DataFrame, float | None]:
    """Reps whose excess discount is in the company's top quartile (of the reps with a
    figure): their sheet leads with a discount prompt even when no account creeps."""
    r = reps.copy()
    excess = pd.to_numeric(r["excess_discount"], errors="coerce")
    known = excess.dropna()
    threshold = float(known.quantile(s.excess_discount_quantile)) if len(known) >= 2 else None
    r["excess_discount_top_quartile"] = (
        (excess >= threshold) & (excess > 0) if threshold is not None else False
    )
    return r, threshold


def _rep_rollup(
    reps: pd.DataFrame,
    accounts: pd.DataFrame,
    company_growth: float | None,
    company_growth_prior: float | None,
) -> pd.DataFrame:
    r = reps.copy()
    cg = company_growth if company_growth is not None else float("nan")
    cgp = company_growth_prior if company_growth_prior is not None else float("nan")
    r["relative_growth"] = pd.to_numeric(r["growth"], errors="coerce") - cg
    r["relative_growth_prior"] = pd.to_numeric(r["growth_prior"], errors="coerce") - cgp
    owned = accounts[accounts["rep_id"].notna()]
    per_rep = owned.groupby("rep_id")
    r = r.set_index("rep_id")
    for f in FLAGS:
        r[f"n_{f}"] = per_rep[f"is_{f}"].sum().reindex(r.index).fillna(0).astype("int64")
    at_stake_open = owned[owned["is_relationship_trap"] | owned["is_claim_gap"]]
    r["money_at_stake_open_potential"] = (
        at_stake_open.groupby("rep_id")["open_potential"].sum().reindex(r.index).fillna(0.0)
    )
    r["excess_discount"] = (
        owned["excess_discount"].clip(lower=0).groupby(owned["rep_id"]).sum(min_count=1)
    ).reindex(r.index)
    # The same sum as the accounts' money_at_stake (pages, sheets and JSON read one figure).
    r["money_at_stake"] = per_rep["money_at_stake"].sum().reindex(r.index).fillna(0.0)
    r["accounts_without_potential"] = r["accounts"] - r["accounts_with_potential"]
    return r.reset_index()


def _tiers(reps: pd.DataFrame, s: Settings, window: Window, partial: str = "") -> pd.DataFrame:
    """Tiers within each team (the whole company where reps have no team). The measure is
    the ``tier_measure`` setting: quota attainment, relative growth, or (auto, the default)
    quota attainment when every rep of the team has a quota, else relative growth.

    top: measure >= the team's ``top_tier_quantile`` quantile (linear interpolation) in the
    current AND the prior window; marginal: measure < the team's median now; core: the rest,
    and everyone in a team with fewer than two reps that have the measure.
    """
    r = reps.copy()
    team = _team_key(r)
    quota = pd.to_numeric(r["quota"], errors="coerce")
    all_quota = (quota > 0).groupby(team).transform("all").astype(bool)
    if s.tier_measure != "auto":  # chosen by the manager: one measure for every team
        all_quota = pd.Series(s.tier_measure == "quota_attainment", index=r.index)
    part = quota * window.months / 12
    revenue = pd.to_numeric(r["revenue"], errors="coerce")
    revenue_prior = pd.to_numeric(r["revenue_prior"], errors="coerce")
    cur = (revenue / part).where(all_quota, pd.to_numeric(r["relative_growth"], errors="coerce"))
    prior = (revenue_prior / part).where(
        all_quota, pd.to_numeric(r["relative_growth_prior"], errors="coerce")
    )
    # A team without revenue in a window has nothing to rank: all at 0 % would tie at the
    # top quantile and make every rep a top performer.
    sold = revenue.fillna(0).groupby(team).transform("sum") > 0
    sold_prior = revenue_prior.fillna(0).groupby(team).transform("sum") > 0
    cur, prior = cur.where(sold).astype(float), prior.where(sold_prior).astype(float)
    if partial:
        # The prior window is not covered whole: its revenue is not a measure to rank by.
        prior = prior * np.nan

    def team_stat(values: pd.Series, q: float) -> pd.Series:
        grouped = values.groupby(team)
        stat = team.map(grouped.quantile(q)).astype(float)
        return stat.where(team.map(grouped.count()) >= 2)

    top_cur = team_stat(cur, s.top_tier_quantile)
    top_prior = team_stat(prior, s.top_tier_quantile)
    cut = team_stat(cur, s.marginal_tier_quantile)
    is_top = (cur >= top_cur) & (prior >= top_prior)
    is_marginal = ~is_top & (cur < cut)
    r["tier"] = np.select([is_top.to_numpy(), is_marginal.to_numpy()], ["top", "marginal"], "core")
    names = np.where(all_quota.to_numpy(), "quota attainment", "relative growth")
    top_words = settings_store.top_words(s.top_tier_quantile)
    low_words = settings_store.bottom_words(s.marginal_tier_quantile)
    q = s.marginal_tier_quantile
    cut_words = "median" if abs(q - 0.5) < 1e-9 else f"{fmt.pct(q)} quantile"
    reasons, figures = [], []
    for i, (tier, name, t) in enumerate(zip(r["tier"], names, team.tolist(), strict=True)):
        show = fmt.pct if name == "quota attainment" else fmt.pp_from_fraction
        figures.append(show(_num(cur.iloc[i])))
        label = f"team {t}" if t else "the company"
        c, p = _num(cur.iloc[i]), _num(prior.iloc[i])
        tc, tp, med = _num(top_cur.iloc[i]), _num(top_prior.iloc[i]), _num(cut.iloc[i])
        if c is None:
            why = (
                " (no orders in this window)"
                if not sold.iloc[i]
                else ""
                if name == "quota attainment"
                else " (no revenue in the prior window)"
            )
            if partial and sold.iloc[i] and name != "quota attainment":
                why = " (the data do not cover the prior window whole)"
            reasons.append(f"core: no {name} in this window{why}")
        elif med is None:
            reasons.append(f"core: fewer than two reps in {label} have a {name} to compare")
        elif tier == "top":
            reasons.append(
                f"top: {name} {show(c)} ≥ {top_words} of {label} ({show(tc)}) now and "
                f"{show(p)} ≥ {show(tp)} in the prior window"
            )
        elif tier == "marginal":
            reasons.append(
                f"marginal: {name} {show(c)} in the {low_words} of {label} ({cut_words} {show(med)})"
            )
        else:
            why_not_top = (
                f"; {show(p)} in the prior window < {show(tp)}"
                if tc is not None and c >= tc and p is not None and tp is not None
                else ""
            )
            reasons.append(
                f"core: {name} {show(c)} ({cut_words} of {label} {show(med)}, "
                f"{top_words} {show(tc)}{why_not_top})"
            )
    r["tier_reason"] = reasons
    r["tier_measure"] = names
    r["tier_value"] = cur
    r["tier_figure"] = figures  # the measure as the tier reason writes it ("83 %", "+9.0 pp")
    r["tier_value_prior"] = prior
    return r


def tier_measure(reps: pd.DataFrame) -> str:
    """The measure that ranked these reps' tiers: "quota attainment", "relative growth", or
    "mixed" (auto, where some teams have every quota and others do not)."""
    used = set(reps.get("tier_measure", pd.Series(dtype=str)).dropna().astype(str))
    if len(used) == 1:
        return used.pop()
    return "mixed" if used else "relative growth"


def tier_measure_sentence(reps: pd.DataFrame, s: Settings) -> str:
    """What ranks the tiers and where the lines are, in the words of the settings in force."""
    measure = tier_measure(reps)
    what = {
        "quota attainment": "quota attainment (revenue ÷ the window's share of the annual quota)",
        "relative growth": "growth against the company (the rep's growth − the company's, in pp)",
        "mixed": "quota attainment in teams where every rep has a quota, growth against the "
        "company in the others",
    }[measure]
    chosen = "" if s.tier_measure == "auto" else " (chosen in Settings)"
    return (
        f"Tiers are ranked on {what}{chosen}, within each team: marginal = the "
        f"{settings_store.bottom_words(s.marginal_tier_quantile)} in this window; top = the "
        f"{settings_store.top_words(s.top_tier_quantile)} in this and the prior window."
    )


def _coaching_priority(reps: pd.DataFrame) -> pd.DataFrame:
    """1 = coach first: marginal performers first, top performers last, money at stake within."""
    order = {t: i for i, t in enumerate(TIERS)}
    r = reps.assign(_tier_order=reps["tier"].map(order))
    r = r.sort_values(["_tier_order", "money_at_stake", "rep_id"], ascending=[True, False, True])
    r["coaching_priority"] = range(1, len(r) + 1)
    return r.drop(columns="_tier_order").reset_index(drop=True)


# ---------------------------------------------------------------------------------------
# Page queries (one rep / a few accounts; each one query file)


def hours_by_type_month(ws: Workspace, rep_id: str, window: Window) -> pd.DataFrame:
    """month, activity_type, hours, estimated_hours: one rep's hours in the window."""
    prepare(ws, settings_store.load(ws.con))
    params = {"rep_id": str(rep_id), "window_start": window.start, "as_of": window.as_of}
    return run(ws.con, "marts/hours_by_type_month", params).df()


def key_people_time(ws: Workspace, rep_id: str, window: Window) -> pd.DataFrame:
    """contact_role, hours, share (of the hours with a known role); empty without roles."""
    prepare(ws, settings_store.load(ws.con))
    params = {"rep_id": str(rep_id), "window_start": window.start, "as_of": window.as_of}
    return run(ws.con, "marts/key_people_time", params).df()


def discount_quarters(
    ws: Workspace, account_ids: list[str], as_of: date, quarters: int = 8
) -> pd.DataFrame:
    """account_id, quarter_start, list_amount, net_amount, discount_rate per calendar quarter."""
    prepare(ws, settings_store.load(ws.con))
    params = {
        "account_ids": [str(a) for a in account_ids],
        "trend_start": trend_start(as_of, quarters),
        "as_of": as_of,
    }
    return run(ws.con, "marts/discount_quarters", params).df()


def measure(ws: Workspace, kind: str, account_id: str, start: date, end: date) -> float | None:
    """Hours (the owner's), discount (fraction), revenue or penetration (annualised revenue ÷
    potential) on one account in (start, end]."""
    if kind not in ("hours", "discount", "revenue", "penetration"):
        raise ValueError(f"unknown measure {kind!r}")
    prepare(ws, settings_store.load(ws.con))
    params = {"account_id": str(account_id), "start": start, "end": end}
    row = run(ws.con, f"marts/measure_{kind}", params).fetchone()
    value = _num(row[0]) if row else None
    if value is None and kind in ("hours", "revenue"):
        return 0.0  # nothing logged or ordered is a measured zero, not a missing figure
    return value


REP_MEASURES = ("alignment", "penetration", "revenue", "discount")


def measure_rep(ws: Workspace, kind: str, rep_id: str, start: date, end: date) -> float | None:
    """A rep-level figure in (start, end]: ``alignment`` (the alignment score),
    ``penetration`` (weighted penetration of the rep's book, annualised by days), ``revenue``
    (the rep's lines, as ``rep_orders.sql``) or ``discount`` (list-weighted, on those lines
    with a list value)."""
    if kind not in REP_MEASURES:
        raise ValueError(f"unknown rep measure {kind!r}")
    prepare(ws, settings_store.load(ws.con))
    params = {"rep_id": str(rep_id), "start": start, "end": end}
    if kind in ("revenue", "discount"):
        rows = run(ws.con, "marts/measure_rep_revenue", params).fetchall()
        revenue, listed_net, listed = rows[0] if rows else (None, None, None)
        if kind == "revenue":
            return _num(revenue) or 0.0  # nothing ordered is a measured zero
        listed_f = _num(listed)
        return None if not listed_f else 1 - (_num(listed_net) or 0.0) / listed_f
    rows = run(
        ws.con, f"marts/measure_{'alignment' if kind == 'alignment' else 'rep_penetration'}", params
    ).fetchall()
    return _num(rows[0][0]) if rows else None


def measure_company_revenue(ws: Workspace, start: date, end: date) -> float:
    """The company's revenue in (start, end] (every order line)."""
    prepare(ws, settings_store.load(ws.con))
    rows = run(ws.con, "marts/measure_company_revenue", {"start": start, "end": end}).fetchall()
    return (_num(rows[0][0]) if rows else None) or 0.0


# Three minutes a month: below what a sheet or a page shows (one decimal of an hour).
MIN_SHIFT_HOURS_PER_MONTH = 0.05


def hours_to_shift(m: Metrics, rep_id: str, min_hours_per_month: float = 0.0) -> pd.DataFrame:
    """Hours per month to move from over-served to under-served accounts of one rep.

    Each account's gap is (time share - potential share) x the rep's hours; accounts with too
    many hours give, those with too few receive, largest gaps first (greedy matching). The
    total moved equals the rep's misallocated hours when all time is on accounts with a
    potential. Per month = hours in the window / window months. Moves under
    ``min_hours_per_month`` are left out; the sheet passes ``MIN_SHIFT_HOURS_PER_MONTH``,
    since a line reading "0.0 h a month" (a leftover of the matching) asks for nothing.
    """
    columns = [
        "from_account_id",
        "from_account_name",
        "to_account_id",
        "to_account_name",
        "hours_per_month",
    ]
    rep = m.reps[m.reps["rep_id"].astype(str) == str(rep_id)]
    if rep.empty:
        return pd.DataFrame(columns=columns)
    rep_hours = _num(rep["hours"].iloc[0]) or 0.0
    acc = m.accounts[
        (m.accounts["rep_id"].astype(str) == str(rep_id)) & m.accounts["potential_share"].notna()
    ]
    if rep_hours <= 0 or acc.empty:
        return pd.DataFrame(columns=columns)
    gap = (acc["time_share"].astype(float) - acc["potential_share"].astype(float)) * rep_hours
    give = [
        [aid, name, g]
        for aid, name, g in zip(acc["account_id"], acc["account_name"], gap, strict=True)
        if g > 1e-9
    ]
    take = [
        [aid, name, -g]
        for aid, name, g in zip(acc["account_id"], acc["account_name"], gap, strict=True)
        if g < -1e-9
    ]
    give.sort(key=lambda x: (-x[2], str(x[0])))
    take.sort(key=lambda x: (-x[2], str(x[0])))
    rows = []
    gi = ti = 0
    while gi < len(give) and ti < len(take):
        amount = min(give[gi][2], take[ti][2])
        rows.append([give[gi][0], give[gi][1], take[ti][0], take[ti][1], amount / m.window.months])
        give[gi][2] -= amount
        take[ti][2] -= amount
        if give[gi][2] <= 1e-9:
            gi += 1
        if take[ti][2] <= 1e-9:
            ti += 1
    rows = [r for r in rows if r[4] >= min_hours_per_month]
    return pd.DataFrame(rows, columns=columns)


# ---------------------------------------------------------------------------------------
# JSON and the command line


def _clean(value: object) -> object:
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, str):
        return _clean(value.tolist())  # type: ignore[union-attr]
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | date):
        return value.isoformat()[:10]
    try:
        if pd.isna(value):  # type: ignore[call-overload]
            return None
    except (TypeError, ValueError):
        pass
    return value


def _column(series: pd.Series) -> list[object]:
    """One column as JSON values, converted as a whole: numbers through numpy, dates as
    ``YYYY-MM-DD``, missing and non-finite values as None. Cleaning every value in Python
    (``_clean``) took longer than computing the metrics (issue 19); only columns of
    containers (the flags) still go value by value."""
    kind = series.dtype.kind
    if kind == "M":
        out: list[object] = np.datetime_as_string(series.to_numpy(), unit="D").tolist()
        missing = series.isna().to_numpy()
    elif kind == "f":
        values = series.to_numpy()
        out, missing = values.tolist(), ~np.isfinite(values)
    elif kind in "biu":
        return list(series.to_numpy().tolist())
    elif isinstance(series.dtype, pd.StringDtype):
        missing = series.isna().to_numpy()
        out = series.astype(object).tolist()
    else:  # objects: lists of flags, nullable integers, a column that is all missing
        return [_clean(v) for v in series.astype(object).tolist()]
    for i in np.flatnonzero(missing):
        out[i] = None
    return out


def _records(frame: pd.DataFrame, keys: tuple[str, ...]) -> list[dict[str, object]]:
    frame = frame.reindex(columns=list(keys))
    columns = [_column(frame[k]) for k in keys]
    return [dict(zip(keys, row, strict=True)) for row in zip(*columns, strict=True)]


def dump_json(data: object, *, pretty: bool = False) -> bytes:
    """The JSON text as bytes: compact (one line, Python's C encoder) unless ``pretty``."""
    if pretty:
        text = json.dumps(data, ensure_ascii=False, indent=2)
    else:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


def write_stdout(data: bytes) -> None:
    """``data`` to standard output in one piece. ``json.dump`` to a text stream writes per
    token, which with PYTHONUNBUFFERED=1 (common in containers) is one system call each:
    2.8 M calls, 18 s instead of 6 (issue 19). A raw stream may take part of a write."""
    sys.stdout.flush()
    out = sys.stdout.buffer
    view = memoryview(data)
    while view:
        n = out.write(view)
        view = view[len(view) if n is None else n :]
    out.flush()


def to_json(m: Metrics) -> dict[str, object]:
    """docs/metrics.md ('Machine-readable output') metrics shape; ratios as fractions, the discount trend in pp/year."""
    accounts = m.accounts.sort_values(["rep_id", "account_id"], na_position="last")
    return {
        "as_of": m.window.as_of.isoformat(),
        "window_start": m.window.start.isoformat(),
        "window_months": m.window.months,
        "company_growth": _clean(m.company_growth),
        # per window: its bounds, the part the data cover and that part's share of its days
        "coverage": {
            **(m.coverage or {}),
            "growth_null_reason": m.growth_note or None,
            "growth_prior_null_reason": m.growth_prior_note or None,
        },
        "reps": _records(m.reps, REP_KEYS),
        "accounts": _records(accounts, ACCOUNT_KEYS),
    }


_TABLE_REP = (
    ("coaching_priority", "#", "int"),
    ("rep_name", "rep", "text"),
    ("tier", "tier", "text"),
    ("revenue", "revenue", "money"),
    ("growth", "growth", "pct"),
    ("relative_growth", "rel. growth", "pp"),
    ("weighted_penetration", "penetration", "pct"),
    ("hours", "hours", "int"),
    ("revenue_per_hour", "rev/hour", "int"),
    ("new_accounts", "new", "int"),
    ("discount_rate", "discount", "pct1"),
    ("discount_trend_pp_per_year", "trend pp/yr", "float"),
    ("alignment_score", "alignment", "pct"),
    ("misallocated_hours", "misalloc. h", "int"),
)
_TABLE_ACCOUNT = (
    ("account_name", "account", "text"),
    ("rep_name", "rep", "text"),
    ("potential", "potential", "money"),
    ("revenue", "revenue", "money"),
    ("growth", "growth", "pct"),
    ("relative_growth", "rel. growth", "pp"),
    ("penetration", "penetr.", "pct"),
    ("hours", "hours", "int"),
    ("time_share", "time", "pct"),
    ("potential_share", "pot.", "pct"),
    ("allocation_ratio", "ratio", "float"),
    ("discount_rate", "discount", "pct1"),
    ("discount_trend_pp_per_year", "trend", "float"),
    ("flags", "flags", "flags"),
)


def _cell(value: object, kind: str) -> str:
    if kind == "flags":
        return ", ".join(value) if isinstance(value, list) else ""
    if kind == "text":
        return (
            "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
        )
    v = _num(value)
    if v is None:
        return fmt.MISSING
    if kind == "money":
        return _money(v)
    if kind == "pct":
        return fmt.pct(v)
    if kind == "pct1":
        return fmt.pct(v, 1)
    if kind == "pp":
        return fmt.pp_from_fraction(v)
    if kind == "int":
        return f"{v:,.0f}"
    return f"{v:.1f}"


def format_table(m: Metrics, level: str) -> str:
    """A plain-text table for a terminal: one line per rep (or account), window on top."""
    spec = _TABLE_REP if level == "rep" else _TABLE_ACCOUNT
    frame = (
        m.reps
        if level == "rep"
        else m.accounts.sort_values(["rep_id", "account_id"], na_position="last")
    )
    cells = [
        [_clip(_cell(row.get(col), kind), kind) for col, _, kind in spec]
        for row in frame.to_dict("records")
    ]
    heads = [head for _, head, _ in spec]
    widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(heads)]
    right = [kind not in ("text", "flags") for _, _, kind in spec]

    def line(values: list[str]) -> str:
        return "  ".join(
            v.rjust(w) if r else v.ljust(w) for v, w, r in zip(values, widths, right, strict=True)
        ).rstrip()

    growth = fmt.pct(m.company_growth, 1)
    title = f"{m.window.label} (prior: {m.window.prior_label}); company growth {growth}"
    rule = "  ".join("-" * w for w in widths)
    return "\n".join([title, "", line(heads), rule, *(line(c) for c in cells)])


def cli_metrics(args: argparse.Namespace) -> int:
    """``reltruth metrics``: rep or account metrics as a table, CSV or JSON (docs/metrics.md ('Machine-readable output'))."""
    ws = Workspace.open(getattr(args, "workspace", None))
    try:
        if ws.is_empty():
            raise UserError("The workspace is empty: load exports first (reltruth ingest FILE…).")
        window = resolve_window(
            ws, getattr(args, "as_of", None), getattr(args, "window_months", None)
        )
        m = compute(ws, window)
    finally:
        ws.close()
    level = getattr(args, "level", "rep") or "rep"
    out_format = getattr(args, "format", "table") or "table"
    if out_format == "json":
        # The whole documented shape whatever the level: both lists.
        write_stdout(dump_json(to_json(m), pretty=bool(getattr(args, "pretty", False))))
    elif out_format == "csv":
        from reltruth.export import to_csv_bytes

        keys = REP_KEYS if level == "rep" else ACCOUNT_KEYS
        frame = m.reps if level == "rep" else m.accounts
        frame = frame.reindex(columns=list(keys))
        for col in ("flags", "categories_bought", "missing_categories"):
            if col in frame:
                frame[col] = frame[col].map(lambda f: "|".join(f) if isinstance(f, list) else "")
        sys.stdout.buffer.write(to_csv_bytes(frame))
    else:
        print(format_table(m, level))
    return 0


def _clip(text: str, kind: str) -> str:
    # Names are cut to keep one line per row; the flags (the last column) are shown whole.
    return text if kind == "flags" or len(text) <= 32 else text[:31] + "…"
