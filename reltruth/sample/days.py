"""Dates as whole days since 1970: the generator's date arithmetic, weekends moved."""

from __future__ import annotations

from datetime import date

import numpy as np

_EPOCH = np.datetime64("1970-01-01", "D")


def day_number(d: date) -> int:
    """Days since 1970-01-01: the generator works on integer days for speed."""
    return int((np.datetime64(d, "D") - _EPOCH).astype(np.int64))


def weekday(days: np.ndarray) -> np.ndarray:
    """Move Saturdays back to Friday and Sundays on to Monday (1970-01-01 was a Thursday)."""
    dow = (days + 3) % 7  # 0 = Monday
    return days - (dow == 5) + (dow == 6)


def workday(days: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """A weekday within [lo, hi] near each day: a weekend at an edge moves inwards."""
    d = np.clip(weekday(days), lo, hi)
    dow = (d + 3) % 7
    forward = np.where(dow == 5, 2, np.where(dow == 6, 1, 0))
    backward = np.where(dow == 5, 1, np.where(dow == 6, 2, 0))
    d = np.where(d + forward <= hi, d + forward, d - backward)
    return np.clip(d, lo, hi)  # a range that is only a weekend keeps its weekend day


def dates(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[s]")
