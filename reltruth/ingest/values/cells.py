"""What every value parser shares: missing cells, failures and their reasons, SQL literals."""

from __future__ import annotations

import re
from collections.abc import Iterable

REASON_WORDS = {
    "number": "number",
    "amount": "amount",
    "date": "date",
    "duration": "duration",
    "percent": "percentage",
}

# What each style means, for the notes the Data page shows.
STYLE_NOTES = {
    "point": "numbers use a decimal point (1,234.50)",
    "comma": "numbers use a decimal comma (1.234,50)",
    "iso": "dates are year-month-day (2026-03-15)",
    "mdy": "dates are month/day/year (US: 03/15/2026)",
    "dmy": "dates are day.month.year (European: 15.03.2026)",
    "text_month": "dates spell the month (15 Mar 2026)",
    "epoch_ms": "dates are epoch milliseconds",
    "epoch_s": "dates are epoch seconds",
    "excel_serial": "dates are Excel day numbers",
    "minutes": "durations are in minutes",
    "seconds": "durations are in seconds (e.g. Salesforce CallDurationInSeconds)",
    "milliseconds": "durations look like milliseconds (HubSpot)",
    "hours": "durations are in hours",
    "clock": "durations are hours:minutes (e.g. Pipedrive 1:30)",
    "text": "durations are written out (1h 30m)",
    "percent": "percentages are on a 0-100 scale (12.5 = 12.5 %)",
    "fraction": "percentages are fractions (0.125 = 12.5 %)",
}

# Values that mean "nothing here" in exports; they load as missing, not as errors.
BLANK_WORDS = ("", "-", "--", "—", "–", "n/a", "na", "#n/a", "null", "none", "nan")
_BLANK_RE = "(?:" + "|".join(re.escape(w) for w in BLANK_WORDS) + ")"


def lit(pattern: str) -> str:
    """A constant pattern of the value parsers as an SQL string literal (never data)."""
    return "'" + pattern.replace("'", "''") + "'"


def trim_sql(expr: str) -> str:
    """``expr`` without surrounding spaces (as ``trim()``), for columns of millions of cells.

    Why not plain ``trim()``: it copies every string, 0.3-0.6 s per column of 4 million
    names. Only cells that start or end with a space, or hold a no-break space (U+00A0,
    Excel and web copies; U+202F) anywhere, are trimmed; clean cells pass as they are.
    """
    return (
        f"(case when starts_with({expr}, ' ') or ends_with({expr}, ' ') then trim({expr})"
        f" when contains({expr}, chr(160)) or contains({expr}, chr(8239)) then trim({expr})"
        f" else {expr} end)"
    )


def text_sql(expr: str) -> str:
    return f"trim(cast({expr} as varchar))"


def check(value: str, allowed: Iterable[str], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}; expected one of {tuple(allowed)}")


# Missing values and failures


def blank_sql(expr: str) -> str:
    """TRUE when the cell is missing: NULL, empty, or a placeholder like "-" or "N/A"."""
    # A pattern, not IN (...) or list_contains: DuckDB turns those into a join that runs on
    # every row, even inside a CASE branch only unreadable cells reach (~0.8 s per column
    # of 5 million cells).
    return f"coalesce(regexp_full_match(lower({text_sql(expr)}), {lit(_BLANK_RE)}), true)"


def failed_sql(expr: str, parsed: str) -> str:
    """TRUE when the cell holds a value but the parser (``parsed``) could not read it.

    The cell's text is looked at only where the parse gave nothing: trimming and
    lower-casing every cell of a 5-million-row column costs seconds.
    """
    return f"(case when ({parsed}) is null then not {blank_sql(expr)} else false end)"


def reason_sql(expr: str, kind: str) -> str:
    """The reject reason for one cell: ``"31.02.2024" is not a valid date``.

    ``kind`` is one of ``REASON_WORDS``; the loader adds the line and the column name.
    """
    check(kind, REASON_WORDS, "reason kind")
    return f"""('"' || {text_sql(expr)} || '" is not a valid {REASON_WORDS[kind]}')"""


def lazy(value: str, body: str, param: str) -> str:
    """``body`` (an expression of ``param``) applied to ``value`` inside a lambda.

    Why: DuckDB hoists an expression that appears more than once in a query and computes
    it for every row, even when it sits in a CASE branch only a few rows reach. The slow
    parsing paths repeat their pattern match many times; inside a lambda they stay out of
    reach of that rewrite and run only for the cells that need them.
    """
    return f"list_transform([{value}], lambda {param}: {body})[1]"
