"""Metrics as JSON: the documented keys, column-wise conversion, one write to standard output."""

from __future__ import annotations

import json
import math
import sys
from datetime import date

import numpy as np
import pandas as pd

from reltruth.metrics.result import Metrics

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


def clean(value: object) -> object:
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, str):
        return clean(value.tolist())  # type: ignore[union-attr]
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
    (``clean``) took longer than computing the metrics (issue 19); only columns of
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
        return [clean(v) for v in series.astype(object).tolist()]
    for i in np.flatnonzero(missing):
        out[i] = None
    return out


def records(frame: pd.DataFrame, keys: tuple[str, ...]) -> list[dict[str, object]]:
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
        "company_growth": clean(m.company_growth),
        # per window: its bounds, the part the data cover and that part's share of its days
        "coverage": {
            **(m.coverage or {}),
            "growth_null_reason": m.growth_note or None,
            "growth_prior_null_reason": m.growth_prior_note or None,
        },
        "reps": records(m.reps, REP_KEYS),
        "accounts": records(accounts, ACCOUNT_KEYS),
    }
