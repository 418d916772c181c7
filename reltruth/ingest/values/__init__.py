"""SQL expression builders that turn exported text into numbers, dates and durations.

Why a module of its own: every export writes values its own way (`1.234,50 €`,
`USD 1,250,000.00`, `(12)`, `45k`, `03/15/2026`, `15.03.2026`, epoch milliseconds, `1:30`,
HubSpot milliseconds...). Parsing them row by row in Python would make a 5-million-line
import crawl, so each parser here is a DuckDB SQL *expression* applied to a whole column.

Two halves:
- ``detect_*`` look at a sample of a column's text values (a Python list) and pick a style
  from a fixed allow-list (``NUMBER_STYLES``, ``DATE_STYLES``, ``DURATION_UNITS``...).
- ``*_sql`` builders take an already quoted column expression (use ``quote_ident``) and a
  style from that allow-list and return an SQL expression string. No data is ever formatted
  into SQL: only the column expression and constant patterns chosen by the style.

Every parser returns NULL for a missing value (``blank_sql``) *and* for a value it cannot
read; ``failed_sql`` tells the two apart so the loader can reject the row with
``reason_sql``'s text, e.g. ``"31.02.2024" is not a valid date``.

One module per kind of value (``numbers.py``, ``dates.py``, ``durations.py``) over what they
share (``cells.py``); this package's public face is re-exported here (callers say
``values.number_sql(...)``).
"""

from __future__ import annotations

from reltruth.ingest.values.cells import (
    REASON_WORDS,
    STYLE_NOTES,
    blank_sql,
    failed_sql,
    reason_sql,
    trim_sql,
)
from reltruth.ingest.values.dates import DATE_STYLES, date_sql, detect_date_style, looks_like_dates
from reltruth.ingest.values.durations import (
    DURATION_UNITS,
    UNIT_FACTOR,
    detect_duration_unit,
    duration_minutes_sql,
    unit_contradiction,
)
from reltruth.ingest.values.numbers import (
    NUMBER_STYLES,
    PERCENT_SCALES,
    decide_number_style,
    detect_number_style,
    detect_percent_scale,
    number_sql,
    number_votes_sql,
    percent_sql,
)

# Re-exported: the ingest modules take it from here with the parsers.
from reltruth.sql import quote_ident

__all__ = [
    "DATE_STYLES",
    "DURATION_UNITS",
    "NUMBER_STYLES",
    "PERCENT_SCALES",
    "REASON_WORDS",
    "STYLE_NOTES",
    "UNIT_FACTOR",
    "blank_sql",
    "date_sql",
    "decide_number_style",
    "detect_date_style",
    "detect_duration_unit",
    "detect_number_style",
    "detect_percent_scale",
    "duration_minutes_sql",
    "failed_sql",
    "looks_like_dates",
    "number_sql",
    "number_votes_sql",
    "percent_sql",
    "quote_ident",
    "reason_sql",
    "trim_sql",
    "unit_contradiction",
]
