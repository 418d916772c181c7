"""Missing-safe reads of one metrics value: number, text, date, flags, account names, tier."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import pandas as pd

from reltruth import format as fmt


def normalise_tier(value: object) -> str:
    """top | marginal | core, whatever spelling the metrics use ("top performer", ...)."""
    text = str(value or "").lower()
    if "top" in text:
        return "top"
    if "marginal" in text:
        return "marginal"
    return "core"


def is_estimated(acc: Mapping[str, Any]) -> bool:
    return bool(acc.get("potential_estimated") is True or acc.get("potential_estimated") == 1)


def cell_flags(acc: Mapping[str, Any]) -> list[str]:
    flags = acc.get("flags")
    if flags is None or isinstance(flags, float):
        return []
    if isinstance(flags, str):
        return [f.strip() for f in flags.split(",") if f.strip()]
    return [str(f) for f in flags]


def names_of(frame: pd.DataFrame) -> list[str]:
    return [
        cell_text(r.get("account_name")) or str(r["account_id"]) for r in frame.to_dict("records")
    ]


def cell_num(value: object) -> float | None:
    return None if fmt.is_missing(value) else float(value)  # type: ignore[arg-type]


def cell_text(value: object) -> str:
    return "" if value is None or fmt.is_missing(value) else str(value)


def cell_date(value: object) -> date | None:
    # NaT (a missing owner_since read through pandas) is neither None nor a float NaN
    if value is None or value is pd.NaT or fmt.is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        stamp = pd.Timestamp(str(value))
    except ValueError:
        return None
    return None if pd.isna(stamp) else stamp.date()
