"""The metrics engine: docs/metrics.md as SQL over the workspace, plus the flag and tier rules.

Why a package of its own: every page, chart and coaching sheet stands on these numbers, so
they are defined once. The aggregation lives in ``reltruth/sql/staging`` and
``reltruth/sql/marts`` (one query per file, values bound); ``marts.compute`` binds the
window (``window``), runs the marts once for all reps and accounts (``query.run``), applies
the thresholds of ``reltruth.settings`` (``flags``, ``tiers``, ``trades``) and returns plain
frames (``result.Metrics``). No Streamlit here. The choices made where no rule is given are
written down in ``docs/metrics.md``.

This module is the engine's public entry: the names pages, views, sheets and tests use as
``metrics.<name>``. Helpers used by one or two callers are imported from their module.
"""

from __future__ import annotations

from reltruth.metrics.marts import compute
from reltruth.metrics.measures import (
    MIN_SHIFT_HOURS_PER_MONTH,
    discount_quarters,
    hours_by_type_month,
    hours_to_shift,
    hours_to_shift_in,
    key_people_time,
    measure,
    measure_company_revenue,
    measure_rep,
)
from reltruth.metrics.output import ACCOUNT_KEYS, REP_KEYS, to_json
from reltruth.metrics.result import FLAGS, TIERS, Metrics
from reltruth.metrics.tiers import tier_measure, tier_measure_sentence
from reltruth.metrics.window import Window, resolve_window

__all__ = [
    "ACCOUNT_KEYS",
    "FLAGS",
    "MIN_SHIFT_HOURS_PER_MONTH",
    "REP_KEYS",
    "TIERS",
    "Metrics",
    "Window",
    "compute",
    "discount_quarters",
    "hours_by_type_month",
    "hours_to_shift",
    "hours_to_shift_in",
    "key_people_time",
    "measure",
    "measure_company_revenue",
    "measure_rep",
    "resolve_window",
    "tier_measure",
    "tier_measure_sentence",
    "to_json",
]
