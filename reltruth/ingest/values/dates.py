"""Dates: their SQL parser per style and the detection of the style from a sample."""

from __future__ import annotations

import re
from collections.abc import Iterable

from reltruth.ingest.values.cells import BLANK_WORDS, blank_sql, check, lazy, lit, text_sql

DATE_STYLES = ("iso", "mdy", "dmy", "text_month", "epoch_ms", "epoch_s", "excel_serial")


_DATE_PART = r"^([^ T]+)"  # the date before a time ("03/15/2026 14:30", "2026-03-15T14:30Z")
_SHORT_YEAR = r"^[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{2}$"
_DATE_FORMATS = {
    "iso": ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d"],
    "mdy": ["%m/%d/%Y", "%m-%d-%Y", "%m.%d.%Y"],
    "dmy": ["%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y"],
    "text_month": [  # two-digit years first: "%Y" would read "26" as the year 26
        "%d-%b-%y",
        "%d %b %y",
        "%d %b %Y",
        "%d-%b-%Y",
        "%d %B %Y",
        "%d. %B %Y",
        "%d. %b %Y",
        "%b %d, %Y",
        "%B %d, %Y",
        "%b %d %Y",
        "%B %d %Y",
    ],
}
# Dates outside this range are taken as misread, not as history or science fiction.
_MIN_YEAR, _MAX_YEAR = 1900, 2200


def _formats(fmts: list[str]) -> str:
    return "[" + ", ".join(lit(f) for f in fmts) + "]"


def date_sql(expr: str, style: str) -> str:
    """DATE from text in ``style`` (one of ``DATE_STYLES``); a time of day is dropped,
    impossible dates (31.02.2024) and years outside 1900-2200 give NULL."""
    check(style, DATE_STYLES, "date style")
    raw = f"cast({expr} as varchar)"
    slow = lazy(raw, _date_slow("__rt_d", style), "__rt_d")
    if style in ("mdy", "dmy", "iso"):
        # Fast path for the usual full-length cell ("15.03.2026", "2026-03-15"): no trim,
        # no regex; everything else (times, short years, spaces) takes the slow path.
        fast = (
            f"try_cast({raw} as date)"
            if style == "iso"
            else f"try_strptime({raw}, {_formats(_DATE_FORMATS[style])})::date"
        )
        return f"coalesce(case when length({raw}) = 10 then {_in_range(fast)} end, {slow})"
    return slow


def _date_slow(c: str, style: str) -> str:
    """The full reading of one date cell ``c`` (a lambda parameter, see ``lazy``)."""
    t = text_sql(c)
    if style in ("mdy", "dmy"):
        part = f"regexp_extract({t}, {lit(_DATE_PART)}, 1)"
        long_fmts = _DATE_FORMATS[style]
        short_fmts = [f.replace("%Y", "%y") for f in long_fmts]
        value = (
            f"(case when regexp_full_match({part}, {lit(_SHORT_YEAR)})"
            f" then try_strptime({part}, {_formats(short_fmts)})"
            f" else try_strptime({part}, {_formats(long_fmts)}) end)::date"
        )
    elif style == "iso":
        part = f"regexp_extract({t}, {lit(_DATE_PART)}, 1)"
        value = f"try_strptime({part}, {_formats(_DATE_FORMATS['iso'])})::date"
    elif style == "text_month":
        # The whole text minus a trailing time ("15 Mar 2026 14:30").
        part = f"regexp_replace({t}, '\\s+[0-9]{{1,2}}:[0-9]{{2}}.*$', '')"
        value = f"try_strptime({part}, {_formats(_DATE_FORMATS['text_month'])})::date"
    else:
        n = f"try_cast({t} as double)"
        if style == "epoch_ms":
            value = f"epoch_ms(try_cast({n} as bigint))::date"
        elif style == "epoch_s":
            value = f"epoch_ms(try_cast({n} * 1000 as bigint))::date"
        else:  # Excel serial day: day 1 = 1900-01-01, with Excel's 1900 leap-year slip
            value = f"(date '1899-12-30' + try_cast(floor({n}) as integer))"
    return f"(case when {blank_sql(c)} then null else {_in_range(value)} end)"


def _in_range(value: str) -> str:
    return f"(case when year({value}) between {_MIN_YEAR} and {_MAX_YEAR} then {value} end)"


_ISO = re.compile(r"^[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}([T ].*)?$")
_DMY_LIKE = re.compile(r"^([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{2}|[0-9]{4})([ T].*)?$")
_TEXT_MONTH = re.compile(
    r"^([0-9]{1,2}[ .-]+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[ ,-]+",
    re.IGNORECASE,
)
_NUMERIC = re.compile(r"^[0-9]+(\.[0-9]+)?$")


def detect_date_style(values: Iterable[str | None], default: str = "mdy") -> str:
    """The date style of a sample (``default`` when nothing decides; see ``looks_like_dates``).

    Day/month order: a first number above 12 means day first, a second number above 12
    means month first. When no value decides, dots mean day first (15.03.2026 is European);
    slashes and dashes take ``default`` ("mdy": US exports, e.g. Salesforce and HubSpot).
    """
    check(default, ("mdy", "dmy"), "default day/month order")
    return _date_vote(values, default) or default


def looks_like_dates(values: Iterable[str | None]) -> bool:
    """True when at least half of the present values of a sample read as dates."""
    return _date_vote(values, "mdy") is not None


def _date_vote(values: Iterable[str | None], default: str) -> str | None:
    sample = [str(v).strip() for v in values if v is not None and str(v).strip()]
    sample = [v for v in sample if v.lower() not in BLANK_WORDS]
    if not sample:
        return None
    votes: dict[str, int] = {}
    day_first = month_first = 0
    dots = 0
    for v in sample:
        style: str | None = None
        if _ISO.match(v):
            style = "iso"
        elif m := _DMY_LIKE.match(v):
            style = "dm"
            first, second = int(m.group(1)), int(m.group(3))
            day_first += first > 12
            month_first += second > 12
            dots += m.group(2) == "."
        elif _TEXT_MONTH.match(v):
            style = "text_month"
        elif _NUMERIC.match(v):
            number = float(v)
            if 1e11 <= number < 1e14:
                style = "epoch_ms"
            elif 1e8 <= number < 1e11:
                style = "epoch_s"
            elif 10_000 <= number < 100_000:
                style = "excel_serial"
        if style:
            votes[style] = votes.get(style, 0) + 1
    if not votes:
        return None
    best = max(votes, key=lambda s: votes[s])
    if votes[best] * 2 < len(sample):
        return None
    if best != "dm":
        return best
    if day_first > month_first:
        return "dmy"
    if month_first > day_first:
        return "mdy"
    return "dmy" if dots * 2 > votes["dm"] else default
