"""Tables as a sales manager reads them: human column labels, units, rounded numbers.

Why a module of its own: every page shows frames from the metrics engine, whose columns are
snake_case fractions (``relative_growth`` = -0.05). One place turns them into a display
frame (fractions to percent, relative growth to percentage points, money to whole currency
units) plus the matching ``st.column_config``, so that every table in the app reads the same
and the CSV download carries the same labels and numbers as the screen.

CRM text stays plain text: a dataframe cell is never rendered as HTML or Markdown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from reltruth import format as fmt

# kind -> how a value is shown. Fractions are multiplied by 100 for "pct" and "pp".
KINDS = (
    "text",
    "money",
    "pct",
    "pp",
    "pp_year",
    "hours",
    "hours_month",
    "int",
    "ratio",
    "date",
    "list",
)


@dataclass(frozen=True)
class Col:
    """One column of a display table: source column, label (with unit), kind."""

    source: str
    label: str
    kind: str = "text"
    help: str | None = None
    pin: bool = False  # stays visible while a wide table scrolls sideways


def currency_label(code: str | None) -> str:
    """The currency code, upper case; "" when the orders do not say (no symbol is shown)."""
    return code.upper() if code else ""


def with_unit(label: str, currency: str | None, per: str = "") -> str:
    """ "Revenue (EUR)", or "Revenue" when the orders do not say (``fmt.with_unit``)."""
    return fmt.with_unit(label, currency, per)


def display_frame(frame: pd.DataFrame, cols: Sequence[Col]) -> pd.DataFrame:
    """The columns of ``frame`` named in ``cols``, scaled and renamed for the screen.

    Missing source columns are skipped (older data, optional fields), never invented.
    """
    out: dict[str, Any] = {}
    for c in cols:
        if c.source not in frame.columns:
            continue
        s = frame[c.source]
        if c.kind in ("pct", "pp", "pp_year"):
            s = pd.to_numeric(s, errors="coerce") * (1 if c.kind == "pp_year" else 100)
        elif c.kind == "money":
            s = pd.to_numeric(s, errors="coerce").round(0).astype("Int64")
        elif c.kind in ("hours", "hours_month", "ratio"):
            s = pd.to_numeric(s, errors="coerce").astype("float64")
        elif c.kind == "int":
            s = pd.to_numeric(s, errors="coerce").round(0).astype("Int64")
        elif c.kind == "list":
            s = s.map(_join)
        elif c.kind == "date":
            s = pd.to_datetime(s, errors="coerce").dt.date
        elif c.kind == "text":
            s = _texts(s)
        out[c.label] = s.reset_index(drop=True)
    return pd.DataFrame(out)


# Display format of each numeric kind of column (st.column_config.NumberColumn).
NUMBER_FORMATS = {
    "pct": "%.1f %%",
    "pp": "%+.1f pp",
    "pp_year": "%+.1f pp/yr",
    "hours": "%.0f h",
    "hours_month": "%.1f h",
    "int": "%d",
    "ratio": "%.2f",
}
MONEY_FORMATS = {"EUR": "euro", "USD": "dollar"}  # others: plain thousands separators


def column_config(cols: Sequence[Col], currency: str | None = None) -> dict[str, Any]:
    """``st.column_config`` entries matching ``display_frame``'s labels."""
    cc = st.column_config
    formats = {**NUMBER_FORMATS, "money": MONEY_FORMATS.get(currency_label(currency), "localized")}
    config: dict[str, Any] = {}
    for c in cols:
        pinned = c.pin or None
        if c.kind in formats:
            config[c.label] = cc.NumberColumn(
                c.label, format=formats[c.kind], help=c.help, pinned=pinned
            )
        elif c.kind == "date":
            config[c.label] = cc.DateColumn(
                c.label, format="D MMM YYYY", help=c.help, pinned=pinned
            )
        else:
            config[c.label] = cc.TextColumn(c.label, help=c.help, pinned=pinned)
    return config


def money_text(value: float | None, currency: str | None = None) -> str:
    """€1.2 M / €85 k / €950 for headline metrics."""
    return fmt.money(value, fmt.currency_symbol(currency_label(currency)))


def pct_text(value: float | None, digits: int | None = None) -> str:
    """A fraction as a headline percentage, as the sheet writes it (``format.pct``)."""
    return fmt.pct(value, digits)


def pp_text(value: float | None) -> str:
    """A difference of two fractions in signed percentage points (``format.pp_from_fraction``)."""
    return fmt.pp_from_fraction(value)


def hours_text(value: float | None) -> str:
    """Hours for a headline: 26 h, 4.5 h (``format.hours``)."""
    return fmt.hours(value)


FLAG_LABELS = {
    "relationship_trap": "relationship trap",
    "neglected_potential": "neglected potential",
    "claim_gap": "claim gap",
    "discount_creep": "discount creep",
    "demote": "demote",
    "trade_candidate": "trade candidate",
}


def flag_label(flag: str) -> str:
    """ "claim_gap" -> "claim gap"; a reason "claim_gap: ..." keeps its numbers."""
    head, sep, rest = flag.partition(":")
    if sep:
        return f"{FLAG_LABELS.get(head, head)}:{rest}"
    return FLAG_LABELS.get(flag, flag)


def _join(value: Any) -> str:
    if value is None or isinstance(value, float):
        return ""
    if isinstance(value, str):
        return flag_label(value)
    return ", ".join(flag_label(str(v)) for v in value)


def _texts(s: pd.Series) -> pd.Series:
    """Text cells as strings, missing ones missing. A column of pandas' string dtype is that
    already, and is passed through: the cell-by-cell map gave the same column back and cost
    0.35 s of every Discounts page run at 30,000 accounts."""
    if isinstance(s.dtype, pd.StringDtype):
        return s
    return s.map(lambda v: None if _missing(v) else str(v))


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
