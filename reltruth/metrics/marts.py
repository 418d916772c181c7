"""compute: the marts run once for every rep and account, then flags, tiers and trades applied."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from reltruth import evidence, sql
from reltruth import settings as settings_store
from reltruth.metrics.flags import flag_accounts
from reltruth.metrics.query import num, prepare, run
from reltruth.metrics.result import Metrics
from reltruth.metrics.tiers import (
    coaching_priority,
    excess_discount_quartile,
    rank_tiers,
    rep_rollup,
)
from reltruth.metrics.trades import match_trades
from reltruth.metrics.window import (
    Window,
    add_months,
    check_trend_quarters,
    coverage,
    data_span,
    quarter_start,
    resolve_window,
    trend_start,
)
from reltruth.settings import Settings
from reltruth.workspace import Workspace

# Growth is null where prior revenue is 0; a float sum of lines that cancel out
# (an invoice and its full credit note) is 0 up to rounding noise, hence half a cent.
ZERO_REVENUE = 0.005


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
    accounts = flag_accounts(accounts, settings, window)
    accounts = evidence.stalled_deals(query, params, accounts, reps, settings)
    half = settings.creep_quarters // 2
    accounts = evidence.discount_bought(
        query,
        accounts,
        params["trend_start"],
        add_months(quarter_start(window.as_of), -3 * (half - 1)),
        window.as_of,
    )
    reps = rep_rollup(reps, accounts, company_growth, company_growth_prior)
    reps = rank_tiers(reps, settings, window, "prior" if growth_note else "")
    reps = coaching_priority(reps)
    reps, threshold = excess_discount_quartile(reps, settings)
    trades = match_trades(accounts, reps, settings)
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
    out = frame.copy(deep=False)
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
    return num(frame[column].iloc[0])


def _account_metrics(accounts: pd.DataFrame, reps: pd.DataFrame) -> pd.DataFrame:
    names = dict(zip(reps["rep_id"], reps["rep_name"], strict=False))
    out = accounts.copy(deep=False)  # copy on write: only the columns set here are new
    out["rep_name"] = out["rep_id"].map(names)
    rate = pd.to_numeric(out["discount_rate"], errors="coerce")
    bench = pd.to_numeric(out["discount_benchmark"], errors="coerce")
    gap = (rate - bench).clip(lower=0)
    out["excess_discount"] = pd.to_numeric(out["list_amount"], errors="coerce") * gap
    return out
