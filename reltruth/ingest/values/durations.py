"""Durations: minutes from any unit or written form, and the detection of the unit."""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable

from reltruth.ingest.values.cells import blank_sql, check, lit, text_sql
from reltruth.ingest.values.numbers import number_sql, py_number

DURATION_UNITS = ("minutes", "seconds", "milliseconds", "hours", "clock", "text")


_CLOCK_RE = r"^([0-9]+):([0-5][0-9])(?::([0-5][0-9]))?$"
_TEXT_DURATION_RE = (
    r"(?i)^(?:([0-9]+(?:[.,][0-9]+)?)\s*h(?:ours?|rs?|r)?\.?)?\s*"
    r"(?:([0-9]+(?:[.,][0-9]+)?)\s*m(?:in(?:ute)?s?)?\.?)?\s*"
    r"(?:([0-9]+)\s*s(?:ec(?:ond)?s?)?\.?)?$"
)
UNIT_FACTOR = {"minutes": 1, "seconds": 1 / 60, "milliseconds": 1 / 60000, "hours": 60}


def duration_minutes_sql(expr: str, unit: str, style: str = "point") -> str:
    """Minutes (DOUBLE) from a duration in ``unit`` (one of ``DURATION_UNITS``):
    plain numbers in minutes/seconds/milliseconds/hours, ``clock`` = ``H:MM`` or
    ``H:MM:SS`` (Pipedrive), ``text`` = ``1h 30m`` / ``90 min`` / ``45m``."""
    check(unit, DURATION_UNITS, "duration unit")
    if unit in UNIT_FACTOR:
        return f"({number_sql(expr, style)} * {UNIT_FACTOR[unit]!r})"
    t = text_sql(expr)
    if unit == "clock":
        m = f"regexp_extract({t}, {lit(_CLOCK_RE)}, ['h', 'm', 's'])"
        value = (
            f"(case when {m}.h = '' then null else {m}.h::double * 60 + {m}.m::double"
            f" + coalesce(try_cast(nullif({m}.s, '') as double), 0) / 60 end)"
        )
    else:
        m = f"regexp_extract({t}, {lit(_TEXT_DURATION_RE)}, ['h', 'm', 's'])"
        value = (
            f"(case when regexp_full_match({t}, '[0-9]+([.,][0-9]+)?')"
            f" then try_cast(replace({t}, ',', '.') as double)"
            f" when {m}.h = '' and {m}.m = '' and {m}.s = '' then null"
            f" else coalesce(try_cast(replace(nullif({m}.h, ''), ',', '.') as double), 0) * 60"
            f" + coalesce(try_cast(replace(nullif({m}.m, ''), ',', '.') as double), 0)"
            f" + coalesce(try_cast(nullif({m}.s, '') as double), 0) / 60 end)"
        )
    return f"(case when {blank_sql(expr)} then null else {value} end)"


_HEADER_UNITS = (
    (re.compile(r"milli|\bms\b|\(ms\)|_ms\b|hs_.*duration|hubspot", re.I), "milliseconds"),
    (re.compile(r"second|\bsecs?\b|\(s\)|insec", re.I), "seconds"),
    (re.compile(r"hour|\bhrs?\b|\(h\)", re.I), "hours"),
    (re.compile(r"minute|\bmins?\b|\(min\)|inminutes", re.I), "minutes"),
)


# What a single activity plausibly lasts, per unit: outside it the values contradict the unit.
_PLAUSIBLE_MEDIAN = {
    "minutes": (0.5, 480.0),
    "seconds": (5.0, 20_000.0),
    "milliseconds": (1_000.0, float("inf")),
    "hours": (0.0, 12.0),
}


def unit_contradiction(values: Iterable[str | None], unit: str, style: str = "point") -> str | None:
    """The unit the values look like when their median is implausible in ``unit`` (a
    header's "(min)" over values of 1,800,000 looks like milliseconds), else None."""
    if unit not in _PLAUSIBLE_MEDIAN:
        return None
    numbers = [n for v in values if v is not None and (n := py_number(str(v), style)) is not None]
    if not numbers:
        return None
    median = statistics.median(numbers)
    low, high = _PLAUSIBLE_MEDIAN[unit]
    if low <= median <= high or median == 0:
        return None
    looks = detect_duration_unit([str(median)])
    return looks if looks != unit else None


def detect_duration_unit(values: Iterable[str | None], header: str | None = None) -> str:
    """The unit of a duration column, from its values first, then its header, then size.

    ``1:30`` -> clock; ``1h 30m`` -> text; otherwise the header decides
    (``CallDurationInSeconds`` -> seconds, ``Duration (ms)`` -> milliseconds, ``DurationInMinutes``
    -> minutes); with no hint, the median decides: 20,000 or more can only be milliseconds
    (5.5 hours in seconds), 480 or more seconds (no activity lasts 8 hours in minutes), else
    minutes.
    """
    sample = [str(v).strip() for v in values if v is not None and str(v).strip()]
    if any(re.fullmatch(_CLOCK_RE.replace("^", "").replace("$", ""), v) for v in sample):
        return "clock"
    if any(re.search(r"[0-9]\s*(h|m|min|s|sec|hrs?|hours?|minutes?)\b", v, re.I) for v in sample):
        return "text"
    if header:
        for pattern, unit in _HEADER_UNITS:
            if pattern.search(header):
                return unit
    numbers = [n for v in sample if (n := py_number(v, "point")) is not None]
    if not numbers:
        return "minutes"
    median = statistics.median(numbers)
    if median >= 20_000:
        return "milliseconds"
    if median >= 480:
        return "seconds"
    return "minutes"
