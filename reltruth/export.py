"""The one sanitiser for every CSV / Excel download.

CRM text is data, never a formula: a cell that starts with ``= + - @``, a tab or a carriage
return is prefixed with ``'`` so a spreadsheet shows it as text (OWASP "CSV injection").
Numbers are left alone: a negative amount is a number, not a formula.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` made safe for a spreadsheet cell."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def sanitise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and headers) cannot run as formulas."""
    out = frame.copy()
    out.columns = [safe_cell(str(c)) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(safe_cell)
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM so Excel opens accented names correctly."""
    return sanitise(frame).to_csv(index=False).encode("utf-8-sig")


def to_excel_bytes(frame: pd.DataFrame, sheet_name: str = "data") -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        sanitise(frame).to_excel(writer, index=False, sheet_name=sheet_name[:31])
    return buf.getvalue()
