"""Missing-safe reads of one metrics value: number, text, date, flags, account names, tier."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionDtype
from pandas.api.types import is_bool, is_float, is_integer

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


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """``frame.to_dict("records")``: the same rows, keys, values and value types, faster.

    Why: pandas builds those records through ``itertuples``, which reads every column with
    ``iloc`` on each call; a sheet reads its rep's accounts (about 100 columns) that way
    several times, which was half of the sheet model's time (docs/performance.md). Here the
    frame becomes one object matrix, and the columns pandas boxes (object and extension
    dtypes) are boxed by the same rule (``_native``); the result is compared with pandas'
    on every dtype the metrics frames carry (tests/unit/coaching/test_cells.py)."""
    if not frame.columns.is_unique or len(frame.columns) == 0:
        return frame.to_dict("records")  # type: ignore[return-value]
    columns = frame.columns.tolist()
    boxed = [
        i
        for i, dtype in enumerate(frame.dtypes)
        if dtype == np.dtype(object) or isinstance(dtype, ExtensionDtype)
    ]
    rows: list[list[Any]] = frame.to_numpy(dtype=object).tolist()
    for row in rows:
        for i in boxed:
            row[i] = _native(row[i])
    return [dict(zip(columns, row, strict=True)) for row in rows]


def _native(value: Any) -> Any:
    """A NumPy scalar as the Python one, ``pd.NA`` as None: what ``to_dict`` does to a value
    of an object or extension column."""
    if value is pd.NA:
        return None
    if isinstance(value, (np.datetime64, np.timedelta64)):
        return pd.Timestamp(value) if isinstance(value, np.datetime64) else pd.Timedelta(value)
    if is_bool(value):
        return bool(value)
    if is_float(value):
        return float(value)
    if is_integer(value):
        return int(value)
    return value


def names_of(frame: pd.DataFrame) -> list[str]:
    if frame.empty:
        return []
    names = frame["account_name"] if "account_name" in frame.columns else [None] * len(frame)
    return [
        cell_text(name) or str(account)
        for name, account in zip(names, frame["account_id"], strict=True)
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
