"""The one sanitiser for every CSV / Excel download, and the escapes for HTML and Markdown.

CRM text is data, never a formula: a cell that starts with ``= + - @``, a tab or a carriage
return (or their full-width forms, which some spreadsheets also accept) is prefixed with
``'`` so a spreadsheet shows it as text (OWASP "CSV injection"). Headers too: a column may
be named after a user's upload. Numbers are left alone: a negative amount is a number,
not a formula. Every page's download button and the CLI's CSV go through ``to_csv_bytes``
/ ``to_excel_bytes``; nothing else writes a spreadsheet.

CRM text is never markup either: ``html_text`` is the escape for HTML; Markdown has one
escaper, ``reltruth.coaching.render_markdown.md`` (it also stops autolinks).
"""

from __future__ import annotations

import html
import io
import re
from typing import Any

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

# Characters an .xlsx cannot hold (openpyxl refuses the whole file over one of them).
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_NAME_ILLEGAL = re.compile(r"[\[\]:*?/\\]")
# Markdown syntax that could turn a name into a link, an image, emphasis, a table cell
# or raw HTML.


def safe_cell(value: Any) -> Any:
    """``value`` made safe for a spreadsheet cell."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    # Lists (e.g. an account's flag reasons) become one text cell, then are made safe.
    if isinstance(value, list | tuple | set | frozenset):
        value = "; ".join(str(v) for v in value)
    return safe_cell(value)


def _safe_column(series: pd.Series) -> pd.Series:
    """A text column made safe as a whole: lists joined, then ``'`` before every cell that
    starts like a formula. Column-wise because mapping ``_cell`` over every cell took a
    third of a page's run on a big table (issue 19); only list cells go one by one."""
    if series.dtype == object:
        lists = series.map(type).isin((list, tuple, set, frozenset))
        if lists.any():
            series = series.copy()
            series[lists] = series[lists].map(_cell)
    try:
        risky = series.str.startswith(FORMULA_PREFIXES, na=False).astype(bool)
    except AttributeError:  # no text in the column at all (numbers, all missing)
        return series
    if not risky.any():
        return series
    series = series.astype(object) if series.dtype == object else series.copy()
    series[risky] = "'" + series[risky].astype(str)
    return series


def sanitise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and headers) cannot run as formulas."""
    out = frame.copy()
    out.columns = [safe_cell(str(c)) for c in out.columns]
    for i in range(out.shape[1]):
        series = out.iloc[:, i]
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)
        if series.dtype == object or pd.api.types.is_string_dtype(series):
            out.isetitem(i, _safe_column(series))
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM so Excel opens accented names correctly."""
    return sanitise(frame).to_csv(index=False).encode("utf-8-sig")


def to_excel_bytes(frame: pd.DataFrame, sheet_name: str = "data") -> bytes:
    """An .xlsx of ``frame``: formulas neutralised, characters Excel cannot hold removed."""
    out = sanitise(frame)
    for i in range(out.shape[1]):
        series = out.iloc[:, i]
        if series.dtype == object or pd.api.types.is_string_dtype(series):
            out.isetitem(i, series.map(_xlsx_text))
        elif isinstance(series.dtype, pd.DatetimeTZDtype):
            out.isetitem(i, series.dt.tz_localize(None))  # Excel has no time zones
    out.columns = [_xlsx_text(c) for c in out.columns]
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        out.to_excel(writer, index=False, sheet_name=_sheet_name(sheet_name))
    return buf.getvalue()


def _xlsx_text(value: Any) -> Any:
    return _XLSX_ILLEGAL.sub("", value) if isinstance(value, str) else value


def _sheet_name(name: str) -> str:
    cleaned = _SHEET_NAME_ILLEGAL.sub(" ", name).strip("' ")[:31]
    return cleaned or "data"


def html_text(value: Any) -> str:
    """``value`` as HTML text: ``<``, ``>``, ``&`` and both quotes escaped."""
    return html.escape("" if value is None else str(value), quote=True)
